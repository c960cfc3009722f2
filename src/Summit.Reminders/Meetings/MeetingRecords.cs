namespace Summit.Reminders.Meetings;

/// <summary>A meeting as stored, with the store's concurrency token for a conditional update.</summary>
public sealed record StoredMeeting(Meeting Meeting, string? RequestFingerprint, string ConcurrencyToken);

public sealed record MeetingQuery(string? Track, MeetingStatus? Status, DateTimeOffset? From, DateTimeOffset? To);

public sealed record MeetingPage(IReadOnlyList<Meeting> Items, string? ContinuationToken);
