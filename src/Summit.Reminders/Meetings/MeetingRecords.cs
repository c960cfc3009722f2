namespace Summit.Reminders.Meetings;

/// <summary>A meeting as stored, with the store's concurrency token for a conditional update.</summary>
public sealed record StoredMeeting(Meeting Meeting, string? RequestFingerprint, string ConcurrencyToken);

/// <summary>Which meetings to list. <see cref="Undeliverable"/>: only those with a participant whose address the provider
/// reported undeliverable (a hard bounce or a drop).</summary>
/// <summary>A list's filters. <see cref="Tracks"/>: only these tracks (the caller's, when they may not see every one);
/// <see cref="Track"/> narrows further.</summary>
public sealed record MeetingQuery(string? Track, MeetingStatus? Status, DateTimeOffset? From, DateTimeOffset? To, bool Undeliverable = false,
    IReadOnlyList<string>? Tracks = null);

public sealed record MeetingPage(IReadOnlyList<Meeting> Items, string? ContinuationToken);
