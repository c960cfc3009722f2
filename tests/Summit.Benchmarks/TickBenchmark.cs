using System.Diagnostics;
using Azure.Data.Tables;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;
using Summit.Reminders.Infrastructure.Tables;
using Summit.Reminders.Ports;
using Summit.Reminders.Notifications;

namespace Summit.Benchmarks;

public sealed record TickSize(
    int Stored, int Due, double FillSeconds,
    int OursEntitiesRead, int OursRequests, double OursMs,
    int NaiveEntitiesRead, int NaiveRequests, double NaiveMs,
    double ReadsPerDue, double ReadReduction);

/// <summary>
/// Benchmark 1: what one scheduler tick reads as the store grows. Each size gets fresh tables on Azurite filled with
/// N pending reminder slots over 180 days, of which <see cref="DueCount"/> are due now. "Ours" is the due index as the
/// scheduler reads it (<see cref="TableDueIndex.ReadDueAsync"/>); the baseline stores the same reminders one entity
/// each and scans the whole table, as a design without an index must.
/// </summary>
public sealed class TickBenchmark(string connectionString, RequestCounter requests)
{
    public const int DueCount = 1_000;
    private static readonly DateTimeOffset Now = new(2026, 12, 1, 12, 20, 30, TimeSpan.Zero);

    public async Task<TickSize> RunAsync(int stored, CancellationToken cancellationToken)
    {
        var prefix = "bench" + stored;
        var time = new FakeTimeProvider(Now);
        var options = Options.Create(new StorageOptions { ConnectionString = connectionString, TablePrefix = prefix });
        var tables = new SummitTables(options);
        var index = new TableDueIndex(tables, options, time);
        var naive = new TableClient(connectionString, prefix + "naive");
        await naive.CreateIfNotExistsAsync(cancellationToken);

        var fill = Stopwatch.StartNew();
        var random = new Random(stored);
        var entries = Enumerable.Range(0, stored).Select(i =>
        {
            // The due ones in the 50 minutes before now (last hour and this one); the rest over the next 180 days.
            var due = i < DueCount
                ? Now.AddSeconds(-random.Next(1, 50 * 60))
                : Now.AddMinutes(5).AddSeconds(random.NextInt64(0, (long)TimeSpan.FromDays(180).TotalSeconds));
            return new DueEntry($"m{i:D8}", "plan0001", 1, "P1D", due, Now.AddDays(-1));
        }).ToList();
        var filled = 0;
        foreach (var chunk in entries.Chunk(5_000))
        {
            await index.AddAsync(chunk, cancellationToken);
            // The naive design: one entity per reminder with its due time as a plain property.
            foreach (var partition in chunk.GroupBy(e => e.MeetingId[..6]))
                foreach (var batch in partition.Chunk(100))
                    await naive.SubmitTransactionAsync(batch.Select(e => new TableTransactionAction(TableTransactionActionType.UpsertReplace,
                        new TableEntity(e.MeetingId[..6], e.MeetingId) { ["DueAt"] = e.DueAt, ["Offset"] = e.Offset, ["PlanId"] = e.PlanId })), cancellationToken);
            if ((filled += chunk.Length) % 100_000 == 0) Console.Error.WriteLine($"  filled {filled:N0} of {stored:N0} (both tables) in {fill.Elapsed.TotalSeconds:N0} s");
        }
        fill.Stop();

        var upTo = Now.AddMinutes(1);
        // Ours: best of three reads (the first also warms the connection).
        (int Read, int Requests, double Ms) ours = (0, 0, double.MaxValue);
        for (var run = 0; run < 3; run++)
        {
            requests.Reset();
            var watch = Stopwatch.StartNew();
            var batch = await index.ReadDueAsync(upTo, cancellationToken);
            watch.Stop();
            if (batch.Entries.Count != DueCount) throw new InvalidOperationException($"due index read {batch.Entries.Count} entries, expected {DueCount}");
            // The watermark row is read too.
            if (watch.Elapsed.TotalMilliseconds < ours.Ms) ours = (batch.Entries.Count + 1, requests.Count, watch.Elapsed.TotalMilliseconds);
        }

        (int Read, int Requests, double Ms) scan = (0, 0, double.MaxValue);
        for (var run = 0; run < (stored >= 1_000_000 ? 1 : 3); run++)
        {
            requests.Reset();
            var watch = Stopwatch.StartNew();
            int read = 0, due = 0;
            await foreach (var e in naive.QueryAsync<TableEntity>(select: ["DueAt"], cancellationToken: cancellationToken))
            {
                read++;
                if (e.GetDateTimeOffset("DueAt") <= upTo) due++;
            }
            watch.Stop();
            if (due != DueCount) throw new InvalidOperationException($"naive scan found {due} due, expected {DueCount}");
            if (watch.Elapsed.TotalMilliseconds < scan.Ms) scan = (read, requests.Count, watch.Elapsed.TotalMilliseconds);
        }

        await tables.DueIndex.DeleteAsync(cancellationToken);
        await tables.Meetings.DeleteAsync(cancellationToken);
        await tables.Ledger.DeleteAsync(cancellationToken);
        await naive.DeleteAsync(cancellationToken);
        return new TickSize(stored, DueCount, Math.Round(fill.Elapsed.TotalSeconds, 1),
            ours.Read, ours.Requests, Math.Round(ours.Ms, 1), scan.Read, scan.Requests, Math.Round(scan.Ms, 1),
            Math.Round((double)ours.Read / DueCount, 3), Math.Round((double)scan.Read / ours.Read, 1));
    }

    /// <summary>Azurite's own pace on this machine: sequential point reads per second, and entities per second of a
    /// plain page-by-page scan (measured on the naive table of the size given).</summary>
    public async Task<(double PointReadsPerSecond, double PointReadMs)> RawRateAsync(CancellationToken cancellationToken)
    {
        var table = new TableClient(connectionString, "benchraw");
        await table.CreateIfNotExistsAsync(cancellationToken);
        await table.UpsertEntityAsync(new TableEntity("p", "r") { ["V"] = 1 }, cancellationToken: cancellationToken);
        for (var i = 0; i < 50; i++) await table.GetEntityAsync<TableEntity>("p", "r", cancellationToken: cancellationToken); // warm-up
        const int reads = 1_000;
        var watch = Stopwatch.StartNew();
        for (var i = 0; i < reads; i++) await table.GetEntityAsync<TableEntity>("p", "r", cancellationToken: cancellationToken);
        watch.Stop();
        await table.DeleteAsync(cancellationToken);
        return (Math.Round(reads / watch.Elapsed.TotalSeconds), Math.Round(watch.Elapsed.TotalMilliseconds / reads, 2));
    }
}
