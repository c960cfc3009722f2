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

namespace Summit.Benchmarks;

public sealed record DeliveryResult(string Transport, int Emails, double Seconds, double EmailsPerSecond, double DirectEmailsPerSecond,
    double RatioToDirect, long PeakWorkingSetMb, int Concurrency, int LatencyMs);

/// <summary>
/// Benchmark 2: one worker delivering queued emails through the real pipeline (claim the ledger row, compose, SendGrid,
/// record, complete) against the recording SendGrid endpoint answering 202 after a set latency, compared with the same
/// endpoint driven directly by the SendGrid sender at the same concurrency (the limit).
/// </summary>
public static class DeliveryBenchmark
{
    public static async Task<DeliveryResult> RunAsync(string transport, int meetings, int participants, int latencyMs, int concurrency)
    {
        await using var sendGrid = await FakeSendGrid.StartAsync();
        sendGrid.Responder = _ => new FakeAnswer(202, Delay: TimeSpan.FromMilliseconds(latencyMs));
        await using var broker = await FakeServiceBusBroker.StartAsync();
        var settings = new Dictionary<string, string?>
        {
            ["Storage:ConnectionString"] = Azurite.ConnectionString,
            ["Storage:TablePrefix"] = Azurite.NewTablePrefix(),
            ["ReminderQueue:Transport"] = transport,
            ["ServiceBus:ConnectionString"] = broker.ConnectionString,
            ["ServiceBus:QueueName"] = "reminders",
            ["ServiceBus:PrefetchCount"] = "200",
            ["StorageQueue:ConnectionString"] = Azurite.ConnectionString,
            ["StorageQueue:QueueName"] = "bench-" + Guid.NewGuid().ToString("N")[..8],
            ["SendGrid:ApiKey"] = "bench",
            ["SendGrid:Host"] = sendGrid.BaseUrl,
            ["Email:FromEmail"] = "reminders@summit-followups.example",
            ["Links:BaseUrl"] = "https://summit.example",
            ["Links:SigningKey"] = "bench-signing-key-0123456789abcdef0123",
            ["Delivery:MaxConcurrency"] = concurrency.ToString(System.Globalization.CultureInfo.InvariantCulture),
            ["Delivery:ReceiveBatchSize"] = "100",
            ["Delivery:MaxMessagesPerRun"] = "100000",
            ["Delivery:ReceiveWait"] = "00:00:01",
        };
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(settings).Build();
        await using var services = new ServiceCollection().AddSingleton<IConfiguration>(configuration).AddLogging()
            .AddSummitFunctions(configuration).BuildServiceProvider();

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
        var watch = Stopwatch.StartNew();
        while (sendGrid.AcceptedCount < expected && watch.Elapsed < TimeSpan.FromMinutes(10)) await delivery.RunAsync(default);
        watch.Stop();
        var peak = Process.GetCurrentProcess().PeakWorkingSet64 / (1024 * 1024);
        if (sendGrid.AcceptedCount != expected) throw new InvalidOperationException($"{sendGrid.AcceptedCount} of {expected} emails sent");

        // The limit: the same endpoint driven directly by the SendGrid sender, same concurrency, same count.
        var sender = services.GetRequiredService<IEmailSender>();
        var email = new EmailMessage(new EmailAddress("p@example.org"), "s", "<p>h</p>", "t", [], ["reminder"], new Dictionary<string, string> { ["reminder_id"] = "x" });
        var direct = Stopwatch.StartNew();
        await Parallel.ForEachAsync(Enumerable.Range(0, expected), new ParallelOptions { MaxDegreeOfParallelism = concurrency },
            async (_, ct) => await sender.SendAsync(email, ct));
        direct.Stop();

        var rate = expected / watch.Elapsed.TotalSeconds;
        var directRate = expected / direct.Elapsed.TotalSeconds;
        return new DeliveryResult(transport, expected, Math.Round(watch.Elapsed.TotalSeconds, 1), Math.Round(rate), Math.Round(directRate),
            Math.Round(rate / directRate, 2), peak, concurrency, latencyMs);
    }
}
