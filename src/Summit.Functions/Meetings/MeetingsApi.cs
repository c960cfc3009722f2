using System.Globalization;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Azure.Functions.Worker;
using Summit.Functions.Http;
using Summit.Functions.Identity;
using Summit.Reminders.Erasure;
using Summit.Reminders.Meetings;
using Summit.Reminders.Ports;

namespace Summit.Functions.Meetings;

/// <summary>The coordinators' HTTP API. Each function binds input, calls one use case and maps the result.</summary>
public sealed class MeetingsApi(MeetingService meetings, MeetingErasure erasure, Guard guard)
{
    [Function("CreateMeeting")]
    [Needs(Need.Change)]
    public Task<IActionResult> Create(
        [HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = "api/meetings")] HttpRequest request, CancellationToken cancellationToken) =>
        guard.RunAsync(request, Need.Change, async () =>
        {
            var (key, keyProblem) = RequestHeaders.IdempotencyKey(request);
            if (keyProblem is not null) return keyProblem;
            var (draft, problem) = await JsonBody.ReadAsync<MeetingDraft>(request, cancellationToken);
            if (problem is not null) return problem;
            var result = await meetings.RegisterAsync(draft!, key, cancellationToken);
            if (result is MeetingResult.Replayed) request.HttpContext.Response.Headers["Idempotent-Replayed"] = "true";
            return Map(request, result);
        });

    [Function("GetMeeting")]
    [Needs(Need.Read)]
    public Task<IActionResult> Get(
        [HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "api/meetings/{id}")] HttpRequest request, string id, CancellationToken cancellationToken) =>
        guard.RunAsync(request, Need.Read, async () => Map(request, await meetings.ReadAsync(id, cancellationToken)));

    [Function("ListMeetings")]
    [Needs(Need.Read)]
    public Task<IActionResult> List(
        [HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "api/meetings")] HttpRequest request, CancellationToken cancellationToken) =>
        guard.RunAsync(request, Need.Read, async () =>
        {
            var (query, errors) = MeetingListQuery.Bind(request.Query);
            if (query is null) return Problems.Validation(request, errors);
            if (query.Filter.Track is { } track && Summit.Reminders.Identity.Allowed.ToRead(track) is { } refusal) return Problems.Forbidden(request, refusal);
            var page = await meetings.ListAsync(query.Filter, query.ContinuationToken, query.PageSize, cancellationToken);
            return page is null
                ? Problems.Invalid(request, "continuationToken", "is not a token this API gave out")
                : new OkObjectResult(new MeetingListResponse(page.Items.Select(MeetingSummary.From).ToList(), page.ContinuationToken));
        });

    [Function("UpdateMeeting")]
    [Needs(Need.Change)]
    public Task<IActionResult> Update(
        [HttpTrigger(AuthorizationLevel.Anonymous, "put", Route = "api/meetings/{id}")] HttpRequest request, string id, CancellationToken cancellationToken) =>
        guard.RunAsync(request, Need.Change, async () =>
        {
            if (RequiredIfMatch(request) is { } missing) return missing;
            var (version, ifMatchProblem) = OptionalIfMatch(request);
            if (ifMatchProblem is not null) return ifMatchProblem;
            var (draft, problem) = await JsonBody.ReadAsync<MeetingDraft>(request, cancellationToken);
            return problem ?? Map(request, await meetings.UpdateAsync(id, draft!, version, cancellationToken));
        });

    [Function("CancelMeeting")]
    [Needs(Need.Change)]
    public Task<IActionResult> Cancel(
        [HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = "api/meetings/{id}/cancel")] HttpRequest request, string id, CancellationToken cancellationToken) =>
        guard.RunAsync(request, Need.Change, async () =>
        {
            var (version, problem) = OptionalIfMatch(request);
            return problem ?? Map(request, await meetings.CancelAsync(id, version, cancellationToken));
        });

    [Function("CompleteMeeting")]
    [Needs(Need.Change)]
    public Task<IActionResult> Complete(
        [HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = "api/meetings/{id}/complete")] HttpRequest request, string id, CancellationToken cancellationToken) =>
        guard.RunAsync(request, Need.Change, async () =>
        {
            var (version, problem) = OptionalIfMatch(request);
            return problem ?? Map(request, await meetings.CompleteAsync(id, version, cancellationToken));
        });

    /// <summary>Erases the meeting's personal data everywhere and keeps an anonymous tombstone (docs/data-protection.md).</summary>
    [Function("DeleteMeeting")]
    [Needs(Need.SignedIn)]
    public Task<IActionResult> Delete(
        [HttpTrigger(AuthorizationLevel.Anonymous, "delete", Route = "api/meetings/{id}")] HttpRequest request, string id, CancellationToken cancellationToken) =>
        guard.RunAsync(request, Need.SignedIn, async () =>
        {
            if (RequiredIfMatch(request) is { } missing) return missing;
            var (version, problem) = OptionalIfMatch(request);
            if (problem is not null) return problem;
            return await erasure.EraseAsync(id, version, ErasureReason.Requested, cancellationToken) switch
            {
                ErasureResult.Erased erased => new OkObjectResult(TombstoneResponse.From(erased.Tombstone)),
                ErasureResult.Started started => new AcceptedResult((string?)null, TombstoneResponse.From(started.Tombstone)),
                ErasureResult.AlreadyErased gone => TombstoneResponse.Gone(request, gone.Tombstone),
                ErasureResult.Forbidden forbidden => Problems.Forbidden(request, forbidden.Refusal),
                ErasureResult.VersionMismatch mismatch => Map(request, new MeetingResult.VersionMismatch(mismatch.CurrentVersion)),
                _ => Problems.NotFound(request, "The meeting"),
            };
        });

    private static IActionResult? RequiredIfMatch(HttpRequest request) => RequestHeaders.RequireIfMatch(request, "/api/meetings/{id}");

    private static (long? Version, IActionResult? Problem) OptionalIfMatch(HttpRequest request) => RequestHeaders.IfMatch(request);

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
        MeetingResult.Forbidden forbidden => Problems.Forbidden(request, forbidden.Refusal),
        MeetingResult.StateConflict conflict => Problems.Field(request, StatusCodes.Status409Conflict, "state-conflict",
            "Not possible in the meeting's state", "status", conflict.Reason),
        MeetingResult.Erased erased => TombstoneResponse.Gone(request, erased.Tombstone),
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
}
