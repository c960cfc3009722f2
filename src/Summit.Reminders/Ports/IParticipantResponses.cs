using Summit.Reminders.Meetings;

namespace Summit.Reminders.Ports;

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

public interface IParticipantResponses
{
    Task<ParticipantResponse?> GetAsync(string meetingId, string participantId, CancellationToken cancellationToken);

    Task<IReadOnlyList<ParticipantResponse>> ListAsync(string meetingId, CancellationToken cancellationToken);

    /// <summary>Records an acknowledgement for the meeting's current start; a later one replaces an earlier one.</summary>
    Task AcknowledgeAsync(string meetingId, string participantId, DateTimeOffset at, DateTimeOffset meetingStartUtc, CancellationToken cancellationToken);

    /// <summary>Records an unsubscription; the first one stands.</summary>
    Task UnsubscribeAsync(string meetingId, string participantId, DateTimeOffset at, CancellationToken cancellationToken);
}
