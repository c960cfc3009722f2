using Summit.Reminders.Notifications;

namespace Summit.Reminders.Commitments;

/// <summary>The rules the scheduler and delivery apply to a commitment's emails, wherever they run.</summary>
public static class CommitmentRules
{
    public static bool IsCommitmentKind(MessageKind kind) =>
        kind is MessageKind.CommitmentReminder or MessageKind.CommitmentEscalation or MessageKind.CommitmentDone or MessageKind.CommitmentMoreTime;

    /// <summary>The coordinator's notices about what an owner did through a link: about an owner, not about a plan.</summary>
    public static bool IsOwnerNotice(MessageKind kind) => kind is MessageKind.CommitmentDone or MessageKind.CommitmentMoreTime;

    /// <summary>Why an owner's notice must not go (null: it goes): "done" only while the commitment is done by an owner,
    /// "more time" only while it is open (done since, the request is moot).</summary>
    public static string? OwnerNoticeSkipReason(Commitment commitment, MessageKind kind) => kind switch
    {
        MessageKind.CommitmentDone when commitment.Status != CommitmentStatus.Done || commitment.Completion?.By is null or "coordinator" =>
            "the commitment is no longer marked done by an owner",
        MessageKind.CommitmentMoreTime when commitment.Status != CommitmentStatus.Open => $"the commitment is {commitment.Status.ToString().ToLowerInvariant()}",
        _ => null,
    };

    /// <summary>A reminder goes to every owner; a rung of the escalation ladder and the owners' notices to the coordinator.</summary>
    public static List<string> Recipients(Commitment commitment, string slot) =>
        Slots.KindOf(slot) == MessageKind.CommitmentReminder ? commitment.Owners.Select(o => o.Id).ToList() : [Slots.Coordinator];

    /// <summary>Why an open commitment's slot, due at <paramref name="dueAt"/>, must not be sent at <paramref name="now"/>:
    /// a reminder once the commitment is due (the ladder takes over), or a slot overtaken by a later one of its kind
    /// that is also due (a backlog sends the latest only).</summary>
    public static string? SkipReason(Commitment commitment, string slot, DateTimeOffset dueAt, DateTimeOffset now)
    {
        var kind = Slots.KindOf(slot);
        if (kind == MessageKind.CommitmentReminder && now >= commitment.DueUtc)
            return "the commitment was already due when this reminder could be sent";
        var later = commitment.Plan.Slots.Where(s => s.IsPlanned && Slots.KindOf(s.Offset) == kind && s.DueAt > dueAt && s.DueAt <= now).MaxBy(s => s.DueAt);
        if (later is not null)
            return kind == MessageKind.CommitmentReminder
                ? $"sent late, and the {later.Offset[Slots.CommitmentReminderPrefix.Length..]} reminder was also due: only that one is sent"
                : $"sent late, and the {later.Offset[Slots.CommitmentEscalationPrefix.Length..]} rung was also due: only that one is sent";
        return null;
    }
}
