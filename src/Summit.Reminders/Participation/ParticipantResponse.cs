using Summit.Reminders.Meetings;

namespace Summit.Reminders.Participation;

/// <summary>
/// What one participant said through their links. An acknowledgement is for the meeting as it was then
/// (<see cref="AcknowledgedStartUtc"/>): if the coordinator moves the start, reminders resume for the new time.
/// Unsubscribing is for the meeting's whole life.
/// </summary>
public sealed record ParticipantResponse(
    string ParticipantId, DateTimeOffset? AcknowledgedAt = null, DateTimeOffset? AcknowledgedStartUtc = null, DateTimeOffset? UnsubscribedAt = null)
{
    public bool HasAcknowledged(Meeting meeting) => AcknowledgedAt is not null && AcknowledgedStartUtc == meeting.StartUtc;

    public bool HasUnsubscribed => UnsubscribedAt is not null;
}
