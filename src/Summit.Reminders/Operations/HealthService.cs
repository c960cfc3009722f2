using Summit.Reminders.Delivery;
using Summit.Reminders.Ports;

namespace Summit.Reminders.Operations;

/// <summary>One dependency's answer: <see cref="Error"/> is safe to show on an anonymous endpoint (no data, no secret).</summary>
public sealed record DependencyHealth(string Name, bool Healthy, long Milliseconds, string? Error);

public sealed record HealthReport(IReadOnlyList<DependencyHealth> Dependencies)
{
    public bool Healthy => Dependencies.All(d => d.Healthy);
}

/// <summary>Asks every dependency at once, each within <see cref="ProbeTimeout"/>, and times them with the TimeProvider.</summary>
public sealed class HealthService(IEnumerable<IDependencyProbe> probes, TimeProvider time)
{
    public static readonly TimeSpan ProbeTimeout = TimeSpan.FromSeconds(5);

    public async Task<HealthReport> CheckAsync(CancellationToken cancellationToken) =>
        new(await Task.WhenAll(probes.Select(probe => ProbeAsync(probe, cancellationToken))));

    private async Task<DependencyHealth> ProbeAsync(IDependencyProbe probe, CancellationToken cancellationToken)
    {
        var started = time.GetTimestamp();
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(ProbeTimeout);
        try
        {
            await probe.ProbeAsync(timeout.Token);
            return new DependencyHealth(probe.Name, true, Elapsed(started), null);
        }
        catch (Exception ex) when (ex is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
        {
            var reason = ex switch
            {
                OperationCanceledException => $"no answer within {ProbeTimeout.TotalSeconds:0} s",
                DependencyUnhealthyException unhealthy => unhealthy.Message,
                _ => ex.GetType().Name,
            };
            return new DependencyHealth(probe.Name, false, Elapsed(started), reason);
        }
    }

    private long Elapsed(long started) => (long)time.GetElapsedTime(started).TotalMilliseconds;
}
