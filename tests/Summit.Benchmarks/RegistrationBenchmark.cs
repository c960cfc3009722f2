using System.Diagnostics;
using System.Globalization;
using System.Net;
using Summit.TestSupport.LocalHost;

namespace Summit.Benchmarks;

public sealed record RegistrationLevel(int Clients, int Requests, double Seconds, double RequestsPerSecond, double P50Ms, double P95Ms, double P99Ms, double MaxMs);

/// <summary>
/// Benchmark 4: coordinators registering meetings (20 participants, 3 reminders each) over HTTP against the local host
/// process, with each client sending its next request as soon as the previous one is answered. Run at several client
/// counts: one client shows the time a registration takes, more show how requests queue once the machine is busy.
/// </summary>
public static class RegistrationBenchmark
{
    public static async Task<IReadOnlyList<RegistrationLevel>> RunAsync(IReadOnlyList<int> clientCounts, int requestsPerLevel, int participants)
    {
        var repository = Summit.TestSupport.Repository.Root;
        await using var host = new LocalHostProcess(repository, Path.Combine(repository, "src", "Summit.LocalHost", "bin", "Release", "net10.0", "Summit.LocalHost.dll"));
        host.Settings["Logging__LogLevel__Default"] = "Warning"; // the console is not where production logs go
        await host.StartAsync();

        var start = DateTimeOffset.UtcNow.AddDays(30);
        var counter = 0;
        object Body() => new
        {
            title = $"Registration benchmark {Interlocked.Increment(ref counter)}",
            track = "biotechnology",
            agenda = "Joint research calls, clinical trial cooperation and medical device certification",
            start = start.AddMinutes(30 * (counter % 500)).ToString("yyyy-MM-dd'T'HH:mm", CultureInfo.InvariantCulture),
            timeZone = counter % 2 == 0 ? "Asia/Seoul" : "Europe/Istanbul",
            duration = "PT2H",
            location = "Ankara, Ministry of Health",
            coordinator = new { name = "Benchmark coordinator", email = "coordinator@example.org" },
            participants = Enumerable.Range(0, participants).Select(p => new { name = $"Participant {p}", email = $"p{counter}-{p}@example.org", timeZone = p % 3 == 0 ? "Europe/Berlin" : "Asia/Seoul" }).ToArray(),
            reminderOffsets = new[] { "P7D", "P1D", "PT2H" },
        };

        // Warm-up: JIT, connections, tables.
        await Parallel.ForEachAsync(Enumerable.Range(0, 100), new ParallelOptions { MaxDegreeOfParallelism = 10 }, async (_, _) => await RegisterAsync(host, Body()));

        var levels = new List<RegistrationLevel>();
        foreach (var clients in clientCounts)
        {
            var latencies = new double[requestsPerLevel];
            var watch = Stopwatch.StartNew();
            await Parallel.ForEachAsync(Enumerable.Range(0, requestsPerLevel), new ParallelOptions { MaxDegreeOfParallelism = clients }, async (i, _) =>
                latencies[i] = await RegisterAsync(host, Body()));
            watch.Stop();
            Array.Sort(latencies);
            double Percentile(double p) => latencies[Math.Min(latencies.Length - 1, (int)Math.Ceiling(p * latencies.Length) - 1)];
            levels.Add(new RegistrationLevel(clients, requestsPerLevel, Math.Round(watch.Elapsed.TotalSeconds, 1), Math.Round(requestsPerLevel / watch.Elapsed.TotalSeconds),
                Math.Round(Percentile(0.50), 1), Math.Round(Percentile(0.95), 1), Math.Round(Percentile(0.99), 1), Math.Round(latencies[^1], 1)));
        }
        return levels;
    }

    private static async Task<double> RegisterAsync(LocalHostProcess host, object body)
    {
        var watch = Stopwatch.StartNew();
        using var response = await host.SendAsync(HttpMethod.Post, "/api/meetings", LocalHostProcess.FunctionKey, body);
        await response.Content.ReadAsByteArrayAsync();
        watch.Stop();
        if (response.StatusCode != HttpStatusCode.Created)
            throw new InvalidOperationException($"registration answered {(int)response.StatusCode}: {await response.Content.ReadAsStringAsync()}");
        return watch.Elapsed.TotalMilliseconds;
    }
}
