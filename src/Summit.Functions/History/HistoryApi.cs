using System.Globalization;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Azure.Functions.Worker;
using Summit.Functions.Http;
using Summit.Functions.Identity;
using Summit.Reminders.Audit;
using Summit.Reminders.Meetings;

namespace Summit.Functions.History;

/// <summary>The audit trail of a meeting or a commitment, oldest first, paged (docs/api.md, "History").</summary>
public sealed class HistoryApi(HistoryService history, Guard guard)
{
    [Function("MeetingHistory")]
    [Needs(Need.Read)]
    public Task<IActionResult> Meeting(
        [HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "api/meetings/{id}/history")] HttpRequest request, string id, CancellationToken cancellationToken) =>
        guard.RunAsync(request, Need.Read, async () =>
        {
            var (paging, errors) = HistoryQuery.Bind(request.Query);
            if (paging is null) return Problems.Validation(request, errors);
            return Map(request, id, "The meeting", await history.MeetingAsync(id, paging.ContinuationToken, paging.PageSize, cancellationToken));
        });

    [Function("CommitmentHistory")]
    [Needs(Need.Read)]
    public Task<IActionResult> Commitment(
        [HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "api/commitments/{id}/history")] HttpRequest request, string id, CancellationToken cancellationToken) =>
        guard.RunAsync(request, Need.Read, async () =>
        {
            var (paging, errors) = HistoryQuery.Bind(request.Query);
            if (paging is null) return Problems.Validation(request, errors);
            return Map(request, id, "The commitment", await history.CommitmentAsync(id, paging.ContinuationToken, paging.PageSize, cancellationToken));
        });

    private static IActionResult Map(HttpRequest request, string id, string what, HistoryResult result) => result switch
    {
        HistoryResult.Page page => new OkObjectResult(HistoryResponse.From(id, page)),
        HistoryResult.BadToken => Problems.Invalid(request, "continuationToken", "is not a token this API gave out"),
        HistoryResult.Forbidden forbidden => Problems.Forbidden(request, forbidden.Refusal),
        _ => Problems.NotFound(request, what),
    };
}

/// <summary>The query string of a history: <c>pageSize</c> (1–200, default 50) and <c>continuationToken</c>.</summary>
public sealed record HistoryQuery(int PageSize, string? ContinuationToken)
{
    public static (HistoryQuery? Query, IReadOnlyList<FieldError> Errors) Bind(IQueryCollection query)
    {
        var errors = new List<FieldError>();
        var pageSize = HistoryService.DefaultPageSize;
        if (query["pageSize"].ToString() is { Length: > 0 } size
            && (!int.TryParse(size, NumberStyles.None, CultureInfo.InvariantCulture, out pageSize) || pageSize is < 1 or > HistoryService.MaxPageSize))
            errors.Add(new("pageSize", $"must be a number from 1 to {HistoryService.MaxPageSize}"));
        var token = query["continuationToken"].ToString() is { Length: > 0 } t ? t : null;
        return errors.Count > 0 ? (null, errors) : (new HistoryQuery(pageSize, token), errors);
    }
}

public sealed record HistoryResponse(string Id, bool Erased, IReadOnlyList<HistoryEntryResponse> Entries, string? ContinuationToken)
{
    public static HistoryResponse From(string id, HistoryResult.Page page) =>
        new(id, page.Erased, page.Entries.Entries.Select(HistoryEntryResponse.From).ToList(), page.Entries.ContinuationToken);
}

/// <summary>One entry. <c>confirmed</c> is false for an entry whose change was begun but not confirmed (the process
/// stopped, or storage failed, between the change and its confirmation): it may not have landed.</summary>
public sealed record HistoryEntryResponse(string Id, DateTimeOffset At, string Action, HistoryActorResponse Actor, string? RequestId, long? Version,
    bool Confirmed, DateTimeOffset? ErasedAt, IReadOnlyList<HistoryChangeResponse> Changes)
{
    public static HistoryEntryResponse From(AuditEntry e) => new(e.Id, e.At, e.Action, HistoryActorResponse.From(e.Actor), e.RequestId, e.Version,
        e.State == AuditState.Recorded, e.ErasedAt, e.Changes.Select(c => new HistoryChangeResponse(c.Field, c.Old, c.New)).ToList());
}

/// <summary><c>kind</c>: key, participant-link, user or system.</summary>
public sealed record HistoryActorResponse(string Kind, string Id, string? Name)
{
    public static HistoryActorResponse From(Actor actor) => new(actor.Kind switch
    {
        ActorKind.Key => "key",
        ActorKind.ParticipantLink => "participant-link",
        ActorKind.User => "user",
        _ => "system",
    }, actor.Id, actor.Name);
}

public sealed record HistoryChangeResponse(string Field, string? Old, string? New);
