using System.Collections.Concurrent;
using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Summit.TestSupport.ServiceBus;
using Summit.TestSupport.LocalHost;
using Summit.TestSupport.SendGrid;
using Summit.TestSupport.Storage;

// The soak run: register meetings concurrently over HTTP against the local host process, walk its clock through
// every due moment (running both timers through the admin endpoint), cancel a tenth of the meetings midway, and
// check what SendGrid received. 1,000 meetings stay on: each of their 20 x 3 = 60,000 reminders must arrive exactly
// once. 111 more (a tenth of the 1,111 registered) are cancelled midway, after the tick that queued the reminders of
// that moment and before they are delivered: their earlier reminders arrive once, none queued or due after it does.
var invariant = CultureInfo.InvariantCulture;
var meetingCount = Option("--meetings", 1000);
var participantCount = Option("--participants", 20);
var clients = Option("--clients", 50);
var cancelledCount = Option("--cancelled", 111);
var output = args.SkipWhile(a => a != "--out").Skip(1).FirstOrDefault() ?? "artifacts/soak.json";
string[] offsets = ["P2D", "P1D", "PT2H"];

await Azurite.EnsureRunningAsync();
var repository = Summit.TestSupport.Repository.Root;
var configuration = AppContext.BaseDirectory.Contains($"{Path.DirectorySeparatorChar}Release{Path.DirectorySeparatorChar}", StringComparison.Ordinal) ? "Release" : "Debug";
await using var sendGrid = await FakeSendGrid.StartAsync();
// The production transport, Service Bus (the in-process AMQP broker with the real client), its clock moved with the
// host's so that locks and enqueue times agree with the host's "now" (a message scheduled ahead still waits its real
// delay: the walk's ticks run after each due moment, so nothing it sends is scheduled ahead). (Azurite's Storage Queue slows down as its
// backlog grows: 22,220 invitations at once ran at about 5 emails/s.)
var clock = new SoakClock();
await using var broker = await FakeServiceBusBroker.StartAsync(new FakeServiceBusBrokerOptions { TimeProvider = clock });
const string queueName = "soak-reminders";
await using var host = new LocalHostProcess(repository, Path.Combine(repository, "src", "Summit.LocalHost", "bin", configuration, "net10.0", "Summit.LocalHost.dll"));
foreach (var (key, value) in new Dictionary<string, string>
{
    ["LocalHost__ShiftableClock"] = "true",
    ["Email__Transport"] = "SendGrid",
    ["SendGrid__ApiKey"] = "soak-run",
    ["SendGrid__Host"] = sendGrid.BaseUrl,
    ["ReminderQueue__Transport"] = "ServiceBus",
    ["ServiceBus__ConnectionString"] = broker.ConnectionString,
    ["ServiceBus__QueueName"] = queueName,
    ["Delivery__MaxRunDuration"] = "00:00:40", // each admin run answers well within the HTTP timeout; the loop runs again
    ["Logging__LogLevel__Default"] = "Warning",
})
    host.Settings[key] = value;
Console.WriteLine($"Soak: {meetingCount} meetings that stay on and {cancelledCount} cancelled midway x {participantCount} participants x {offsets.Length} reminders, {clients} concurrent clients");
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
var registered = meetingCount + cancelledCount;
await Parallel.ForEachAsync(Enumerable.Range(0, registered), new ParallelOptions { MaxDegreeOfParallelism = clients }, async (i, ct) =>
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

// 2. Walk the clock through every due moment. Halfway, cancel the meetings numbered from meetingCount on, right after the
// tick that queued that moment's reminders: what is already queued for them must not be emailed either.
var dueMoments = meetings.Values.SelectMany(m => m.Reminders.Select(r => r.Due)).Distinct().Order().ToList();
var cancelled = new HashSet<string>();
var cancelStep = dueMoments.Count / 2;
var expected = new HashSet<string>();
int Queued() => broker.ActiveMessages(queueName).Count;
var queuedWhenCancelled = 0;
var delivery = Stopwatch.StartNew();
// The invitations first: every participant of every meeting gets one as soon as it is registered.
await Check(await host.RunTimerAsync("ScheduleDueReminders"), HttpStatusCode.Accepted);
var inviting = Stopwatch.StartNew();
while (sendGrid.AcceptedOf("invitation").Count < registered * participantCount || Queued() > 0)
{
    if (inviting.Elapsed > TimeSpan.FromMinutes(30)) throw new InvalidOperationException($"{sendGrid.AcceptedOf("invitation").Count} invitations after 30 minutes");
    await Check(await host.RunTimerAsync("DeliverReminders"), HttpStatusCode.Accepted);
}
var invitationSeconds = inviting.Elapsed.TotalSeconds;
Console.WriteLine($"{sendGrid.AcceptedOf("invitation").Count} invitations in {invitationSeconds:0} s");
for (var step = 0; step < dueMoments.Count; step++)
{
    var due = dueMoments[step];
    await Check(await host.SendAsync(HttpMethod.Post, "/admin/clock", LocalHostProcess.MasterKey, new { moveTo = due.AddSeconds(30) }), HttpStatusCode.OK);
    clock.MoveTo(due.AddSeconds(30));
    await Check(await host.RunTimerAsync("ScheduleDueReminders"), HttpStatusCode.Accepted);
    if (step == cancelStep)
    {
        queuedWhenCancelled = Queued();
        await Parallel.ForEachAsync(meetings.Where(m => m.Key >= meetingCount), new ParallelOptions { MaxDegreeOfParallelism = 8 }, async (m, ct) =>
        {
            var answer = await host.SendAsync(HttpMethod.Post, $"/api/meetings/{m.Value.Id}/cancel", LocalHostProcess.FunctionKey);
            if (answer.StatusCode != HttpStatusCode.OK) throw new InvalidOperationException($"Cancel {m.Value.Id}: {answer.StatusCode}");
        });
        foreach (var m in meetings.Where(m => m.Key >= meetingCount)) cancelled.Add(m.Value.Id);
        Console.WriteLine($"\nCancelled {cancelled.Count} meetings at due moment {step + 1} of {dueMoments.Count}, with {queuedWhenCancelled} messages queued");
    }
    foreach (var meeting in meetings.Values.Where(m => !cancelled.Contains(m.Id)))
        foreach (var reminder in meeting.Reminders.Where(r => r.Due == due)) expected.Add(reminder.ReminderId);
    var deadline = Stopwatch.StartNew();
    while (sendGrid.AcceptedReminderCount < expected.Count || Queued() > 0)
    {
        if (deadline.Elapsed > TimeSpan.FromMinutes(5)) throw new InvalidOperationException($"Step {step}: {sendGrid.AcceptedReminderCount} of {expected.Count} emails after 5 minutes");
        await Check(await host.RunTimerAsync("DeliverReminders"), HttpStatusCode.Accepted);
    }
    Console.Write($"\r{step + 1}/{dueMoments.Count} due moments, {sendGrid.AcceptedReminderCount} emails, {delivery.Elapsed.TotalSeconds:0} s");
}
delivery.Stop();
Console.WriteLine();

// 3. Every reminder of the meetings that stayed on exactly once; a cancelled meeting's reminders only if due before its
// cancellation, once; notices: one invitation per participant of every meeting, one cancellation per participant of
// each cancelled one.
var sent = sendGrid.Reminders.Select(m => m.CustomArg("reminder_id")).ToList();
var invitations = sendGrid.AcceptedOf("invitation").Select(m => m.CustomArg("reminder_id")).ToList();
var cancellations = sendGrid.AcceptedOf("cancellation").Select(m => m.CustomArg("reminder_id")).ToList();
var noticesOk = invitations.Count == registered * participantCount && invitations.Distinct().Count() == invitations.Count
    && cancellations.Count == cancelled.Count * participantCount && cancellations.Distinct().Count() == cancellations.Count;
var duplicates = sent.GroupBy(r => r).Count(g => g.Count() > 1);
var missing = expected.Except(sent).Count();
var unexpected = sent.Except(expected).Count();
var keptIds = meetings.Where(m => m.Key < meetingCount).Select(m => m.Value.Id).ToHashSet();
var keptReminders = meetings.Where(m => m.Key < meetingCount).Sum(m => m.Value.Reminders.Count);
var keptSent = sent.Count(r => keptIds.Contains(r.Split('.')[0]));
var cancelledAt = dueMoments[cancelStep];
var cancelledBefore = sent.Count(r => cancelled.Contains(r.Split('.')[0]));
var cancelledOwed = meetings.Where(m => m.Key >= meetingCount).Sum(m => m.Value.Reminders.Count(r => r.Due < cancelledAt));
var cancelledQueued = meetings.Where(m => m.Key >= meetingCount).Sum(m => m.Value.Reminders.Count(r => r.Due == cancelledAt));
var cancelledLater = meetings.Where(m => m.Key >= meetingCount).Sum(m => m.Value.Reminders.Count(r => r.Due > cancelledAt));
var afterCancel = sent.Count(r => cancelled.Contains(r.Split('.')[0])
    && meetings.Values.First(m => m.Id == r.Split('.')[0]).Reminders.Single(x => x.ReminderId == r).Due >= cancelledAt);
var result = new
{
    machine = $"{Environment.ProcessorCount} cores, {Environment.OSVersion}, .NET {Environment.Version}",
    meetings = registered, participants = participantCount, reminders = registered * participantCount * offsets.Length,
    meetingsKept = meetingCount, remindersOfKeptMeetings = keptReminders, cancelledMeetings = cancelled.Count,
    registration = new { seconds = Math.Round(registration.Elapsed.TotalSeconds, 1), requestsPerSecond = Math.Round(registered / registration.Elapsed.TotalSeconds), p50Ms = Math.Round(Percentile(0.5)), p95Ms = Math.Round(Percentile(0.95)), p99Ms = Math.Round(Percentile(0.99)) },
    cancellation = new { atDueMoment = cancelStep + 1, messagesQueuedAtThatMoment = queuedWhenCancelled, remindersDueBefore = cancelledOwed, remindersQueuedWhenCancelled = cancelledQueued, remindersDueAfter = cancelledLater },
    delivery = new { invitationSeconds = Math.Round(invitationSeconds, 1), dueMoments = dueMoments.Count, seconds = Math.Round(delivery.Elapsed.TotalSeconds, 1), emailsPerSecond = Math.Round(sendGrid.Accepted.Count / delivery.Elapsed.TotalSeconds) },
    deadLettered = broker.DeadLetteredMessages(queueName).Count,
    emails = new { expected = expected.Count, sent = sent.Count, ofKeptMeetings = keptSent, ofCancelledMeetingsBeforeCancelling = cancelledBefore, sendGridRequests = sendGrid.Requests.Count, duplicates, missing, unexpected, afterCancellation = afterCancel },
    notices = new { invitations = invitations.Count, cancellations = cancellations.Count, ok = noticesOk },
};
Directory.CreateDirectory(Path.GetDirectoryName(Path.GetFullPath(output))!);
await File.WriteAllTextAsync(output, JsonSerializer.Serialize(result, new JsonSerializerOptions { WriteIndented = true }));
Console.WriteLine(JsonSerializer.Serialize(result, new JsonSerializerOptions { WriteIndented = true }));
var ok = broker.DeadLetteredMessages(queueName).Count == 0 && duplicates == 0 && missing == 0 && unexpected == 0 && afterCancel == 0 && sent.Count == expected.Count && noticesOk
    && keptSent == keptReminders && cancelledBefore == cancelledOwed;
Console.WriteLine(ok ? $"PASS: all {keptReminders} reminders of the meetings that stayed on exactly once, none after a cancellation; one invitation and one cancellation each." : "FAIL: see the counts above.");
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

/// <summary>The broker's clock: real time moved forward with the host's (POST /admin/clock), so that scheduled messages
/// and locks follow the same "now" as the host.</summary>
sealed class SoakClock : TimeProvider
{
    private long _offsetTicks;
    public override DateTimeOffset GetUtcNow() => System.GetUtcNow() + TimeSpan.FromTicks(Interlocked.Read(ref _offsetTicks));
    public void MoveTo(DateTimeOffset at) => Interlocked.Exchange(ref _offsetTicks, Math.Max(Interlocked.Read(ref _offsetTicks), (at - System.GetUtcNow()).Ticks));
}
