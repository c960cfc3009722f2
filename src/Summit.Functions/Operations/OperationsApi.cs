using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Azure.Functions.Worker;
using Summit.Reminders.Operations;

namespace Summit.Functions.Operations;

public sealed record DependencyResponse(string Name, string Status, long Milliseconds, string? Error);

public sealed record HealthResponse(string Status, IReadOnlyList<DependencyResponse> Dependencies)
{
    public static HealthResponse From(HealthReport report) => new(State(report.Healthy),
        report.Dependencies.Select(d => new DependencyResponse(d.Name, State(d.Healthy), d.Milliseconds, d.Error)).ToList());

    private static string State(bool healthy) => healthy ? "healthy" : "unhealthy";
}

/// <summary>Reference data and health: what coordinators and ops read.</summary>
public sealed class OperationsApi(HealthService health)
{
    [Function("ListTracks")]
    public IActionResult Tracks(
        [HttpTrigger(AuthorizationLevel.Function, "get", Route = "api/tracks")] HttpRequest request) =>
        new OkObjectResult(global::Summit.Reminders.Meetings.Tracks.All);

    /// <summary>Anonymous so load balancers and ops can call it; it shows reachability, never data or secrets.</summary>
    [Function("Health")]
    public async Task<IActionResult> Health(
        [HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "api/health")] HttpRequest request, CancellationToken cancellationToken)
    {
        var report = await health.CheckAsync(cancellationToken);
        return new ObjectResult(HealthResponse.From(report))
        {
            StatusCode = report.Healthy ? StatusCodes.Status200OK : StatusCodes.Status503ServiceUnavailable,
        };
    }
}
