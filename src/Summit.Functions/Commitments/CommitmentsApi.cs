using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Azure.Functions.Worker;
using Summit.Functions.Http;
using Summit.Functions.Identity;
using Summit.Reminders.Commitments;

namespace Summit.Functions.Commitments;

/// <summary>The coordinators' HTTP API for commitments (deliverables due by a date). Each function binds input, calls one
/// use case and maps the result, with the same validation, ETags and problem details as meetings.</summary>
public sealed class CommitmentsApi(CommitmentService commitments, TimeProvider time, Guard guard)
{
    [Function("CreateCommitment")]
    [Needs(Need.Change)]
    public Task<IActionResult> Create(
        [HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = "api/commitments")] HttpRequest request, CancellationToken cancellationToken) =>
        guard.RunAsync(request, Need.Change, async () =>
        {
            var (key, keyProblem) = RequestHeaders.IdempotencyKey(request);
            if (keyProblem is not null) return keyProblem;
            var (draft, problem) = await JsonBody.ReadAsync<CommitmentDraft>(request, cancellationToken);
            if (problem is not null) return problem;
            var result = await commitments.RegisterAsync(draft!, key, cancellationToken);
            if (result is CommitmentResult.Replayed) request.HttpContext.Response.Headers["Idempotent-Replayed"] = "true";
            return Map(request, result);
        });

    [Function("GetCommitment")]
    [Needs(Need.Read)]
    public Task<IActionResult> Get(
        [HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "api/commitments/{id}")] HttpRequest request, string id, CancellationToken cancellationToken) =>
        guard.RunAsync(request, Need.Read, async () => Map(request, await commitments.ReadAsync(id, cancellationToken)));

    [Function("ListCommitments")]
    [Needs(Need.Read)]
    public Task<IActionResult> List(
        [HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "api/commitments")] HttpRequest request, CancellationToken cancellationToken) =>
        guard.RunAsync(request, Need.Read, async () =>
        {
            var (query, errors) = CommitmentListQuery.Bind(request.Query);
            if (query is null) return Problems.Validation(request, errors);
            if (query.Filter.Track is { } track && Summit.Reminders.Identity.Allowed.ToRead(track) is { } refusal) return Problems.Forbidden(request, refusal);
            var page = await commitments.ListAsync(query.Filter, query.ContinuationToken, query.PageSize, cancellationToken);
            var now = time.GetUtcNow();
            return page is null
                ? Problems.Invalid(request, "continuationToken", "is not a token this API gave out")
                : new OkObjectResult(new CommitmentListResponse(page.Items.Select(c => CommitmentSummary.From(c, now)).ToList(), page.ContinuationToken));
        });

    [Function("UpdateCommitment")]
    [Needs(Need.Change)]
    public Task<IActionResult> Update(
        [HttpTrigger(AuthorizationLevel.Anonymous, "put", Route = "api/commitments/{id}")] HttpRequest request, string id, CancellationToken cancellationToken) =>
        guard.RunAsync(request, Need.Change, async () =>
        {
            if (RequestHeaders.RequireIfMatch(request, "/api/commitments/{id}") is { } missing) return missing;
            var (version, ifMatchProblem) = IfMatch(request);
            if (ifMatchProblem is not null) return ifMatchProblem;
            var (draft, problem) = await JsonBody.ReadAsync<CommitmentDraft>(request, cancellationToken);
            return problem ?? Map(request, await commitments.UpdateAsync(id, draft!, version, cancellationToken));
        });

    [Function("CompleteCommitment")]
    [Needs(Need.Change)]
    public Task<IActionResult> Done(
        [HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = "api/commitments/{id}/done")] HttpRequest request, string id, CancellationToken cancellationToken) =>
        guard.RunAsync(request, Need.Change, async () =>
        {
            var (version, ifMatchProblem) = IfMatch(request);
            if (ifMatchProblem is not null) return ifMatchProblem;
            var (draft, problem) = await OptionalBodyAsync<CompletionDraft>(request, cancellationToken);
            return problem ?? Map(request, await commitments.CompleteAsync(id, draft!, version, cancellationToken));
        });

    [Function("ReopenCommitment")]
    [Needs(Need.Change)]
    public Task<IActionResult> Reopen(
        [HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = "api/commitments/{id}/reopen")] HttpRequest request, string id, CancellationToken cancellationToken) =>
        guard.RunAsync(request, Need.Change, async () =>
        {
            var (version, problem) = IfMatch(request);
            return problem ?? Map(request, await commitments.ReopenAsync(id, version, cancellationToken));
        });

    [Function("DropCommitment")]
    [Needs(Need.Change)]
    public Task<IActionResult> Drop(
        [HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = "api/commitments/{id}/drop")] HttpRequest request, string id, CancellationToken cancellationToken) =>
        guard.RunAsync(request, Need.Change, async () =>
        {
            var (version, ifMatchProblem) = IfMatch(request);
            if (ifMatchProblem is not null) return ifMatchProblem;
            var (draft, problem) = await OptionalBodyAsync<DropDraft>(request, cancellationToken);
            return problem ?? Map(request, await commitments.DropAsync(id, draft!, version, cancellationToken));
        });

    /// <summary>A body that may be left out entirely (no Content-Type, nothing sent); when sent, the usual strict JSON.</summary>
    private static async Task<(T? Value, IActionResult? Problem)> OptionalBodyAsync<T>(HttpRequest request, CancellationToken cancellationToken) where T : class, new() =>
        request.ContentLength is null or 0 && string.IsNullOrEmpty(request.ContentType)
            ? (new T(), null)
            : await JsonBody.ReadAsync<T>(request, cancellationToken);

    private static (long? Version, IActionResult? Problem) IfMatch(HttpRequest request) => RequestHeaders.IfMatch(request);

    private IActionResult Map(HttpRequest request, CommitmentResult result) => result switch
    {
        CommitmentResult.Created created => Respond(request, created.View, StatusCodes.Status201Created),
        CommitmentResult.Replayed replayed => Respond(request, replayed.View, StatusCodes.Status201Created),
        CommitmentResult.Changed changed => Respond(request, changed.View, StatusCodes.Status200OK),
        CommitmentResult.Invalid invalid => Problems.Validation(request, invalid.Errors),
        CommitmentResult.NotFound => Problems.NotFound(request, "The commitment"),
        CommitmentResult.VersionMismatch mismatch => Problems.Field(request, StatusCodes.Status412PreconditionFailed, "precondition-failed",
            "The commitment has changed", "If-Match", $"does not match the current version {ETags.For(mismatch.CurrentVersion)}; GET the commitment and apply your change again"),
        CommitmentResult.IdempotencyKeyReused => Problems.Field(request, StatusCodes.Status422UnprocessableEntity, "idempotency-key-reused",
            "Idempotency-Key already used", "Idempotency-Key", "was already used with a different request body"),
        CommitmentResult.Forbidden forbidden => Problems.Forbidden(request, forbidden.Refusal),
        CommitmentResult.StateConflict conflict => Problems.Field(request, StatusCodes.Status409Conflict, "state-conflict",
            "Not possible in the commitment's state", "status", conflict.Reason),
        _ => throw new InvalidOperationException($"Unmapped result {result}."),
    };

    private IActionResult Respond(HttpRequest request, CommitmentView view, int status)
    {
        request.HttpContext.Response.Headers.ETag = ETags.For(view.Commitment.Version);
        var body = CommitmentResponse.From(view, time.GetUtcNow());
        return status == StatusCodes.Status201Created
            ? new CreatedResult($"/api/commitments/{view.Commitment.Id}", body)
            : new OkObjectResult(body);
    }
}
