using System.Collections.Concurrent;
using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Azure.Storage.Queues;
using Summit.TestSupport.LocalHost;
using Summit.TestSupport.SendGrid;
using Summit.TestSupport.Storage;

// The soak run: register meetings concurrently over HTTP against the local host process, walk its clock through
// every due moment (running both timers through the admin endpoint), cancel a tenth of the meetings midway, and
// check that SendGrid received every reminder that was due exactly once and none of a cancelled meeting after it.
var invariant = CultureInfo.InvariantCulture;
var meetingCount = Option("--meetings", 1000);
var participantCount = Option("--participants", 20);
var clients = Option("--clients", 50);
var cancelEvery = Option("--cancel-every", 10);
var output = args.SkipWhile(a => a != "--out").Skip(1).FirstOrDefault() ?? "artifacts/soak.json";
string[] offsets = ["P2D", "P1D", "PT2H"];

await Azurite.EnsureRunningAsync();
var repository = Summit.TestSupport.Repository.Root;
var configuration = AppContext.BaseDirectory.Contains($"{Path.DirectorySeparatorChar}Release{Path.DirectorySeparatorChar}", StringComparison.Ordinal) ? "Release" : "Debug";
await using var sendGrid = await FakeSendGrid.StartAsync();
await using var host = new LocalHostProcess(repository, Path.Combine(repository, "src", "Summit.LocalHost", "bin", configuration, "net10.0", "Summit.LocalHost.dll"));
foreach (var (key, value) in new Dictionary<string, string>
{
    ["LocalHost__ShiftableClock"] = "true",
    ["Email__Transport"] = "SendGrid",
    ["SendGrid__ApiKey"] = "soak-run",
    ["SendGrid__Host"] = sendGrid.BaseUrl,
    ["Delivery__MaxConcurrency"] = "32",
    ["Delivery__ReceiveBatchSize"] = "32",
    ["Delivery__MaxMessagesPerRun"] = "20000",
    ["Delivery__MaxRunDuration"] = "00:00:40", // each admin run answers well within the HTTP timeout; the loop runs again
    ["Logging__LogLevel__Default"] = "Warning",
})
    host.Settings[key] = value;
Console.WriteLine($"Soak: {meetingCount} meetings x {participantCount} participants x {offsets.Length} reminders, {clients} concurrent clients");
await host.StartAsync();

try
{
    return await RunAsync();
}
catch (Exception ex)
{
    var log = host.Output;
    Console.Error.WriteLine($"FAIL: {ex.Message}\nHost exited: {host.HasExited}\nLast host output:\n{log[Math.Max(0, log.Length - 4000)..]}");
    return 2;
}

async Task<int> RunAsync()
{
// 1. Registration, concurrently over HTTP.
var origin = DateTimeOffset.UtcNow;
var meetings = new ConcurrentDictionary<int, (string Id, List<(string ReminderId, DateTimeOffset Due)> Reminders)>();
var latencies = new ConcurrentBag<double>();
var registration = Stopwatch.StartNew();
await Parallel.ForEachAsync(Enumerable.Range(0, meetingCount), new ParallelOptions { MaxDegreeOfParallelism = clients }, async (i, ct) =>
{
    var zone = i % 2 == 0 ? "Asia/Seoul" : "Europe/Istanbul";
    var start = TimeZoneInfo.ConvertTime(origin.AddDays(3).AddHours(3 * (i % 20)), TimeZoneInfo.FindSystemTimeZoneById(zone));
    var body = new
    {
        title = $"Soak meeting {i}",
        track = "joint-economic-committee",
        start = start.ToString("yyyy-MM-dd'T'HH:mm", invariant),
        timeZone = zone,
        coordinator = new { name = "Soak coordinator", email = "coordinator@soak.example.org" },
        participants = Enumerable.Range(0, participantCount).Select(p => new { name = $"Participant {p}", email = $"m{i}-p{p}@soak.example.org" }).ToArray(),
        reminderOffsets = offsets,
    };
    var watch = Stopwatch.StartNew();
    var response = await host.SendAsync(HttpMethod.Post, "/api/meetings", LocalHostProcess.FunctionKey, body);
    latencies.Add(watch.Elapsed.TotalMilliseconds);
    if (response.StatusCode != HttpStatusCode.Created) throw new InvalidOperationException($"Registration {i}: {response.StatusCode} {await response.Content.ReadAsStringAsync(ct)}");
    var json = await response.Content.ReadFromJsonAsync<JsonElement>(ct);
    meetings[i] = (json.GetProperty("id").GetString()!, json.GetProperty("reminders").EnumerateArray()
        .Select(r => (r.GetProperty("id").GetString()!, r.GetProperty("dueAt").GetDateTimeOffset())).ToList());
});
registration.Stop();
var sorted = latencies.Order().ToArray();
double Percentile(double p) => sorted[Math.Min(sorted.Length - 1, (int)Math.Ceiling(p * sorted.Length) - 1)];
Console.WriteLine($"Registered {meetings.Count} meetings in {registration.Elapsed.TotalSeconds:0.0} s ({meetings.Count / registration.Elapsed.TotalSeconds:0} req/s); " +
    $"latency p50 {Percentile(0.50):0} ms, p95 {Percentile(0.95):0} ms, p99 {Percentile(0.99):0} ms");

// 2. Walk the clock through every due moment; cancel every tenth meeting halfway.
var dueMoments = meetings.Values.SelectMany(m => m.Reminders.Select(r => r.Due)).Distinct().Order().ToList();
var cancelled = new HashSet<string>();
DateTimeOffset? cancelledAt = null;
var expected = new HashSet<string>();
var queue = new QueueClient(Azurite.ConnectionString, host.QueueName);
var delivery = Stopwatch.StartNew();
for (var step = 0; step < dueMoments.Count; step++)
{
    if (step == dueMoments.Count / 2)
    {
        cancelledAt = dueMoments[step - 1].AddSeconds(30);
        foreach (var (i, meeting) in meetings.Where(m => m.Key % cancelEvery == 0))
        {
            var answer = await host.SendAsync(HttpMethod.Post, $"/api/meetings/{meeting.Id}/cancel", LocalHostProcess.FunctionKey);
            if (answer.StatusCode != HttpStatusCode.OK) throw new InvalidOperationException($"Cancel {meeting.Id}: {answer.StatusCode}");
            cancelled.Add(meeting.Id);
        }
        Console.WriteLine($"Cancelled {cancelled.Count} meetings after {step} of {dueMoments.Count} due moments");
    }
    var due = dueMoments[step];
    foreach (var meeting in meetings.Values.Where(m => !cancelled.Contains(m.Id)))
        foreach (var reminder in meeting.Reminders.Where(r => r.Due == due)) expected.Add(reminder.ReminderId);
    await Check(await host.SendAsync(HttpMethod.Post, "/admin/clock", LocalHostProcess.MasterKey, new { moveTo = due.AddSeconds(30) }), HttpStatusCode.OK);
    await Check(await host.RunTimerAsync("ScheduleDueReminders"), HttpStatusCode.Accepted);
    var deadline = Stopwatch.StartNew();
    while (sendGrid.AcceptedReminderCount < expected.Count || (await queue.GetPropertiesAsync()).Value.ApproximateMessagesCount > 0)
    {
        if (deadline.Elapsed > TimeSpan.FromMinutes(5)) throw new InvalidOperationException($"Step {step}: {sendGrid.AcceptedReminderCount} of {expected.Count} emails after 5 minutes");
        await Check(await host.RunTimerAsync("DeliverReminders"), HttpStatusCode.Accepted);
    }
    Console.Write($"\r{step + 1}/{dueMoments.Count} due moments, {sendGrid.AcceptedReminderCount} emails, {delivery.Elapsed.TotalSeconds:0} s");
}
delivery.Stop();
Console.WriteLine();

// 3. Every reminder that was due exactly once; nothing for a cancelled meeting after its cancellation.
var sent = sendGrid.Reminders.Select(m => m.CustomArg("reminder_id")).ToList();
// Notices too: one invitation per participant of every meeting, one cancellation per participant of each cancelled one.
var invitations = sendGrid.AcceptedOf("invitation").Select(m => m.CustomArg("reminder_id")).ToList();
var cancellations = sendGrid.AcceptedOf("cancellation").Select(m => m.CustomArg("reminder_id")).ToList();
var noticesOk = invitations.Count == meetingCount * participantCount && invitations.Distinct().Count() == invitations.Count
    && cancellations.Count == cancelled.Count * participantCount && cancellations.Distinct().Count() == cancellations.Count;
var duplicates = sent.GroupBy(r => r).Count(g => g.Count() > 1);
var missing = expected.Except(sent).Count();
var unexpected = sent.Except(expected).Count();
var afterCancel = sent.Count(r => cancelled.Contains(r.Split('.')[0])
    && meetings.Values.First(m => m.Id == r.Split('.')[0]).Reminders.Single(x => x.ReminderId == r).Due > cancelledAt);
var total = meetingCount * participantCount * offsets.Length;
var result = new
{
    machine = $"{Environment.ProcessorCount} cores, {Environment.OSVersion}, .NET {Environment.Version}",
    meetings = meetingCount, participants = participantCount, reminders = total, cancelledMeetings = cancelled.Count,
    registration = new { seconds = Math.Round(registration.Elapsed.TotalSeconds, 1), requestsPerSecond = Math.Round(meetingCount / registration.Elapsed.TotalSeconds), p50Ms = Math.Round(Percentile(0.5)), p95Ms = Math.Round(Percentile(0.95)), p99Ms = Math.Round(Percentile(0.99)) },
    delivery = new { dueMoments = dueMoments.Count, seconds = Math.Round(delivery.Elapsed.TotalSeconds, 1), emailsPerSecond = Math.Round(sent.Count / delivery.Elapsed.TotalSeconds) },
    emails = new { expected = expected.Count, sent = sent.Count, sendGridRequests = sendGrid.Requests.Count, duplicates, missing, unexpected, afterCancellation = afterCancel },
    notices = new { invitations = invitations.Count, cancellations = cancellations.Count, ok = noticesOk },
};
Directory.CreateDirectory(Path.GetDirectoryName(Path.GetFullPath(output))!);
await File.WriteAllTextAsync(output, JsonSerializer.Serialize(result, new JsonSerializerOptions { WriteIndented = true }));
Console.WriteLine(JsonSerializer.Serialize(result, new JsonSerializerOptions { WriteIndented = true }));
var ok = duplicates == 0 && missing == 0 && unexpected == 0 && afterCancel == 0 && sent.Count == expected.Count && noticesOk;
Console.WriteLine(ok ? "PASS: every due reminder exactly once, none after a cancellation; one invitation and one cancellation each." : "FAIL: see the counts above.");
return ok ? 0 : 1;
}

int Option(string name, int fallback)
{
    var index = Array.IndexOf(args, name);
    return index >= 0 && index + 1 < args.Length ? int.Parse(args[index + 1], CultureInfo.InvariantCulture) : fallback;
}

static async Task Check(HttpResponseMessage response, HttpStatusCode expected)
{
    if (response.StatusCode != expected)
        throw new InvalidOperationException($"{response.RequestMessage?.RequestUri}: {response.StatusCode} {await response.Content.ReadAsStringAsync()}");
}
