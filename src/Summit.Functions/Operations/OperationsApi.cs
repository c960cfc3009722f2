using Summit.Functions.Http;
using Summit.Functions.Identity;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Azure.Functions.Worker;
using Summit.Reminders.Meetings;
using Summit.Reminders.Operations;

namespace Summit.Functions.Operations;

public sealed record DependencyResponse(string Name, string Status, long Milliseconds, string? Error);

public sealed record HealthResponse(string Status, IReadOnlyList<DependencyResponse> Dependencies)
{
    public static HealthResponse From(HealthReport report) => new(State(report.Healthy),
        report.Dependencies.Select(d => new DependencyResponse(d.Name, State(d.Healthy), d.Milliseconds, d.Error)).ToList());

    private static string State(bool healthy) => healthy ? "healthy" : "unhealthy";
}

/// <summary>A track as the API shows it: <c>name</c> and <c>description</c> in English as they always were, and
/// <c>names</c> and <c>descriptions</c> in every language emails and pages use (<c>en</c>, <c>ko</c>, <c>tr</c>).</summary>
public sealed record TrackResponse(string Id, string Name, string Description, TrackText Names, TrackText Descriptions)
{
    public static TrackResponse From(Track track) => new(track.Id, track.Name, track.Description, track.Names, track.Descriptions);
}

/// <summary>Reference data and health: what coordinators and ops read.</summary>
public sealed class OperationsApi(HealthService health, Guard guard)
{
    [Function("ListTracks")]
    [Needs(Need.SignedIn)]
    public Task<IActionResult> Tracks(
        [HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "api/tracks")] HttpRequest request) =>
        guard.RunAsync(request, Need.SignedIn, () =>
            Task.FromResult<IActionResult>(new OkObjectResult(global::Summit.Reminders.Meetings.Tracks.All.Select(TrackResponse.From).ToList())));

    /// <summary>Anonymous so load balancers and ops can call it; it shows reachability, never data or secrets.</summary>
    [Function("Health")]
    [Needs(Need.Anonymous)]
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
