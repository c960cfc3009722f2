using Summit.Reminders.DeliveryStatus;
using Summit.Reminders.Erasure;
using Summit.Reminders.Notifications;

namespace Summit.Reminders.Ports;

/// <summary>
/// The per-participant delivery ledger and the per-slot queue record. A row is claimed (with a lease) before an email
/// is sent, so a redelivered message never sends a second email.
/// </summary>
public interface IDeliveryLedger
{
    Task<LedgerClaim> TryClaimAsync(string meetingId, DeliveryRecord sending, CancellationToken cancellationToken);

    /// <summary>Records the outcome of a claimed delivery. Throws <see cref="ConcurrencyConflictException"/> if the claim was lost.</summary>
    Task FinishAsync(string meetingId, string token, DeliveryRecord outcome, CancellationToken cancellationToken);

    /// <summary>Records a skipped reminder: a new row, or one that was only waiting for a retry (or whose sender's lease ran
    /// out) becomes skipped; a sent, failed or skipped row stays as it is.</summary>
    Task RecordSkippedAsync(string meetingId, DeliveryRecord skipped, CancellationToken cancellationToken);

    /// <summary>For a replay: a "failed" row becomes "retrying" (with <paramref name="reason"/>) so delivery may claim it
    /// again. Returns the state the row had (null: no row), and changes nothing unless it was failed.</summary>
    Task<DeliveryState?> ReopenAsync(string meetingId, string reminderId, string reason, DateTimeOffset at, CancellationToken cancellationToken);

    Task MarkQueuedAsync(string meetingId, QueuedSlot slot, CancellationToken cancellationToken);

    Task<(IReadOnlyList<QueuedSlot> Slots, IReadOnlyList<DeliveryRecord> Deliveries)> ListAsync(string meetingId, CancellationToken cancellationToken);

    /// <summary>Deletes a meeting's ledger rows (deliveries, queued slots and answers), or, with
    /// <paramref name="participantIds"/>, only those participants' deliveries and answers.</summary>
    Task<LedgerErasure> EraseAsync(string meetingId, IReadOnlySet<string>? participantIds, CancellationToken cancellationToken);

    /// <summary>The ledger rows of these emails with the provider's status of each so far (rows that do not exist are left
    /// out). The statuses live in rows of their own, so a delivery's writes and the provider's never contend.</summary>
    Task<IReadOnlyList<TrackedEmail>> FindTrackedAsync(string meetingId, IReadOnlySet<string> reminderIds, CancellationToken cancellationToken);

    /// <summary>Writes provider statuses, each conditional on the token it was read with (null: it must not exist yet);
    /// throws <see cref="ConcurrencyConflictException"/> when one changed meanwhile.</summary>
    Task SaveStatusesAsync(string meetingId, IReadOnlyList<(ProviderStatus Status, string? Token)> statuses, CancellationToken cancellationToken);
}
