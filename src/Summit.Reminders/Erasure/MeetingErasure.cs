using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Summit.Reminders.Ports;

namespace Summit.Reminders.Erasure;

public abstract record ErasureResult
{
    /// <summary>Erased now (or an erasure that stopped midway was finished now).</summary>
    public sealed record Erased(MeetingTombstone Tombstone) : ErasureResult;
    /// <summary>Erased before.</summary>
    public sealed record AlreadyErased(MeetingTombstone Tombstone) : ErasureResult;
    /// <summary>The meeting is gone (replaced by its tombstone), but deleting the rest failed midway: the retention
    /// timer, or the same request again, finishes it.</summary>
    public sealed record Started(MeetingTombstone Tombstone) : ErasureResult;
    public sealed record NotFound : ErasureResult;
    public sealed record VersionMismatch(long CurrentVersion) : ErasureResult;
    /// <summary>Neither a coordinator of the meeting's track nor an operator: nothing was erased.</summary>
    public sealed record Forbidden(Identity.Refusal Refusal) : ErasureResult;
}

/// <summary>
/// Erases a meeting's personal data everywhere it is stored. The meeting goes first, atomically replaced by its
/// anonymous tombstone: from then on nothing shows or sends it (the scheduler discards its due entries, delivery drops
/// its queued messages). Then the ledger (deliveries, queued slots, answers), the records of removed participants, the
/// kept email copies and its dead letters go; the tombstone says when that finished. Each step may run again: a crash
/// midway leaves an unfinished tombstone that the retention timer (or the same DELETE again) finishes.
/// </summary>
public sealed partial class MeetingErasure(
    IMeetingStore store, IDeliveryLedger ledger, ISentEmails sentEmails, IDeadLetterQueue deadLetters, Audit.AuditTrail audit, IAuditLog history,
    IOptions<RetentionOptions> options, TimeProvider time,
    ILogger<MeetingErasure> logger)
{
    private const int MaxAttempts = 5;

    public Task<ErasureResult> EraseAsync(string meetingId, long? expectedVersion, ErasureReason reason, CancellationToken cancellationToken) =>
        EraseAsync(meetingId, expectedVersion, reason, 1, cancellationToken);

    private async Task<ErasureResult> EraseAsync(string meetingId, long? expectedVersion, ErasureReason reason, int attempt, CancellationToken cancellationToken)
    {
        var stored = await store.GetAsync(meetingId, cancellationToken);
        if (stored is null)
        {
            var tombstone = await store.GetTombstoneAsync(meetingId, cancellationToken);
            if (tombstone is null) return new ErasureResult.NotFound();
            if (Identity.Allowed.ToErase(tombstone.Track) is { } hidden) return new ErasureResult.Forbidden(hidden);
            // An erasure that stopped midway is this request's to finish.
            return tombstone.IsComplete ? new ErasureResult.AlreadyErased(tombstone) : await TryFinishAsync(tombstone, cancellationToken);
        }
        if (Identity.Allowed.ToErase(stored.Meeting.Track) is { } refusal) return new ErasureResult.Forbidden(refusal);
        if (expectedVersion is { } expected && expected != stored.Meeting.Version) return new ErasureResult.VersionMismatch(stored.Meeting.Version);

        var (_, deliveries) = await ledger.ListAsync(meetingId, cancellationToken);
        var started = MeetingTombstone.Of(stored.Meeting, deliveries, reason, time.GetUtcNow());
        var entry = await audit.BeginAsync(meetingId, Audit.AuditActions.Erased,
            [new Audit.AuditChange("erasure", null, reason.ToString().ToLowerInvariant())], null, cancellationToken);
        try
        {
            await store.BeginErasureAsync(started, stored.ConcurrencyToken, cancellationToken);
            await audit.SettleAsync(meetingId, entry, landed: true, cancellationToken);
        }
        catch (ConcurrencyConflictException)
        {
            await audit.SettleAsync(meetingId, entry, landed: false, cancellationToken);
            // Gone meanwhile (erased by another request), or changed: without a version to hold to (If-Match: *,
            // retention) the change is simply erased too.
            var latest = await store.GetAsync(meetingId, cancellationToken);
            if ((latest is null || expectedVersion is null) && attempt < MaxAttempts)
                return await EraseAsync(meetingId, expectedVersion, reason, attempt + 1, cancellationToken);
            return latest is null ? new ErasureResult.NotFound() : new ErasureResult.VersionMismatch(latest.Meeting.Version);
        }
        LogStarted(logger, meetingId, reason);
        return await TryFinishAsync(started, cancellationToken);
    }

    private async Task<ErasureResult> TryFinishAsync(MeetingTombstone tombstone, CancellationToken cancellationToken)
    {
        try
        {
            return new ErasureResult.Erased(await FinishAsync(tombstone, cancellationToken));
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            LogUnfinished(logger, ex, tombstone.Id);
            return new ErasureResult.Started(tombstone);
        }
    }

    /// <summary>Finishes erasures that stopped midway and runs the follow-ups that are due; returns how many it ran.</summary>
    public async Task<int> ResumeAsync(int max, CancellationToken cancellationToken)
    {
        var due = await store.ListUnfinishedErasuresAsync(time.GetUtcNow(), max, cancellationToken);
        var done = 0;
        foreach (var tombstone in due)
        {
            // One that keeps failing must not hold up the others (nor the expiry after them): it is logged and retried next run.
            if (await TryFinishAsync(tombstone, cancellationToken) is ErasureResult.Erased) done++;
        }
        return done;
    }

    /// <summary>Erases meetings that ended more than <see cref="RetentionOptions.AfterMeetingEndDays"/> ago; returns how many.</summary>
    public async Task<int> EraseEndedAsync(CancellationToken cancellationToken)
    {
        var o = options.Value;
        if (o.AfterMeetingEndDays == 0) return 0;
        var cutoff = time.GetUtcNow().AddDays(-o.AfterMeetingEndDays);
        using var origin = Audit.RequestOrigin.Begin(Audit.Actor.Retention, Audit.RequestOrigin.Current.RequestId);
        var erased = 0;
        foreach (var id in await store.ListEndedBeforeAsync(cutoff, o.MaxMeetingsPerRun, cancellationToken))
        {
            try
            {
                if (await EraseAsync(id, null, ErasureReason.Retention, cancellationToken) is ErasureResult.Erased) erased++;
            }
            catch (Exception ex) when (ex is not OperationCanceledException)
            {
                LogExpiryFailed(logger, ex, id);
            }
        }
        return erased;
    }

    private async Task<MeetingTombstone> FinishAsync(MeetingTombstone tombstone, CancellationToken cancellationToken)
    {
        var id = tombstone.Id;
        if (await store.GetAsync(id, cancellationToken) is not null)
        {
            // The meeting is there again (a registration retried with its Idempotency-Key raced the erasure): its rows are
            // the new meeting's now. This tombstone is history; the new meeting is erased by its own DELETE or retention.
            var superseded = tombstone with { ErasedAt = tombstone.ErasedAt ?? time.GetUtcNow(), FollowUpDone = true };
            await store.SaveTombstoneAsync(superseded, cancellationToken);
            return superseded;
        }
        var rows = await ledger.EraseAsync(id, null, cancellationToken);
        var removed = await store.EraseRemovedAsync(id, null, cancellationToken);
        var emails = await sentEmails.EraseAsync(id, null, null, cancellationToken);
        var parked = await deadLetters.PurgeAsync(r => r.MeetingId == id, cancellationToken);
        var now = time.GetUtcNow();
        // The history stays, what was done, when, by which kind of actor and in which request; its personal values go.
        await history.EraseAsync(id, null, now, cancellationToken);
        var done = tombstone.ErasedAt is null
            ? tombstone with { ErasedAt = now, FollowUpAt = now + options.Value.PersonFollowUp }
            : tombstone with { FollowUpDone = true };
        await store.SaveTombstoneAsync(done, cancellationToken);
        LogFinished(logger, id, done.State, rows.Deliveries, rows.Answers, removed, emails, parked);
        return done;
    }

    [LoggerMessage(Level = LogLevel.Error, Message = "Retention could not erase meeting {MeetingId}; it is tried again next run")]
    private static partial void LogExpiryFailed(ILogger logger, Exception exception, string meetingId);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Erasure of meeting {MeetingId} stopped midway; the meeting is already gone, and the next retention run (or the same DELETE again) finishes the rest")]
    private static partial void LogUnfinished(ILogger logger, Exception exception, string meetingId);

    [LoggerMessage(Level = LogLevel.Information, Message = "Erasing meeting {MeetingId} ({Reason}): the meeting is replaced by its tombstone")]
    private static partial void LogStarted(ILogger logger, string meetingId, ErasureReason reason);

    [LoggerMessage(Level = LogLevel.Information, Message = "Meeting {MeetingId} {State}: {Deliveries} delivery rows, {Answers} answers, {Removed} removed-participant records, {Emails} kept emails and {DeadLetters} dead letters deleted")]
    private static partial void LogFinished(ILogger logger, string meetingId, string state, int deliveries, int answers, int removed, int emails, int deadLetters);
}
