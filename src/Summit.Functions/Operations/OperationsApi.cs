using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Azure.Functions.Worker;
using Summit.Reminders.Delivery;
using Summit.Reminders.Ports;

namespace Summit.Functions.Operations;

public sealed record DependencyHealth(string Name, string Status, long Milliseconds, string? Error);

public sealed record HealthResponse(string Status, IReadOnlyList<DependencyHealth> Dependencies);

/// <summary>Reference data and health: what coordinators and ops read.</summary>
public sealed class OperationsApi(IEnumerable<IDependencyProbe> probes, TimeProvider time)
{
    private static readonly TimeSpan ProbeTimeout = TimeSpan.FromSeconds(5);

    [Function("ListTracks")]
    public IActionResult Tracks(
        [HttpTrigger(AuthorizationLevel.Function, "get", Route = "api/tracks")] HttpRequest request) =>
        new OkObjectResult(global::Summit.Reminders.Meetings.Tracks.All);

    /// <summary>Anonymous so load balancers and ops can call it; it shows reachability, never data or secrets.</summary>
    [Function("Health")]
    public async Task<IActionResult> Health(
        [HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "api/health")] HttpRequest request, CancellationToken cancellationToken)
    {
        var results = await Task.WhenAll(probes.Select(async probe =>
        {
            var started = time.GetTimestamp();
            using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            timeout.CancelAfter(ProbeTimeout);
            try
            {
                await probe.ProbeAsync(timeout.Token);
                return new DependencyHealth(probe.Name, "healthy", (long)time.GetElapsedTime(started).TotalMilliseconds, null);
            }
            catch (Exception ex) when (ex is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
            {
                var reason = ex switch
                {
                    OperationCanceledException => $"no answer within {ProbeTimeout.TotalSeconds:0} s",
                    DependencyUnhealthyException unhealthy => unhealthy.Message,
                    _ => ex.GetType().Name,
                };
                return new DependencyHealth(probe.Name, "unhealthy", (long)time.GetElapsedTime(started).TotalMilliseconds, reason);
            }
        }));
        var healthy = results.All(r => r.Status == "healthy");
        return new ObjectResult(new HealthResponse(healthy ? "healthy" : "unhealthy", results))
        {
            StatusCode = healthy ? StatusCodes.Status200OK : StatusCodes.Status503ServiceUnavailable,
        };
    }
}
