using Summit.Functions.Commitments;
using Summit.Functions.Holidays;
using Summit.Functions.Operations;
using Summit.Functions.Participants;
using Summit.Functions.Webhooks;

namespace Summit.Functions.Tests;

/// <summary>
/// A full run of the API on Azurite, the AMQP broker and the SendGrid endpoint, each answer checked with JsonSchema.Net
/// against the schema GET /api/openapi.json declares for its path, method, status and content type, and every operation
/// of the document called at least once.
/// </summary>
public sealed class OpenApiEndToEndTests : AppTest
{
    private OpenApiContract _contract = null!;
    private readonly HashSet<string> _called = new(StringComparer.Ordinal);
    private readonly List<string> _answers = [];

    private async Task<HttpAnswer> Check(string method, string path, Task<HttpAnswer> call, int expectedStatus)
    {
        var answer = await call;
        Assert.True(answer.Status == expectedStatus, $"{method} {path}: expected {expectedStatus}, got {answer.Status}: {answer.Body}");
        _contract.AssertDescribes(method, path, answer);
        _called.Add($"{method} {path}");
        _answers.Add($"{method} {path} {answer.Status}");
        return answer;
    }

    private static Dictionary<string, string> IfMatch(string etag) => new() { ["If-Match"] = etag };

    [Fact]
    public async Task EveryAnswerOfAFullRunMatchesTheSchemaTheDocumentDeclaresForIt()
    {
        // The document, as a client fetches it (anonymous).
        var served = await App.CallAsync("GET", "/api/openapi.json", r => Task.FromResult(App.Function<OpenApi.OpenApiDocumentApi>().Get(r)));
        _contract = new OpenApiContract(served.Body);
        await Check("GET", "/api/openapi.json", Task.FromResult(served), 200);

        // Meetings: register, replay, read, list, change, conflicts, problems.
        var created = await Check("POST", "/api/meetings", Api.CreateAsync(Api.Meeting(), idempotencyKey: "openapi-run-1"), 201);
        var id = created.Json.GetProperty("id").GetString()!;
        await Check("POST", "/api/meetings", Api.CreateAsync(Api.Meeting(), idempotencyKey: "openapi-run-1"), 201);
        await Check("POST", "/api/meetings", Api.CreateAsync(Api.Meeting(title: "Another title"), idempotencyKey: "openapi-run-1"), 422);
        await Check("POST", "/api/meetings", Api.CreateAsync(new { title = "", track = "space" }), 400);
        await Check("POST", "/api/meetings", Api.CreateAsync(rawBody: "{ \"title\": "), 400);
        await Check("POST", "/api/meetings", Api.CreateAsync(rawBody: "{ \"title\": 5 }"), 400);
        await Check("POST", "/api/meetings", Api.CreateAsync(rawBody: "title=x", contentType: "text/plain"), 415);
        await App.SendInvitationsAsync(); // the invitations are sent: the meeting now has notices and delivery states
        await Check("GET", "/api/meetings/{id}", Api.GetAsync(id), 200);
        await Check("GET", "/api/meetings/{id}", Api.GetAsync("m000000000000000000000000"), 404);
        await Check("GET", "/api/meetings", Api.ListAsync("?track=joint-economic-committee&pageSize=10"), 200);
        await Check("GET", "/api/meetings", Api.ListAsync("?status=late&pageSize=0"), 400);
        await Check("PUT", "/api/meetings/{id}", Api.UpdateAsync(id, Api.Meeting(start: "2026-12-10T14:00"), "\"1\""), 200);
        await Check("PUT", "/api/meetings/{id}", Api.UpdateAsync(id, Api.Meeting(start: "2026-12-10T15:00"), "\"1\""), 412);
        await Check("PUT", "/api/meetings/{id}", Api.UpdateAsync(id, Api.Meeting(), null), 428);
        await Check("PUT", "/api/meetings/{id}", Api.UpdateAsync(id, Api.With(Api.Meeting(), new Dictionary<string, object?> { ["reminderOffsets"] = new[] { "PT1M" } }), "*"), 400);

        // The participant's links from the invitation: the page, the button, a tampered token.
        var link = App.SendGrid.Accepted.Last(m => m.To == "ayse@example.org").Link("/api/p/acknowledge");
        var uri = new Uri(link);
        await Check("GET", "/api/p/{action}", App.CallAsync("GET", uri.PathAndQuery, r => App.Function<ParticipantLinksApi>().Show(r, "acknowledge", default)), 200);
        await Check("GET", "/api/p/{action}", App.CallAsync("GET", "/api/p/acknowledge?token=v1.x.y.z", r => App.Function<ParticipantLinksApi>().Show(r, "acknowledge", default)), 400);
        await Check("POST", "/api/p/{action}", Api.FollowAsync(link), 200);
        await Check("POST", "/api/p/{action}", App.CallAsync("POST", "/api/p/progress?token=x", r => App.Function<ParticipantLinksApi>().Confirm(r, "progress", default)), 405);
        await Check("POST", "/api/p/{action}", App.CallAsync("POST", "/api/p/acknowledge", r => App.Function<ParticipantLinksApi>().Confirm(r, "acknowledge", default),
            rawBody: string.Join("&", Enumerable.Range(0, 11).Select(i => $"f{i}=x")), contentType: "application/x-www-form-urlencoded"), 400);

        // Cancel, then what a cancelled meeting refuses; erase another meeting and read it.
        await Check("POST", "/api/meetings/{id}/cancel", Api.CancelAsync(id, "\"2\""), 200);
        await Check("POST", "/api/meetings/{id}/complete", Api.CompleteAsync(id), 409);
        await Check("POST", "/api/meetings/{id}/cancel", Api.CancelAsync(id, "\"1\""), 412);
        var other = await Api.CreateIdAsync(Api.Meeting(title: "Infrastructure working group"));
        await Check("POST", "/api/meetings/{id}/complete", Api.CompleteAsync(other), 200);
        await Check("DELETE", "/api/meetings/{id}", Api.DeleteAsync(other, ifMatch: null), 428);
        await Check("DELETE", "/api/meetings/{id}", Api.DeleteAsync(other), 200);
        await Check("GET", "/api/meetings/{id}", Api.GetAsync(other), 410);
        await Check("DELETE", "/api/meetings/{id}", Api.DeleteAsync(other), 410);

        // Commitments.
        var commitments = App.Function<CommitmentsApi>();
        var created2 = await Check("POST", "/api/commitments", App.CallAsync("POST", "/api/commitments", r => commitments.Create(r, default), Api.Commitment()), 201);
        var cid = created2.Json.GetProperty("id").GetString()!;
        await Check("POST", "/api/commitments", App.CallAsync("POST", "/api/commitments", r => commitments.Create(r, default), Api.Commitment(dueDate: "2020-01-01")), 400);
        await Check("GET", "/api/commitments/{id}", Api.GetCommitmentAsync(cid), 200);
        await Check("GET", "/api/commitments/{id}", Api.GetCommitmentAsync("c000000000000000000000000"), 404);
        await Check("GET", "/api/commitments", App.CallAsync("GET", "/api/commitments?track=nuclear-energy&status=open", r => commitments.List(r, default)), 200);
        await Check("GET", "/api/commitments", App.CallAsync("GET", "/api/commitments?dueBefore=soon", r => commitments.List(r, default)), 400);
        await Check("PUT", "/api/commitments/{id}", App.CallAsync("PUT", $"/api/commitments/{cid}", r => commitments.Update(r, cid, default),
            Api.Commitment(dueDate: "2027-01-22"), headers: IfMatch("\"1\"")), 200);
        await Check("PUT", "/api/commitments/{id}", App.CallAsync("PUT", $"/api/commitments/{cid}", r => commitments.Update(r, cid, default),
            Api.Commitment(), headers: IfMatch("\"1\"")), 412);
        await Check("POST", "/api/commitments/{id}/done", App.CallAsync("POST", $"/api/commitments/{cid}/done", r => commitments.Done(r, cid, default),
            new { note = "Shared in the committee's folder.", link = "https://files.example.org/sinop/data-package" }), 200);
        await Check("POST", "/api/commitments/{id}/done", Api.CommitmentActionAsync(cid, "done"), 409);
        await Check("POST", "/api/commitments/{id}/drop", Api.CommitmentActionAsync(cid, "drop"), 409);
        await Check("POST", "/api/commitments/{id}/reopen", Api.CommitmentActionAsync(cid, "reopen"), 200);
        await Check("POST", "/api/commitments/{id}/drop", App.CallAsync("POST", $"/api/commitments/{cid}/drop", r => commitments.Drop(r, cid, default),
            new { reason = "Superseded by the joint work programme." }), 200);
        await Check("POST", "/api/commitments/{id}/reopen", Api.CommitmentActionAsync("c000000000000000000000000", "reopen"), 404);

        // Histories: the meeting's (changed, cancelled) and the commitment's.
        var history = App.Function<Summit.Functions.History.HistoryApi>();
        await Check("GET", "/api/meetings/{id}/history", App.CallAsync("GET", $"/api/meetings/{id}/history?pageSize=2", r => history.Meeting(r, id, default)), 200);
        await Check("GET", "/api/meetings/{id}/history", App.CallAsync("GET", $"/api/meetings/{id}/history?pageSize=0", r => history.Meeting(r, id, default)), 400);
        await Check("GET", "/api/meetings/{id}/history", App.CallAsync("GET", "/api/meetings/m000000000000000000000000/history", r => history.Meeting(r, "m000000000000000000000000", default)), 404);
        await Check("GET", "/api/commitments/{id}/history", App.CallAsync("GET", $"/api/commitments/{cid}/history", r => history.Commitment(r, cid, default)), 200);
        await Check("GET", "/api/commitments/{id}/history", App.CallAsync("GET", "/api/commitments/c000000000000000000000000/history", r => history.Commitment(r, "c000000000000000000000000", default)), 404);

        // Reference data and progress.
        await Check("GET", "/api/tracks", Api.TracksAsync(), 200);
        await Check("GET", "/api/me", App.CallAsync("GET", "/api/me", r => App.Function<Identity.MeApi>().Get(r),
            headers: new Dictionary<string, string> { ["Authorization"] = "Bearer " + TestIdentity.Token("Kim Min-jun", ["coordinator.nuclear-energy"], App.Time.GetUtcNow()) }), 200);
        await Check("GET", "/api/me", App.CallAsync("GET", "/api/me", r => App.Function<Identity.MeApi>().Get(r),
            headers: new Dictionary<string, string> { [TestApp.Anonymous] = "" }), 401);
        var digest = App.Function<Identity.DigestApi>();
        await Check("GET", "/api/me/digest", App.CallAsync("GET", "/api/me/digest", r => digest.Get(r, default)), 404);
        await Check("PUT", "/api/me/digest", App.CallAsync("PUT", "/api/me/digest", r => digest.Put(r, default),
            new { email = "minjun.kim@example.org", language = "ko", timeZone = "Asia/Seoul" }), 200);
        await Check("PUT", "/api/me/digest", App.CallAsync("PUT", "/api/me/digest", r => digest.Put(r, default),
            new { email = "minjun.kim@example.org", language = "fr", timeZone = "Asia/Seoul" }), 400);
        await Check("GET", "/api/me/digest", App.CallAsync("GET", "/api/me/digest", r => digest.Get(r, default)), 200);
        await Check("DELETE", "/api/me/digest", App.CallAsync("DELETE", "/api/me/digest", r => digest.Delete(r, default)), 204);
        var progress = App.Function<ProgressApi>();
        await Check("GET", "/api/tracks/{id}/progress", App.CallAsync("GET", "/api/tracks/nuclear-energy/progress", r => progress.Get(r, "nuclear-energy", default)), 200);
        await Check("GET", "/api/tracks/{id}/progress", App.CallAsync("GET", "/api/tracks/space/progress", r => progress.Get(r, "space", default)), 404);
        await Check("GET", "/api/tracks/{id}/progress/page", App.CallAsync("GET", "/api/tracks/nuclear-energy/progress/page?lang=tr", r => progress.Page(r, "nuclear-energy", default)), 200);
        await Check("GET", "/api/tracks/{id}/progress/page", App.CallAsync("GET", "/api/tracks/space/progress/page", r => progress.Page(r, "space", default)), 404);
        var holidays = App.Function<HolidaysApi>();
        foreach (var country in new[] { "KR", "TR" })
            await Check("GET", "/api/calendar/holidays", App.CallAsync("GET", $"/api/calendar/holidays?country={country}&year=2027", r => holidays.List(r)), 200);
        await Check("GET", "/api/calendar/holidays", App.CallAsync("GET", "/api/calendar/holidays?country=Korea&year=2027", r => holidays.List(r)), 400);

        // Operations.
        await Check("GET", "/api/health", Api.HealthAsync(), 200);
        var deadLetters = App.Function<DeadLettersApi>();
        await Check("GET", "/api/admin/dead-letters", App.CallAsync("GET", "/api/admin/dead-letters?max=10", r => deadLetters.List(r, default)), 200);
        await Check("GET", "/api/admin/dead-letters", App.CallAsync("GET", "/api/admin/dead-letters?max=0", r => deadLetters.List(r, default)), 400);
        await Check("POST", "/api/admin/dead-letters/{id}/replay", App.CallAsync("POST", "/api/admin/dead-letters/unknown/replay", r => deadLetters.Replay(r, "unknown", default)), 404);
        await Check("POST", "/api/sendgrid/events", App.CallAsync("POST", "/api/sendgrid/events", r => App.Function<SendGridEventsApi>().Receive(r, default), rawBody: "[]"), 401);
        await Check("POST", "/api/admin/erasures", Api.ErasePersonAsync("ayse@example.org"), 200);
        await Check("POST", "/api/admin/erasures", Api.ErasePersonAsync("not an address"), 400);

        Assert.Equal(_contract.Operations(), _called.Order(StringComparer.Ordinal));
    }
}
