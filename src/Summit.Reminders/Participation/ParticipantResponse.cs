using Summit.Reminders.Meetings;

namespace Summit.Reminders.Participation;

/// <summary>
/// What one participant said through their links. An acknowledgement is for the meeting as it was then
/// (<see cref="AcknowledgedStartUtc"/>): if the coordinator moves the start, reminders resume for the new time.
/// Unsubscribing is for the meeting's whole life. <see cref="UndeliverableAt"/>: the provider reported the address as
/// undeliverable (a hard bounce or a drop, with <see cref="UndeliverableReason"/>): no more emails go to it for the meeting.
/// </summary>
public sealed record ParticipantResponse(
    string ParticipantId, DateTimeOffset? AcknowledgedAt = null, DateTimeOffset? AcknowledgedStartUtc = null, DateTimeOffset? UnsubscribedAt = null,
    DateTimeOffset? UndeliverableAt = null, string? UndeliverableReason = null)
{
    public bool HasAcknowledged(Meeting meeting) => AcknowledgedAt is not null && AcknowledgedStartUtc == meeting.StartUtc;

    public bool HasUnsubscribed => UnsubscribedAt is not null;

    public bool IsUndeliverable => UndeliverableAt is not null;
}
