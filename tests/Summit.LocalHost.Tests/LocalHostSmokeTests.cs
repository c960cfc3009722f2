using System.Diagnostics;
using System.Net;
using System.Net.Http.Json;
using System.Net.Sockets;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Azure.Storage.Queues;
using Ical.Net;
using MimeKit;
using Summit.TestSupport.LocalHost;
using Summit.TestSupport.Storage;

namespace Summit.LocalHost.Tests;

/// <summary>
/// The local host as ops run it: a separate process on a free port, configured by a local.settings.json made from the
/// sample, against Azurite. Real HTTP, real keys, the timers run through the admin endpoint, the email read from disk.
/// </summary>
public sealed class LocalHostSmokeTests : IAsyncLifetime
{
    private const string FunctionKey = LocalHostProcess.FunctionKey;
    private const string MasterKey = LocalHostProcess.MasterKey;
    private readonly LocalHostProcess _host = Paths.NewLocalHost();

    private string Outbox => _host.Outbox;
    private HttpClient Http => _host.Http;

    public Task InitializeAsync() => _host.StartAsync();

    public async Task DisposeAsync() => await _host.DisposeAsync();

    private string Output() => _host.Output;

    private Task<HttpResponseMessage> SendAsync(HttpMethod method, string path, string? key, object? body = null) =>
        _host.SendAsync(method, path, key, body);

    [Fact]
    public async Task RegistersWithTheKeyRunsBothTimersAndWritesTheReminderEmail()
    {
        // Starts 5 minutes and 4 seconds from now, with a 5-minute reminder: due in about 4 seconds.
        var istanbul = TimeZoneInfo.FindSystemTimeZoneById("Europe/Istanbul");
        var start = TimeZoneInfo.ConvertTime(DateTimeOffset.UtcNow.AddMinutes(5).AddSeconds(4), istanbul);
        var meeting = new
        {
            title = "Smoke test — Sinop evaluation follow-up",
            track = "nuclear-energy",
            start = start.ToString("yyyy-MM-dd'T'HH:mm:ss", System.Globalization.CultureInfo.InvariantCulture),
            timeZone = "Europe/Istanbul",
            agenda = "Site studies, financing model",
            coordinator = new { name = "Mehmet Demir", email = "mehmet@example.org" },
            participants = new[]
            {
                new { name = "Park Ji-ho", email = "jiho@example.org", timeZone = "Asia/Seoul", language = "ko" },
                new { name = "Ayşe Yılmaz", email = "ayse@example.org", timeZone = "Europe/Istanbul", language = "tr" },
            },
            reminderOffsets = new[] { "PT5M" },
        };

        var refused = await SendAsync(HttpMethod.Post, "/api/meetings", null, meeting);
        Assert.Equal(HttpStatusCode.Unauthorized, refused.StatusCode);
        Assert.Equal("application/problem+json", refused.Content.Headers.ContentType?.MediaType);
        Assert.Equal(HttpStatusCode.Unauthorized, (await SendAsync(HttpMethod.Post, "/api/meetings", "not-the-key", meeting)).StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await SendAsync(HttpMethod.Get, "/api/meetings", null)).StatusCode);

        var created = await SendAsync(HttpMethod.Post, "/api/meetings", FunctionKey, meeting);
        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        var id = (await created.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetString()!;
        Assert.Equal(HttpStatusCode.OK, (await Http.GetAsync($"/api/meetings/{id}?code={FunctionKey}")).StatusCode);

        // The admin endpoint needs the master key, not the function key.
        Assert.Equal(HttpStatusCode.Unauthorized, (await SendAsync(HttpMethod.Post, "/admin/functions/ScheduleDueReminders", FunctionKey)).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await SendAsync(HttpMethod.Post, "/admin/functions/NoSuchFunction", MasterKey)).StatusCode);
        Assert.Equal(HttpStatusCode.Accepted, (await SendAsync(HttpMethod.Post, "/admin/functions/ScheduleDueReminders", MasterKey, new { input = "" })).StatusCode);

        var deadline = DateTime.UtcNow.AddSeconds(40);
        while (_host.EmailFiles("reminder").Count < 2 && DateTime.UtcNow < deadline)
            Assert.Equal(HttpStatusCode.Accepted, (await SendAsync(HttpMethod.Post, "/admin/functions/DeliverReminders", MasterKey)).StatusCode);

        var emails = _host.EmailFiles("reminder").Select(f => MimeMessage.Load(f)).ToList();
        // Each participant also got the invitation when the meeting was registered, as its own email.
        Assert.Equal(2, _host.EmailFiles("invitation").Count);
        Assert.True(emails.Count == 2, "Expected two emails; host output:\n" + Output());
        Assert.Equivalent(new[] { "jiho@example.org", "ayse@example.org" }, emails.Select(e => e.To.Mailboxes.Single().Address));
        foreach (var email in emails)
        {
            // In each participant's language: Ji-ho Korean, Ayşe Turkish.
            Assert.Equal(email.To.Mailboxes.Single().Address == "jiho@example.org"
                ? "알림: Smoke test — Sinop evaluation follow-up — 5분 후 시작"
                : "Hatırlatma: Smoke test — Sinop evaluation follow-up 5 dakika sonra başlıyor", email.Subject);
            var invite = Assert.Single(email.Attachments.OfType<MimePart>(), p => p.ContentType.MimeType == "text/calendar");
            using var ics = new MemoryStream();
            await invite.Content!.DecodeToAsync(ics);
            var icsText = Encoding.UTF8.GetString(ics.ToArray());
            var calendar = Ical.Net.Calendar.Load(icsText)!;
            Assert.Equal("REQUEST", calendar.Method);
            var calendarEvent = Assert.Single(calendar.Events);
            Assert.Equal($"{id}@summit-followups", calendarEvent.Uid);
            Assert.Equal("Europe/Istanbul", calendarEvent.DtStart!.TzId);
            Assert.Equal(start.ToString("yyyy-MM-dd'T'HH:mm:ss", System.Globalization.CultureInfo.InvariantCulture),
                calendarEvent.DtStart.Value.ToString("yyyy-MM-dd'T'HH:mm:ss", System.Globalization.CultureInfo.InvariantCulture));
            Assert.Contains(calendar.TimeZones, tz => tz.TzId == "Europe/Istanbul");
            Assert.Contains("BEGIN:STANDARD", icsText); // the zone's rules travel with it (RFC 5545 §3.6.5)
        }

        // The coordinator sees both reminders as sent; the email folder can be browsed over HTTP.
        var view = await (await SendAsync(HttpMethod.Get, $"/api/meetings/{id}", FunctionKey)).Content.ReadFromJsonAsync<JsonElement>();
        Assert.All(view.GetProperty("reminders").EnumerateArray(), r => Assert.Equal("sent", r.GetProperty("state").GetString()));
        var index = await (await SendAsync(HttpMethod.Get, "/outbox/", MasterKey)).Content.ReadAsStringAsync();
        Assert.Contains("Smoke test — Sinop evaluation follow-up", index);

        // Running the timers again sends nothing twice.
        Assert.Equal(HttpStatusCode.Accepted, (await SendAsync(HttpMethod.Post, "/admin/functions/ScheduleDueReminders", MasterKey, new { input = "" })).StatusCode);
        Assert.Equal(HttpStatusCode.Accepted, (await SendAsync(HttpMethod.Post, "/admin/functions/DeliverReminders", MasterKey)).StatusCode);
        Assert.Equal(4, Directory.GetFiles(Outbox, "*.eml").Length);

        // Every log line of the run, at every level: ids only, never an address, a name, the agenda or a key. (The start
        // banner shows the local keys to the developer on purpose; it is not part of the log.)
        var output = Output();
        var bannerEnd = output.IndexOf("Ctrl+C stops it.", StringComparison.Ordinal);
        Assert.True(bannerEnd > 0, "the start banner is missing");
        var log = output[..output.IndexOf("LOCAL HOST", StringComparison.Ordinal)] + output[bannerEnd..];
        Assert.Contains("Sent reminder", log);
        Assert.Contains("Request starting", log); // ASP.NET Core's own request log is on, at every level ...
        Assert.Contains("code=[redacted]", log);  // ... and the key in the URL of the GET above is not in it
        foreach (var secret in new[] { "jiho@example.org", "ayse@example.org", "mehmet@example.org", "Park Ji-ho", "Ayşe", "Site studies", FunctionKey, MasterKey })
            Assert.DoesNotContain(secret, log);
    }

    [Fact]
    public async Task TheAdminFunctionListIsTheTableFromTheAttributesAndTheSampleDataLoads()
    {
        Assert.Equal(HttpStatusCode.Unauthorized, (await SendAsync(HttpMethod.Get, "/admin/functions", FunctionKey)).StatusCode);
        var table = await (await SendAsync(HttpMethod.Get, "/admin/functions", MasterKey)).Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal(36, table.GetArrayLength());
        Assert.Contains(table.EnumerateArray(), f => f.GetProperty("name").GetString() == "ApplyRetention"
            && f.GetProperty("schedule").GetString() == "%RetentionCron%" && f.GetProperty("resolvedSchedule").GetString() == "0 17 * * * *");
        Assert.Contains(table.EnumerateArray(), f => f.GetProperty("name").GetString() == "DeliverReminders"
            && f.GetProperty("schedule").GetString() == "%DeliverRemindersCron%" && f.GetProperty("resolvedSchedule").GetString() == "0 */1 * * * *"
            && f.GetProperty("disabled").GetBoolean());

        var loaded = await SendAsync(HttpMethod.Post, "/admin/sample-data", MasterKey);
        Assert.Equal(HttpStatusCode.Created, loaded.StatusCode);
        var meetings = (await loaded.Content.ReadFromJsonAsync<JsonElement>()).EnumerateArray().ToList();
        Assert.Equal(["joint-economic-committee", "nuclear-energy", "defence-industry", "biotechnology", "infrastructure-energy", "culture-humanitarian"],
            meetings.Select(m => m.GetProperty("track").GetString()));
        var now = DateTimeOffset.UtcNow;
        Assert.All(meetings, m =>
        {
            var due = m.GetProperty("firstReminderDue").GetDateTimeOffset();
            Assert.InRange(due, now.AddMinutes(1), now.AddMinutes(9));
        });
        var listed = await (await SendAsync(HttpMethod.Get, "/api/meetings", FunctionKey)).Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal(6, listed.GetProperty("items").GetArrayLength());
        var jec = await (await SendAsync(HttpMethod.Get, $"/api/meetings/{meetings[0].GetProperty("id").GetString()}", FunctionKey)).Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equivalent(new[] { "Asia/Seoul", "Europe/Istanbul", "Europe/Berlin" },
            jec.GetProperty("participants").EnumerateArray().Select(p => p.GetProperty("timeZone").GetString()).Distinct());
    }
}
