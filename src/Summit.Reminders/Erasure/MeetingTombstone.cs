using Summit.Reminders.Meetings;
using Summit.Reminders.Notifications;

namespace Summit.Reminders.Erasure;

public enum ErasureReason { Requested, Retention }

/// <summary>
/// What is left of an erased meeting: no title, names, addresses, answers or delivery rows, only what statistics and a
/// later request need (the id answers 410 instead of 404). <see cref="ErasedAt"/> is null while the erasure is still
/// under way; the meeting itself is already gone then, and the next retention run (or the same DELETE again) finishes it.
/// </summary>
public sealed record MeetingTombstone(
    string Id, string Track, DateTimeOffset StartUtc, DateTimeOffset EndUtc, MeetingStatus FinalStatus,
    int Participants, int EmailsSent, int EmailsFailed, int EmailsSkipped,
    ErasureReason Reason, DateTimeOffset RequestedAt, DateTimeOffset? ErasedAt = null, DateTimeOffset? FollowUpAt = null,
    bool FollowUpDone = false)
{
    public bool IsComplete => ErasedAt is not null;

    /// <summary>Erasing, erased (a follow-up still to come), or swept (done).</summary>
    public string State => ErasedAt is null ? "erasing" : FollowUpDone ? "swept" : "erased";

    /// <summary>Due for the run that finishes it: unfinished, or erased and its follow-up time has come. The follow-up
    /// deletes ledger rows a delivery already under way wrote after the erasure (its skip of the vanished meeting).</summary>
    public bool IsDue(DateTimeOffset now) => ErasedAt is null || (!FollowUpDone && FollowUpAt <= now);

    /// <summary>The tombstone of <paramref name="meeting"/> with counts from its delivery ledger, at the start of its erasure.</summary>
    public static MeetingTombstone Of(Meeting meeting, IReadOnlyList<DeliveryRecord> deliveries, ErasureReason reason, DateTimeOffset now) => new(
        meeting.Id, meeting.Track, meeting.StartUtc, meeting.EndUtc, meeting.Status, meeting.Participants.Count,
        deliveries.Count(d => d.State == DeliveryState.Sent),
        deliveries.Count(d => d.State == DeliveryState.Failed),
        deliveries.Count(d => d.State == DeliveryState.Skipped),
        reason, now);
}

/// <summary>The rows an erasure deleted from a meeting's delivery ledger.</summary>
public sealed record LedgerErasure(int Deliveries, int Answers, int QueuedSlots)
{
    public static readonly LedgerErasure None = new(0, 0, 0);
}
