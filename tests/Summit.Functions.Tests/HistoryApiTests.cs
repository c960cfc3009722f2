using System.Diagnostics;
using System.Text.Json;
using Summit.Functions.History;

namespace Summit.Functions.Tests;

/// <summary>GET /api/meetings/{id}/history and /api/commitments/{id}/history on Azurite (issue 19).</summary>
public sealed class HistoryApiTests : AppTest
{
    private static readonly DateTimeOffset FirstDue = new(2026, 12, 3, 1, 0, 30, TimeSpan.Zero);

    private HistoryApi History => App.Function<HistoryApi>();

    private Task<HttpAnswer> MeetingHistoryAsync(string id, string query = "") =>
        App.CallAsync("GET", $"/api/meetings/{id}/history{query}", r => History.Meeting(r, id, default));

    private Task<HttpAnswer> CommitmentHistoryAsync(string id, string query = "") =>
        App.CallAsync("GET", $"/api/commitments/{id}/history{query}", r => History.Commitment(r, id, default));

    /// <summary>Runs a call inside a request trace of its own (as the Functions host starts one) and returns its trace id.</summary>
    private static async Task<(HttpAnswer Answer, string RequestId)> InRequestAsync(Func<Task<HttpAnswer>> call)
    {
        using var activity = new Activity("request").SetParentId(ActivityTraceId.CreateRandom(), ActivitySpanId.CreateRandom()).Start();
        return (await call(), activity.TraceId.ToHexString());
    }

    private static List<JsonElement> Entries(HttpAnswer answer) => [.. answer.Json.GetProperty("entries").EnumerateArray()];

    private static IEnumerable<string?> Values(JsonElement entry, string field) =>
        entry.GetProperty("changes").EnumerateArray().Where(c => c.GetProperty("field").GetString() == field)
            .SelectMany(c => new[] { c.GetProperty("old").GetString(), c.GetProperty("new").GetString() });

    [Fact]
    public async Task CreateUpdateCancelAreThreeEntriesInOrderWithTheirRequestIdsAndPages()
    {
        var (created, createId) = await InRequestAsync(() => Api.CreateAsync());
        var id = created.Json.GetProperty("id").GetString()!;
        App.Time.Advance(TimeSpan.FromMinutes(1));
        var (updated, updateId) = await InRequestAsync(() => Api.UpdateAsync(id, Api.Meeting(start: "2026-12-11T10:00", title: "JEC — trade data"), "\"1\""));
        Assert.Equal(200, updated.Status);
        App.Time.Advance(TimeSpan.FromMinutes(1));
        var (cancelled, cancelId) = await InRequestAsync(() => Api.CancelAsync(id));
        Assert.Equal(200, cancelled.Status);

        var answer = await MeetingHistoryAsync(id);
        Assert.Equal(200, answer.Status);
        Assert.False(answer.Json.GetProperty("erased").GetBoolean());
        var entries = Entries(answer);
        Assert.Equal(["created", "updated", "cancelled"], entries.Select(e => e.GetProperty("action").GetString()));
        Assert.Equal([createId, updateId, cancelId], entries.Select(e => e.GetProperty("requestId").GetString()));
        Assert.All(entries, e =>
        {
            Assert.Equal("key", e.GetProperty("actor").GetProperty("kind").GetString());
            Assert.Equal(TestIdentity.AutomationKeyName, e.GetProperty("actor").GetProperty("id").GetString());
            Assert.True(e.GetProperty("confirmed").GetBoolean());
        });
        Assert.Equal([TestApp.Start, TestApp.Start.AddMinutes(1), TestApp.Start.AddMinutes(2)], entries.Select(e => e.GetProperty("at").GetDateTimeOffset()));
        Assert.Equal(["2026-12-10T10:00 Asia/Seoul", "2026-12-11T10:00 Asia/Seoul"], Values(entries[1], "start"));
        Assert.Equal(["Joint Economic Committee — restart session", "JEC — trade data"], Values(entries[1], "title"));
        Assert.Equal(["scheduled", "cancelled"], Values(entries[2], "status"));

        var first = await MeetingHistoryAsync(id, "?pageSize=2");
        Assert.Equal(["created", "updated"], Entries(first).Select(e => e.GetProperty("action").GetString()));
        var token = first.Json.GetProperty("continuationToken").GetString();
        var second = await MeetingHistoryAsync(id, $"?pageSize=2&continuationToken={token}");
        Assert.Equal(["cancelled"], Entries(second).Select(e => e.GetProperty("action").GetString()));
        Assert.Equal(JsonValueKind.Null, second.Json.GetProperty("continuationToken").ValueKind);
    }

    [Fact]
    public async Task AParticipantsAcknowledgementThroughTheLinkAppearsWithTheParticipantLinkAsActor()
    {
        var id = await Api.CreateIdAsync();
        await App.RunTimersAsync(FirstDue);
        var link = App.SendGrid.Reminders.Last(m => m.To == "ayse@example.org").Link("/api/p/acknowledge");
        var (pressed, requestId) = await InRequestAsync(() => Api.FollowAsync(link));
        Assert.Equal(200, pressed.Status);

        var ayse = (await Api.GetAsync(id)).Json.GetProperty("participants").EnumerateArray()
            .Single(p => p.GetProperty("email").GetString() == "ayse@example.org").GetProperty("id").GetString();
        var ack = Entries(await MeetingHistoryAsync(id)).Last();
        Assert.Equal("acknowledged", ack.GetProperty("action").GetString());
        Assert.Equal("participant-link", ack.GetProperty("actor").GetProperty("kind").GetString());
        Assert.Equal(ayse, ack.GetProperty("actor").GetProperty("id").GetString());
        Assert.Equal(requestId, ack.GetProperty("requestId").GetString());
    }

    [Fact]
    public async Task AfterTheMeetingIsErasedItsHistoryKeepsWhatWasDoneWithMarkersForPersonalValues()
    {
        var id = await Api.CreateIdAsync();
        Assert.Equal(200, (await Api.CancelAsync(id)).Status);
        Assert.Equal(200, (await Api.DeleteAsync(id)).Status);
        Assert.Equal(410, (await Api.GetAsync(id)).Status);

        var answer = await MeetingHistoryAsync(id);
        Assert.Equal(200, answer.Status);
        Assert.True(answer.Json.GetProperty("erased").GetBoolean());
        var entries = Entries(answer);
        Assert.Equal(["created", "cancelled", "erased"], entries.Select(e => e.GetProperty("action").GetString()));
        Assert.All(Values(entries[0], "title").OfType<string>(), v => Assert.Equal("[erased]", v));
        Assert.All(Values(entries[0], "participants").OfType<string>(), v => Assert.Equal("[erased]", v));
        Assert.Contains("joint-economic-committee", Values(entries[0], "track"));
        Assert.DoesNotContain("example.org", answer.Body, StringComparison.Ordinal);
        Assert.DoesNotContain("Ayşe", answer.Body, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ACommitmentsHistoryShowsDoneAndUnknownIdsAre404()
    {
        var id = await Api.CreateCommitmentIdAsync();
        Assert.Equal(200, (await Api.CommitmentActionAsync(id, "done")).Status);
        var entries = Entries(await CommitmentHistoryAsync(id));
        Assert.Equal(["created", "done"], entries.Select(e => e.GetProperty("action").GetString()));
        Assert.Equal(["open", "done"], Values(entries[1], "status"));

        var missing = await CommitmentHistoryAsync("c000000000000000000000000");
        Assert.Equal(404, missing.Status);
        Assert.Equal(["id"], missing.ErrorFields);
        Assert.Equal(404, (await MeetingHistoryAsync("m000000000000000000000000")).Status);
    }

    [Theory]
    [InlineData("?pageSize=0", "pageSize")]
    [InlineData("?pageSize=201", "pageSize")]
    [InlineData("?continuationToken=nope", "continuationToken")]
    public async Task BadPagingIsA400NamingTheField(string query, string field)
    {
        var id = await Api.CreateIdAsync();
        var answer = await MeetingHistoryAsync(id, query);
        Assert.Equal(400, answer.Status);
        Assert.Equal([field], answer.ErrorFields);
    }
}
