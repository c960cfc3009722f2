using Summit.Reminders.Ports;

namespace Summit.Reminders.Audit;

public abstract record HistoryResult
{
    /// <summary>A page of the history. <see cref="Erased"/>: the meeting or commitment's personal data was erased (the
    /// history stays, with the marker in place of personal values).</summary>
    public sealed record Page(AuditPage Entries, bool Erased) : HistoryResult;
    public sealed record NotFound : HistoryResult;
    /// <summary>The continuation token is not one this API gave out.</summary>
    public sealed record BadToken : HistoryResult;
    /// <summary>The caller's roles do not let them see the meeting's or commitment's track.</summary>
    public sealed record Forbidden(Identity.Refusal Refusal) : HistoryResult;
}

/// <summary>Reads the history of a meeting or a commitment, page by page, oldest first.</summary>
public sealed class HistoryService(IAuditLog log, IMeetingStore meetings, ICommitmentStore commitments)
{
    public const int MaxPageSize = 200;
    public const int DefaultPageSize = 50;

    /// <summary>A meeting's history, also once it is erased (its tombstone says it existed; nothing personal is left in it).</summary>
    public async Task<HistoryResult> MeetingAsync(string meetingId, string? continuationToken, int pageSize, CancellationToken cancellationToken)
    {
        if (continuationToken is not null && !AuditTrail.IsEntryId(continuationToken)) return new HistoryResult.BadToken();
        bool erased;
        string track;
        if (await meetings.GetAsync(meetingId, cancellationToken) is { } stored) (erased, track) = (false, stored.Meeting.Track);
        else if (await meetings.GetTombstoneAsync(meetingId, cancellationToken) is { } tombstone) (erased, track) = (true, tombstone.Track);
        else return new HistoryResult.NotFound();
        if (Identity.Allowed.ToRead(track) is { } refusal) return new HistoryResult.Forbidden(refusal);
        return new HistoryResult.Page(await log.ListAsync(meetingId, continuationToken, pageSize, cancellationToken), erased);
    }

    public async Task<HistoryResult> CommitmentAsync(string commitmentId, string? continuationToken, int pageSize, CancellationToken cancellationToken)
    {
        if (continuationToken is not null && !AuditTrail.IsEntryId(continuationToken)) return new HistoryResult.BadToken();
        if (await commitments.GetAsync(commitmentId, cancellationToken) is not { } stored) return new HistoryResult.NotFound();
        if (Identity.Allowed.ToRead(stored.Commitment.Track) is { } refusal) return new HistoryResult.Forbidden(refusal);
        return new HistoryResult.Page(await log.ListAsync(commitmentId, continuationToken, pageSize, cancellationToken), stored.Commitment.ErasedAt is not null);
    }
}
