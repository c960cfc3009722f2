namespace Summit.Reminders.Erasure;

public enum PersonErasureState { Running, FollowUp, Done }

/// <summary>What a data-subject erasure erased in one meeting. <see cref="Roles"/>: participant, removed (taken off the
/// list earlier), coordinator.</summary>
public sealed record ErasedFromMeeting(string MeetingId, IReadOnlyList<string> Roles, int Deliveries, int Answers, int Emails);

/// <summary>A meeting where the person's data stays, and why (a coordinator of a meeting still to come).</summary>
public sealed record KeptInMeeting(string MeetingId, string Reason);

/// <summary>
/// One data-subject erasure request. <see cref="Id"/> is the person's participant id under the current key (the same
/// address always finds the same record, so a repeated request is the same erasure); <see cref="Candidates"/> are every
/// id the address may have (<see cref="Participation.ParticipantIds.Candidates"/>), kept only until the follow-up has
/// run, and the meetings until then too: once done it keeps its id, dates and how many meetings. No address or name is
/// ever stored.
/// </summary>
public sealed record PersonErasure(
    string Id, IReadOnlyList<string> Candidates, PersonErasureState State, DateTimeOffset RequestedAt, DateTimeOffset? LastRunAt,
    DateTimeOffset? FollowUpAt, IReadOnlyList<string> PendingMeetings, IReadOnlyList<ErasedFromMeeting> Meetings, IReadOnlyList<KeptInMeeting> Kept)
{
    /// <summary>How many meetings the person was erased from (kept when the list is dropped, once done).</summary>
    public int MeetingsErased { get; init; }

    /// <summary>How many daily digest subscriptions of the person were deleted (one at most, unless they had several ids).</summary>
    public int DigestsErased { get; init; }

    public bool IsDue(DateTimeOffset now) => State == PersonErasureState.Running || (State == PersonErasureState.FollowUp && FollowUpAt <= now);
}
