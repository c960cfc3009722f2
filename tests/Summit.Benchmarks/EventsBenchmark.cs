using System.Diagnostics;
using System.Globalization;
using System.Text;
using System.Text.Json;
using Azure.Data.Tables;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.Abstractions;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using Summit.Functions.Webhooks;
using Summit.Reminders.Delivery;
using Summit.Reminders.Infrastructure.Tables;
using Summit.Reminders.Meetings;
using Summit.Reminders.Ports;
using Summit.Reminders.Scheduling;
using Summit.TestSupport.SendGrid;
using Summit.TestSupport.ServiceBus;

namespace Summit.Benchmarks;

/// <summary>One signed webhook request: its events, the meetings they name, the time to the function's answer, and the
/// storage requests (reads, writes) and CPU (this process, and Azurite's when its process id is known) it took.</summary>
public sealed record EventBatchRow(int Batch, int Events, int Meetings, double Ms, double EventsPerSecond, int Requests, int Reads, int Writes,
    double RequestsPerEvent, int Applied, int Duplicates, int Unknown, double WorkerCpuMs, double? AzuriteCpuMs, int Status);

public sealed record EventsResult(int Meetings, int Participants, int Emails, int EmailsWithEvents, int Events, int BatchSize,
    IReadOnlyDictionary<string, int> Mix, double RegisterSeconds, double DeliverSeconds, IReadOnlyList<EventBatchRow> Batches, EventBatchRow Replay,
    double Seconds, double EventsPerSecond, int Requests, int Writes, double RequestsPerEvent, double MeanBatchMs, double MaxBatchMs,
    int LedgerRowsBefore, int LedgerRowsAfter, double PartitionQueryMsBefore, double PartitionQueryMsAfter,
    double VerifyAndParseMs, IReadOnlyDictionary<string, int> FinalStatuses, int Undeliverable, string LoadAverageBefore, string LoadAverageAfter);

/// <summary>
/// Benchmark 5: SendGrid's Event Webhook at volume. Meetings are registered and their invitations delivered through the
/// real pipeline, so every email has its ledger row; then SendGrid's events about those emails (processed and delivered
/// mostly, some deferred first, hard and soft bounces, drops, and a few for emails we do not know) are posted in signed
/// batches through the function itself (<see cref="SendGridEventsApi.Receive"/>, a request built as the host builds it and
/// its result executed), one batch after another as SendGrid posts them. The last step posts the first batch again, as
/// SendGrid does when it did not get a 2xx in time: it must write nothing.
/// </summary>
public static class EventsBenchmark
{
    public static async Task<EventsResult> RunAsync(int meetings, int participants, int eventCount, int batchSize, RequestCounter requests)
    {
        using var signer = new EventWebhookSigner();
        await using var sendGrid = await FakeSendGrid.StartAsync(); // answers 202 at once, and records the custom_args
        await using var broker = await FakeServiceBusBroker.StartAsync();
        await using var services = BenchApp.Build(sendGrid, broker, new Dictionary<string, string>
        {
            ["EventWebhook:PublicKey"] = signer.PublicKey,
            ["Delivery:MaxMessagesPerRun"] = "100000",
            ["Delivery:ReceiveWait"] = "00:00:01",
        }, decorate: s => s.AddMvcCore());

        // The meetings start in 30 days with a 1-day reminder: only their invitations are due now.
        var register = Stopwatch.StartNew();
        var meetingService = services.GetRequiredService<MeetingService>();
        var start = DateTimeOffset.UtcNow.AddDays(30).ToString("yyyy-MM-dd'T'HH:mm", CultureInfo.InvariantCulture);
        await Parallel.ForEachAsync(Enumerable.Range(0, meetings), new ParallelOptions { MaxDegreeOfParallelism = 8 }, async (m, ct) =>
        {
            var result = await meetingService.RegisterAsync(new MeetingDraft
            {
                Title = $"Events benchmark meeting {m}", Track = "joint-economic-committee", TimeZone = "Etc/UTC", Start = start,
                Coordinator = new PersonDraft { Name = "Coordinator", Email = "coordinator@example.org" },
                Participants = Enumerable.Range(0, participants).Select(p => (ParticipantDraft?)new ParticipantDraft { Name = $"P{p}", Email = $"p{m}-{p}@example.org" }).ToList(),
                ReminderOffsets = ["P1D"],
            }, null, ct);
            if (result is not MeetingResult.Created) throw new InvalidOperationException($"registration failed: {result}");
        });
        register.Stop();

        var deliver = Stopwatch.StartNew();
        var emails = meetings * participants;
        var scheduler = services.GetRequiredService<ReminderScheduler>();
        var queued = 0;
        while (queued < emails && deliver.Elapsed < TimeSpan.FromMinutes(5)) queued += (await scheduler.TickAsync(default)).Messages;
        var delivery = services.GetRequiredService<ReminderDelivery>();
        while (sendGrid.AcceptedCount < emails && deliver.Elapsed < TimeSpan.FromMinutes(10)) await delivery.RunAsync(default);
        deliver.Stop();
        var sent = sendGrid.Accepted.Select(m => (Meeting: m.CustomArg("meeting_id"), Reminder: m.CustomArg("reminder_id"))).ToList();
        if (sent.Count != emails) throw new InvalidOperationException($"{sent.Count} of {emails} invitations sent");

        var plan = Plan(sent, eventCount, batchSize);
        var tables = services.GetRequiredService<SummitTables>();
        var ledger = services.GetRequiredService<IDeliveryLedger>();
        var probe = sent[0];
        async Task<double> PartitionQueryMsAsync()
        {
            // What the service does once per meeting per batch: the meeting's ledger partition, read whole.
            var timer = Stopwatch.StartNew();
            for (var i = 0; i < 20; i++) await ledger.FindTrackedAsync(probe.Meeting, new HashSet<string> { probe.Reminder }, default);
            return Math.Round(timer.Elapsed.TotalMilliseconds / 20, 2);
        }
        var rowsBefore = await CountRowsAsync(tables.Ledger, null);
        var queryBefore = await PartitionQueryMsAsync();

        var api = ActivatorUtilities.CreateInstance<SendGridEventsApi>(services);
        var azurite = AzuriteCpu.FromEnvironment();
        async Task<EventBatchRow> PostAsync(int number, IReadOnlyList<PlannedEvent> batch)
        {
            // SendGrid's side, not timed: the body and its signature.
            var body = EventWebhookSigner.Body(batch.Select(e => e.Payload));
            var timestamp = EventWebhookSigner.Timestamp(DateTimeOffset.UtcNow);
            var signature = signer.Sign(body, timestamp);
            var cpuBefore = Process.GetCurrentProcess().TotalProcessorTime;
            var azuriteBefore = azurite?.Milliseconds();
            requests.Reset();
            var watch = Stopwatch.StartNew();
            var (status, answer) = await CallAsync(services, api, body, signature, timestamp);
            watch.Stop();
            var (count, writes) = (requests.Count, requests.Writes);
            var cpu = (Process.GetCurrentProcess().TotalProcessorTime - cpuBefore).TotalMilliseconds;
            var azuriteCpu = azurite?.Milliseconds() - azuriteBefore;
            if (status != 200) throw new InvalidOperationException($"batch {number} answered {status}: {answer}");
            using var json = JsonDocument.Parse(answer);
            int Field(string name) => json.RootElement.GetProperty(name).GetInt32();
            return new EventBatchRow(number, batch.Count, batch.Select(e => e.MeetingId).Distinct(StringComparer.Ordinal).Count(),
                Math.Round(watch.Elapsed.TotalMilliseconds, 1), Math.Round(batch.Count / watch.Elapsed.TotalSeconds),
                count, count - writes, writes, Math.Round((double)count / batch.Count, 3), Field("applied"), Field("duplicates"), Field("unknown"),
                Math.Round(cpu), azuriteCpu is { } a ? Math.Round(a) : null, status);
        }

        // The machine is shared: its load (1, 5 and 15 minutes) when the batches start and when they end.
        static string Load() => File.Exists("/proc/loadavg") ? string.Join(' ', File.ReadAllText("/proc/loadavg").Split(' ').Take(3)) : "";
        var loadBefore = Load();
        var rows = new List<EventBatchRow>();
        var all = Stopwatch.StartNew();
        for (var i = 0; i < plan.Batches.Count; i++)
        {
            var row = await PostAsync(i + 1, plan.Batches[i]);
            rows.Add(row);
            Console.Error.WriteLine($"  batch {row.Batch}: {row.Ms,7:N0} ms, {row.Requests} requests ({row.Writes} writes), {row.Meetings} meetings, applied {row.Applied}, unknown {row.Unknown}");
        }
        all.Stop();
        var loadAfter = Load();
        // SendGrid retries a batch whole when our 2xx did not reach it: the same events, signed anew.
        var replay = await PostAsync(1, plan.Batches[0]);
        if (replay.Applied != 0 || replay.Writes != 0) throw new InvalidOperationException($"the replay applied {replay.Applied} events with {replay.Writes} writes");

        var queryAfter = await PartitionQueryMsAsync();
        // The part of a batch that is not storage: the signature checked and the 1,000 events parsed (best of five).
        var source = services.GetRequiredService<IProviderEventSource>();
        var firstBody = EventWebhookSigner.Body(plan.Batches[0].Select(e => e.Payload));
        var verifyMs = double.MaxValue;
        for (var i = 0; i < 5; i++)
        {
            var stamp = EventWebhookSigner.Timestamp(DateTimeOffset.UtcNow);
            var signature = signer.Sign(firstBody, stamp);
            var timer = Stopwatch.StartNew();
            if (source.Read(firstBody, signature, stamp).Batch is null) throw new InvalidOperationException("the batch did not verify");
            verifyMs = Math.Min(verifyMs, timer.Elapsed.TotalMilliseconds);
        }
        var rowsAfter = await CountRowsAsync(tables.Ledger, null);
        // What the ledger holds now, against what the events say: each email's status is its highest-ranked event's.
        var statuses = new Dictionary<string, int>(StringComparer.Ordinal);
        var undeliverable = 0;
        await foreach (var e in tables.Ledger.QueryAsync<TableEntity>("RowKey ge 'evt-' and RowKey lt 'evt.'", select: ["Status", "Undeliverable"]))
        {
            var name = e.GetString("Status") ?? "(none)";
            statuses[name] = statuses.GetValueOrDefault(name) + 1;
            if (e.GetBoolean("Undeliverable") == true) undeliverable++;
        }
        var expected = plan.ExpectedStatuses;
        if (!expected.OrderBy(kv => kv.Key).SequenceEqual(statuses.OrderBy(kv => kv.Key)) || undeliverable != plan.ExpectedUndeliverable)
            throw new InvalidOperationException($"ledger statuses {Show(statuses)} ({undeliverable} undeliverable), expected {Show(expected)} ({plan.ExpectedUndeliverable})");
        var applied = rows.Sum(r => r.Applied);
        if (applied != eventCount - plan.Unknown || rows.Sum(r => r.Unknown) != plan.Unknown || rows.Sum(r => r.Duplicates) != 0)
            throw new InvalidOperationException($"applied {applied}, unknown {rows.Sum(r => r.Unknown)}, duplicates {rows.Sum(r => r.Duplicates)}; expected {eventCount - plan.Unknown}, {plan.Unknown}, 0");

        var total = rows.Sum(r => r.Requests);
        return new EventsResult(meetings, participants, emails, plan.EmailsWithEvents, eventCount, batchSize, plan.Mix,
            Math.Round(register.Elapsed.TotalSeconds, 1), Math.Round(deliver.Elapsed.TotalSeconds, 1), rows, replay,
            Math.Round(all.Elapsed.TotalSeconds, 1), Math.Round(eventCount / all.Elapsed.TotalSeconds), total, rows.Sum(r => r.Writes),
            Math.Round((double)total / eventCount, 3), Math.Round(rows.Average(r => r.Ms)), rows.Max(r => r.Ms),
            rowsBefore, rowsAfter, queryBefore, queryAfter, Math.Round(verifyMs, 1), statuses, undeliverable, loadBefore, loadAfter);
    }

    private static string Show(IReadOnlyDictionary<string, int> counts) => string.Join(", ", counts.OrderBy(kv => kv.Key).Select(kv => $"{kv.Key} {kv.Value}"));

    private static async Task<int> CountRowsAsync(TableClient table, string? filter)
    {
        var count = 0;
        await foreach (var _ in table.QueryAsync<TableEntity>(filter, select: ["RowKey"])) count++;
        return count;
    }

    /// <summary>As the Functions host calls an HTTP function: a request with the raw body and SendGrid's headers, the
    /// function's result executed into the response.</summary>
    private static async Task<(int Status, string Body)> CallAsync(IServiceProvider services, SendGridEventsApi api, string body, string signature, string timestamp)
    {
        var context = new DefaultHttpContext { RequestServices = services };
        var request = context.Request;
        request.Method = "POST";
        request.Path = "/api/sendgrid/events";
        var bytes = Encoding.UTF8.GetBytes(body);
        request.Body = new MemoryStream(bytes);
        request.ContentLength = bytes.Length;
        request.ContentType = "application/json";
        request.Headers[SendGridEventsApi.SignatureHeader] = signature;
        request.Headers[SendGridEventsApi.TimestampHeader] = timestamp;
        using var response = new MemoryStream();
        context.Response.Body = response;
        var result = await api.Receive(request, default);
        await result.ExecuteResultAsync(new ActionContext(context, new RouteData(), new ActionDescriptor()));
        return (context.Response.StatusCode, Encoding.UTF8.GetString(response.ToArray()));
    }

    public sealed record PlannedEvent(string MeetingId, Dictionary<string, object?> Payload);

    public sealed record EventPlan(IReadOnlyList<IReadOnlyList<PlannedEvent>> Batches, IReadOnlyDictionary<string, int> Mix, int EmailsWithEvents,
        int Unknown, IReadOnlyDictionary<string, int> ExpectedStatuses, int ExpectedUndeliverable);

    /// <summary>
    /// SendGrid's events for the emails sent, taken email by email in random order until there are enough: each email is
    /// processed, then 85 % delivered within seconds, 10 % deferred one to three times over minutes and then delivered,
    /// 2 % hard-bounced, 1 % soft-bounced (blocked), 2 % dropped. Each email's send time falls within ten minutes; the
    /// events are posted in the order of their times give or take 20 s (SendGrid posts from several servers), so a batch
    /// names most meetings and an email's events may come in different batches, in any order. 0.5 % of the events are for
    /// emails we do not know: half for other emails of our meetings, half for meetings we do not have.
    /// </summary>
    public static EventPlan Plan(IReadOnlyList<(string Meeting, string Reminder)> sent, int eventCount, int batchSize)
    {
        var random = new Random(16);
        var origin = DateTimeOffset.FromUnixTimeSeconds(DateTimeOffset.UtcNow.AddHours(-1).ToUnixTimeSeconds());
        var unknown = eventCount / 200;
        var timeline = new List<(DateTimeOffset Order, PlannedEvent Event)>();
        var mix = new Dictionary<string, int>(StringComparer.Ordinal);
        var expected = new Dictionary<string, int>(StringComparer.Ordinal);
        var emails = 0;
        var undeliverable = 0;
        foreach (var (meeting, reminder) in sent.OrderBy(_ => random.Next()))
        {
            var at = origin.AddSeconds(random.Next(600));
            var events = new List<(string Kind, DateTimeOffset At, string? Reason, string? Type)> { ("processed", at, null, null) };
            var roll = random.NextDouble();
            if (roll < 0.02) events.Add(("dropped", at, "Bounced Address", null));
            else if (roll < 0.04) events.Add(("bounce", at.AddSeconds(random.Next(2, 60)), $"550 5.1.1 <{reminder}@example.org>: Recipient address rejected: User unknown", "bounce"));
            else if (roll < 0.05) events.Add(("bounce", at.AddSeconds(random.Next(2, 60)), "421 4.7.28 Our system has detected an unusual rate of mail", "blocked"));
            else if (roll < 0.15)
            {
                var deferredAt = at;
                for (var d = random.Next(1, 4); d > 0; d--)
                    events.Add(("deferred", deferredAt = deferredAt.AddSeconds(random.Next(60, 300)), "451 4.7.1 Greylisted, try again later", null));
                events.Add(("delivered", deferredAt.AddSeconds(random.Next(60, 300)), "250 2.0.0 OK", null));
            }
            else events.Add(("delivered", at.AddSeconds(random.Next(1, 20)), "250 2.0.0 OK", null));
            if (timeline.Count + events.Count > eventCount - unknown) break;
            emails++;
            foreach (var (kind, when, reason, type) in events)
            {
                var label = kind == "bounce" ? $"bounce ({type})" : kind;
                mix[label] = mix.GetValueOrDefault(label) + 1;
                timeline.Add((when.AddSeconds(random.Next(-20, 21)),
                    new PlannedEvent(meeting, EventWebhookSigner.Event(kind, meeting, reminder, when, reason: reason, bounceType: type))));
            }
            var final = events.MaxBy(e => Reminders.DeliveryStatus.ProviderStatusRules.Rank(Kind(e.Kind))).Kind;
            expected[final] = expected.GetValueOrDefault(final) + 1;
            if (final == "dropped" || events.Any(e => e.Type == "bounce")) undeliverable++;
        }
        // The rest, up to the count: events for emails we do not know (another email of one of our meetings; a meeting we
        // do not have), processed or delivered, at any time in the window.
        while (timeline.Count < eventCount)
        {
            var i = timeline.Count;
            var meeting = i % 2 == 0 ? sent[random.Next(sent.Count)].Meeting : "m" + random.NextInt64().ToString("x16", CultureInfo.InvariantCulture) + "00000000";
            var kind = i % 3 == 0 ? "delivered" : "processed";
            var at = origin.AddSeconds(random.Next(600));
            mix["unknown email"] = mix.GetValueOrDefault("unknown email") + 1;
            timeline.Add((at, new PlannedEvent(meeting, EventWebhookSigner.Event(kind, meeting, $"{meeting}.gone.invite.{i}", at))));
        }
        var ordered = timeline.OrderBy(t => t.Order).Select(t => t.Event).ToList();
        return new EventPlan(ordered.Chunk(batchSize).Select(c => (IReadOnlyList<PlannedEvent>)c).ToList(), mix, emails,
            mix.GetValueOrDefault("unknown email"), expected, undeliverable);
    }

    private static Reminders.DeliveryStatus.ProviderEventKind Kind(string name) => name switch
    {
        "processed" => Reminders.DeliveryStatus.ProviderEventKind.Processed,
        "deferred" => Reminders.DeliveryStatus.ProviderEventKind.Deferred,
        "delivered" => Reminders.DeliveryStatus.ProviderEventKind.Delivered,
        "bounce" => Reminders.DeliveryStatus.ProviderEventKind.Bounce,
        _ => Reminders.DeliveryStatus.ProviderEventKind.Dropped,
    };

    /// <summary>Azurite's CPU time, read from /proc for the process scripts/bench.sh started (SUMMIT_BENCH_AZURITE_PID).</summary>
    private sealed class AzuriteCpu(string statPath)
    {
        public static AzuriteCpu? FromEnvironment() =>
            Environment.GetEnvironmentVariable("SUMMIT_BENCH_AZURITE_PID") is { Length: > 0 } pid && File.Exists($"/proc/{pid}/stat")
                ? new AzuriteCpu($"/proc/{pid}/stat") : null;

        public double Milliseconds()
        {
            // Fields after the command name (which ends at the last ')'): state is the 3rd field, utime and stime the 14th
            // and 15th, in clock ticks (100 a second on Linux).
            var stat = File.ReadAllText(statPath);
            var fields = stat[(stat.LastIndexOf(')') + 2)..].Split(' ');
            return (long.Parse(fields[11], CultureInfo.InvariantCulture) + long.Parse(fields[12], CultureInfo.InvariantCulture)) * 10.0;
        }
    }
}
