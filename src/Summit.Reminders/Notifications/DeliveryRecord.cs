namespace Summit.Reminders.Notifications;

public enum DeliveryState { Sending, Retrying, Sent, Failed, Skipped }

/// <summary>What happened to one reminder for one participant.</summary>
public sealed record DeliveryRecord(
    string ReminderId, string PlanId, string Offset, string ParticipantId, DeliveryState State,
    DateTimeOffset UpdatedAt, DateTimeOffset? SentAt = null, string? ProviderMessageId = null, string? Reason = null,
    int Attempts = 0, DateTimeOffset? LeaseUntil = null)
{
    /// <summary>What the provider reported about the email after accepting it (delivered, bounced, ...), when it did.</summary>
    public DeliveryStatus.ProviderStatus? Provider { get; init; }

    /// <summary>For a sent escalation or undeliverable notice: the participants it reported as unable to receive email
    /// (their ids), so that each is reported once (<see cref="DeliveryStatus.UndeliverableNotices"/>).</summary>
    public IReadOnlyList<string> Reports { get; init; } = [];
}

/// <summary>A slot whose messages were handed to the queue.</summary>
public sealed record QueuedSlot(string PlanId, string Offset, DateTimeOffset QueuedAt, int Recipients);

public abstract record LedgerClaim
{
    /// <summary>This worker may send; <see cref="Token"/> is needed to record the outcome.</summary>
    public sealed record Claimed(string Token, int PreviousAttempts) : LedgerClaim;
    /// <summary>Already sent, failed or skipped: never send again.</summary>
    public sealed record Finished(DeliveryState State) : LedgerClaim;
    /// <summary>Another worker is sending it now (or died doing so and its lease has not run out).</summary>
    public sealed record Busy(DateTimeOffset LeaseUntil) : LedgerClaim;
}
