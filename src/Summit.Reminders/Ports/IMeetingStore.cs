using Summit.Reminders.Meetings;

namespace Summit.Reminders.Ports;

public interface IMeetingStore
{
    /// <summary>Adds a new meeting; false when one with that id already exists (nothing is changed then).</summary>
    Task<bool> TryAddAsync(Meeting meeting, string? requestFingerprint, CancellationToken cancellationToken);

    Task<StoredMeeting?> GetAsync(string meetingId, CancellationToken cancellationToken);

    /// <summary>Replaces the meeting if it is unchanged since it was read; throws <see cref="ConcurrencyConflictException"/> otherwise.</summary>
    Task ReplaceAsync(Meeting meeting, string? requestFingerprint, string concurrencyToken, CancellationToken cancellationToken);

    /// <summary>Records the participants an update takes off the list, under the plan that update makes, each in a small
    /// record of its own beside the meeting (so a meeting's history never grows the meeting itself). Written before the
    /// meeting, like its due entries: records of a plan that was never stored are never read.</summary>
    Task AddRemovedAsync(string meetingId, string planId, IReadOnlyList<Participant> removed, CancellationToken cancellationToken);

    /// <summary>The participants that plan <paramref name="planId"/>'s update took off the list.</summary>
    Task<IReadOnlyList<Participant>> ListRemovedAsync(string meetingId, string planId, CancellationToken cancellationToken);

    /// <summary>One participant that plan <paramref name="planId"/>'s update took off the list, or null.</summary>
    Task<Participant?> FindRemovedAsync(string meetingId, string planId, string participantId, CancellationToken cancellationToken);

    /// <summary>Pages through meetings; an unknown continuation token throws <see cref="ArgumentException"/>.</summary>
    Task<MeetingPage> ListAsync(MeetingQuery query, string? continuationToken, int pageSize, CancellationToken cancellationToken);
}
