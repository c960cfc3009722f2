using Azure.Data.Tables;
using Summit.Functions.Meetings;
using Summit.Functions.Operations;
using Summit.TestSupport.Storage;

namespace Summit.Functions.Tests;

/// <summary>Calls the coordinator API of a <see cref="TestApp"/> the way a client would.</summary>
public sealed class Api(TestApp app)
{
    public static object Meeting(string start = "2026-12-10T10:00", string zone = "Asia/Seoul", string[]? offsets = null,
        object[]? participants = null, string title = "Joint Economic Committee — restart session") => new
    {
        title,
        track = "joint-economic-committee",
        agenda = "Trade and investment work programme",
        start,
        timeZone = zone,
        duration = "PT2H",
        location = "Seoul, Ministry of Trade, Industry and Energy",
        coordinator = new { name = "Kim Min-jun", email = "coordinator@example.org" },
        participants = participants ??
        [
            new { name = "Ayşe Yılmaz", email = "ayse@example.org", timeZone = "Europe/Istanbul", language = "tr" },
            new { name = "Lee Seo-yeon", email = "seoyeon@example.org" },
        ],
        reminderOffsets = offsets,
    };

    /// <summary>A meeting body with fields added or replaced (escalateBefore, useSendGridTemplates, coordinator, ...).</summary>
    public static Dictionary<string, object?> With(object meeting, IReadOnlyDictionary<string, object?> fields)
    {
        var web = new System.Text.Json.JsonSerializerOptions(System.Text.Json.JsonSerializerDefaults.Web);
        var body = System.Text.Json.JsonSerializer.Deserialize<Dictionary<string, object?>>(System.Text.Json.JsonSerializer.Serialize(meeting, web), web)!;
        foreach (var (name, value) in fields) body[name] = value;
        return body;
    }

    /// <summary>Presses the button of a participant link's page: the page's form POSTs to the link itself.</summary>
    public async Task<HttpAnswer> FollowAsync(string link)
    {
        var uri = new Uri(link);
        var action = uri.AbsolutePath.Split('/').Last();
        return await app.CallAsync("POST", uri.PathAndQuery, r => app.Function<Participants.ParticipantLinksApi>().Confirm(r, action, default),
            rawBody: "", contentType: "application/x-www-form-urlencoded");
    }

    private MeetingsApi Meetings => app.Function<MeetingsApi>();

    public Task<HttpAnswer> CreateAsync(object? body = null, string? idempotencyKey = null, string? rawBody = null, string contentType = "application/json") =>
        app.CallAsync("POST", "/api/meetings", r => Meetings.Create(r, default), body ?? (rawBody is null ? Meeting() : null), rawBody, contentType,
            idempotencyKey is null ? null : new Dictionary<string, string> { ["Idempotency-Key"] = idempotencyKey });

    public Task<HttpAnswer> GetAsync(string id) => app.CallAsync("GET", $"/api/meetings/{id}", r => Meetings.Get(r, id, default));

    public Task<HttpAnswer> ListAsync(string query = "") => app.CallAsync("GET", "/api/meetings" + query, r => Meetings.List(r, default));

    public Task<HttpAnswer> UpdateAsync(string id, object? body, string? ifMatch, string? rawBody = null) =>
        app.CallAsync("PUT", $"/api/meetings/{id}", r => Meetings.Update(r, id, default), body, rawBody,
            headers: ifMatch is null ? null : new Dictionary<string, string> { ["If-Match"] = ifMatch });

    public Task<HttpAnswer> CancelAsync(string id, string? ifMatch = null) =>
        app.CallAsync("POST", $"/api/meetings/{id}/cancel", r => Meetings.Cancel(r, id, default),
            headers: ifMatch is null ? null : new Dictionary<string, string> { ["If-Match"] = ifMatch });

    public Task<HttpAnswer> CompleteAsync(string id) =>
        app.CallAsync("POST", $"/api/meetings/{id}/complete", r => Meetings.Complete(r, id, default));

    public Task<HttpAnswer> DeleteAsync(string id, string? ifMatch = "*") =>
        app.CallAsync("DELETE", $"/api/meetings/{id}", r => Meetings.Delete(r, id, default),
            headers: ifMatch is null ? null : new Dictionary<string, string> { ["If-Match"] = ifMatch });

    public Task<HttpAnswer> ErasePersonAsync(string email) =>
        app.CallAsync("POST", "/api/admin/erasures", r => app.Function<ErasuresApi>().Erase(r, default), new { email });

    public Task<HttpAnswer> TracksAsync() => app.CallAsync("GET", "/api/tracks", r => app.Function<OperationsApi>().Tracks(r));

    public Task<HttpAnswer> HealthAsync() => app.CallAsync("GET", "/api/health", r => app.Function<OperationsApi>().Health(r, default));

    /// <summary>A commitment due at the end of 15 January 2027 in Seoul (15:00 UTC), owned by Lee Seo-yeon and Ayşe Yılmaz.</summary>
    public static Dictionary<string, object?> Commitment(string dueDate = "2027-01-15", string[]? offsets = null, string[]? escalateAfter = null) => new()
    {
        ["title"] = "Sinop evaluation: data package",
        ["track"] = "nuclear-energy",
        ["owners"] = new object[]
        {
            new { name = "Lee Seo-yeon", email = "seoyeon@example.org", timeZone = "Asia/Seoul", language = "ko" },
            new { name = "Ayşe Yılmaz", email = "ayse@example.org", timeZone = "Europe/Istanbul", language = "tr" },
        },
        ["coordinator"] = new { name = "Kim Min-jun", email = "coordinator@example.org" },
        ["dueDate"] = dueDate,
        ["timeZone"] = "Asia/Seoul",
        ["reminderOffsets"] = offsets,
        ["escalateAfter"] = escalateAfter,
    };

    private Commitments.CommitmentsApi CommitmentFunctions => app.Function<Commitments.CommitmentsApi>();

    public async Task<string> CreateCommitmentIdAsync(object? body = null)
    {
        var answer = await app.CallAsync("POST", "/api/commitments", r => CommitmentFunctions.Create(r, default), body ?? Commitment());
        Assert.True(answer.Status == 201, answer.Body);
        return answer.Json.GetProperty("id").GetString()!;
    }

    public Task<HttpAnswer> GetCommitmentAsync(string id) => app.CallAsync("GET", $"/api/commitments/{id}", r => CommitmentFunctions.Get(r, id, default));

    /// <summary>POST /api/commitments/{id}/done, reopen or drop, without a body.</summary>
    public Task<HttpAnswer> CommitmentActionAsync(string id, string action) =>
        app.CallAsync("POST", $"/api/commitments/{id}/{action}", r => action switch
        {
            "done" => CommitmentFunctions.Done(r, id, default),
            "reopen" => CommitmentFunctions.Reopen(r, id, default),
            "drop" => CommitmentFunctions.Drop(r, id, default),
            _ => throw new ArgumentOutOfRangeException(nameof(action)),
        });

    public async Task<string> CreateIdAsync(object? body = null)
    {
        var answer = await CreateAsync(body);
        Assert.True(answer.Status == 201, answer.Body);
        return answer.Json.GetProperty("id").GetString()!;
    }

    /// <summary>Every entity in the app's tables, as "table/pk/rk@etag": equal snapshots mean nothing was stored or changed.</summary>
    public async Task<IReadOnlyList<string>> StorageSnapshotAsync()
    {
        var service = new TableServiceClient(Azurite.ConnectionString);
        var rows = new List<string>();
        foreach (var table in new[] { "meetings", "dueindex", "ledger", "erasures", "commitments", "audit", "digests" })
        {
            var client = service.GetTableClient(app.TablePrefix + table);
            try
            {
                await foreach (var e in client.QueryAsync<TableEntity>()) rows.Add($"{table}/{e.PartitionKey}/{e.RowKey}@{e.ETag}");
            }
            catch (Azure.RequestFailedException ex) when (ex.Status == 404)
            {
            }
        }
        rows.Sort(StringComparer.Ordinal);
        return rows;
    }
}
