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
using Summit.TestSupport.Storage;

namespace Summit.LocalHost.Tests;

/// <summary>
/// The local host as ops run it: a separate process on a free port, configured by a local.settings.json made from the
/// sample, against Azurite. Real HTTP, real keys, the timers run through the admin endpoint, the email read from disk.
/// </summary>
public sealed class LocalHostSmokeTests : IAsyncLifetime
{
    private const string FunctionKey = "smoke-function-key-0123456789";
    private const string MasterKey = "smoke-master-key-0123456789";
    private readonly string _work = Path.Combine(Path.GetTempPath(), "summit-localhost-" + Guid.NewGuid().ToString("N"));
    private readonly string _tablePrefix = Azurite.NewTablePrefix();
    private readonly string _queue = "t" + Guid.NewGuid().ToString("N")[..16];
    private readonly StringBuilder _output = new();
    private Process _host = null!;
    private HttpClient _http = null!;

    private string Outbox => Path.Combine(_work, "outbox");

    public async Task InitializeAsync()
    {
        await Azurite.EnsureRunningAsync();
        Directory.CreateDirectory(_work);
        var settings = JsonNode.Parse(await File.ReadAllTextAsync(Path.Combine(Paths.Repository, "local.settings.sample.json")))!;
        var values = settings["Values"]!.AsObject();
        values["Storage__ConnectionString"] = Azurite.ConnectionString;
        values["Storage__TablePrefix"] = _tablePrefix;
        values["StorageQueue__ConnectionString"] = Azurite.ConnectionString;
        values["StorageQueue__QueueName"] = _queue;
        values["Email__PickupFolder"] = Outbox;
        values["LocalHost__FunctionKey"] = FunctionKey;
        values["LocalHost__MasterKey"] = MasterKey;
        // Timers disabled as on the real host, so they do not fire on their own: the test runs them through the admin endpoint.
        values["AzureWebJobs.ScheduleDueReminders.Disabled"] = "true";
        values["AzureWebJobs.DeliverReminders.Disabled"] = "true";
        values["Delivery__ReceiveWait"] = "00:00:01";
        var settingsFile = Path.Combine(_work, "local.settings.json");
        await File.WriteAllTextAsync(settingsFile, settings.ToJsonString());

        var port = FreePort();
        var start = new ProcessStartInfo("dotnet")
        {
            WorkingDirectory = _work,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var arg in new[] { Path.Combine(Paths.LocalHostOutput, "Summit.LocalHost.dll"), "--settings", settingsFile, "--port", port.ToString(System.Globalization.CultureInfo.InvariantCulture) })
            start.ArgumentList.Add(arg);
        _host = Process.Start(start)!;
        _host.OutputDataReceived += (_, e) => { lock (_output) _output.AppendLine(e.Data); };
        _host.ErrorDataReceived += (_, e) => { lock (_output) _output.AppendLine(e.Data); };
        _host.BeginOutputReadLine();
        _host.BeginErrorReadLine();
        _http = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{port}"), Timeout = TimeSpan.FromSeconds(30) };
        await WaitUntilHealthyAsync();
    }

    public async Task DisposeAsync()
    {
        if (!_host.HasExited) _host.Kill(entireProcessTree: true);
        await _host.WaitForExitAsync();
        _http.Dispose();
        try
        {
            await Azurite.DeleteTablesAsync(_tablePrefix);
            await new QueueClient(Azurite.ConnectionString, _queue).DeleteIfExistsAsync();
            await new QueueClient(Azurite.ConnectionString, _queue + "-poison").DeleteIfExistsAsync();
        }
        catch (Exception) { /* best-effort clean-up */ }
        if (Directory.Exists(_work)) Directory.Delete(_work, recursive: true);
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    private string Output()
    {
        lock (_output) return _output.ToString();
    }

    private async Task WaitUntilHealthyAsync()
    {
        var deadline = DateTime.UtcNow.AddSeconds(60);
        while (DateTime.UtcNow < deadline)
        {
            if (_host.HasExited) Assert.Fail("The local host exited during start:\n" + Output());
            try
            {
                if ((await _http.GetAsync("/api/health")).StatusCode == HttpStatusCode.OK) return;
            }
            catch (HttpRequestException) { /* not listening yet */ }
            await Task.Delay(250);
        }
        Assert.Fail("The local host did not become healthy within 60 s:\n" + Output());
    }

    private Task<HttpResponseMessage> SendAsync(HttpMethod method, string path, string? key, object? body = null)
    {
        var request = new HttpRequestMessage(method, path);
        if (key is not null) request.Headers.Add("x-functions-key", key);
        if (body is not null) request.Content = JsonContent.Create(body);
        return _http.SendAsync(request);
    }

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
        Assert.Equal(HttpStatusCode.OK, (await _http.GetAsync($"/api/meetings/{id}?code={FunctionKey}")).StatusCode);

        // The admin endpoint needs the master key, not the function key.
        Assert.Equal(HttpStatusCode.Unauthorized, (await SendAsync(HttpMethod.Post, "/admin/functions/ScheduleDueReminders", FunctionKey)).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await SendAsync(HttpMethod.Post, "/admin/functions/NoSuchFunction", MasterKey)).StatusCode);
        Assert.Equal(HttpStatusCode.Accepted, (await SendAsync(HttpMethod.Post, "/admin/functions/ScheduleDueReminders", MasterKey)).StatusCode);

        var deadline = DateTime.UtcNow.AddSeconds(40);
        while (Directory.GetFiles(Outbox, "*.eml").Length < 2 && DateTime.UtcNow < deadline)
            Assert.Equal(HttpStatusCode.Accepted, (await SendAsync(HttpMethod.Post, "/admin/functions/DeliverReminders", MasterKey)).StatusCode);

        var emails = Directory.GetFiles(Outbox, "*.eml").Select(f => MimeMessage.Load(f)).ToList();
        Assert.True(emails.Count == 2, "Expected two emails; host output:\n" + Output());
        Assert.Equivalent(new[] { "jiho@example.org", "ayse@example.org" }, emails.Select(e => e.To.Mailboxes.Single().Address));
        foreach (var email in emails)
        {
            Assert.Equal("Reminder: Smoke test — Sinop evaluation follow-up starts in 5 minutes", email.Subject);
            var invite = Assert.Single(email.Attachments.OfType<MimePart>(), p => p.ContentType.MimeType == "text/calendar");
            using var ics = new MemoryStream();
            await invite.Content!.DecodeToAsync(ics);
            var calendar = Calendar.Load(Encoding.UTF8.GetString(ics.ToArray()))!;
            Assert.Equal("REQUEST", calendar.Method);
            Assert.Equal($"{id}@summit-followups", Assert.Single(calendar.Events).Uid);
        }

        // The coordinator sees both reminders as sent; the email folder can be browsed over HTTP.
        var view = await (await SendAsync(HttpMethod.Get, $"/api/meetings/{id}", FunctionKey)).Content.ReadFromJsonAsync<JsonElement>();
        Assert.All(view.GetProperty("reminders").EnumerateArray(), r => Assert.Equal("sent", r.GetProperty("state").GetString()));
        var index = await _http.GetStringAsync("/outbox/");
        Assert.Contains("Smoke test — Sinop evaluation follow-up", index);

        // Running the timers again sends nothing twice.
        Assert.Equal(HttpStatusCode.Accepted, (await SendAsync(HttpMethod.Post, "/admin/functions/ScheduleDueReminders", MasterKey)).StatusCode);
        Assert.Equal(HttpStatusCode.Accepted, (await SendAsync(HttpMethod.Post, "/admin/functions/DeliverReminders", MasterKey)).StatusCode);
        Assert.Equal(2, Directory.GetFiles(Outbox, "*.eml").Length);
    }

    [Fact]
    public async Task TheAdminFunctionListIsTheTableFromTheAttributesAndTheSampleDataLoads()
    {
        Assert.Equal(HttpStatusCode.Unauthorized, (await SendAsync(HttpMethod.Get, "/admin/functions", FunctionKey)).StatusCode);
        var table = await (await SendAsync(HttpMethod.Get, "/admin/functions", MasterKey)).Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal(12, table.GetArrayLength());
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
