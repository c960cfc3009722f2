namespace Summit.Reminders.Commitments;

/// <summary>A commitment as stored, with the store's concurrency token for a conditional update.</summary>
public sealed record StoredCommitment(Commitment Commitment, string? RequestFingerprint, string ConcurrencyToken);

/// <summary>Which commitments to list: of a track, in a status, due before a moment.</summary>
/// <summary>A list's filters; <see cref="Tracks"/> as for meetings (<see cref="Meetings.MeetingQuery"/>).</summary>
public sealed record CommitmentQuery(string? Track, CommitmentStatus? Status, DateTimeOffset? DueBefore, IReadOnlyList<string>? Tracks = null);

public sealed record CommitmentPage(IReadOnlyList<Commitment> Items, string? ContinuationToken);

/// <summary>The state of one planned email of a commitment for one recipient (an owner's reminder, the coordinator's rung).</summary>
public sealed record CommitmentEmailStatus(string Id, string Kind, string Offset, string RecipientId, DateTimeOffset DueAt, string State, DateTimeOffset? SentAt, string? Reason)
{
    /// <summary>When it goes to this recipient, where that is not <see cref="DueAt"/> (their send window or working days
    /// moved it), with <see cref="SendReason"/> saying why.</summary>
    public DateTimeOffset? SendAt { get; init; }
    public string? SendReason { get; init; }
}

/// <summary>A commitment with every email of its current plan as coordinators see it, and the coordinator's notices of
/// what owners did through their links (<see cref="Notices"/>: Done, More time) as the ledger has them.</summary>
public sealed record CommitmentView(Commitment Commitment, IReadOnlyList<CommitmentEmailStatus> Emails)
{
    public IReadOnlyList<CommitmentEmailStatus> Notices { get; init; } = [];

    public static CommitmentView Build(Commitment commitment, IReadOnlyList<Notifications.DeliveryRecord> deliveries)
    {
        var byId = deliveries.ToDictionary(d => d.ReminderId);
        var emails = new List<CommitmentEmailStatus>();
        foreach (var slot in commitment.Plan.Slots.OrderBy(s => s.DueAt))
        {
            var kind = Notifications.Slots.KindOf(slot.Offset);
            var offset = slot.Offset[(slot.Offset.IndexOf('-', StringComparison.Ordinal) + 1)..];
            IEnumerable<string> recipients = kind == Notifications.MessageKind.CommitmentReminder
                ? commitment.Owners.Select(o => o.Id)
                : [Notifications.Slots.Coordinator];
            foreach (var recipient in recipients)
            {
                var id = Notifications.NotificationIds.For(commitment.Id, commitment.Plan.PlanId, slot.Offset, recipient);
                var move = commitment.Plan.MoveOf(slot.Offset, commitment.RecipientKey(recipient));
                var (state, sentAt, reason) = byId.TryGetValue(id, out var record)
                    ? (Notifications.DeliveryRules.Display(record.State), record.SentAt, record.Reason)
                    : slot.SkipReason is not null ? ("skipped", null, slot.SkipReason)
                    : move is { SendAt: null } ? ("skipped", null, move.Reason)
                    : commitment.Status != CommitmentStatus.Open ? ("skipped", (DateTimeOffset?)null, $"the commitment is {commitment.Status.ToString().ToLowerInvariant()}")
                    : ("pending", null, (string?)null);
                emails.Add(new CommitmentEmailStatus(id, kind == Notifications.MessageKind.CommitmentReminder ? "reminder" : "escalation",
                    offset, recipient, slot.DueAt, state, sentAt, reason)
                {
                    SendAt = move?.SendAt,
                    SendReason = move is { SendAt: not null } ? move.Reason : null,
                });
            }
        }
        var notices = deliveries.Where(d => CommitmentRules.IsOwnerNotice(Notifications.Slots.KindOf(d.Offset)))
            .OrderBy(d => d.UpdatedAt)
            .Select(d => new CommitmentEmailStatus(d.ReminderId,
                Notifications.Slots.KindOf(d.Offset) == Notifications.MessageKind.CommitmentDone ? "done" : "more-time",
                d.Offset, d.ParticipantId, d.UpdatedAt, Notifications.DeliveryRules.Display(d.State), d.SentAt, d.Reason))
            .ToList();
        return new CommitmentView(commitment, emails) { Notices = notices };
    }
}
