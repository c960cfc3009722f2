using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Summit.Reminders.Erasure;
using Summit.Reminders.Ports;

namespace Summit.Reminders.Commitments;

/// <summary>
/// Retention for commitments: <see cref="RetentionOptions.AfterMeetingEndDays"/> days after a commitment is done or
/// dropped, its ledger rows and kept emails go and the commitment keeps only what the track's statistics need
/// (<see cref="Commitment.Anonymize"/>). The rows go first: a run that stops midway finds the commitment again.
/// </summary>
public sealed partial class CommitmentRetention(
    ICommitmentStore store, IDeliveryLedger ledger, ISentEmails sentEmails, Audit.AuditTrail audit, IAuditLog history, IOptions<RetentionOptions> options, TimeProvider time,
    ILogger<CommitmentRetention> logger)
{
    private const int MaxWriteAttempts = 5;

    public async Task<int> EraseClosedAsync(CancellationToken cancellationToken)
    {
        var days = options.Value.AfterMeetingEndDays;
        if (days == 0) return 0;
        var cutoff = time.GetUtcNow() - TimeSpan.FromDays(days);
        var erased = 0;
        using var origin = Audit.RequestOrigin.Begin(Audit.Actor.Retention, Audit.RequestOrigin.Current.RequestId);
        foreach (var id in await store.ListClosedBeforeAsync(cutoff, options.Value.MaxMeetingsPerRun, cancellationToken))
        {
            await ledger.EraseAsync(id, null, cancellationToken);
            await sentEmails.EraseAsync(id, null, null, cancellationToken);
            for (var attempt = 1; ; attempt++)
            {
                var stored = await store.GetAsync(id, cancellationToken);
                if (stored is null || stored.Commitment.ErasedAt is not null) break;
                try
                {
                    var entry = await audit.BeginAsync(id, Audit.AuditActions.Erased, [new Audit.AuditChange("erasure", null, "retention")], null, cancellationToken);
                    try
                    {
                        await store.ReplaceAsync(stored.Commitment.Anonymize(time.GetUtcNow()), null, stored.ConcurrencyToken, cancellationToken);
                    }
                    catch (ConcurrencyConflictException)
                    {
                        await audit.SettleAsync(id, entry, landed: false, cancellationToken);
                        throw;
                    }
                    await audit.SettleAsync(id, entry, landed: true, cancellationToken);
                    // Its history keeps what was done and when; personal values become the marker, as for a meeting.
                    await history.EraseAsync(id, null, time.GetUtcNow(), cancellationToken);
                    erased++;
                    LogErased(logger, id);
                    break;
                }
                catch (ConcurrencyConflictException) when (attempt < MaxWriteAttempts)
                {
                    // Reopened or changed meanwhile: read it again (a reopened one is open and stays).
                }
            }
        }
        return erased;
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Commitment {CommitmentId}: personal data erased after its retention period")]
    private static partial void LogErased(ILogger logger, string commitmentId);
}
