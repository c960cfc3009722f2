using System.Globalization;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Azure.Functions.Worker;
using Summit.Functions.Http;
using Summit.Reminders.Meetings;
using Summit.Reminders.Ports;

namespace Summit.Functions.Meetings;

/// <summary>The coordinators' HTTP API. Each function binds input, calls one use case and maps the result.</summary>
public sealed class MeetingsApi(MeetingService meetings)
{
    private const int MaxIdempotencyKeyLength = 200;

    [Function("CreateMeeting")]
    public Task<IActionResult> Create(
        [HttpTrigger(AuthorizationLevel.Function, "post", Route = "api/meetings")] HttpRequest request, CancellationToken cancellationToken) =>
        Guard(request, async () =>
        {
            string? key = null;
            if (request.Headers.TryGetValue("Idempotency-Key", out var keys))
            {
                key = keys.ToString();
                if (keys.Count != 1 || key.Length is 0 or > MaxIdempotencyKeyLength || key.Any(c => c is < '!' or > '~'))
                    return Problems.Field(request, 400, "validation-error", "The request is not valid", "Idempotency-Key",
                        $"must be 1 to {MaxIdempotencyKeyLength} visible ASCII characters");
            }
            var (draft, problem) = await JsonBody.ReadAsync<MeetingDraft>(request, cancellationToken);
            if (problem is not null) return problem;
            var result = await meetings.RegisterAsync(draft!, key, cancellationToken);
            if (result is MeetingResult.Replayed) request.HttpContext.Response.Headers["Idempotent-Replayed"] = "true";
            return Map(request, result);
        });

    [Function("GetMeeting")]
    public Task<IActionResult> Get(
        [HttpTrigger(AuthorizationLevel.Function, "get", Route = "api/meetings/{id}")] HttpRequest request, string id, CancellationToken cancellationToken) =>
        Guard(request, async () =>
        {
            var view = await meetings.GetAsync(id, cancellationToken);
            return view is null ? Problems.NotFound(request, $"Meeting '{id}'") : Ok(request, view);
        });

    [Function("ListMeetings")]
    public Task<IActionResult> List(
        [HttpTrigger(AuthorizationLevel.Function, "get", Route = "api/meetings")] HttpRequest request, CancellationToken cancellationToken) =>
        Guard(request, async () =>
        {
            var q = request.Query;
            var errors = new List<FieldError>();
            var track = q["track"].ToString() is { Length: > 0 } t ? t : null;
            if (track is not null && Tracks.Find(track) is null) errors.Add(new("track", "is not a track; GET /api/tracks lists them"));
            MeetingStatus? status = null;
            if (q["status"].ToString() is { Length: > 0 } s)
            {
                if (s is "scheduled" or "cancelled" or "completed") status = Enum.Parse<MeetingStatus>(s, ignoreCase: true);
                else errors.Add(new("status", "must be scheduled, cancelled or completed"));
            }
            var from = Instant(q["from"].ToString(), "from", errors);
            var to = Instant(q["to"].ToString(), "to", errors);
            var pageSize = 50;
            if (q["pageSize"].ToString() is { Length: > 0 } ps && (!int.TryParse(ps, NumberStyles.None, CultureInfo.InvariantCulture, out pageSize) || pageSize is < 1 or > 200))
                errors.Add(new("pageSize", "must be a number from 1 to 200"));
            if (errors.Count > 0) return Problems.Validation(request, errors);
            try
            {
                var page = await meetings.ListAsync(new MeetingQuery(track, status, from, to),
                    q["continuationToken"].ToString() is { Length: > 0 } c ? c : null, pageSize, cancellationToken);
                return new OkObjectResult(new MeetingListResponse(page.Items.Select(MeetingSummary.From).ToList(), page.ContinuationToken));
            }
            catch (ArgumentException)
            {
                return Problems.Field(request, 400, "validation-error", "The request is not valid", "continuationToken", "is not a token this API gave out");
            }
        });

    [Function("UpdateMeeting")]
    public Task<IActionResult> Update(
        [HttpTrigger(AuthorizationLevel.Function, "put", Route = "api/meetings/{id}")] HttpRequest request, string id, CancellationToken cancellationToken) =>
        Guard(request, async () =>
        {
            if (!request.Headers.TryGetValue("If-Match", out var ifMatch))
                return Problems.Field(request, StatusCodes.Status428PreconditionRequired, "precondition-required", "If-Match required",
                    "If-Match", "is required: send the ETag from GET /api/meetings/{id} so a concurrent change is not overwritten");
            if (!ETags.TryParse(ifMatch.ToString(), out var version))
                return Problems.Field(request, 400, "validation-error", "The request is not valid", "If-Match", "must be an ETag such as \"3\"");
            var (draft, problem) = await JsonBody.ReadAsync<MeetingDraft>(request, cancellationToken);
            if (problem is not null) return problem;
            if (version is null)
            {
                var current = await meetings.GetAsync(id, cancellationToken);
                if (current is null) return Problems.NotFound(request, $"Meeting '{id}'");
                version = current.Meeting.Version;
            }
            return Map(request, await meetings.UpdateAsync(id, draft!, version.Value, cancellationToken));
        });

    [Function("CancelMeeting")]
    public Task<IActionResult> Cancel(
        [HttpTrigger(AuthorizationLevel.Function, "post", Route = "api/meetings/{id}/cancel")] HttpRequest request, string id, CancellationToken cancellationToken) =>
        Guard(request, async () =>
        {
            var (version, problem) = OptionalIfMatch(request);
            return problem ?? Map(request, await meetings.CancelAsync(id, version, cancellationToken));
        });

    [Function("CompleteMeeting")]
    public Task<IActionResult> Complete(
        [HttpTrigger(AuthorizationLevel.Function, "post", Route = "api/meetings/{id}/complete")] HttpRequest request, string id, CancellationToken cancellationToken) =>
        Guard(request, async () =>
        {
            var (version, problem) = OptionalIfMatch(request);
            return problem ?? Map(request, await meetings.CompleteAsync(id, version, cancellationToken));
        });

    private static (long? Version, IActionResult? Problem) OptionalIfMatch(HttpRequest request)
    {
        if (!request.Headers.TryGetValue("If-Match", out var ifMatch)) return (null, null);
        return ETags.TryParse(ifMatch.ToString(), out var version)
            ? (version, null)
            : (null, Problems.Field(request, 400, "validation-error", "The request is not valid", "If-Match", "must be an ETag such as \"3\""));
    }

    private static IActionResult Map(HttpRequest request, MeetingResult result) => result switch
    {
        MeetingResult.Created created => Created(request, created.View),
        MeetingResult.Replayed replayed => Created(request, replayed.View),
        MeetingResult.Changed changed => Ok(request, changed.View),
        MeetingResult.Invalid invalid => Problems.Validation(request, invalid.Errors),
        MeetingResult.NotFound => Problems.NotFound(request, "The meeting"),
        MeetingResult.VersionMismatch mismatch => Problems.Field(request, StatusCodes.Status412PreconditionFailed, "precondition-failed",
            "The meeting has changed", "If-Match", $"does not match the current version {ETags.For(mismatch.CurrentVersion)}; GET the meeting and apply your change again"),
        MeetingResult.IdempotencyKeyReused => Problems.Field(request, StatusCodes.Status422UnprocessableEntity, "idempotency-key-reused",
            "Idempotency-Key already used", "Idempotency-Key", "was already used with a different request body"),
        MeetingResult.StateConflict conflict => Problems.Field(request, StatusCodes.Status409Conflict, "state-conflict",
            "Not possible in the meeting's state", "status", conflict.Reason),
        _ => throw new InvalidOperationException($"Unmapped result {result}."),
    };

    private static IActionResult Ok(HttpRequest request, MeetingView view)
    {
        request.HttpContext.Response.Headers.ETag = ETags.For(view.Meeting.Version);
        return new OkObjectResult(MeetingResponse.From(view));
    }

    private static IActionResult Created(HttpRequest request, MeetingView view)
    {
        request.HttpContext.Response.Headers.ETag = ETags.For(view.Meeting.Version);
        return new CreatedResult($"/api/meetings/{view.Meeting.Id}", MeetingResponse.From(view));
    }

    private static DateTimeOffset? Instant(string text, string field, List<FieldError> errors)
    {
        if (text.Length == 0) return null;
        if (DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal, out var value))
            return value;
        errors.Add(new(field, "must be an ISO 8601 date or date-time, such as 2026-12-01 or 2026-12-01T09:00:00Z"));
        return null;
    }

    /// <summary>Storage that cannot be reached is a 503 with problem details, never a bare 500.</summary>
    internal static async Task<IActionResult> Guard(HttpRequest request, Func<Task<IActionResult>> handler)
    {
        try
        {
            return await handler();
        }
        catch (DependencyUnavailableException ex)
        {
            request.HttpContext.Response.Headers.RetryAfter = "30";
            return Problems.Unavailable(request, ex.Dependency);
        }
    }
}
