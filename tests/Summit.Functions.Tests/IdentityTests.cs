using System.Reflection;
using System.Text.Json;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Extensions.DependencyInjection;
using Summit.Functions.Commitments;
using Summit.Functions.History;
using Summit.Functions.Identity;
using Summit.Functions.Meetings;
using Summit.Functions.OpenApi;

namespace Summit.Functions.Tests;

/// <summary>
/// Coordinators as people: who may call at all (401), what their roles allow (403), that a refusal stores nothing, that
/// lists show only the caller's tracks, and that the history names the person. Tokens are shaped like Entra ID v2.0
/// access tokens and signed by <see cref="TestIdentity"/>'s key, which the app reads as the authority's metadata.
/// </summary>
public sealed class IdentityTests : AppTest
{
    private const string Nuclear = "nuclear-energy";
    private const string Defence = "defence-industry";

    private string TokenOf(string name, params string[] roles) => TestIdentity.Token(name, roles, App.Time.GetUtcNow());

    private static Dictionary<string, string> Bearer(string token) => new() { ["Authorization"] = "Bearer " + token };

    private Dictionary<string, string> As(string name, params string[] roles) => Bearer(TokenOf(name, roles));

    private MeetingsApi Meetings => App.Function<MeetingsApi>();

    private Task<HttpAnswer> CreateAs(Dictionary<string, string> who, string track) =>
        App.CallAsync("POST", "/api/meetings", r => Meetings.Create(r, default), Api.With(Api.Meeting(), new Dictionary<string, object?> { ["track"] = track }), headers: who);

    private Task<HttpAnswer> GetAs(Dictionary<string, string> who, string id) =>
        App.CallAsync("GET", $"/api/meetings/{id}", r => Meetings.Get(r, id, default), headers: who);

    private Task<HttpAnswer> ListAs(Dictionary<string, string> who, string query = "") =>
        App.CallAsync("GET", "/api/meetings" + query, r => Meetings.List(r, default), headers: who);

    private async Task<string> CreateWithKeyAsync(string track)
    {
        var answer = await CreateAs([], track);
        Assert.True(answer.Status == 201, answer.Body);
        return answer.Json.GetProperty("id").GetString()!;
    }

    private static void AssertProblem(HttpAnswer answer, int status, string field)
    {
        Assert.True(answer.Status == status, $"expected {status}, got {answer.Status}: {answer.Body}");
        Assert.StartsWith("application/problem+json", answer.Header("Content-Type"));
        Assert.Equal(field, Assert.Single(answer.ErrorFields));
    }

    [Fact]
    public async Task ACoordinatorCreatesOnTheirTrackAndIsRefusedAnotherWithNothingStored()
    {
        var kim = As("Kim Min-jun", "coordinator." + Nuclear);
        var created = await CreateAs(kim, Nuclear);
        Assert.Equal(201, created.Status);

        var before = await Api.StorageSnapshotAsync();
        var refused = await CreateAs(kim, Defence);
        AssertProblem(refused, 403, "track");
        Assert.Contains("coordinator." + Defence, refused.Json.GetProperty("errors")[0].GetProperty("message").GetString());
        Assert.Equal(before, await Api.StorageSnapshotAsync());
    }

    [Fact]
    public async Task AnotherTracksCoordinatorCanNeitherSeeNorChangeNorCancelNorEraseAMeeting()
    {
        var id = await CreateWithKeyAsync(Nuclear);
        var original = await Api.GetAsync(id);
        var before = await Api.StorageSnapshotAsync();
        var park = As("Park Ji-ho", "coordinator." + Defence);

        AssertProblem(await GetAs(park, id), 403, "track");
        AssertProblem(await App.CallAsync("PUT", $"/api/meetings/{id}", r => Meetings.Update(r, id, default), Api.Meeting(title: "Taken over"),
            headers: new Dictionary<string, string>(park) { ["If-Match"] = "*" }), 403, "track");
        AssertProblem(await App.CallAsync("POST", $"/api/meetings/{id}/cancel", r => Meetings.Cancel(r, id, default), headers: park), 403, "track");
        AssertProblem(await App.CallAsync("POST", $"/api/meetings/{id}/complete", r => Meetings.Complete(r, id, default), headers: park), 403, "track");
        AssertProblem(await App.CallAsync("DELETE", $"/api/meetings/{id}", r => Meetings.Delete(r, id, default),
            headers: new Dictionary<string, string>(park) { ["If-Match"] = "*" }), 403, "id");
        AssertProblem(await App.CallAsync("GET", $"/api/meetings/{id}/history", r => App.Function<HistoryApi>().Meeting(r, id, default), headers: park), 403, "track");

        Assert.Equal(before, await Api.StorageSnapshotAsync());
        Assert.Equal(original.Body, (await Api.GetAsync(id)).Body);
    }

    [Fact]
    public async Task MovingAMeetingToATrackTheCoordinatorDoesNotHoldIsRefused()
    {
        var kim = As("Kim Min-jun", "coordinator." + Nuclear);
        var id = (await CreateAs(kim, Nuclear)).Json.GetProperty("id").GetString()!;
        var before = await Api.StorageSnapshotAsync();
        var moved = await App.CallAsync("PUT", $"/api/meetings/{id}", r => Meetings.Update(r, id, default),
            Api.With(Api.Meeting(), new Dictionary<string, object?> { ["track"] = Defence }), headers: new Dictionary<string, string>(kim) { ["If-Match"] = "*" });
        AssertProblem(moved, 403, "track");
        Assert.Equal(before, await Api.StorageSnapshotAsync());

        var both = As("Kim Min-jun", "coordinator." + Nuclear, "coordinator." + Defence);
        var allowed = await App.CallAsync("PUT", $"/api/meetings/{id}", r => Meetings.Update(r, id, default),
            Api.With(Api.Meeting(), new Dictionary<string, object?> { ["track"] = Defence }), headers: new Dictionary<string, string>(both) { ["If-Match"] = "*" });
        Assert.Equal(200, allowed.Status);
        Assert.Equal(Defence, allowed.Json.GetProperty("track").GetString());
    }

    [Fact]
    public async Task ListsShowOnlyTheCallersTracksAndNamingAnotherTrackIsRefused()
    {
        var nuclear = await CreateWithKeyAsync(Nuclear);
        var defence = await CreateWithKeyAsync(Defence);
        var culture = await CreateWithKeyAsync("culture-humanitarian");

        static List<string> Ids(HttpAnswer answer) =>
            [.. answer.Json.GetProperty("items").EnumerateArray().Select(m => m.GetProperty("id").GetString()!)];

        var kim = As("Kim Min-jun", "coordinator." + Nuclear, "observer.culture-humanitarian");
        var mine = await ListAs(kim);
        Assert.Equal(200, mine.Status);
        Assert.Equal(new[] { culture, nuclear }.Order(), Ids(mine).Order());
        AssertProblem(await ListAs(kim, "?track=" + Defence), 403, "track");
        Assert.Equal([nuclear], Ids(await ListAs(kim, "?track=" + Nuclear)));

        var observer = await ListAs(As("Ayşe Demir", "observer"));
        Assert.Equal(new[] { culture, defence, nuclear }.Order(), Ids(observer).Order());

        // Commitments follow the same rule.
        var commitment = await Api.CreateCommitmentIdAsync(); // nuclear-energy
        var park = As("Park Ji-ho", "coordinator." + Defence);
        var commitments = await App.CallAsync("GET", "/api/commitments", r => App.Function<CommitmentsApi>().List(r, default), headers: park);
        Assert.Equal(200, commitments.Status);
        Assert.Empty(commitments.Json.GetProperty("items").EnumerateArray());
        AssertProblem(await App.CallAsync("GET", $"/api/commitments/{commitment}", r => App.Function<CommitmentsApi>().Get(r, commitment, default), headers: park), 403, "track");
        AssertProblem(await App.CallAsync("POST", $"/api/commitments/{commitment}/drop", r => App.Function<CommitmentsApi>().Drop(r, commitment, default),
            new { reason = "not ours" }, headers: park), 403, "track");
        AssertProblem(await App.CallAsync("GET", $"/api/tracks/{Nuclear}/progress", r => App.Function<ProgressApi>().Get(r, Nuclear, default), headers: park), 403, "id");
    }

    [Fact]
    public async Task ObserversReadButCannotChangeAndOperatorsOperateButCannotReadMeetings()
    {
        var id = await CreateWithKeyAsync(Nuclear);
        var observer = As("Ayşe Demir", "observer." + Nuclear);
        Assert.Equal(200, (await GetAs(observer, id)).Status);
        AssertProblem(await App.CallAsync("POST", $"/api/meetings/{id}/cancel", r => Meetings.Cancel(r, id, default), headers: observer), 403, "roles");
        AssertProblem(await App.CallAsync("POST", "/api/admin/erasures", r => App.Function<Operations.ErasuresApi>().Erase(r, default),
            new { email = "ayse@example.org" }, headers: observer), 403, "roles");

        var ops = As("Lee Ops", "operator");
        AssertProblem(await GetAs(ops, id), 403, "roles");
        var dead = await App.CallAsync("GET", "/api/admin/dead-letters", r => App.Function<Operations.DeadLettersApi>().List(r, default), headers: ops);
        Assert.Equal(200, dead.Status);
        var erasedPerson = await App.CallAsync("POST", "/api/admin/erasures", r => App.Function<Operations.ErasuresApi>().Erase(r, default),
            new { email = "nobody-here@example.org" }, headers: ops);
        Assert.Equal(200, erasedPerson.Status);
        // An operator erases a meeting of any track (a data-subject request), which its coordinators may do too.
        var erased = await App.CallAsync("DELETE", $"/api/meetings/{id}", r => Meetings.Delete(r, id, default),
            headers: new Dictionary<string, string>(ops) { ["If-Match"] = "*" });
        Assert.Equal(200, erased.Status);
    }

    [Fact]
    public async Task CredentialsThatDoNotHoldAre401WithWhatToDo()
    {
        var id = await CreateWithKeyAsync(Nuclear);
        var now = App.Time.GetUtcNow();
        var before = await Api.StorageSnapshotAsync();
        string[] roles = ["coordinator." + Nuclear];

        var none = await App.CallAsync("GET", $"/api/meetings/{id}", r => Meetings.Get(r, id, default), headers: new Dictionary<string, string> { [TestApp.Anonymous] = "" });
        AssertProblem(none, 401, "Authorization");
        Assert.StartsWith("Bearer realm=", none.Header("WWW-Authenticate"));

        foreach (var (token, why) in new[]
        {
            (TestIdentity.Token("Kim Min-jun", roles, now - TimeSpan.FromHours(3)), "expired"),
            (TestIdentity.Token("Kim Min-jun", roles, now, audience: "api://someone-else"), "another application"),
            (TestIdentity.Token("Kim Min-jun", roles, now, issuer: "https://login.test.example/another-tenant/v2.0"), "another issuer"),
            (TestIdentity.Token("Kim Min-jun", roles, now, foreignKey: true), "signature"),
            ("not-a-token", "not a token"),
        })
        {
            var answer = await GetAs(Bearer(token), id);
            AssertProblem(answer, 401, "Authorization");
            Assert.Contains(why, answer.Json.GetProperty("errors")[0].GetProperty("message").GetString());
            Assert.Contains("error=\"invalid_token\"", answer.Header("WWW-Authenticate"));
        }
        // A token with no role we know is a person we know nothing about: 403, not 401.
        AssertProblem(await GetAs(As("Kim Min-jun", "coordinator.unknown-track", "admin"), id), 403, "roles");

        AssertProblem(await App.CallAsync("GET", $"/api/meetings/{id}", r => Meetings.Get(r, id, default), headers: new Dictionary<string, string> { ["x-functions-key"] = "wrong" }), 401, "x-functions-key");
        Assert.Equal(before, await Api.StorageSnapshotAsync());
    }

    [Fact]
    public async Task TheHistoryNamesThePersonAndTheKey()
    {
        var kim = As("Kim Min-jun", "coordinator." + Nuclear);
        var id = (await CreateAs(kim, Nuclear)).Json.GetProperty("id").GetString()!;
        Assert.Equal(200, (await Api.CancelAsync(id)).Status); // with the automation key

        var history = await App.CallAsync("GET", $"/api/meetings/{id}/history", r => App.Function<HistoryApi>().Meeting(r, id, default), headers: kim);
        var actors = history.Json.GetProperty("entries").EnumerateArray().Select(e => e.GetProperty("actor")).ToList();
        Assert.Equal(2, actors.Count);
        Assert.Equal("user", actors[0].GetProperty("kind").GetString());
        Assert.Equal(TestIdentity.ObjectId("Kim Min-jun"), actors[0].GetProperty("id").GetString());
        Assert.Equal("Kim Min-jun", actors[0].GetProperty("name").GetString());
        Assert.Equal("key", actors[1].GetProperty("kind").GetString());
        Assert.Equal(TestIdentity.AutomationKeyName, actors[1].GetProperty("id").GetString());
    }

    [Fact]
    public async Task ACommitmentsReplayAndALinkToAnotherTracksMeetingRevealNothing()
    {
        var kim = As("Kim Min-jun", "coordinator." + Nuclear);
        var both = As("Han Both", "coordinator." + Nuclear, "coordinator." + Defence);
        var body = Api.Commitment();
        var headers = new Dictionary<string, string>(kim) { ["Idempotency-Key"] = "replay-after-a-move" };
        var created = await App.CallAsync("POST", "/api/commitments", r => App.Function<CommitmentsApi>().Create(r, default), body, headers: headers);
        Assert.Equal(201, created.Status);
        var id = created.Json.GetProperty("id").GetString()!;
        var moved = Api.Commitment();
        moved["track"] = Defence;
        moved["title"] = "Defence deliverable";
        Assert.Equal(200, (await App.CallAsync("PUT", $"/api/commitments/{id}", r => App.Function<CommitmentsApi>().Update(r, id, default), moved,
            headers: new Dictionary<string, string>(both) { ["If-Match"] = "*" })).Status);

        var replay = await App.CallAsync("POST", "/api/commitments", r => App.Function<CommitmentsApi>().Create(r, default), body, headers: headers);
        AssertProblem(replay, 403, "track");
        Assert.DoesNotContain("Defence deliverable", replay.Body);

        // A defence meeting's id, given by a nuclear coordinator, is answered like an unknown one.
        var defenceMeeting = await CreateWithKeyAsync(Defence);
        var linked = Api.Commitment();
        linked["meetingId"] = defenceMeeting;
        var refused = await App.CallAsync("POST", "/api/commitments", r => App.Function<CommitmentsApi>().Create(r, default), linked, headers: kim);
        AssertProblem(refused, 400, "meetingId");
        Assert.Contains("names no meeting", refused.Body);
    }

    [Fact]
    public async Task AnObserverOfOneTracksProgressPageChartsThatTrackOnly()
    {
        await Api.CreateCommitmentIdAsync(); // nuclear-energy
        var page = await App.CallAsync("GET", $"/api/tracks/{Nuclear}/progress/page?lang=en", r => App.Function<ProgressApi>().Page(r, Nuclear, default),
            headers: As("Ayşe Demir", "observer." + Nuclear));
        Assert.Equal(200, page.Status);
        Assert.Contains("Nuclear energy", page.Body);
        Assert.DoesNotContain("Defence industry", page.Body);
        var everything = await App.CallAsync("GET", $"/api/tracks/{Nuclear}/progress/page?lang=en", r => App.Function<ProgressApi>().Page(r, Nuclear, default));
        Assert.Contains("Defence industry", everything.Body);
    }

    [Fact]
    public async Task AnIdTokenIsNotAnAccessToken()
    {
        var id = await CreateWithKeyAsync(Nuclear);
        var idToken = TestIdentity.Token("Kim Min-jun", ["coordinator." + Nuclear], App.Time.GetUtcNow(), idToken: true);
        var answer = await GetAs(Bearer(idToken), id);
        AssertProblem(answer, 401, "Authorization");
        Assert.Contains("azp", answer.Body);
    }

    [Fact]
    public async Task SomeoneWithoutRolesCanStillSeeAndStopTheirDigest()
    {
        var digest = App.Function<DigestApi>();
        var kim = As("Kim Min-jun", "coordinator." + Nuclear);
        Assert.Equal(200, (await App.CallAsync("PUT", "/api/me/digest", r => digest.Put(r, default),
            new { email = "minjun.kim@example.org", language = "ko", timeZone = "Asia/Seoul" }, headers: kim)).Status);
        var kimWithoutRoles = As("Kim Min-jun");
        var seen = await App.CallAsync("GET", "/api/me/digest", r => digest.Get(r, default), headers: kimWithoutRoles);
        Assert.Equal(200, seen.Status);
        Assert.Equal(App.Time.GetUtcNow() + TimeSpan.FromDays(35), seen.Json.GetProperty("renewBy").GetDateTimeOffset());
        Assert.Equal(204, (await App.CallAsync("DELETE", "/api/me/digest", r => digest.Delete(r, default), headers: kimWithoutRoles)).Status);
        // Opting in again needs a role that sees a track.
        AssertProblem(await App.CallAsync("PUT", "/api/me/digest", r => digest.Put(r, default),
            new { email = "minjun.kim@example.org", language = "ko", timeZone = "Asia/Seoul" }, headers: kimWithoutRoles), 403, "roles");
    }

    [Fact]
    public async Task MeSaysWhoTheCallerIsAndWhichTracksTheyMaySeeAndChange()
    {
        var me = await App.CallAsync("GET", "/api/me", r => App.Function<MeApi>().Get(r),
            headers: As("Kim Min-jun", "Coordinator.Nuclear-Energy", "observer.culture-humanitarian", "something-else"));
        Assert.Equal(200, me.Status);
        Assert.Equal("Kim Min-jun", me.Json.GetProperty("actor").GetProperty("name").GetString());
        Assert.Equal(["coordinator.nuclear-energy", "observer.culture-humanitarian"], me.Json.GetProperty("roles").EnumerateArray().Select(r => r.GetString()));
        Assert.False(me.Json.GetProperty("canOperate").GetBoolean());
        var tracks = me.Json.GetProperty("tracks").EnumerateArray().ToDictionary(t => t.GetProperty("id").GetString()!, t => t.GetProperty("canChange").GetBoolean());
        Assert.Equal(new Dictionary<string, bool> { [Nuclear] = true, ["culture-humanitarian"] = false }, tracks);
    }

    [Fact]
    public async Task MyDigestCoversTheTracksMyRolesLetMeSeeAndIsMineAlone()
    {
        var digest = App.Function<DigestApi>();
        var kim = As("Kim Min-jun", "coordinator." + Nuclear, "observer.culture-humanitarian");
        var put = await App.CallAsync("PUT", "/api/me/digest", r => digest.Put(r, default),
            new { email = "minjun.kim@example.org", name = "Kim Min-jun", language = "ko", timeZone = "Asia/Seoul" }, headers: kim);
        Assert.Equal(200, put.Status);
        Assert.Equal(new[] { Nuclear, "culture-humanitarian" }, put.Json.GetProperty("tracks").EnumerateArray().Select(t => t.GetString()));
        // 08:00 in Seoul after the app's clock (27 November 2026, 09:00 UTC = 18:00 in Seoul): the next morning.
        Assert.Equal(new DateTimeOffset(2026, 11, 27, 23, 0, 0, TimeSpan.Zero), put.Json.GetProperty("nextDigestAt").GetDateTimeOffset());

        // Someone else has none of their own; the automation key's digest covers every track.
        Assert.Equal(404, (await App.CallAsync("GET", "/api/me/digest", r => digest.Get(r, default), headers: As("Park Ji-ho", "coordinator." + Defence))).Status);
        var key = await App.CallAsync("PUT", "/api/me/digest", r => digest.Put(r, default), new { email = "ops@example.org", language = "en", timeZone = "Europe/Istanbul" });
        Assert.Equal(JsonValueKind.Null, key.Json.GetProperty("tracks").ValueKind);
        Assert.Equal("minjun.kim@example.org", (await App.CallAsync("GET", "/api/me/digest", r => digest.Get(r, default), headers: kim)).Json.GetProperty("email").GetString());

        Assert.Equal(204, (await App.CallAsync("DELETE", "/api/me/digest", r => digest.Delete(r, default), headers: kim)).Status);
        Assert.Equal(404, (await App.CallAsync("GET", "/api/me/digest", r => digest.Get(r, default), headers: kim)).Status);
        // An operator sees no track, so has no digest to ask for.
        AssertProblem(await App.CallAsync("PUT", "/api/me/digest", r => digest.Put(r, default),
            new { email = "ops@example.org", language = "en", timeZone = "Europe/Istanbul" }, headers: As("Lee Ops", "operator")), 403, "roles");
    }

    /// <summary>
    /// Every HTTP function, called the way the host calls it: without credentials it answers 401 unless it is anonymous;
    /// an observer is refused every function that changes or operates, a coordinator every operator function. This proves
    /// that what each function declares (<see cref="NeedsAttribute"/>, read by the OpenAPI document) is what it enforces.
    /// </summary>
    [Fact]
    public async Task EveryFunctionEnforcesWhatItDeclares()
    {
        var observer = TokenOf("Ayşe Demir", "observer");
        var coordinator = TokenOf("Kim Min-jun", "coordinator.*");
        var functions = ApiDocument.HttpFunctions();
        Assert.NotEmpty(functions);
        foreach (var function in functions)
        {
            var anonymous = await InvokeAsync(function, new() { [TestApp.Anonymous] = "" });
            // An anonymous function may refuse for its own reasons (SendGrid's signature), never for want of sign-in.
            if (function.Need == Need.Anonymous)
                Assert.False(anonymous.Header("WWW-Authenticate") is not null || anonymous.Body.Contains("\"Authorization\"", StringComparison.Ordinal),
                    $"{function.Name} is anonymous but asked for sign-in: {anonymous.Body}");
            else Assert.True(anonymous.Status == 401, $"{function.Name} needs {function.Need} but answered {anonymous.Status} without credentials");

            var asObserver = await InvokeAsync(function, Bearer(observer));
            if (function.Need is Need.Change or Need.Operate)
                Assert.True(asObserver.Status == 403, $"{function.Name} needs {function.Need} but an observer got {asObserver.Status}");
            var asCoordinator = await InvokeAsync(function, Bearer(coordinator));
            if (function.Need is Need.Operate)
                Assert.True(asCoordinator.Status == 403, $"{function.Name} needs {function.Need} but a coordinator got {asCoordinator.Status}");
            else if (function.Need is not Need.Anonymous)
                Assert.True(asCoordinator.Status is not (401 or 403), $"{function.Name} needs {function.Need} but a coordinator of every track got {asCoordinator.Status}");
        }
    }

    private Task<HttpAnswer> InvokeAsync(ApiDocument.HttpFunction function, Dictionary<string, string> headers)
    {
        var method = typeof(ApiDocument).Assembly.GetTypes()
            .SelectMany(t => t.GetMethods(BindingFlags.Public | BindingFlags.Instance | BindingFlags.DeclaredOnly))
            .Single(m => m.GetCustomAttribute<Microsoft.Azure.Functions.Worker.FunctionAttribute>()?.Name == function.Name);
        var path = "/" + System.Text.RegularExpressions.Regex.Replace(function.Route, @"\{[^}]+\}", "m000000000000000000000000");
        return App.CallAsync(function.Methods[0].ToUpperInvariant(), path, async request =>
        {
            var target = ActivatorUtilities.CreateInstance(App.Services, method.DeclaringType!);
            var arguments = method.GetParameters().Select(p => p.ParameterType switch
            {
                var t when t == typeof(HttpRequest) => request,
                var t when t == typeof(CancellationToken) => (object)CancellationToken.None,
                var t when t == typeof(string) => "m000000000000000000000000",
                var t => throw new InvalidOperationException($"{function.Name} takes a {t.Name}; teach this test to make one."),
            }).ToArray();
            return method.Invoke(target, arguments) switch
            {
                Task<IActionResult> task => await task,
                IActionResult result => result,
                var other => throw new InvalidOperationException($"{function.Name} returned {other?.GetType().Name}."),
            };
        }, rawBody: "{}", headers: headers);
    }
}

/// <summary>When Entra ID's keys cannot be read, a signed-in person's token cannot be checked: a 503 to retry, not a 401
/// that would sign them out, and automation keys still work.</summary>
public sealed class SignInAuthorityOutageTests : AppTest
{
    protected override void Decorate(IServiceCollection services) => services.AddSingleton<OpenIdMetadata>(new Unreachable());

    private sealed class Unreachable() : OpenIdMetadata(new Microsoft.IdentityModel.Protocols.OpenIdConnect.OpenIdConnectConfiguration())
    {
        public override Task<Microsoft.IdentityModel.Protocols.OpenIdConnect.OpenIdConnectConfiguration> GetAsync(bool refresh, CancellationToken cancellationToken) =>
            throw new InvalidOperationException("IDX20803: Unable to obtain configuration");
    }

    [Fact]
    public async Task ATokenIsA503WithRetryAfterAndAKeyStillWorks()
    {
        var token = TestIdentity.Token("Kim Min-jun", ["coordinator.nuclear-energy"], App.Time.GetUtcNow());
        var answer = await App.CallAsync("GET", "/api/meetings", r => App.Function<MeetingsApi>().List(r, default),
            headers: new Dictionary<string, string> { ["Authorization"] = "Bearer " + token });
        Assert.Equal(503, answer.Status);
        Assert.Equal("30", answer.Header("Retry-After"));
        Assert.Contains("Entra ID", answer.Body);
        Assert.Equal(200, (await Api.ListAsync()).Status);
    }
}
