using System.Globalization;
using System.Text.Json;
using Summit.Benchmarks;
using Summit.TestSupport.Storage;

// Opt-in benchmarks (scripts/bench.sh runs them against an Azurite of their own). Usage:
//   Summit.Benchmarks tick [--sizes 10000,100000,1000000] [--out artifacts/bench-tick.json] [--chart docs/benchmarks-tick.png]
//   Summit.Benchmarks delivery [--meetings 500[,1000,...] --participants 10 --latency-ms 50 --concurrency N --batch N --prefetch 0 --transports ServiceBus,StorageQueue]
//   Summit.Benchmarks lateness [--meetings 1250 --participants 20 --latency-ms 50 --set Delivery:MaxConcurrency=8 ...]
//   Summit.Benchmarks registration [--clients 1,10,50 --requests 2000 --participants 20]
//   Summit.Benchmarks events [--meetings 500 --participants 10 --events 10000 --batch 1000]
//   Summit.Benchmarks commitments [--sizes 10000,100000] [--out artifacts/bench-commitments.json]
var command = args.FirstOrDefault() ?? "tick";
string Option(string name, string fallback)
{
    var i = Array.IndexOf(args, name);
    return i >= 0 && i + 1 < args.Length ? args[i + 1] : fallback;
}
var json = new JsonSerializerOptions { WriteIndented = true, PropertyNamingPolicy = JsonNamingPolicy.CamelCase };
async Task WriteJsonAsync(string path, object value)
{
    Directory.CreateDirectory(Path.GetDirectoryName(Path.GetFullPath(path))!);
    await File.WriteAllTextAsync(path, JsonSerializer.Serialize(value, json));
}
var machine = $"{Environment.ProcessorCount} cores, {System.Runtime.InteropServices.RuntimeInformation.OSDescription}, .NET {Environment.Version}";

switch (command)
{
    case "tick":
    {
        await Azurite.EnsureRunningAsync();
        var sizes = Option("--sizes", "10000,100000,1000000").Split(',').Select(s => int.Parse(s, CultureInfo.InvariantCulture)).ToList();
        using var counter = new RequestCounter();
        var bench = new TickBenchmark(Azurite.ConnectionString, counter);
        var raw = await bench.RawRateAsync(default);
        Console.WriteLine($"Azurite point reads: {raw.PointReadsPerSecond}/s ({raw.PointReadMs} ms each), {machine}");
        Console.WriteLine($"{"stored",10} {"due",6} | {"ours: read",10} {"requests",8} {"ms",8} | {"naive: read",11} {"requests",8} {"ms",9} | {"reads/due",9} {"fewer",7} {"tick/floor",10}");
        var results = new List<object>();
        var rows = new List<TickSize>();
        foreach (var size in sizes)
        {
            var r = await bench.RunAsync(size, default);
            rows.Add(r);
            var floor = r.OursRequests * raw.PointReadMs;
            Console.WriteLine($"{r.Stored,10:N0} {r.Due,6:N0} | {r.OursEntitiesRead,10:N0} {r.OursRequests,8} {r.OursMs,8:N1} | {r.NaiveEntitiesRead,11:N0} {r.NaiveRequests,8:N0} {r.NaiveMs,9:N0} | {r.ReadsPerDue,9:N3} {r.ReadReduction,6:N0}x {r.OursMs / floor,10:N1}");
            results.Add(new { size = r, floorMs = Math.Round(floor, 1), tickOverFloor = Math.Round(r.OursMs / floor, 2) });
        }
        var output = Option("--out", "artifacts/bench-tick.json");
        await WriteJsonAsync(output, new { machine, azurite = new { pointReadsPerSecond = raw.PointReadsPerSecond, pointReadMs = raw.PointReadMs }, sizes = results });
        var chart = Option("--chart", "artifacts/bench-tick.png");
        Charts.TickCost(rows, chart);
        Console.WriteLine($"Wrote {output} and {chart}");
        break;
    }
    case "delivery":
    {
        await Azurite.EnsureRunningAsync();
        var volumes = Option("--meetings", "500").Split(',').Select(s => int.Parse(s, CultureInfo.InvariantCulture)).ToList();
        var participants = int.Parse(Option("--participants", "10"), CultureInfo.InvariantCulture);
        var latency = int.Parse(Option("--latency-ms", "50"), CultureInfo.InvariantCulture);
        // Unless given, the production defaults (DeliveryOptions, ServiceBusQueueOptions).
        var defaults = new Summit.Reminders.Delivery.DeliveryOptions();
        var concurrency = int.Parse(Option("--concurrency", defaults.MaxConcurrency.ToString(CultureInfo.InvariantCulture)), CultureInfo.InvariantCulture);
        var batch = int.Parse(Option("--batch", defaults.ReceiveBatchSize.ToString(CultureInfo.InvariantCulture)), CultureInfo.InvariantCulture);
        var prefetch = int.Parse(Option("--prefetch", "0"), CultureInfo.InvariantCulture);
        var results = new List<DeliveryResult>();
        foreach (var transport in Option("--transports", "ServiceBus,StorageQueue").Split(','))
            foreach (var meetings in volumes)
            {
                var r = await DeliveryBenchmark.RunAsync(transport, meetings, participants, latency, concurrency, batch, prefetch);
                results.Add(r);
                Console.WriteLine($"{r.Transport,-12} {r.Emails,7:N0} emails in {r.Seconds,6:N1} s = {r.EmailsPerSecond,5:N0}/s per worker | SendGrid endpoint alone {r.DirectEmailsPerSecond,5:N0}/s (x{r.RatioToDirect:N2}) | queue alone {r.QueueAloneMessagesPerSecond,5:N0}/s (x{r.RatioToQueueAlone:N2}) | working set {r.WorkingSetBeforeMb} -> peak {r.PeakWorkingSetMb} MB, managed heap {r.ManagedHeapBeforeMb} -> peak {r.PeakManagedHeapMb} -> {r.ManagedHeapAfterMb} MB after GC | answers query {r.AnswersQueryMsBefore} -> {r.AnswersQueryMsAfter} ms | postponed runs {r.PostponedRuns} | concurrency {r.Concurrency}, batch {r.ReceiveBatchSize}, prefetch {r.Prefetch}, latency {r.LatencyMs} ms");
            }
        var output = Option("--out", "artifacts/bench-delivery.json");
        await WriteJsonAsync(output, new { machine, results });
        Console.WriteLine($"Wrote {output}");
        break;
    }
    case "lateness":
    {
        await Azurite.EnsureRunningAsync();
        var r = await LatenessBenchmark.RunAsync(
            int.Parse(Option("--meetings", "1250"), CultureInfo.InvariantCulture),
            int.Parse(Option("--participants", "20"), CultureInfo.InvariantCulture),
            int.Parse(Option("--latency-ms", "50"), CultureInfo.InvariantCulture),
            // --set Delivery:MaxConcurrency=8 (repeatable): run with other settings than the production defaults.
            args.Select((a, i) => (a, i)).Where(x => x.a == "--set" && x.i + 1 < args.Length).Select(x => args[x.i + 1].Split('=', 2))
                .ToDictionary(kv => kv[0], kv => kv[1]));
        Console.WriteLine($"{r.Reminders:N0} reminders due over a simulated day ({r.Meetings:N0} meetings x {r.Participants} participants x 2; largest due moment {r.LargestDueMoment:N0}); sent {r.Sent:N0}, duplicates {r.Duplicates}");
        Console.WriteLine($"Lateness (SendGrid 202 - due): p50 {r.P50Seconds:N1} s, p95 {r.P95Seconds:N1} s, p99 {r.P99Seconds:N1} s, max {r.MaxSeconds:N1} s; {r.TimerMinutesRun} timer minutes run in {r.WallSeconds:N0} s");
        var output = Option("--out", "artifacts/bench-lateness.json");
        await WriteJsonAsync(output, new { machine, result = r });
        Console.WriteLine($"Wrote {output}");
        if (r.Sent != r.Reminders || r.Duplicates != 0) { Console.Error.WriteLine("FAIL: not every reminder was sent exactly once"); return 1; }
        break;
    }
    case "registration":
    {
        await Azurite.EnsureRunningAsync();
        var clientCounts = Option("--clients", "1,10,50").Split(',').Select(s => int.Parse(s, CultureInfo.InvariantCulture)).ToList();
        var levels = await RegistrationBenchmark.RunAsync(clientCounts,
            int.Parse(Option("--requests", "2000"), CultureInfo.InvariantCulture), int.Parse(Option("--participants", "20"), CultureInfo.InvariantCulture));
        Console.WriteLine($"{"clients",7} {"requests",8} {"req/s",7} {"p50 ms",8} {"p95 ms",8} {"p99 ms",8} {"max ms",8}");
        foreach (var l in levels)
            Console.WriteLine($"{l.Clients,7} {l.Requests,8:N0} {l.RequestsPerSecond,7:N0} {l.P50Ms,8:N1} {l.P95Ms,8:N1} {l.P99Ms,8:N1} {l.MaxMs,8:N1}");
        var output = Option("--out", "artifacts/bench-registration.json");
        await WriteJsonAsync(output, new { machine, levels });
        Console.WriteLine($"Wrote {output}");
        break;
    }
    case "events":
    {
        await Azurite.EnsureRunningAsync();
        using var counter = new RequestCounter();
        var r = await EventsBenchmark.RunAsync(
            int.Parse(Option("--meetings", "500"), CultureInfo.InvariantCulture),
            int.Parse(Option("--participants", "10"), CultureInfo.InvariantCulture),
            int.Parse(Option("--events", "10000"), CultureInfo.InvariantCulture),
            int.Parse(Option("--batch", "1000"), CultureInfo.InvariantCulture), counter);
        Console.WriteLine($"{r.Meetings:N0} meetings x {r.Participants} participants: {r.Emails:N0} invitations registered in {r.RegisterSeconds:N1} s and delivered in {r.DeliverSeconds:N1} s; {r.Events:N0} events about {r.EmailsWithEvents:N0} of them ({string.Join(", ", r.Mix.Select(kv => $"{kv.Key} {kv.Value:N0}"))})");
        Console.WriteLine($"{"batch",5} {"events",6} {"meetings",8} {"ms",7} {"events/s",8} {"requests",8} {"reads",6} {"writes",6} {"req/event",9} {"applied",7} {"dup",5} {"unknown",7} {"cpu ms",7} {"azurite",7}");
        foreach (var b in r.Batches.Append(r.Replay))
            Console.WriteLine($"{(ReferenceEquals(b, r.Replay) ? "again" : b.Batch.ToString(CultureInfo.InvariantCulture)),5} {b.Events,6:N0} {b.Meetings,8} {b.Ms,7:N0} {b.EventsPerSecond,8:N0} {b.Requests,8:N0} {b.Reads,6:N0} {b.Writes,6:N0} {b.RequestsPerEvent,9:N3} {b.Applied,7:N0} {b.Duplicates,5:N0} {b.Unknown,7:N0} {b.WorkerCpuMs,7:N0} {b.AzuriteCpuMs,7:N0}");
        Console.WriteLine($"{r.Events:N0} events in {r.Seconds:N1} s = {r.EventsPerSecond:N0}/s; {r.Requests:N0} storage requests ({r.Writes:N0} writes) = {r.RequestsPerEvent:N3} per event; batch mean {r.MeanBatchMs:N0} ms, max {r.MaxBatchMs:N0} ms");
        Console.WriteLine($"Ledger {r.LedgerRowsBefore:N0} -> {r.LedgerRowsAfter:N0} rows; one meeting's partition query {r.PartitionQueryMsBefore} -> {r.PartitionQueryMsAfter} ms; signature and parse of a batch {r.VerifyAndParseMs} ms; statuses {string.Join(", ", r.FinalStatuses.OrderBy(kv => kv.Key).Select(kv => $"{kv.Key} {kv.Value:N0}"))}, {r.Undeliverable} undeliverable; load average {r.LoadAverageBefore} -> {r.LoadAverageAfter}");
        var output = Option("--out", "artifacts/bench-events.json");
        await WriteJsonAsync(output, new { machine, result = r });
        Console.WriteLine($"Wrote {output}");
        break;
    }
    case "commitments":
    {
        await Azurite.EnsureRunningAsync();
        var sizes = Option("--sizes", "10000,100000").Split(',').Select(s => int.Parse(s, CultureInfo.InvariantCulture)).ToList();
        using var counter = new RequestCounter();
        var started = System.Diagnostics.Stopwatch.StartNew();
        var results = new List<CommitmentsSize>();
        foreach (var size in sizes)
        {
            Console.Error.WriteLine($"Filling {size:N0} meetings and {size:N0} commitments ...");
            var r = await CommitmentsBenchmark.RunAsync(size, counter, default);
            results.Add(r);
            Console.WriteLine($"{r.Meetings:N0} meetings + {r.Commitments:N0} commitments ({r.IndexEntriesStored:N0} due-index entries, filled in {r.FillSeconds:N0} s): " +
                $"tick read {r.Read} due ({r.DueMeetingSlots} meeting + {r.DueCommitmentSlots} commitment slots), published {r.Published} as {r.Messages} messages in {r.TickMs:N0} ms");
            Console.WriteLine($"  requests {r.Requests:N0} ({r.Writes:N0} writes) = {r.RequestsPerDue:N3} per due slot | index: {r.IndexReads} reads of {r.IndexEntitiesRead:N0} entities ({r.IndexEntitiesPerDue:N3} x due), " +
                $"{r.IndexClaimWrites} claims, {r.IndexRemoves} removes, {r.WatermarkWrites} watermark | meetings {r.MeetingReads} reads | commitments {r.CommitmentReads} reads | ledger {r.LedgerWrites} writes | queue {r.QueueSends} sends | other {r.OtherRequests}");
        }
        var output = Option("--out", "artifacts/bench-commitments.json");
        await WriteJsonAsync(output, new { machine, seconds = Math.Round(started.Elapsed.TotalSeconds), sizes = results });
        Console.WriteLine($"Wrote {output} ({started.Elapsed.TotalMinutes:N1} min)");
        break;
    }
    default:
        Console.Error.WriteLine($"Unknown benchmark '{command}'. Known: tick, delivery, lateness, registration, events, commitments.");
        return 2;
}
return 0;
