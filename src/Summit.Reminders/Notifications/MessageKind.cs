namespace Summit.Reminders.Notifications;

/// <summary>What a queued message asks delivery to send. Reminders are named by their offset (an ISO 8601 duration
/// such as P1D); the other kinds by a fixed slot name, so every kind shares the due index, the queue and the ledger.</summary>
public enum MessageKind { Reminder, Invitation, Update, Cancellation, Escalation, Removal, Undeliverable, CommitmentReminder, CommitmentEscalation, CommitmentDone, CommitmentMoreTime, Digest }

public static class Slots
{
    public const string Invitation = "invite";
    public const string Update = "update";
    public const string Cancellation = "cancel";
    public const string Escalation = "escalate";
    /// <summary>A cancellation for the participants an update took off the list (their calendar entry must go).</summary>
    public const string Removal = "removed";

    /// <summary>The coordinator's notice that participants' addresses cannot receive email: one slot per day of the
    /// meeting's calendar, <c>undeliverable-2026-12-01</c>, so a meeting sends at most one a day.</summary>
    public const string UndeliverablePrefix = "undeliverable-";

    /// <summary>A commitment's reminder to its owners, by its offset before the due moment: <c>due-P2D</c>.</summary>
    public const string CommitmentReminderPrefix = "due-";

    /// <summary>A rung of a commitment's escalation ladder to the coordinator, by its offset after the due moment:
    /// <c>overdue-PT0M</c> (at the due moment), <c>overdue-P2D</c>.</summary>
    public const string CommitmentEscalationPrefix = "overdue-";

    /// <summary>The coordinator's notice that an owner marked the commitment done (through their link):
    /// <c>owner-done-7</c>, for the change that made version 7 (<see cref="VersionOf"/>).</summary>
    public const string CommitmentDone = "owner-done";

    /// <summary>The commitment version an owner's notice is about: the number after the last '-' of its slot.</summary>
    public static long? VersionOf(string slot) =>
        long.TryParse(slot.AsSpan(slot.LastIndexOf('-') + 1), System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var v) ? v : null;

    /// <summary>The coordinator's notice that an owner asks for more time: <c>more-time-3</c>, the third request.</summary>
    public const string CommitmentMoreTimePrefix = "more-time-";

    /// <summary>A coordinator's daily digest: one slot per day of the subscriber's calendar, <c>digest-2026-12-01</c>, so
    /// a subscriber gets at most one a day (the ledger keys on it, whatever plan queued it).</summary>
    public const string DigestPrefix = "digest-";

    public static string Digest(DateOnly day) => DigestPrefix + day.ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture);

    /// <summary>The day of a digest slot (<c>digest-2026-12-01</c>), or null when it is not one.</summary>
    public static DateOnly? DayOfDigest(string slot) =>
        slot.StartsWith(DigestPrefix, StringComparison.Ordinal)
        && DateOnly.TryParseExact(slot.AsSpan(DigestPrefix.Length), "yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture, System.Globalization.DateTimeStyles.None, out var day)
            ? day : null;

    public static string Undeliverable(DateOnly day) => UndeliverablePrefix + day.ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture);

    /// <summary>The recipient id of an escalation: the meeting's coordinator.</summary>
    public const string Coordinator = "coordinator";

    public static MessageKind KindOf(string slot) => slot switch
    {
        Invitation => MessageKind.Invitation,
        Update => MessageKind.Update,
        Cancellation => MessageKind.Cancellation,
        Escalation => MessageKind.Escalation,
        Removal => MessageKind.Removal,
        _ when slot.StartsWith(UndeliverablePrefix, StringComparison.Ordinal) => MessageKind.Undeliverable,
        _ when slot.StartsWith(DigestPrefix, StringComparison.Ordinal) => MessageKind.Digest,
        _ when slot.StartsWith(CommitmentDone + "-", StringComparison.Ordinal) => MessageKind.CommitmentDone,
        _ when slot.StartsWith(CommitmentMoreTimePrefix, StringComparison.Ordinal) => MessageKind.CommitmentMoreTime,
        _ when slot.StartsWith(CommitmentReminderPrefix, StringComparison.Ordinal) => MessageKind.CommitmentReminder,
        _ when slot.StartsWith(CommitmentEscalationPrefix, StringComparison.Ordinal) => MessageKind.CommitmentEscalation,
        _ => MessageKind.Reminder,
    };

    public static string Category(MessageKind kind) => kind switch
    {
        MessageKind.Invitation => "invitation",
        MessageKind.Update => "update",
        MessageKind.Cancellation => "cancellation",
        MessageKind.Escalation => "escalation",
        MessageKind.Removal => "removal",
        MessageKind.Undeliverable => "undeliverable",
        MessageKind.CommitmentReminder => "commitment-reminder",
        MessageKind.CommitmentEscalation => "commitment-escalation",
        MessageKind.CommitmentDone => "commitment-done",
        MessageKind.CommitmentMoreTime => "commitment-more-time",
        MessageKind.Digest => "digest",
        _ => "reminder",
    };
}

public static class NotificationIds
{
    /// <summary>The id of one email of one slot to one recipient: <c>{meeting}.{plan}.{slot}.{recipient}</c>. A reminder of
    /// an old plan can never be mistaken for a new one; the transport's duplicate detection and the ledger key on it.</summary>
    public static string For(string meetingId, string planId, string offset, string participantId) =>
        $"{meetingId}.{planId}.{offset}.{participantId}";
}
