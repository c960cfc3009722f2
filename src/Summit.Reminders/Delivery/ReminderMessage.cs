using Summit.Reminders.Notifications;

namespace Summit.Reminders.Delivery;

/// <summary>
/// One reminder for one participant, as it travels through the queue. <see cref="ReminderId"/> is the transport's
/// message id on first publish (duplicate detection) and the delivery ledger's key.
/// </summary>
public sealed record ReminderMessage(
    string ReminderId, string MeetingId, string PlanId, int PlanVersion, string Offset, string ParticipantId,
    DateTimeOffset DueAt, DateTimeOffset? NotBefore = null, int FailedAttempts = 0, int Reschedules = 0)
{
    public const int SchemaVersion = 1;

    /// <summary>Reminder, or one of the notices (invitation, update, cancellation, escalation): see <see cref="Slots"/>.</summary>
    public MessageKind Kind => Slots.KindOf(Offset);

    /// <summary>The transport message id: the reminder id first, then a suffix per reschedule so that duplicate
    /// detection does not swallow a deliberate retry.</summary>
    public string TransportMessageId => Reschedules == 0 ? ReminderId : $"{ReminderId}~{Reschedules}";
}
