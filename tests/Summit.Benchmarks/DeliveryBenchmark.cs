using System.Diagnostics;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Summit.Functions;
using Summit.Reminders.Delivery;
using Summit.Reminders.Email;
using Summit.Reminders.Meetings;
using Summit.Reminders.Ports;
using Summit.Reminders.Scheduling;
using Summit.TestSupport.SendGrid;
using Summit.TestSupport.ServiceBus;
using Summit.TestSupport.Storage;
using Summit.Reminders;

namespace Summit.Benchmarks;

public sealed record DeliveryResult(string Transport, int Emails, double Seconds, double EmailsPerSecond, double DirectEmailsPerSecond,
    double RatioToDirect, double QueueAloneMessagesPerSecond, double RatioToQueueAlone, long PeakWorkingSetMb, long PeakManagedHeapMb,
    int PostponedRuns, long WorkingSetBeforeMb, long ManagedHeapBeforeMb, long ManagedHeapAfterMb, double AnswersQueryMsBefore, double AnswersQueryMsAfter, int Concurrency, int ReceiveBatchSize, int Prefetch, int LatencyMs);

/// <summary>
/// Benchmark 2: one worker delivering queued emails through the real pipeline (claim the ledger row, compose, SendGrid,
/// record, complete) against the recording SendGrid endpoint answering 202 after a set latency, compared with the same
/// endpoint driven directly by the SendGrid sender at the same concurrency (the limit).
/// </summary>
public static class DeliveryBenchmark
{
    public static async Task<DeliveryResult> RunAsync(string transport, int meetings, int participants, int latencyMs, int concurrency, int batch, int prefetch)
    {
        await using var sendGrid = await FakeSendGrid.StartAsync();
        sendGrid.Responder = _ => new FakeAnswer(202, Delay: TimeSpan.FromMilliseconds(latencyMs));
        sendGrid.KeepRequests = false; // counts only: the memory figures are the pipeline's, not a recorder's
        await using var broker = await FakeServiceBusBroker.StartAsync();
        await using var services = BenchApp.Build(sendGrid, broker, new Dictionary<string, string>
        {
            ["ReminderQueue:Transport"] = transport,
            ["ServiceBus:PrefetchCount"] = prefetch.ToString(System.Globalization.CultureInfo.InvariantCulture),
            ["Delivery:MaxConcurrency"] = concurrency.ToString(System.Globalization.CultureInfo.InvariantCulture),
            ["Delivery:ReceiveBatchSize"] = batch.ToString(System.Globalization.CultureInfo.InvariantCulture),
            // One run per volume (the loop below stands in for the timer) and a short wait at the end of each run.
            ["Delivery:MaxMessagesPerRun"] = "100000",
            ["Delivery:ReceiveWait"] = "00:00:01",
        });

        // Meetings starting in 2 hours with a PT2H reminder: due now. Each participant gets an invitation and a reminder.
        var meetingService = services.GetRequiredService<MeetingService>();
        var start = DateTimeOffset.UtcNow.AddHours(2).AddMinutes(1);
        for (var m = 0; m < meetings; m++)
        {
            var result = await meetingService.RegisterAsync(new MeetingDraft
            {
                Title = $"Benchmark meeting {m}", Track = "joint-economic-committee", TimeZone = "Etc/UTC",
                Start = start.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm", System.Globalization.CultureInfo.InvariantCulture),
                Coordinator = new PersonDraft { Name = "Coordinator", Email = "coordinator@example.org" },
                Participants = Enumerable.Range(0, participants).Select(p => (ParticipantDraft?)new ParticipantDraft { Name = $"P{p}", Email = $"p{m}-{p}@example.org" }).ToList(),
                ReminderOffsets = ["PT2H"],
            }, null, default);
            if (result is not MeetingResult.Created) throw new InvalidOperationException($"registration failed: {result}");
        }
        var expected = meetings * participants * 2;
        var scheduler = services.GetRequiredService<ReminderScheduler>();
        await Task.Delay(TimeSpan.FromSeconds(61 - DateTimeOffset.UtcNow.Second % 60)); // let the PT2H slots fall due
        var queued = 0;
        while (queued < expected) queued += (await scheduler.TickAsync(default)).Messages;

        var delivery = services.GetRequiredService<ReminderDelivery>();
        // Azurite evaluates a query by walking the table: one meeting's answers (a partition query, as delivery reads
        // them) timed before delivery fills the ledger and after.
        var answers = services.GetRequiredService<IParticipantResponses>();
        async Task<double> AnswersQueryMsAsync()
        {
            var timer = Stopwatch.StartNew();
            for (var i = 0; i < 20; i++) await answers.ListAsync("m-not-there", default);
            return Math.Round(timer.Elapsed.TotalMilliseconds / 20, 2);
        }
        var queryBefore = await AnswersQueryMsAsync();
        GC.Collect();
        var before = Process.GetCurrentProcess().WorkingSet64 / (1024 * 1024);
        var heapBefore = GC.GetGCMemoryInfo().HeapSizeBytes / (1024 * 1024);
        // Memory while delivering: the whole process (worker, broker, SendGrid endpoint), sampled every 50 ms.
        long peakWorkingSet = 0, peakHeap = 0;
        using var sampling = new CancellationTokenSource();
        var sampler = Task.Run(async () =>
        {
            using var self = Process.GetCurrentProcess();
            while (!sampling.IsCancellationRequested)
            {
                self.Refresh();
                peakWorkingSet = Math.Max(peakWorkingSet, self.WorkingSet64);
                peakHeap = Math.Max(peakHeap, GC.GetGCMemoryInfo().HeapSizeBytes);
                try { await Task.Delay(50, sampling.Token); } catch (OperationCanceledException) { }
            }
        });
        var watch = Stopwatch.StartNew();
        var postponedRuns = 0;
        while (sendGrid.AcceptedCount < expected && watch.Elapsed < TimeSpan.FromMinutes(15))
        {
            // As the timer does: a run that found storage too slow to answer postponed its messages; the next goes on.
            try { await delivery.RunAsync(default); }
            catch (DependencyUnavailableException) { postponedRuns++; }
        }
        watch.Stop();
        await sampling.CancelAsync();
        await sampler;
        var queryAfter = await AnswersQueryMsAsync();
        // What delivery left behind: the heap after a full collection, against the same before it started.
        GC.Collect();
        GC.WaitForPendingFinalizers();
        GC.Collect();
        var heapAfter = GC.GetGCMemoryInfo().HeapSizeBytes / (1024 * 1024);
        if (sendGrid.AcceptedCount != expected) throw new InvalidOperationException($"{sendGrid.AcceptedCount} of {expected} emails sent");

        // The limit: the same endpoint driven directly by the SendGrid sender, same concurrency, same count.
        var sender = services.GetRequiredService<IEmailSender>();
        var email = new EmailMessage(new EmailAddress("p@example.org"), "s", "<p>h</p>", "t", [], ["reminder"], new Dictionary<string, string> { ["reminder_id"] = "x" });
        var direct = Stopwatch.StartNew();
        await Parallel.ForEachAsync(Enumerable.Range(0, expected), new ParallelOptions { MaxDegreeOfParallelism = concurrency },
            async (_, ct) => await sender.SendAsync(email, ct));
        direct.Stop();

        // The other limit: the queue alone. The same number of messages published, then received in batches of the same
        // size and completed at the same concurrency, with no storage reads, ledger writes or sends in between.
        var queue = services.GetRequiredService<IReminderQueue>();
        var filler = Enumerable.Range(0, expected).Select(i => new ReminderMessage($"bench.{i}", "bench", "plan", 1, "PT2H", $"p{i}", DateTimeOffset.UtcNow)).ToList();
        foreach (var chunk in filler.Chunk(500)) await queue.PublishAsync(chunk, default);
        var drained = 0;
        var alone = Stopwatch.StartNew();
        while (drained < expected && alone.Elapsed < TimeSpan.FromMinutes(15))
        {
            var received = await queue.ReceiveAsync(batch, TimeSpan.FromSeconds(1), default);
            await Parallel.ForEachAsync(received, new ParallelOptions { MaxDegreeOfParallelism = concurrency }, async (m, ct) => await m.CompleteAsync(ct));
            drained += received.Count;
        }
        alone.Stop();
        if (drained != expected) throw new InvalidOperationException($"{drained} of {expected} messages drained");

        var rate = expected / watch.Elapsed.TotalSeconds;
        var directRate = expected / direct.Elapsed.TotalSeconds;
        var queueRate = expected / alone.Elapsed.TotalSeconds;
        const long bytesPerMb = 1024 * 1024;
        return new DeliveryResult(transport, expected, Math.Round(watch.Elapsed.TotalSeconds, 1), Math.Round(rate), Math.Round(directRate),
            Math.Round(rate / directRate, 2), Math.Round(queueRate), Math.Round(rate / queueRate, 2), peakWorkingSet / bytesPerMb, peakHeap / bytesPerMb, postponedRuns, before, heapBefore, heapAfter, queryBefore, queryAfter,
            concurrency, batch, prefetch, latencyMs);
    }
}
