using System.Diagnostics;
using System.Globalization;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;
using Summit.Reminders.Commitments;
using Summit.Reminders.Infrastructure.Tables;
using Summit.Reminders.Meetings;
using Summit.Reminders.Notifications;
using Summit.Reminders.Participation;
using Summit.Reminders.Ports;
using Summit.Reminders.Scheduling;
using Summit.TestSupport.SendGrid;
using Summit.TestSupport.ServiceBus;

namespace Summit.Benchmarks;

/// <summary>Storage requests of one kind during the tick: reads are GETs, writes everything else.</summary>
public sealed record TargetRequests(string Target, string Method, int Requests);

public sealed record CommitmentsSize(
    int Meetings, int Commitments, int IndexEntriesStored, int DueMeetingSlots, int DueCommitmentSlots, double FillSeconds,
    int Read, int Published, int Messages, int Skipped, int Discarded, int Failed, double TickMs,
    int Requests, int Writes, int IndexReads, int IndexEntitiesRead, int MeetingReads, int CommitmentReads,
    int IndexClaimWrites, int IndexRemoves, int WatermarkWrites, int LedgerWrites, int QueueSends, int OtherRequests,
    double RequestsPerDue, double IndexEntitiesPerDue, IReadOnlyList<TargetRequests> ByTarget);

/// <summary>
/// Benchmark 6: one scheduler tick over a due index that holds both meetings' and commitments' slots. Each size gets
/// fresh tables filled with N meetings and N open commitments made the way the services make them (validated drafts,
/// <c>Meeting.Create</c>/<c>Commitment.Create</c>, their <c>DueEntries</c> through <see cref="TableDueIndex.AddAsync"/>
/// before the entities through the stores' <c>TryAddAsync</c>), due over four months, of which
/// <see cref="DueMeetings"/> meeting slots and <see cref="DueCommitments"/> commitment slots are due now. Then ONE
/// <see cref="ReminderScheduler.TickAsync"/> of the app's own composition (Table adapters, the Storage Queue adapter
/// on Azurite), with every storage request it sends counted by table or queue and method.
/// </summary>
public static class CommitmentsBenchmark
{
    public const int DueMeetings = 500;
    public const int DueCommitments = 500;
    public const int ParticipantsPerMeeting = 3;
    public const int OwnersPerCommitment = 2;
    private static readonly DateTimeOffset Now = new(2026, 12, 1, 12, 20, 30, TimeSpan.Zero);
    /// <summary>Registered three days before the tick; everything due before the last tick (50 minutes ago) was sent by
    /// the ticks since and is no longer in the index, as in production.</summary>
    private static readonly DateTimeOffset RegisteredAt = Now.AddDays(-3);
    private static readonly DateTimeOffset LastTick = Now.AddMinutes(-50);
    private const int SpreadDays = 120;

    public static async Task<CommitmentsSize> RunAsync(int size, RequestCounter requests, CancellationToken cancellationToken)
    {
        await using var sendGrid = await FakeSendGrid.StartAsync();
        await using var broker = await FakeServiceBusBroker.StartAsync();
        var prefix = "bench6s" + size.ToString(CultureInfo.InvariantCulture);
        var clock = new FakeTimeProvider(Now);
        await using var services = BenchApp.Build(sendGrid, broker, new Dictionary<string, string>
        {
            ["Storage:TablePrefix"] = prefix,
            ["ReminderQueue:Transport"] = "StorageQueue",
            ["StorageQueue:QueueName"] = prefix,
        }, clock);
        var tables = services.GetRequiredService<SummitTables>();
        var index = services.GetRequiredService<IDueIndex>();
        var meetingStore = services.GetRequiredService<IMeetingStore>();
        var commitmentStore = services.GetRequiredService<ICommitmentStore>();
        var queue = services.GetRequiredService<IReminderQueue>();
        var participantIds = services.GetRequiredService<ParticipantIds>();
        var scheduler = services.GetRequiredService<ReminderScheduler>();

        // The items, as the services make them from validated drafts at registration time (ids of the services' shape,
        // seeded so every run stores the same).
        var random = new Random(size);
        string Id(char kind) => kind + Convert.ToHexStringLower(BitConverter.GetBytes(random.NextInt64())) + Convert.ToHexStringLower(BitConverter.GetBytes(random.Next()));
        var meetings = new List<Meeting>(size);
        for (var m = 0; m < size; m++)
        {
            // Due ones start a day after a moment in the last 50 minutes (their P1D reminder is due now, PT2H later);
            // the rest start 2 to 120 days ahead, so both their reminders are in the future.
            var start = m < DueMeetings
                ? new DateTimeOffset(Now.Year, Now.Month, Now.Day, Now.Hour, Now.Minute, 0, TimeSpan.Zero).AddDays(1).AddMinutes(-random.Next(0, 49))
                : Now.AddDays(2).AddMinutes(random.Next(0, (SpreadDays - 2) * 24 * 60));
            var (content, errors) = MeetingValidator.Validate(new MeetingDraft
            {
                Title = $"Benchmark meeting {m}", Track = "joint-economic-committee", TimeZone = "Etc/UTC",
                Start = start.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm", CultureInfo.InvariantCulture), Duration = "PT1H",
                Coordinator = new PersonDraft { Name = "Coordinator", Email = "coordinator@example.org" },
                Participants = Enumerable.Range(0, ParticipantsPerMeeting).Select(p => (ParticipantDraft?)new ParticipantDraft { Name = $"P{p}", Email = $"p{m}-{p}@example.org" }).ToList(),
                ReminderOffsets = ["P1D", "PT2H"],
            }, RegisteredAt);
            if (content is null) throw new InvalidOperationException($"meeting {m}: {string.Join("; ", errors.Select(e => e.Field + " " + e.Message))}");
            content = content with { Participants = content.Participants.Select(p => p with { Id = participantIds.For(p.Email) }).ToList() };
            meetings.Add(Meeting.Create(Id('m'), content, RegisteredAt));
        }
        var commitments = new List<Commitment>(size);
        for (var c = 0; c < size; c++)
        {
            // Due ones are due a day after a moment in the last 50 minutes (their P1D reminder is due now; P2D was sent
            // a day ago, the PT0M rung is tomorrow); the rest are due 3 to 120 days ahead.
            var due = c < DueCommitments
                ? Now.AddDays(1).AddSeconds(-random.Next(1, 49 * 60))
                : Now.AddDays(3).AddSeconds(random.NextInt64(0, (long)TimeSpan.FromDays(SpreadDays - 3).TotalSeconds));
            var (content, errors) = CommitmentValidator.Validate(new CommitmentDraft
            {
                Title = $"Benchmark commitment {c}", Track = "joint-economic-committee", TimeZone = "Etc/UTC",
                DueAt = due.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss'+00:00'", CultureInfo.InvariantCulture),
                Owners = Enumerable.Range(0, OwnersPerCommitment).Select(o => (ParticipantDraft?)new ParticipantDraft { Name = $"O{o}", Email = $"o{c}-{o}@example.org" }).ToList(),
                Coordinator = new PersonDraft { Name = "Coordinator", Email = "coordinator@example.org" },
                ReminderOffsets = ["P2D", "P1D"],
                EscalateAfter = ["PT0M"],
            }, RegisteredAt);
            if (content is null) throw new InvalidOperationException($"commitment {c}: {string.Join("; ", errors.Select(e => e.Field + " " + e.Message))}");
            content = content with { Owners = content.Owners.Select(o => o with { Id = participantIds.For(o.Email) }).ToList() };
            commitments.Add(Commitment.Create(Id('c'), content, RegisteredAt));
        }

        // What the due index holds at the tick: every entry the services wrote at registration (the meeting's invitation
        // too), less what fell due before the last tick (sent and removed by the ticks since).
        var entries = meetings.SelectMany(m => m.DueEntries(RegisteredAt).Append(m.Notice(Slots.Invitation, RegisteredAt)))
            .Concat(commitments.SelectMany(c => c.DueEntries(RegisteredAt)))
            .Where(e => e.DueAt > LastTick)
            .OrderBy(e => e.DueAt)
            .ToList();
        var upTo = Now + new SchedulerOptions().LookAhead;
        var dueMeetingSlots = entries.Count(e => e.DueAt <= upTo && !CommitmentRules.IsCommitmentKind(Slots.KindOf(e.Offset)));
        var dueCommitmentSlots = entries.Count(e => e.DueAt <= upTo && CommitmentRules.IsCommitmentKind(Slots.KindOf(e.Offset)));
        if (dueMeetingSlots != DueMeetings || dueCommitmentSlots != DueCommitments)
            throw new InvalidOperationException($"{dueMeetingSlots} meeting and {dueCommitmentSlots} commitment slots due, expected {DueMeetings} and {DueCommitments}");

        // Due entries first, as the services write them, through the real adapter: in order of due time, so that one
        // AddAsync holds whole hours and its per-partition transactions are full. Then the entities through the stores.
        var fill = Stopwatch.StartNew();
        var written = 0;
        foreach (var chunk in entries.Chunk(10_000))
        {
            await index.AddAsync(chunk, cancellationToken);
            if ((written += chunk.Length) % 100_000 < 10_000) Console.Error.WriteLine($"  due index: {written:N0} of {entries.Count:N0} entries in {fill.Elapsed.TotalSeconds:N0} s");
        }
        var stored = 0;
        var parallel = new ParallelOptions { MaxDegreeOfParallelism = 32, CancellationToken = cancellationToken };
        await Parallel.ForEachAsync(meetings, parallel, async (meeting, ct) =>
        {
            if (!await meetingStore.TryAddAsync(meeting, null, ct)) throw new InvalidOperationException($"meeting {meeting.Id} exists");
            if (Interlocked.Increment(ref stored) % 25_000 == 0) Console.Error.WriteLine($"  entities: {stored:N0} of {2 * size:N0} in {fill.Elapsed.TotalSeconds:N0} s");
        });
        await Parallel.ForEachAsync(commitments, parallel, async (commitment, ct) =>
        {
            if (!await commitmentStore.TryAddAsync(commitment, null, ct)) throw new InvalidOperationException($"commitment {commitment.Id} exists");
            if (Interlocked.Increment(ref stored) % 25_000 == 0) Console.Error.WriteLine($"  entities: {stored:N0} of {2 * size:N0} in {fill.Elapsed.TotalSeconds:N0} s");
        });
        fill.Stop();
        // The queue exists before the tick (as it does after the first one), and the connections are warm.
        await queue.CountWaitingAsync(cancellationToken);
        await meetingStore.GetAsync(meetings[^1].Id, cancellationToken);
        await commitmentStore.GetAsync(commitments[^1].Id, cancellationToken);

        // ONE tick, every request counted.
        requests.Reset();
        var watch = Stopwatch.StartNew();
        var result = await scheduler.TickAsync(cancellationToken);
        watch.Stop();
        var byTarget = requests.ByTarget();
        var total = requests.Count;
        var writes = requests.Writes;
        if (result.Read != DueMeetings + DueCommitments || result.Published != result.Read || result.Failed != 0)
            throw new InvalidOperationException($"tick: read {result.Read}, published {result.Published}, skipped {result.Skipped}, discarded {result.Discarded}, failed {result.Failed}");
        var expectedMessages = DueMeetings * ParticipantsPerMeeting + DueCommitments * OwnersPerCommitment;
        if (result.Messages != expectedMessages) throw new InvalidOperationException($"tick queued {result.Messages} messages, expected {expectedMessages}");
        if (await queue.CountWaitingAsync(cancellationToken) != expectedMessages) throw new InvalidOperationException("the queue does not hold the tick's messages");

        int Count(string table, params string[] methods) => byTarget.Where(t => t.Target == table && methods.Contains(t.Method)).Sum(t => t.Requests);
        var dueIndexTable = prefix + "dueindex";
        var indexReads = Count(dueIndexTable, "GET");
        var indexClaimsAndWatermark = Count(dueIndexTable, "PUT");
        var indexRemoves = Count(dueIndexTable, "DELETE");
        var meetingReads = Count(prefix + "meetings", "GET");
        var commitmentReads = Count(prefix + "commitments", "GET");
        var ledgerWrites = Count(prefix + "ledger", "PUT", "POST", "MERGE", "PATCH");
        var queueSends = Count(prefix, "POST");
        // A claim is one conditional PUT per entry; the watermark's move is the only other PUT on the index.
        var claims = result.Read;
        var watermarkWrites = indexClaimsAndWatermark - claims;
        var other = total - indexReads - indexClaimsAndWatermark - indexRemoves - meetingReads - commitmentReads - ledgerWrites - queueSends;

        foreach (var table in new[] { tables.DueIndex, tables.Meetings, tables.Ledger, tables.Erasures, tables.Commitments })
            await table.DeleteAsync(cancellationToken);
        await new Azure.Storage.Queues.QueueClient(Summit.TestSupport.Storage.Azurite.ConnectionString, prefix).DeleteIfExistsAsync(cancellationToken);
        await new Azure.Storage.Queues.QueueClient(Summit.TestSupport.Storage.Azurite.ConnectionString, prefix + "-poison").DeleteIfExistsAsync(cancellationToken);

        var dueSlots = DueMeetings + DueCommitments;
        return new CommitmentsSize(size, size, entries.Count, dueMeetingSlots, dueCommitmentSlots, Math.Round(fill.Elapsed.TotalSeconds, 1),
            result.Read, result.Published, result.Messages, result.Skipped, result.Discarded, result.Failed, Math.Round(watch.Elapsed.TotalMilliseconds, 1),
            total, writes, indexReads, result.Read + 1, meetingReads, commitmentReads,
            claims, indexRemoves, watermarkWrites, ledgerWrites, queueSends, other,
            Math.Round((double)total / dueSlots, 3), Math.Round((double)(result.Read + 1) / dueSlots, 3), byTarget);
    }
}
