using Summit.Reminders.Notifications;

namespace Summit.Reminders.Commitments;

/// <summary>The rules the scheduler and delivery apply to a commitment's emails, wherever they run.</summary>
public static class CommitmentRules
{
    public static bool IsCommitmentKind(MessageKind kind) =>
        kind is MessageKind.CommitmentReminder or MessageKind.CommitmentEscalation or MessageKind.CommitmentDone or MessageKind.CommitmentMoreTime;

    /// <summary>The coordinator's notices about what an owner did through a link: about an owner, not about a plan.</summary>
    public static bool IsOwnerNotice(MessageKind kind) => kind is MessageKind.CommitmentDone or MessageKind.CommitmentMoreTime;

    /// <summary>Why an owner's notice must not go (null: it goes). Each names the version of the change that asked for it
    /// (<see cref="Slots.VersionOf"/>): "done" goes while that completion stands (not after a reopen, nor a coordinator's
    /// Done), "more time" while the commitment is open and holds that request.</summary>
    public static string? OwnerNoticeSkipReason(Commitment commitment, string slot)
    {
        var version = Slots.VersionOf(slot);
        return Slots.KindOf(slot) switch
        {
            MessageKind.CommitmentDone when commitment.Status != CommitmentStatus.Done || commitment.Completion is not { } done
                || done.By is "coordinator" or "" || done.Version != version => "the commitment is no longer marked done by that owner",
            MessageKind.CommitmentMoreTime when commitment.Status != CommitmentStatus.Open => $"the commitment is {commitment.Status.ToString().ToLowerInvariant()}",
            MessageKind.CommitmentMoreTime when commitment.ExtensionRequests.All(r => r.Version != version) => "the request is no longer on the commitment",
            _ when commitment.Coordinator.Email.Length == 0 => "the commitment has no coordinator any more (erased)",
            _ => null,
        };
    }

    /// <summary>The first date an owner may propose for more time: after the current due date (the local day it ends in),
    /// and a day that has not ended, with the usual 5 minutes to spare, in the commitment's zone.</summary>
    public static NodaTime.LocalDate FirstProposableDate(Commitment commitment, DateTimeOffset now)
    {
        var zone = Meetings.MeetingTime.FindZone(commitment.TimeZone) ?? NodaTime.DateTimeZone.Utc;
        var first = NodaTime.Instant.FromDateTimeOffset(commitment.DueUtc - TimeSpan.FromTicks(1)).InZone(zone).Date.PlusDays(1);
        while (zone.AtStartOfDay(first.PlusDays(1)).ToDateTimeOffset() < now + CommitmentLimits.MinLeadTime) first = first.PlusDays(1);
        return first;
    }

    /// <summary>The version a notice's change made is not stored yet (the notice's due entry is written first).</summary>
    public static bool IsAhead(Commitment commitment, string slot) => Slots.VersionOf(slot) is { } v && v > commitment.Version;

    /// <summary>A reminder goes to every owner; a rung of the escalation ladder and the owners' notices to the coordinator.
    /// With <paramref name="entryAt"/>, a reminder or rung goes only to those whose moment it is (their send window may
    /// have moved it: <see cref="Meetings.ReminderPlan.IsFor"/>).</summary>
    public static List<string> Recipients(Commitment commitment, string slot, DateTimeOffset? entryAt = null)
    {
        List<string> all = Slots.KindOf(slot) == MessageKind.CommitmentReminder ? commitment.Owners.Select(o => o.Id).ToList() : [Slots.Coordinator];
        if (entryAt is not { } at || IsOwnerNotice(Slots.KindOf(slot)) || commitment.Plan.FindSlot(slot) is not { } planned) return all;
        return all.Where(r => commitment.Plan.IsFor(slot, commitment.RecipientKey(r), planned.DueAt, at)).ToList();
    }

    /// <summary>Why an open commitment's slot must not be sent to <paramref name="recipientId"/> at <paramref name="now"/>:
    /// a reminder once the commitment is due (the ladder takes over), or a slot overtaken by a later one of its kind that
    /// is also due for them, at their own moment (a backlog sends the latest only).</summary>
    public static string? SkipReason(Commitment commitment, string slot, string recipientId, DateTimeOffset now)
    {
        var kind = Slots.KindOf(slot);
        if (kind == MessageKind.CommitmentReminder && now >= commitment.DueUtc)
            return "the commitment was already due when this reminder could be sent";
        if (commitment.Plan.FindSlot(slot) is not { } planned) return null;
        var key = commitment.RecipientKey(recipientId);
        var later = commitment.Plan.Slots
            .Where(s => s.IsPlanned && Slots.KindOf(s.Offset) == kind && s.DueAt > planned.DueAt && commitment.Plan.SendAt(s.Offset, key, s.DueAt) is { } at && at <= now)
            .MaxBy(s => s.DueAt);
        if (later is not null)
            return kind == MessageKind.CommitmentReminder
                ? $"sent late, and the {later.Offset[Slots.CommitmentReminderPrefix.Length..]} reminder was also due: only that one is sent"
                : $"sent late, and the {later.Offset[Slots.CommitmentEscalationPrefix.Length..]} rung was also due: only that one is sent";
        return null;
    }
}
