using System.Globalization;
using System.Text.Json;
using Summit.Benchmarks;
using Summit.TestSupport.Storage;

// Opt-in benchmarks (scripts/bench.sh runs them against an Azurite of their own). Usage:
//   Summit.Benchmarks tick [--sizes 10000,100000,1000000] [--out artifacts/bench-tick.json] [--chart docs/benchmarks-tick.png]
//   Summit.Benchmarks delivery [--meetings 500 --participants 10 --latency-ms 50 --concurrency 64 --transports ServiceBus,StorageQueue]
var command = args.FirstOrDefault() ?? "tick";
string Option(string name, string fallback)
{
    var i = Array.IndexOf(args, name);
    return i >= 0 && i + 1 < args.Length ? args[i + 1] : fallback;
}
var json = new JsonSerializerOptions { WriteIndented = true, PropertyNamingPolicy = JsonNamingPolicy.CamelCase };
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
        Directory.CreateDirectory(Path.GetDirectoryName(Path.GetFullPath(output))!);
        await File.WriteAllTextAsync(output, JsonSerializer.Serialize(new { machine, azurite = raw, sizes = results }, json));
        var chart = Option("--chart", "artifacts/bench-tick.png");
        Charts.TickCost(rows, chart);
        Console.WriteLine($"Wrote {output} and {chart}");
        break;
    }
    case "delivery":
    {
        await Azurite.EnsureRunningAsync();
        var meetings = int.Parse(Option("--meetings", "500"), CultureInfo.InvariantCulture);
        var participants = int.Parse(Option("--participants", "10"), CultureInfo.InvariantCulture);
        var latency = int.Parse(Option("--latency-ms", "50"), CultureInfo.InvariantCulture);
        var concurrency = int.Parse(Option("--concurrency", "64"), CultureInfo.InvariantCulture);
        var results = new List<DeliveryResult>();
        foreach (var transport in Option("--transports", "ServiceBus,StorageQueue").Split(','))
        {
            var r = await DeliveryBenchmark.RunAsync(transport, meetings, participants, latency, concurrency);
            results.Add(r);
            Console.WriteLine($"{r.Transport,-12} {r.Emails:N0} emails in {r.Seconds:N1} s = {r.EmailsPerSecond:N0}/s per worker; SendGrid endpoint driven directly: {r.DirectEmailsPerSecond:N0}/s (ratio {r.RatioToDirect:N2}); peak working set {r.PeakWorkingSetMb} MB; concurrency {r.Concurrency}, latency {r.LatencyMs} ms");
        }
        var output = Option("--out", "artifacts/bench-delivery.json");
        Directory.CreateDirectory(Path.GetDirectoryName(Path.GetFullPath(output))!);
        await File.WriteAllTextAsync(output, JsonSerializer.Serialize(new { machine, results }, json));
        Console.WriteLine($"Wrote {output}");
        break;
    }
    default:
        Console.Error.WriteLine($"Unknown benchmark '{command}'. Known: tick, delivery.");
        return 2;
}
return 0;
