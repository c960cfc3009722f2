using System.Collections.Concurrent;
using System.Diagnostics;
using System.Globalization;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;
using Summit.Functions;
using Summit.Reminders.Delivery;
using Summit.Reminders.Meetings;
using Summit.Reminders.Scheduling;
using Summit.TestSupport.SendGrid;
using Summit.TestSupport.ServiceBus;
using Summit.TestSupport.Storage;

namespace Summit.Benchmarks;

public sealed record LatenessResult(int Meetings, int Participants, int Reminders, int Sent, int Duplicates,
    double P50Seconds, double P95Seconds, double P99Seconds, double MaxSeconds, int LargestDueMoment, int TimerMinutesRun,
    double WallSeconds, int LatencyMs, int MaxConcurrency, int ReceiveBatchSize, int MaxMessagesPerRun);

/// <summary>
/// Benchmark 3: a simulated day of reminders through the real pipeline with both timers firing every minute, and for
/// each reminder the time from its due moment to SendGrid's 202. The clock is simulated but runs at real speed while
/// anything works: only idle stretches (nothing due within the look-ahead, nothing queued) are skipped, so processing
/// time counts in full. Meetings start on the hour or half hour, a quarter of them at 10:00 UTC (the morning burst);
/// each has a 2-hour and a 30-minute reminder.
/// </summary>
public static class LatenessBenchmark
{
    public static async Task<LatenessResult> RunAsync(int meetings, int participants, int latencyMs, IReadOnlyDictionary<string, string> overrides)
    {
        var now = DateTimeOffset.UtcNow;
        var clock = new FakeTimeProvider(new DateTimeOffset(now.Ticks - now.Ticks % TimeSpan.TicksPerSecond, TimeSpan.Zero));
        await using var pump = new ClockPump(clock);
        var latency = TimeSpan.FromMilliseconds(latencyMs);
        var accepted = new ConcurrentBag<(string ReminderId, DateTimeOffset At)>();
        await using var sendGrid = await FakeSendGrid.StartAsync();
        // Reminders only (invitations are answered at once, before the day starts): note when the 202 goes back.
        sendGrid.Responder = body =>
        {
            accepted.Add((new RecordedMail("", body, 202).CustomArg("reminder_id"), clock.GetUtcNow() + latency));
            return new FakeAnswer(202, Delay: latency);
        };
        sendGrid.KeepRequests = false;
        await using var broker = await FakeServiceBusBroker.StartAsync(new FakeServiceBusBrokerOptions { TimeProvider = clock });
        // Concurrency, batch sizes, run limits and look-ahead at the production defaults unless --set says otherwise.
        await using var services = BenchApp.Build(sendGrid, broker, overrides, clock);
        var options = services.GetRequiredService<Microsoft.Extensions.Options.IOptions<DeliveryOptions>>().Value;

        // The day after today (UTC); the meetings are registered now, the day before.
        var day = new DateTimeOffset(clock.GetUtcNow().UtcDateTime.Date.AddDays(1), TimeSpan.Zero);
        var marks = Enumerable.Range(4, 44).Select(h => day.AddMinutes(30 * h)).ToList(); // 02:00 ... 23:30
        var random = new Random(50_000);
        var starts = Enumerable.Range(0, meetings)
            .Select(i => i % 4 == 0 ? day.AddHours(10) : marks[random.Next(marks.Count)]).ToList();
        var meetingService = services.GetRequiredService<MeetingService>();
        var startOf = new ConcurrentDictionary<string, DateTimeOffset>();
        await Parallel.ForEachAsync(Enumerable.Range(0, meetings), new ParallelOptions { MaxDegreeOfParallelism = 8 }, async (m, ct) =>
        {
            var zone = m % 2 == 0 ? "Asia/Seoul" : "Europe/Istanbul";
            var local = TimeZoneInfo.ConvertTime(starts[m], TimeZoneInfo.FindSystemTimeZoneById(zone));
            var result = await meetingService.RegisterAsync(new MeetingDraft
            {
                Title = $"Lateness meeting {m}", Track = "joint-economic-committee", TimeZone = zone,
                Start = local.ToString("yyyy-MM-dd'T'HH:mm", CultureInfo.InvariantCulture),
                Coordinator = new PersonDraft { Name = "Coordinator", Email = "coordinator@example.org" },
                Participants = Enumerable.Range(0, participants).Select(p => (ParticipantDraft?)new ParticipantDraft { Name = $"P{p}", Email = $"p{m}-{p}@example.org" }).ToList(),
                ReminderOffsets = ["PT2H", "PT30M"],
            }, null, ct);
            if (result is not MeetingResult.Created created) throw new InvalidOperationException($"registration failed: {result}");
            startOf[created.View.Meeting.Id] = created.View.Meeting.StartUtc;
        });
        var reminders = meetings * participants * 2;
        var dueMoments = starts.SelectMany(s => new[] { s.AddHours(-2), s.AddMinutes(-30) }).ToList();

        var scheduler = services.GetRequiredService<ReminderScheduler>();
        var delivery = services.GetRequiredService<ReminderDelivery>();
        async Task<bool> MinuteAsync()
        {
            // Both timers fire at the same second, as on the host; a run that overruns delays the next minute's.
            var tick = scheduler.TickAsync(default);
            var run = delivery.RunAsync(default);
            await Task.WhenAll(tick, run);
            return tick.Result.Messages > 0 || run.Result.Received > 0;
        }

        // The day before: the invitations go out.
        var invitations = meetings * participants;
        while (sendGrid.AcceptedCount < invitations) await MinuteAsync();
        if (sendGrid.AcceptedCount != invitations) throw new InvalidOperationException($"{sendGrid.AcceptedCount} emails before the day, expected {invitations} invitations");

        // The day: every minute in which something falls due within the look-ahead, and every minute after one that
        // still found work. Skipped minutes would be empty ticks.
        var active = dueMoments.SelectMany(t => new[] { t.AddMinutes(-1), t }).Select(t => t.AddTicks(-(t.Ticks % TimeSpan.TicksPerMinute))).ToHashSet();
        var wall = Stopwatch.StartNew();
        var run = 0;
        var busy = false;
        for (var minute = day; minute < day.AddDays(1) || busy; minute = minute.AddMinutes(1))
        {
            if (!busy && !active.Contains(minute)) continue;
            pump.JumpTo(minute);
            busy = await MinuteAsync();
            run++;
        }
        wall.Stop();

        var sent = accepted.ToList();
        var duplicates = sent.Count - sent.Select(s => s.ReminderId).Distinct().Count();
        var late = sent.Select(s =>
        {
            var parts = s.ReminderId.Split('.');
            var due = startOf[parts[0]] - System.Xml.XmlConvert.ToTimeSpan(parts[2]);
            return (s.At - due).TotalSeconds;
        }).Order().ToArray();
        double Percentile(double p) => late.Length == 0 ? double.NaN : late[Math.Min(late.Length - 1, (int)Math.Ceiling(p * late.Length) - 1)];
        return new LatenessResult(meetings, participants, reminders, sent.Count, duplicates,
            Math.Round(Percentile(0.50), 1), Math.Round(Percentile(0.95), 1), Math.Round(Percentile(0.99), 1), Math.Round(late.LastOrDefault(), 1),
            dueMoments.GroupBy(t => t).Max(g => g.Count()) * participants, run, Math.Round(wall.Elapsed.TotalSeconds, 1), latencyMs,
            options.MaxConcurrency, options.ReceiveBatchSize, options.MaxMessagesPerRun);
    }

    /// <summary>Moves a fake clock along with the real one (so work takes the time it takes), and jumps it over idle
    /// stretches, firing the timers (scheduled messages, locks) that fall due on the way.</summary>
    private sealed class ClockPump : IAsyncDisposable
    {
        private readonly FakeTimeProvider _clock;
        private readonly Lock _gate = new();
        private readonly CancellationTokenSource _stop = new();
        private readonly Task _loop;
        private long _last = Stopwatch.GetTimestamp();

        public ClockPump(FakeTimeProvider clock)
        {
            _clock = clock;
            _loop = Task.Run(async () =>
            {
                while (!_stop.IsCancellationRequested)
                {
                    try { await Task.Delay(2, _stop.Token); } catch (OperationCanceledException) { break; }
                    lock (_gate)
                    {
                        var now = Stopwatch.GetTimestamp();
                        _clock.Advance(Stopwatch.GetElapsedTime(_last, now));
                        _last = now;
                    }
                }
            });
        }

        public void JumpTo(DateTimeOffset at)
        {
            lock (_gate)
            {
                var gap = at - _clock.GetUtcNow();
                if (gap > TimeSpan.Zero) _clock.Advance(gap);
            }
        }

        public async ValueTask DisposeAsync()
        {
            await _stop.CancelAsync();
            await _loop;
            _stop.Dispose();
        }
    }
}
