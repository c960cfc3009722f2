using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Azure.Functions.Worker;
using Summit.Functions.Http;
using Summit.Functions.Identity;
using Summit.Reminders.Erasure;

namespace Summit.Functions.Operations;

/// <summary>A data-subject erasure request: the person's address.</summary>
public sealed record PersonErasureRequest(string? Email);

public sealed record PersonErasureResponse(
    string Id, string Status, DateTimeOffset RequestedAt, DateTimeOffset? LastRunAt, DateTimeOffset? FollowUpAt,
    int MeetingsErased, IReadOnlyList<ErasedFromMeeting> Meetings, IReadOnlyList<KeptInMeeting> Kept)
{
    public static PersonErasureResponse From(PersonErasure e) => new(
        e.Id, e.State switch { PersonErasureState.Done => "done", PersonErasureState.FollowUp => "follow-up-scheduled", _ => "running" },
        e.RequestedAt, e.LastRunAt, e.FollowUpAt, e.MeetingsErased, e.Meetings, e.Kept);
}

/// <summary>Data-subject requests (admin key): erase one person from every meeting. Repeating a request is safe: the
/// same address is the same erasure, and whatever the earlier run missed (a meeting added since) is erased now.</summary>
public sealed class ErasuresApi(PersonErasureService erasures, Guard guard)
{
    [Function("ErasePerson")]
    [Needs(Need.Operate)]
    public Task<IActionResult> Erase(
        [HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = "api/admin/erasures")] HttpRequest request, CancellationToken cancellationToken) =>
        guard.RunAsync(request, Need.Operate, async () =>
        {
            var (body, problem) = await JsonBody.ReadAsync<PersonErasureRequest>(request, cancellationToken);
            if (problem is not null) return problem;
            return await erasures.EraseAsync(body!.Email, cancellationToken) switch
            {
                PersonErasureResult.Done done => new OkObjectResult(PersonErasureResponse.From(done.Erasure)),
                PersonErasureResult.Invalid invalid => Problems.Validation(request, invalid.Errors),
                var other => throw new InvalidOperationException($"Unmapped result {other}."),
            };
        });
}
