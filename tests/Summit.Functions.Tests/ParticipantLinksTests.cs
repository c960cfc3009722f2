using Summit.Functions.Participants;
using Summit.Reminders.Participation;
using Summit.TestSupport.SendGrid;

namespace Summit.Functions.Tests;

/// <summary>
/// The acknowledge and unsubscribe links, end to end: a reminder goes out, its links are followed the way a browser
/// does (GET the page, POST its form), and the next reminders follow what the participant said.
/// </summary>
public sealed class ParticipantLinksTests : AppTest
{
    // Api.Meeting(): 2026-12-10 10:00 Seoul (01:00 UTC); reminders due 12-03 01:00, 12-09 01:00 and 12-09 23:00 UTC.
    private static readonly DateTimeOffset FirstDue = new(2026, 12, 3, 1, 0, 30, TimeSpan.Zero);
    private static readonly DateTimeOffset SecondDue = new(2026, 12, 9, 1, 0, 30, TimeSpan.Zero);

    private ParticipantLinksApi Links => App.Function<ParticipantLinksApi>();

    private Task<HttpAnswer> OpenAsync(string url, IDictionary<string, string>? headers = null)
    {
        var uri = new Uri(url);
        var action = uri.AbsolutePath.Split('/').Last();
        return App.CallAsync("GET", uri.PathAndQuery, r => Links.Show(r, action, default), headers: headers);
    }

    /// <summary>What the browser sends when the page's button is pressed: the form (with its hidden token) to the same URL.</summary>
    private Task<HttpAnswer> PressTheButtonAsync(string url, string page)
    {
        var uri = new Uri(url);
        var action = uri.AbsolutePath.Split('/').Last();
        var token = System.Text.RegularExpressions.Regex.Match(page, "name=\"token\" value=\"([^\"]+)\"").Groups[1].Value;
        Assert.NotEmpty(token);
        return App.CallAsync("POST", uri.PathAndQuery, r => Links.Confirm(r, action, default),
            rawBody: "token=" + Uri.EscapeDataString(System.Net.WebUtility.HtmlDecode(token)), contentType: "application/x-www-form-urlencoded");
    }

    private RecordedMail MailTo(string email) => App.SendGrid.Reminders.Last(m => m.To == email);

    private async Task<System.Text.Json.JsonElement> AnswerOfAsync(string id, string email) =>
        (await Api.GetAsync(id)).Json.GetProperty("responses").EnumerateArray().Single(r => r.GetProperty("email").GetString() == email);

    [Fact]
    public async Task OpeningTheAcknowledgeLinkChangesNothingPressingTheButtonStopsThatParticipantsReminders()
    {
        var id = await Api.CreateIdAsync();
        await App.RunTimersAsync(FirstDue);
        var link = MailTo("ayse@example.org").Link("/api/p/acknowledge");
        Assert.StartsWith(TestApp.LinkBaseUrl + "/api/p/acknowledge?token=", link);

        var before = await Api.StorageSnapshotAsync();
        var page = await OpenAsync(link);
        Assert.Equal(200, page.Status);
        Assert.Contains("data-page=\"confirm-acknowledge\"", page.Body);
        Assert.Contains("Anladım — hatırlatmayı durdur", page.Body); // Ayşe reads Turkish
        Assert.Contains("Joint Economic Committee — restart session", page.Body);
        Assert.Equal("no-store", page.Header("Cache-Control"));
        Assert.Equal("no-referrer", page.Header("Referrer-Policy"));
        Assert.Equal("DENY", page.Header("X-Frame-Options"));
        Assert.Equal(before, await Api.StorageSnapshotAsync()); // a mail scanner opening the link changes nothing
        Assert.False((await AnswerOfAsync(id, "ayse@example.org")).GetProperty("acknowledged").GetBoolean());

        var done = await PressTheButtonAsync(link, page.Body);
        Assert.Equal(200, done.Status);
        Assert.Contains("data-page=\"acknowledged\"", done.Body);
        Assert.Contains("Teşekkürler — kaydedildi", done.Body);

        var answer = await AnswerOfAsync(id, "ayse@example.org");
        Assert.True(answer.GetProperty("acknowledged").GetBoolean());
        Assert.Equal(FirstDue, answer.GetProperty("acknowledgedAt").GetDateTimeOffset());
        Assert.False((await AnswerOfAsync(id, "seoyeon@example.org")).GetProperty("acknowledged").GetBoolean());

        // Pressing again (a second tab) records nothing new and says so.
        var again = await PressTheButtonAsync(link, page.Body);
        Assert.Contains("zaten onaylamıştınız", again.Body);

        await App.RunTimersAsync(SecondDue);
        Assert.Single(App.SendGrid.Reminders, m => m.To == "ayse@example.org"); // only the first one
        Assert.Equal(2, App.SendGrid.Reminders.Count(m => m.To == "seoyeon@example.org"));
        var reminders = (await Api.GetAsync(id)).Json.GetProperty("reminders").EnumerateArray().ToList();
        var skipped = reminders.Single(r => r.GetProperty("offset").GetString() == "P1D" && r.GetProperty("participantId").GetString() == answer.GetProperty("participantId").GetString());
        Assert.Equal("skipped", skipped.GetProperty("state").GetString());
        Assert.Equal("the participant acknowledged the meeting", skipped.GetProperty("reason").GetString());
    }

    [Fact]
    public async Task AnAcknowledgementCoversTheTimeItWasGivenForAReschedulePutsRemindersBack()
    {
        var id = await Api.CreateIdAsync();
        await App.RunTimersAsync(FirstDue);
        var link = MailTo("seoyeon@example.org").Link("/api/p/acknowledge");
        await PressTheButtonAsync(link, (await OpenAsync(link)).Body);
        Assert.True((await AnswerOfAsync(id, "seoyeon@example.org")).GetProperty("acknowledged").GetBoolean());

        var etag = (await Api.GetAsync(id)).Header("ETag");
        Assert.Equal(200, (await Api.UpdateAsync(id, Api.Meeting(start: "2026-12-10T14:00"), etag)).Status);
        var answer = await AnswerOfAsync(id, "seoyeon@example.org");
        Assert.False(answer.GetProperty("acknowledged").GetBoolean()); // for the old time only
        Assert.Equal(FirstDue, answer.GetProperty("acknowledgedAt").GetDateTimeOffset());

        await App.RunTimersAsync(new DateTimeOffset(2026, 12, 9, 5, 0, 30, TimeSpan.Zero)); // P1D of the new start, 05:00 UTC
        Assert.Equal(2, App.SendGrid.Reminders.Count(m => m.To == "seoyeon@example.org" && m.Categories.Contains("reminder")));
    }

    [Fact]
    public async Task TheMailClientsOneClickUnsubscribeStopsEveryFurtherEmail()
    {
        var id = await Api.CreateIdAsync();
        await App.RunTimersAsync(FirstDue);
        var mail = MailTo("seoyeon@example.org");
        var header = mail.Header("List-Unsubscribe");
        Assert.Equal("List-Unsubscribe=One-Click", mail.Header("List-Unsubscribe-Post"));
        var url = new Uri(header!.Trim('<', '>'));
        Assert.Equal(mail.Link("/api/p/unsubscribe"), url.AbsoluteUri);

        // RFC 8058: POST to the URL with the body "List-Unsubscribe=One-Click" (the token is in the URL).
        var done = await App.CallAsync("POST", url.PathAndQuery, r => Links.Confirm(r, "unsubscribe", default),
            rawBody: "List-Unsubscribe=One-Click", contentType: "application/x-www-form-urlencoded");
        Assert.Equal(200, done.Status);
        Assert.Contains("data-page=\"unsubscribed\"", done.Body);
        Assert.True((await AnswerOfAsync(id, "seoyeon@example.org")).GetProperty("unsubscribed").GetBoolean());

        await App.RunTimersAsync(SecondDue);
        Assert.Single(App.SendGrid.Reminders, m => m.To == "seoyeon@example.org");
        Assert.Equal(2, App.SendGrid.Reminders.Count(m => m.To == "ayse@example.org"));
    }

    [Theory]
    [InlineData("tampered", 400, "error-invalid")]
    [InlineData("another-participant", 400, "error-invalid")]
    [InlineData("wrong-action", 400, "error-invalid")]
    [InlineData("missing", 400, "error-invalid")]
    [InlineData("expired", 410, "error-expired")]
    public async Task ABadLinkGetsAClearErrorPageAndChangesNothing(string fault, int status, string kind)
    {
        var id = await Api.CreateIdAsync();
        await App.RunTimersAsync(FirstDue);
        var link = MailTo("seoyeon@example.org").Link("/api/p/acknowledge");
        var token = Uri.UnescapeDataString(new Uri(link).Query["?token=".Length..]);
        var parts = token.Split('.');
        var signer = App.Get<LinkSigner>();
        var theirs = signer.Sign(new LinkClaims(id, "p-someone-else", ParticipantAction.Acknowledge, FirstDue.AddDays(30))).Split('.');
        var bad = fault switch
        {
            "tampered" => link[..^3] + (link[^3] == 'x' ? "y" : "x") + link[^2..],
            "another-participant" => $"{TestApp.LinkBaseUrl}/api/p/acknowledge?token={string.Join('.', parts[0], parts[1], theirs[2], parts[3])}",
            "wrong-action" => link.Replace("/acknowledge?", "/unsubscribe?", StringComparison.Ordinal),
            "missing" => $"{TestApp.LinkBaseUrl}/api/p/acknowledge",
            _ => link,
        };
        if (fault == "expired") App.Time.SetUtcNow(new DateTimeOffset(2026, 12, 10, 3, 0, 0, TimeSpan.Zero) + TimeSpan.FromDays(7));

        var before = await Api.StorageSnapshotAsync();
        var shown = await OpenAsync(bad, new Dictionary<string, string> { ["Accept-Language"] = "ko-KR,ko;q=0.9,en;q=0.5" });
        Assert.Equal(status, shown.Status);
        Assert.Contains($"data-page=\"{kind}\"", shown.Body);
        Assert.Contains("이 링크는 사용할 수 없습니다", shown.Body); // the browser asked for Korean
        Assert.DoesNotContain("<form", shown.Body);

        var uri = new Uri(bad);
        var posted = await App.CallAsync("POST", uri.PathAndQuery, r => Links.Confirm(r, uri.AbsolutePath.Split('/').Last(), default),
            rawBody: "", contentType: "application/x-www-form-urlencoded");
        Assert.Equal(status, posted.Status);
        Assert.Equal(before, await Api.StorageSnapshotAsync());
    }

    [Fact]
    public async Task AParticipantRemovedFromTheMeetingIsToldSoAndNothingIsRecorded()
    {
        var id = await Api.CreateIdAsync();
        await App.RunTimersAsync(FirstDue);
        var link = MailTo("seoyeon@example.org").Link("/api/p/unsubscribe");
        var etag = (await Api.GetAsync(id)).Header("ETag");
        var onlyAyse = new object[] { new { name = "Ayşe Yılmaz", email = "ayse@example.org", timeZone = "Europe/Istanbul", language = "tr" } };
        Assert.Equal(200, (await Api.UpdateAsync(id, Api.Meeting(participants: onlyAyse), etag)).Status);

        var shown = await OpenAsync(link);
        Assert.Equal(404, shown.Status);
        Assert.Contains("You are no longer a participant of this meeting.", shown.Body);
    }

    [Fact]
    public async Task HtmlAndScriptInTheTitleAndAgendaAreShownAsTextInTheEmailAndOnTheLinkPage()
    {
        const string title = "<script>alert('jec')</script> Trade & \"Investment\"";
        const string agenda = "<img src=x onerror=alert(1)> Tariffs";
        var id = await Api.CreateIdAsync(Api.With(Api.Meeting(title: title), new Dictionary<string, object?> { ["agenda"] = agenda }));
        Assert.Equal(title, (await Api.GetAsync(id)).Json.GetProperty("title").GetString()); // stored as typed
        await App.RunTimersAsync(FirstDue);

        var mail = MailTo("seoyeon@example.org");
        Assert.Contains(title, mail.Subject); // a subject is plain text
        var html = mail.Content("text/html");
        Assert.DoesNotContain("<script", html, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain("<img", html, StringComparison.OrdinalIgnoreCase);
        Assert.Contains("&lt;script&gt;", html);
        Assert.Contains("&lt;img src=x onerror=alert(1)&gt; Tariffs", html);
        Assert.Contains(title, mail.Content("text/plain"));

        var page = await OpenAsync(mail.Link("/api/p/acknowledge"));
        Assert.Equal(200, page.Status);
        Assert.DoesNotContain("<script", page.Body, StringComparison.OrdinalIgnoreCase);
        Assert.Contains("&lt;script&gt;", page.Body);
        Assert.Contains(title, System.Net.WebUtility.HtmlDecode(page.Body));
    }
}
