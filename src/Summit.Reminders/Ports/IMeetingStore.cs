using Summit.Reminders.Erasure;
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

    /// <summary>Starts erasing a meeting: in one atomic write the meeting (read with <paramref name="concurrencyToken"/>)
    /// goes and <paramref name="tombstone"/> takes its place (replacing an older one), so nothing reads a half-erased meeting. Throws
    /// <see cref="ConcurrencyConflictException"/> when the meeting changed since it was read.</summary>
    Task BeginErasureAsync(MeetingTombstone tombstone, string concurrencyToken, CancellationToken cancellationToken);

    Task<MeetingTombstone?> GetTombstoneAsync(string meetingId, CancellationToken cancellationToken);

    /// <summary>Replaces the tombstone (its erasure finished, or its follow-up ran).</summary>
    Task SaveTombstoneAsync(MeetingTombstone tombstone, CancellationToken cancellationToken);

    /// <summary>Tombstones whose erasure has not finished, or whose follow-up is due by <paramref name="now"/>.</summary>
    Task<IReadOnlyList<MeetingTombstone>> ListUnfinishedErasuresAsync(DateTimeOffset now, int max, CancellationToken cancellationToken);

    /// <summary>Deletes the records of participants taken off the meeting: all of them, or those with these ids.
    /// Returns how many went.</summary>
    Task<int> EraseRemovedAsync(string meetingId, IReadOnlySet<string>? participantIds, CancellationToken cancellationToken);

    /// <summary>Ids of meetings (any status) that ended before <paramref name="cutoff"/>, up to <paramref name="max"/>.</summary>
    Task<IReadOnlyList<string>> ListEndedBeforeAsync(DateTimeOffset cutoff, int max, CancellationToken cancellationToken);

    /// <summary>Every stored meeting, for a data-subject request (which must look everywhere).</summary>
    IAsyncEnumerable<StoredMeeting> ScanAsync(CancellationToken cancellationToken);

    /// <summary>Every record of a participant taken off a meeting, with the meeting's id.</summary>
    IAsyncEnumerable<(string MeetingId, Participant Participant)> ScanRemovedAsync(CancellationToken cancellationToken);
}
