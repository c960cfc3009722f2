using Summit.Reminders.Participation;

namespace Summit.Reminders.Ports;

public interface IParticipantResponses
{
    Task<ParticipantResponse?> GetAsync(string meetingId, string participantId, CancellationToken cancellationToken);

    Task<IReadOnlyList<ParticipantResponse>> ListAsync(string meetingId, CancellationToken cancellationToken);

    /// <summary>Records an acknowledgement for the meeting's current start; a later one replaces an earlier one.</summary>
    Task AcknowledgeAsync(string meetingId, string participantId, DateTimeOffset at, DateTimeOffset meetingStartUtc, CancellationToken cancellationToken);

    /// <summary>Records an unsubscription; the first one stands.</summary>
    Task UnsubscribeAsync(string meetingId, string participantId, DateTimeOffset at, CancellationToken cancellationToken);

    /// <summary>Records that the provider cannot deliver to the participant's address (a hard bounce or a drop); the first
    /// report stands.</summary>
    Task MarkUndeliverableAsync(string meetingId, string participantId, DateTimeOffset at, string reason, CancellationToken cancellationToken);
}
