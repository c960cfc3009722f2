using System.Text.Json;
using Summit.Functions.Commitments;

namespace Summit.Functions.Tests;

/// <summary>Issue 17: commitments over HTTP, on Azurite, through the functions as the host calls them.</summary>
public sealed class CommitmentsApiTests : AppTest
{
    private CommitmentsApi Commitments => App.Function<CommitmentsApi>();

    private static Dictionary<string, object?> Body(string dueDate = "2027-01-15", string track = "joint-economic-committee", string? meetingId = null) => new()
    {
        ["title"] = "Draft work programme of the JEC secretariat",
        ["track"] = track,
        ["meetingId"] = meetingId,
        ["owners"] = new object[]
        {
            new { name = "Lee Seo-yeon", email = "seoyeon@example.org", timeZone = "Asia/Seoul", language = "ko" },
            new { name = "Ayşe Yılmaz", email = "ayse@example.org", timeZone = "Europe/Istanbul", language = "tr" },
        },
        ["coordinator"] = new { name = "Kim Min-jun", email = "coordinator@example.org" },
        ["dueDate"] = dueDate,
        ["timeZone"] = "Asia/Seoul",
    };

    private Task<HttpAnswer> CreateAsync(object body, string? key = null) => App.CallAsync("POST", "/api/commitments", r => Commitments.Create(r, default), body,
        headers: key is null ? null : new Dictionary<string, string> { ["Idempotency-Key"] = key });

    private Task<HttpAnswer> GetAsync(string id) => App.CallAsync("GET", $"/api/commitments/{id}", r => Commitments.Get(r, id, default));

    private Task<HttpAnswer> ListAsync(string query) => App.CallAsync("GET", "/api/commitments" + query, r => Commitments.List(r, default));

    private Task<HttpAnswer> PostAsync(string id, string action, object? body = null, string? ifMatch = null) =>
        App.CallAsync("POST", $"/api/commitments/{id}/{action}", r => action switch
        {
            "done" => Commitments.Done(r, id, default),
            "reopen" => Commitments.Reopen(r, id, default),
            _ => Commitments.Drop(r, id, default),
        }, body, headers: ifMatch is null ? null : new Dictionary<string, string> { ["If-Match"] = ifMatch });

    [Fact]
    public async Task ACommitmentIsRegisteredWithItsPlanChangedMarkedDoneReopenedAndDropped()
    {
        var meeting = await Api.CreateIdAsync();
        var created = await CreateAsync(Body(meetingId: meeting));
        Assert.True(created.Status == 201, created.Body);
        Assert.Equal("\"1\"", created.Header("ETag"));
        var c = created.Json;
        var id = c.GetProperty("id").GetString()!;
        Assert.Equal($"/api/commitments/{id}", created.Header("Location"));
        Assert.Equal("open", c.GetProperty("status").GetString());
        Assert.Equal(new DateTimeOffset(2027, 1, 15, 15, 0, 0, TimeSpan.Zero), c.GetProperty("dueUtc").GetDateTimeOffset()); // the end of the day in Seoul
        Assert.Equal(meeting, c.GetProperty("meetingId").GetString());
        // Each owner's three reminders, the coordinator's two rungs; every owner has an id, no email yet.
        var emails = c.GetProperty("emails").EnumerateArray().ToList();
        Assert.Equal(8, emails.Count);
        Assert.Equal(6, emails.Count(e => e.GetProperty("kind").GetString() == "reminder"));
        Assert.Equal(["PT0M", "P2D"], emails.Where(e => e.GetProperty("kind").GetString() == "escalation").Select(e => e.GetProperty("offset").GetString()));
        Assert.All(emails, e => Assert.Equal("pending", e.GetProperty("state").GetString()));
        Assert.All(c.GetProperty("owners").EnumerateArray(), o => Assert.StartsWith("p", o.GetProperty("id").GetString()));
        Assert.Equal(c.GetRawText(), (await GetAsync(id)).Json.GetRawText());

        // A new due date is a new plan.
        var update = await App.CallAsync("PUT", $"/api/commitments/{id}", r => Commitments.Update(r, id, default), Body("2027-01-22"),
            headers: new Dictionary<string, string> { ["If-Match"] = "\"1\"" });
        Assert.True(update.Status == 200, update.Body);
        Assert.Equal(2, update.Json.GetProperty("planVersion").GetInt32());
        Assert.Equal(new DateTimeOffset(2027, 1, 22, 15, 0, 0, TimeSpan.Zero), update.Json.GetProperty("dueUtc").GetDateTimeOffset());
        Assert.Equal(412, (await PostAsync(id, "done", ifMatch: "\"1\"")).Status);

        var done = await PostAsync(id, "done", new { note = "Circulated to both delegations", link = "https://jec.example.org/work-programme.pdf" }, "\"2\"");
        Assert.True(done.Status == 200, done.Body);
        Assert.Equal("done", done.Json.GetProperty("status").GetString());
        var completion = done.Json.GetProperty("completion");
        Assert.True(completion.GetProperty("onTime").GetBoolean());
        Assert.Equal("coordinator", completion.GetProperty("by").GetString());
        Assert.Equal("https://jec.example.org/work-programme.pdf", completion.GetProperty("link").GetString());
        Assert.All(done.Json.GetProperty("emails").EnumerateArray(), e => Assert.Equal("the commitment is done", e.GetProperty("reason").GetString()));
        Assert.Equal(409, (await PostAsync(id, "done")).Status);
        Assert.Equal(409, (await PostAsync(id, "drop")).Status);

        var reopened = await PostAsync(id, "reopen");
        Assert.Equal("open", reopened.Json.GetProperty("status").GetString());
        Assert.Equal(3, reopened.Json.GetProperty("planVersion").GetInt32());
        Assert.Equal(JsonValueKind.Null, reopened.Json.GetProperty("completion").ValueKind);

        var dropped = await PostAsync(id, "drop", new { reason = "Merged into the trade work programme" });
        Assert.Equal("dropped", dropped.Json.GetProperty("status").GetString());
        Assert.Equal("Merged into the trade work programme", dropped.Json.GetProperty("dropped").GetProperty("reason").GetString());
        Assert.Equal("\"5\"", dropped.Header("ETag"));
    }

    [Fact]
    public async Task TheListFiltersByTrackStatusAndDueMomentAndPages()
    {
        var jec = (await CreateAsync(Body("2027-01-15"))).Json.GetProperty("id").GetString()!;
        var sinop = (await CreateAsync(Body("2027-02-15", "nuclear-energy"))).Json.GetProperty("id").GetString()!;
        var later = (await CreateAsync(Body("2027-06-30"))).Json.GetProperty("id").GetString()!;
        Assert.Equal(200, (await PostAsync(later, "done")).Status);

        static IEnumerable<string> Ids(HttpAnswer a) => a.Json.GetProperty("items").EnumerateArray().Select(i => i.GetProperty("id").GetString()!).Order();
        Assert.Equal(new[] { jec, later }.Order(), Ids(await ListAsync("?track=joint-economic-committee")));
        Assert.Equal(new[] { jec, sinop }.Order(), Ids(await ListAsync("?status=open")));
        Assert.Equal([jec], Ids(await ListAsync("?dueBefore=2027-02-01")));
        var first = await ListAsync("?pageSize=2");
        Assert.Equal(2, first.Json.GetProperty("items").GetArrayLength());
        var token = first.Json.GetProperty("continuationToken").GetString();
        Assert.Single(Ids(await ListAsync($"?pageSize=2&continuationToken={token}")));
    }

    [Fact]
    public async Task AnIdempotencyKeyReplaysTheSameRegistrationAndRefusesAnotherBody()
    {
        var first = await CreateAsync(Body(), "jec-work-programme");
        var again = await CreateAsync(Body(), "jec-work-programme");
        Assert.Equal(201, again.Status);
        Assert.Equal("true", again.Header("Idempotent-Replayed"));
        Assert.Equal(first.Json.GetProperty("id").GetString(), again.Json.GetProperty("id").GetString());
        var before = await Api.StorageSnapshotAsync();
        Assert.Equal(422, (await CreateAsync(Body("2027-02-01"), "jec-work-programme")).Status);
        Assert.Equal(before, await Api.StorageSnapshotAsync());
        // The same key used for a meeting names a meeting: the two never share an id (nor a ledger partition).
        var meeting = await Api.CreateAsync(idempotencyKey: "jec-work-programme");
        Assert.Equal(201, meeting.Status);
        Assert.NotEqual(first.Json.GetProperty("id").GetString(), meeting.Json.GetProperty("id").GetString());
        Assert.Single((await ListAsync("")).Json.GetProperty("items").EnumerateArray());
    }

    [Fact]
    public async Task AMeetingThatDoesNotExistIsRefusedAndNothingIsStored()
    {
        var before = await Api.StorageSnapshotAsync();
        var answer = await CreateAsync(Body(meetingId: "m000000000000000000000000"));
        Assert.Equal(400, answer.Status);
        Assert.Contains("meetingId", answer.ErrorFields);
        Assert.Equal(before, await Api.StorageSnapshotAsync());
        Assert.Equal(404, (await GetAsync("c000000000000000000000000")).Status);
    }
}
