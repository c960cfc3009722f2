namespace Summit.Reminders.Meetings;

/// <summary>A meeting as stored, with the store's concurrency token for a conditional update.</summary>
public sealed record StoredMeeting(Meeting Meeting, string? RequestFingerprint, string ConcurrencyToken);

/// <summary>Which meetings to list. <see cref="Undeliverable"/>: only those with a participant whose address the provider
/// reported undeliverable (a hard bounce or a drop).</summary>
public sealed record MeetingQuery(string? Track, MeetingStatus? Status, DateTimeOffset? From, DateTimeOffset? To, bool Undeliverable = false);

public sealed record MeetingPage(IReadOnlyList<Meeting> Items, string? ContinuationToken);
