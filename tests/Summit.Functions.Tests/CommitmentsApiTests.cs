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

/// <summary>Issue 17: an owner's Done and More-time links, from the reminder email to the commitment, on Azurite.</summary>
public sealed class CommitmentLinksTests : AppTest
{
    private static readonly DateTimeOffset P7D = new(2027, 1, 8, 15, 0, 30, TimeSpan.Zero); // Api.Commitment()'s first reminder

    private async Task<(string Id, Summit.TestSupport.SendGrid.RecordedMail Ayse)> RemindedAsync()
    {
        var id = await Api.CreateCommitmentIdAsync();
        await App.RunTimersAsync(P7D);
        var mail = Assert.Single(App.SendGrid.AcceptedOf("commitment-reminder"), m => m.To == "ayse@example.org");
        return (id, mail);
    }

    private Task<HttpAnswer> OpenAsync(string link)
    {
        var uri = new Uri(link);
        return App.CallAsync("GET", uri.PathAndQuery, r => App.Function<Participants.ParticipantLinksApi>().Show(r, uri.AbsolutePath.Split('/').Last(), default));
    }

    private Task<HttpAnswer> SendAsync(string link, string form)
    {
        var uri = new Uri(link);
        return App.CallAsync("POST", uri.AbsolutePath, r => App.Function<Participants.ParticipantLinksApi>().Confirm(r, uri.AbsolutePath.Split('/').Last(), default),
            rawBody: form + "&token=" + Uri.EscapeDataString(System.Web.HttpUtility.ParseQueryString(uri.Query)["token"]!), contentType: "application/x-www-form-urlencoded");
    }

    [Fact]
    public async Task OpeningTheDoneLinkChangesNothingAndSendingItsFormMarksTheCommitmentDoneForEveryone()
    {
        var (id, mail) = await RemindedAsync();
        var done = mail.Link("/api/p/done?token=");
        var before = await Api.StorageSnapshotAsync();

        var page = await OpenAsync(done);
        Assert.Equal(200, page.Status);
        Assert.Contains("Bu taahhüt tamamlandı olarak işaretlensin mi?", page.Body); // in her language
        Assert.Contains("Sinop evaluation: data package", page.Body);
        Assert.Equal(before, await Api.StorageSnapshotAsync()); // a mail scanner fetching the link changes nothing

        var sent = await SendAsync(done, "note=" + Uri.EscapeDataString("Yüklendi") + "&link=" + Uri.EscapeDataString("https://sinop.example.org/package.zip"));
        Assert.True(sent.Status == 200, sent.Body);
        Assert.Contains("Teşekkürler", sent.Body);
        var commitment = (await Api.GetCommitmentAsync(id)).Json;
        Assert.Equal("done", commitment.GetProperty("status").GetString());
        var completion = commitment.GetProperty("completion");
        Assert.Equal("Yüklendi", completion.GetProperty("note").GetString());
        Assert.Equal("https://sinop.example.org/package.zip", completion.GetProperty("link").GetString());
        var ayse = commitment.GetProperty("owners").EnumerateArray().Single(o => o.GetProperty("email").GetString() == "ayse@example.org");
        Assert.Equal(ayse.GetProperty("id").GetString(), completion.GetProperty("by").GetString());

        // Sent again (a second click): already done, nothing changes.
        var again = await SendAsync(done, "note=x");
        Assert.Equal(200, again.Status);
        Assert.Equal(commitment.GetProperty("version").GetInt64(), (await Api.GetCommitmentAsync(id)).Json.GetProperty("version").GetInt64());
    }

    [Fact]
    public async Task TheMoreTimeLinkAsksForADateAfterTheDueDateAndRecordsTheRequest()
    {
        var (id, mail) = await RemindedAsync();
        var more = mail.Link("/api/p/more-time?token=");
        var page = await OpenAsync(more);
        Assert.Contains("type=\"date\"", page.Body);
        Assert.Contains("min=\"2027-01-16\"", page.Body);

        var before = await Api.StorageSnapshotAsync();
        var tooEarly = await SendAsync(more, "date=2027-01-10");
        Assert.Equal(400, tooEarly.Status);
        Assert.Contains("2027-01-15", tooEarly.Body); // says which date it must follow, in her language
        Assert.Equal(before, await Api.StorageSnapshotAsync());

        var sent = await SendAsync(more, "date=2027-01-29&note=" + Uri.EscapeDataString("Veri setinin son kısmı gecikti"));
        Assert.True(sent.Status == 200, sent.Body);
        var commitment = (await Api.GetCommitmentAsync(id)).Json;
        Assert.Equal("open", commitment.GetProperty("status").GetString());
        Assert.Equal("2027-01-15", commitment.GetProperty("dueDate").GetString()); // the coordinator decides
        var request = Assert.Single(commitment.GetProperty("extensionRequests").EnumerateArray());
        Assert.Equal("2027-01-29", request.GetProperty("proposedDate").GetString());
        Assert.Equal("Veri setinin son kısmı gecikti", request.GetProperty("note").GetString());
    }

    [Fact]
    public async Task TheCoordinatorIsToldOnceOfEachOwnersRequestAndOfTheirDoneAndTheNoticesShowInTheCommitment()
    {
        var (id, ayseMail) = await RemindedAsync();
        var seoyeonMail = Assert.Single(App.SendGrid.AcceptedOf("commitment-reminder"), m => m.To == "seoyeon@example.org");
        // Both owners ask for more time close together, before the timers run.
        Assert.Equal(200, (await SendAsync(seoyeonMail.Link("/api/p/more-time?token="), "date=2027-01-22&note=first")).Status);
        Assert.Equal(200, (await SendAsync(ayseMail.Link("/api/p/more-time?token="), "date=2027-01-29&note=second")).Status);
        await App.RunTimersAsync(App.Time.GetUtcNow().AddMinutes(1));
        await App.RunTimersAsync(App.Time.GetUtcNow().AddMinutes(1));

        var asked = App.SendGrid.AcceptedOf("commitment-more-time");
        Assert.Equal(2, asked.Count); // one each, each about its own request
        Assert.Single(asked, m => m.Content("text/plain").Contains("first", StringComparison.Ordinal) && !m.Content("text/plain").Contains("second", StringComparison.Ordinal));
        Assert.Single(asked, m => m.Content("text/plain").Contains("second", StringComparison.Ordinal) && !m.Content("text/plain").Contains("first", StringComparison.Ordinal));

        Assert.Equal(200, (await SendAsync(ayseMail.Link("/api/p/done?token="), "note=delivered")).Status);
        await App.RunTimersAsync(App.Time.GetUtcNow().AddMinutes(1));
        await App.RunTimersAsync(App.Time.GetUtcNow().AddMinutes(1));
        Assert.Single(App.SendGrid.AcceptedOf("commitment-done"));
        var notices = (await Api.GetCommitmentAsync(id)).Json.GetProperty("notices").EnumerateArray().ToList();
        Assert.Equal(["more-time", "more-time", "done"], notices.Select(n => n.GetProperty("kind").GetString()));
        Assert.All(notices, n => Assert.Equal("sent", n.GetProperty("state").GetString()));
    }

    [Fact]
    public async Task ALinkNamingSomeoneWhoIsNotAnOwnerOfThatCommitmentDoesNothing()
    {
        var (id, _) = await RemindedAsync();
        var other = await Api.CreateCommitmentIdAsync(Api.With(Api.Commitment(), new Dictionary<string, object?>
        {
            ["owners"] = new object[] { new { name = "Park Ji-ho", email = "jiho@example.org" } },
        }));
        var ayseId = (await Api.GetCommitmentAsync(id)).Json.GetProperty("owners").EnumerateArray()
            .Single(o => o.GetProperty("email").GetString() == "ayse@example.org").GetProperty("id").GetString()!;
        // A correctly signed token for Ayşe, but on a commitment she does not own.
        var token = App.Get<Summit.Reminders.Participation.LinkSigner>().Sign(new Summit.Reminders.Participation.LinkClaims(
            other, ayseId, Summit.Reminders.Participation.ParticipantAction.Done, App.Time.GetUtcNow().AddDays(30)));
        var before = await Api.StorageSnapshotAsync();

        var answer = await SendAsync($"{TestApp.LinkBaseUrl}/api/p/done?token={Uri.EscapeDataString(token)}", "note=x");

        Assert.Equal(404, answer.Status);
        Assert.Equal(before, await Api.StorageSnapshotAsync());
        Assert.Equal("open", (await Api.GetCommitmentAsync(other)).Json.GetProperty("status").GetString());
    }

    [Fact]
    public async Task ALinkOfAnotherCommitmentsOwnerOrATamperedOneDoesNothing()
    {
        var (id, mail) = await RemindedAsync();
        var done = mail.Link("/api/p/done?token=");
        var before = await Api.StorageSnapshotAsync();

        Assert.Equal(400, (await SendAsync(done.Replace("/done?", "/more-time?", StringComparison.Ordinal), "date=2027-02-01")).Status); // the token is for Done
        Assert.Equal(400, (await SendAsync(done[..^3] + "AAA", "")).Status);
        Assert.Equal(before, await Api.StorageSnapshotAsync());
        Assert.Equal("open", (await Api.GetCommitmentAsync(id)).Json.GetProperty("status").GetString());
    }
}

/// <summary>Issue 17: a track's progress, as numbers and as a page, with a function key or a coordinator's signed link.</summary>
public sealed class TrackProgressTests : AppTest
{
    private async Task<string> CommitmentAsync(string dueDate, string track = "nuclear-energy") =>
        await Api.CreateCommitmentIdAsync(Api.With(Api.Commitment(dueDate), new Dictionary<string, object?> { ["track"] = track }));

    [Fact]
    public async Task CountsOpenDueSoonOverdueDoneOnTimeDoneLateAndDroppedPerTrackAndListsTheNextDeadlinesFirst()
    {
        // Now: 27 November 2026, 09:00 UTC.
        var onTime = await CommitmentAsync("2026-12-20");
        var late = await CommitmentAsync("2026-11-28");
        var soon = await CommitmentAsync("2026-12-02");
        var overdue = await CommitmentAsync("2026-11-29");
        var dropped = await CommitmentAsync("2027-03-01");
        var later = await CommitmentAsync("2027-03-01");
        await CommitmentAsync("2027-01-15", "biotechnology");
        Assert.Equal(200, (await Api.CommitmentActionAsync(onTime, "done")).Status);
        Assert.Equal(200, (await Api.CommitmentActionAsync(dropped, "drop")).Status);
        App.MoveClockTo(new DateTimeOffset(2026, 11, 30, 9, 0, 0, TimeSpan.Zero)); // the 28th and 29th have ended in Seoul
        Assert.Equal(200, (await Api.CommitmentActionAsync(late, "done")).Status);

        var answer = await App.CallAsync("GET", "/api/tracks/nuclear-energy/progress", r => App.Function<Commitments.ProgressApi>().Get(r, "nuclear-energy", default));

        Assert.Equal(200, answer.Status);
        var counts = answer.Json.GetProperty("counts");
        Assert.Equal(3, counts.GetProperty("open").GetInt32());
        Assert.Equal(1, counts.GetProperty("dueWithin7Days").GetInt32());
        Assert.Equal(1, counts.GetProperty("overdue").GetInt32());
        Assert.Equal(1, counts.GetProperty("doneOnTime").GetInt32());
        Assert.Equal(1, counts.GetProperty("doneLate").GetInt32());
        Assert.Equal(1, counts.GetProperty("dropped").GetInt32());
        var items = answer.Json.GetProperty("items").EnumerateArray().ToList();
        Assert.Equal([overdue, soon, later], items.Take(3).Select(i => i.GetProperty("id").GetString()));
        Assert.Equal(["overdue", "due-soon", "open"], items.Take(3).Select(i => i.GetProperty("state").GetString()));
        Assert.Equal(6, items.Count); // the biotechnology commitment is not listed

        var page = await App.CallAsync("GET", "/api/tracks/nuclear-energy/progress/page?lang=ko", r => App.Function<Commitments.ProgressApi>().Page(r, "nuclear-energy", default));
        Assert.Equal(200, page.Status);
        Assert.Contains("진행 현황: 원자력", page.Body); // the track in the page's language (issue 19)
        Assert.Contains("<svg class=\"chart\"", page.Body);
        Assert.Equal(404, (await App.CallAsync("GET", "/api/tracks/space/progress", r => App.Function<Commitments.ProgressApi>().Get(r, "space", default))).Status);
    }

    [Fact]
    public async Task ACoordinatorsSignedLinkOpensThatTracksPageAndNothingElse()
    {
        await CommitmentAsync("2026-12-20");
        var link = App.Get<Summit.Reminders.Participation.ParticipantLinks>().ForProgress("nuclear-energy", "tr", App.Time.GetUtcNow());
        var uri = new Uri(link);
        Task<HttpAnswer> OpenAsync(string pathAndQuery) =>
            App.CallAsync("GET", pathAndQuery, r => App.Function<Participants.ParticipantLinksApi>().Show(r, "progress", default));

        var page = await OpenAsync(uri.PathAndQuery);
        Assert.Equal(200, page.Status);
        Assert.Contains("İlerleme: Nükleer enerji", System.Net.WebUtility.HtmlDecode(page.Body));
        Assert.Equal("no-store", page.Header("Cache-Control"));

        var token = System.Web.HttpUtility.ParseQueryString(uri.Query)["token"]!;
        Assert.Equal(400, (await OpenAsync("/api/p/progress?token=" + Uri.EscapeDataString(token[..^4] + "AAAA"))).Status);
        // An owner's Done token is not a progress token.
        var owner = App.Get<Summit.Reminders.Participation.LinkSigner>().Sign(new Summit.Reminders.Participation.LinkClaims(
            "nuclear-energy", "p1", Summit.Reminders.Participation.ParticipantAction.Done, App.Time.GetUtcNow().AddDays(1)));
        Assert.Equal(400, (await OpenAsync("/api/p/progress?token=" + Uri.EscapeDataString(owner))).Status);
        App.MoveClockTo(App.Time.GetUtcNow().AddDays(31));
        Assert.Equal(410, (await OpenAsync(uri.PathAndQuery)).Status); // expired after 30 days, said as such
    }
}
