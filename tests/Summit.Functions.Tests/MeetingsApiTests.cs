using Microsoft.Azure.Functions.Worker;
using System.Text.Json;

namespace Summit.Functions.Tests;

public sealed class MeetingsApiTests : AppTest
{
    [Fact]
    public async Task CreateReturns201WithLocationETagAndThePlannedReminders()
    {
        var answer = await Api.CreateAsync();

        Assert.Equal(201, answer.Status);
        var id = answer.Json.GetProperty("id").GetString();
        Assert.Equal($"/api/meetings/{id}", answer.Header("Location"));
        Assert.Equal("\"1\"", answer.Header("ETag"));
        Assert.Equal("2026-12-10T01:00:00+00:00", answer.Json.GetProperty("startUtc").GetString());
        Assert.Equal("scheduled", answer.Json.GetProperty("status").GetString());
        var reminders = answer.Json.GetProperty("reminders").EnumerateArray().ToList();
        Assert.Equal(6, reminders.Count); // 3 default offsets × 2 participants
        Assert.All(reminders, r => Assert.Equal("pending", r.GetProperty("state").GetString()));
        Assert.Contains(reminders, r => r.GetProperty("offset").GetString() == "P7D" && r.GetProperty("dueAt").GetString() == "2026-12-03T01:00:00+00:00");
    }

    [Fact]
    public async Task GetReturnsTheMeetingWithETagAnd404ForUnknownIds()
    {
        var id = await Api.CreateIdAsync();

        var found = await Api.GetAsync(id);
        Assert.Equal(200, found.Status);
        Assert.Equal("\"1\"", found.Header("ETag"));
        Assert.Equal(2, found.Json.GetProperty("participants").GetArrayLength());

        var missing = await Api.GetAsync("m000000000000000000000000");
        Assert.Equal(404, missing.Status);
        Assert.Equal("application/problem+json", missing.Header("Content-Type")?.Split(';')[0]);
        Assert.Equal(["id"], missing.ErrorFields);
    }

    [Fact]
    public async Task SameIdempotencyKeyAndBodyReturnsTheSame201AndStoresNothingNew()
    {
        var first = await Api.CreateAsync(idempotencyKey: "jec-2026-12-10");
        var before = await Api.StorageSnapshotAsync();
        var again = await Api.CreateAsync(idempotencyKey: "jec-2026-12-10");

        Assert.Equal(201, again.Status);
        Assert.Equal(first.Json.GetProperty("id").GetString(), again.Json.GetProperty("id").GetString());
        Assert.Equal("true", again.Header("Idempotent-Replayed"));
        Assert.Equal(before, await Api.StorageSnapshotAsync());
    }

    [Fact]
    public async Task SameIdempotencyKeyWithAnotherBodyIs422AndChangesNothing()
    {
        await Api.CreateAsync(idempotencyKey: "key-1");
        var before = await Api.StorageSnapshotAsync();

        var answer = await Api.CreateAsync(Api.Meeting(title: "Another title"), idempotencyKey: "key-1");

        Assert.Equal(422, answer.Status);
        Assert.Equal(["Idempotency-Key"], answer.ErrorFields);
        Assert.Equal(before, await Api.StorageSnapshotAsync());
    }

    [Fact]
    public async Task InvalidInputIs400NamingEachFieldAndStoresNothing()
    {
        var before = await Api.StorageSnapshotAsync();
        var answer = await Api.CreateAsync(new
        {
            title = "Bad\r\nBcc: x@example.org",
            track = "space",
            start = "2026-12-10T10:00",
            timeZone = "Europe/Istambul",
            coordinator = new { name = "C", email = "c@example.org" },
            participants = new[] { new { name = "A", email = "not-an-email" } },
            reminderOffsets = new[] { "PT1M" },
        });

        Assert.Equal(400, answer.Status);
        Assert.Equal("https://summit-followups.example/problems/validation-error", answer.Json.GetProperty("type").GetString());
        Assert.Equivalent(new[] { "title", "track", "timeZone", "participants[0].email", "reminderOffsets[0]" }, answer.ErrorFields);
        Assert.Equal(before, await Api.StorageSnapshotAsync());
    }

    [Theory]
    [InlineData("""{"title":"x","unexpected":1}""", "unexpected", 400)]
    [InlineData("""{"title": 5}""", "title", 400)]
    [InlineData("""{"participants": {}}""", "participants", 400)]
    [InlineData("""{"title": "a", "title": "b"}""", "title", 400)]
    [InlineData("""{"title": """, "body", 400)]
    [InlineData("null", "body", 400)]
    public async Task MalformedJsonIs400NamingTheField(string body, string field, int status)
    {
        var before = await Api.StorageSnapshotAsync();
        var answer = await Api.CreateAsync(rawBody: body);
        Assert.Equal(status, answer.Status);
        Assert.Contains(field, answer.ErrorFields);
        Assert.Equal(before, await Api.StorageSnapshotAsync());
    }

    [Fact]
    public async Task WrongContentTypeIs415()
    {
        var answer = await Api.CreateAsync(rawBody: "title=x", contentType: "application/x-www-form-urlencoded");
        Assert.Equal(415, answer.Status);
        Assert.Equal(["Content-Type"], answer.ErrorFields);
    }

    [Fact]
    public async Task ABodyOver256KbIs413()
    {
        var answer = await Api.CreateAsync(rawBody: "{\"agenda\":\"" + new string('a', 2 * 1024 * 1024) + "\"}");
        Assert.Equal(413, answer.Status);
        Assert.Equal(["body"], answer.ErrorFields);
    }

    [Fact]
    public async Task PutWithoutIfMatchIs428AndWithAStaleETagIs412()
    {
        var id = await Api.CreateIdAsync();
        var before = await Api.StorageSnapshotAsync();

        var missing = await Api.UpdateAsync(id, Api.Meeting(start: "2026-12-11T10:00"), ifMatch: null);
        Assert.Equal(428, missing.Status);
        Assert.Equal(["If-Match"], missing.ErrorFields);

        var stale = await Api.UpdateAsync(id, Api.Meeting(start: "2026-12-11T10:00"), ifMatch: "\"7\"");
        Assert.Equal(412, stale.Status);
        Assert.Equal(["If-Match"], stale.ErrorFields);

        var malformed = await Api.UpdateAsync(id, Api.Meeting(start: "2026-12-11T10:00"), ifMatch: "v1");
        Assert.Equal(400, malformed.Status);
        Assert.Equal(before, await Api.StorageSnapshotAsync());
    }

    [Fact]
    public async Task PutReschedulesAndReplansUnderANewPlanVersion()
    {
        var id = await Api.CreateIdAsync();

        var answer = await Api.UpdateAsync(id, Api.Meeting(start: "2026-12-11T15:00", offsets: ["P1D"]), ifMatch: "\"1\"");

        Assert.Equal(200, answer.Status);
        Assert.Equal("\"2\"", answer.Header("ETag"));
        Assert.Equal(2, answer.Json.GetProperty("planVersion").GetInt32());
        var reminders = answer.Json.GetProperty("reminders").EnumerateArray().ToList();
        Assert.Equal(2, reminders.Count);
        Assert.All(reminders, r => Assert.Equal("2026-12-10T06:00:00+00:00", r.GetProperty("dueAt").GetString()));
    }

    [Fact]
    public async Task CancelStopsRemindersAndAMeetingCannotBeChangedAfterwards()
    {
        var id = await Api.CreateIdAsync();

        var cancelled = await Api.CancelAsync(id);
        Assert.Equal(200, cancelled.Status);
        Assert.Equal("cancelled", cancelled.Json.GetProperty("status").GetString());
        Assert.All(cancelled.Json.GetProperty("reminders").EnumerateArray(), r => Assert.Equal("skipped", r.GetProperty("state").GetString()));

        var update = await Api.UpdateAsync(id, Api.Meeting(), ifMatch: "\"2\"");
        Assert.Equal(409, update.Status);
        var complete = await Api.CompleteAsync(id);
        Assert.Equal(409, complete.Status);
    }

    [Theory]
    [InlineData("1!8!U21pdGg- 1!12!bWVldGluZw--", 200)] // the shape real Table Storage gives out
    [InlineData("m0123 ", 200)] // no next row key
    [InlineData("nothing-to-split", 400)]
    [InlineData("two  spaces", 400)]
    [InlineData("caf\u00e9 meeting", 400)]
    public async Task AContinuationTokenMustHaveTheShapeTheStoreGivesOut(string raw, int status)
    {
        var token = Convert.ToBase64String(System.Text.Encoding.UTF8.GetBytes(System.Text.RegularExpressions.Regex.Unescape(raw)))
            .TrimEnd('=').Replace('+', '-').Replace('/', '_');
        var answer = await Api.ListAsync("?continuationToken=" + token);
        Assert.Equal(status, answer.Status);
        if (status == 400) Assert.Equal(["continuationToken"], answer.ErrorFields);
    }

    [Fact]
    public async Task ListFiltersByTrackStatusAndStartAndPagesWithAContinuationToken()
    {
        for (var day = 10; day < 15; day++) await Api.CreateIdAsync(Api.Meeting(start: $"2026-12-{day}T10:00"));
        var cancelledId = await Api.CreateIdAsync(Api.Meeting(start: "2026-12-20T10:00"));
        await Api.CancelAsync(cancelledId);

        var ids = new List<string>();
        string? token = null;
        var pages = 0;
        do
        {
            var page = await Api.ListAsync($"?track=joint-economic-committee&status=scheduled&from=2026-12-11T00:00:00Z&pageSize=2" +
                                            (token is null ? "" : "&continuationToken=" + Uri.EscapeDataString(token)));
            Assert.Equal(200, page.Status);
            ids.AddRange(page.Json.GetProperty("items").EnumerateArray().Select(i => i.GetProperty("id").GetString()!));
            token = page.Json.GetProperty("continuationToken").ValueKind == JsonValueKind.String ? page.Json.GetProperty("continuationToken").GetString() : null;
            pages++;
        } while (token is not null && pages < 10);

        Assert.Equal(4, ids.Count); // 11th to 14th; the 10th is before "from", the 20th is cancelled
        Assert.DoesNotContain(cancelledId, ids);
        Assert.True(pages >= 2);

        var bad = await Api.ListAsync("?status=postponed&pageSize=0");
        Assert.Equal(400, bad.Status);
        Assert.Equivalent(new[] { "status", "pageSize" }, bad.ErrorFields);
    }

    [Fact]
    public async Task TracksListsTheSixSummitTracks()
    {
        var answer = await Api.TracksAsync();
        Assert.Equal(200, answer.Status);
        Assert.Equal(6, answer.Json.GetArrayLength());
        Assert.Contains(answer.Json.EnumerateArray(), t => t.GetProperty("id").GetString() == "nuclear-energy");
    }

    [Fact]
    public async Task TracksGiveNamesAndDescriptionsInEnglishKoreanAndTurkishBesideTheEnglishFieldsCallersAlreadyRead()
    {
        var answer = await Api.TracksAsync();

        Assert.Equal(200, answer.Status);
        foreach (var track in answer.Json.EnumerateArray())
        {
            Assert.Equal(["id", "name", "description", "names", "descriptions"], track.EnumerateObject().Select(p => p.Name));
            foreach (var field in new[] { "names", "descriptions" })
            {
                Assert.Equal(["en", "ko", "tr"], track.GetProperty(field).EnumerateObject().Select(p => p.Name));
                Assert.All(track.GetProperty(field).EnumerateObject(), p => Assert.False(string.IsNullOrWhiteSpace(p.Value.GetString())));
            }
            Assert.Equal(track.GetProperty("name").GetString(), track.GetProperty("names").GetProperty("en").GetString());
            Assert.Equal(track.GetProperty("description").GetString(), track.GetProperty("descriptions").GetProperty("en").GetString());
        }
        var nuclear = answer.Json.EnumerateArray().Single(t => t.GetProperty("id").GetString() == "nuclear-energy");
        Assert.Equal("Nuclear energy", nuclear.GetProperty("name").GetString());
        Assert.Equal("원자력", nuclear.GetProperty("names").GetProperty("ko").GetString());
        Assert.Equal("Nükleer enerji", nuclear.GetProperty("names").GetProperty("tr").GetString());
        Assert.Equal("Sinop Nükleer Güç Santrali projesinin ayrıntılı değerlendirmesi.", nuclear.GetProperty("descriptions").GetProperty("tr").GetString());
    }

    [Fact]
    public async Task HealthReportsStorageQueueAndSendGridReachable()
    {
        var answer = await Api.HealthAsync();
        Assert.Equal(200, answer.Status);
        Assert.Equal("healthy", answer.Json.GetProperty("status").GetString());
        var dependencies = answer.Json.GetProperty("dependencies").EnumerateArray().ToList();
        Assert.Equal(3, dependencies.Count);
        Assert.Contains(dependencies, d => d.GetProperty("name").GetString() == "SendGrid" && d.GetProperty("status").GetString() == "healthy");
    }
}

public sealed class ConcurrencyAndOutageTests : AppTest
{
    [Fact]
    public async Task TwoCoordinatorsUpdatingAtOnceOneWinsTheOtherGets412AndRemindersFollowTheWinner()
    {
        var id = await Api.CreateIdAsync(Api.Meeting(offsets: ["P1D"]));

        var answers = await Task.WhenAll(
            Api.UpdateAsync(id, Api.Meeting(start: "2026-12-11T10:00", offsets: ["P1D"]), "\"1\""),
            Api.UpdateAsync(id, Api.Meeting(start: "2026-12-12T10:00", offsets: ["P1D"]), "\"1\""));

        Assert.Equal([200, 412], answers.Select(a => a.Status).Order());
        var winner = answers.Single(a => a.Status == 200).Json.GetProperty("start").GetString();
        var stored = await Api.GetAsync(id);
        Assert.Equal(winner, stored.Json.GetProperty("start").GetString());
        Assert.Equal("\"2\"", stored.Header("ETag"));

        // Only the winner's plan is delivered: the loser's day passes without an email, the winner's brings two.
        var winnerDue = new DateTimeOffset(DateTime.Parse(winner!, System.Globalization.CultureInfo.InvariantCulture).AddHours(-9).AddDays(-1), TimeSpan.Zero);
        var loserDue = winnerDue.Day == 10 ? winnerDue.AddDays(1) : winnerDue.AddDays(-1);
        var timers = App.Function<Summit.Functions.Pipeline.ReminderTimers>();
        foreach (var at in new[] { loserDue, winnerDue }.Order())
        {
            App.Time.SetUtcNow(at.AddSeconds(30));
            await timers.ScheduleDueReminders(new TimerInfo(), default);
            await timers.DeliverReminders(new TimerInfo(), default);
            Assert.Equal(at >= winnerDue ? 2 : 0, App.SendGrid.Reminders.Count); // the loser's moment adds nothing
        }
        Assert.All((await Api.GetAsync(id)).Json.GetProperty("reminders").EnumerateArray(), r =>
        {
            Assert.Equal("sent", r.GetProperty("state").GetString());
            Assert.Equal(winnerDue, r.GetProperty("dueAt").GetDateTimeOffset());
        });
        Assert.Empty(App.Broker.ActiveMessages(TestApp.QueueName)); // nothing of the loser's plan left waiting
        Assert.Empty(App.Broker.DeadLetteredMessages(TestApp.QueueName));
    }
}

public sealed class StorageOutageTests : AppTest
{
    protected override void Configure(Dictionary<string, string?> settings) =>
        settings["Storage:ConnectionString"] =
            "DefaultEndpointsProtocol=http;AccountName=devstoreaccount1;AccountKey=Eby8vdM02xNOcqFlqUwJPLlmEtlCDXJ1OUzFT50uSRZ6IFsuFq2UVErCz4I6tq/K1SZFPTOtr/KBHBeksoGMGw==;TableEndpoint=http://127.0.0.1:1/devstoreaccount1;";

    [Fact]
    public async Task RequestsGet503ProblemDetailsAndTimersLogAndCarryOn()
    {
        var api = Api;
        var created = await api.CreateAsync();
        Assert.Equal(503, created.Status);
        Assert.Equal("30", created.Header("Retry-After"));
        Assert.EndsWith("dependency-unavailable", created.Json.GetProperty("type").GetString());

        Assert.Equal(503, (await api.GetAsync("m1")).Status);
        var health = await api.HealthAsync();
        Assert.Equal(503, health.Status);
        Assert.Equal("unhealthy", health.Json.GetProperty("status").GetString());

        var timers = App.Function<Pipeline.ReminderTimers>();
        await timers.ScheduleDueReminders(new TimerInfo(), default);
        Assert.Contains(App.Logs.Lines, l => l.StartsWith("Warning", StringComparison.Ordinal) && l.Contains("Table Storage is unavailable"));
    }
}
