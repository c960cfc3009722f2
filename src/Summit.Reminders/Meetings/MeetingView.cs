using Summit.Reminders.Ports;
using Summit.Reminders.Participation;
using Summit.Reminders.Notifications;

namespace Summit.Reminders.Meetings;

/// <summary>The state of one planned reminder for one participant, as coordinators see it.</summary>
public sealed record ReminderStatus(
    string Id, string ParticipantId, string Offset, DateTimeOffset DueAt, string State,
    DateTimeOffset? SentAt, string? Reason, int PlanVersion)
{
    /// <summary>What the provider reported after accepting the email (delivered, bounce, ...), if it has.</summary>
    public DeliveryStatus.ProviderStatus? Delivery { get; init; }

    /// <summary>When it goes to this participant, where that is not <see cref="DueAt"/> (their send window or working
    /// days moved it), with <see cref="SendReason"/> saying why.</summary>
    public DateTimeOffset? SendAt { get; init; }
    public string? SendReason { get; init; }
}

/// <summary>A meeting with every reminder of its current plan, plus what earlier plans already did.</summary>
public sealed record MeetingView(Meeting Meeting, IReadOnlyList<ReminderStatus> Reminders, IReadOnlyList<DeliveryRecord> EarlierDeliveries)
{
    /// <summary>What participants answered through their links (only those who did).</summary>
    public IReadOnlyList<ParticipantResponse> Responses { get; init; } = [];

    /// <summary>Invitation, update, cancellation and escalation emails of every plan, as the delivery ledger has them.</summary>
    public IReadOnlyList<DeliveryRecord> Notices { get; init; } = [];

    /// <summary>How far ahead of its moment the scheduler may queue an entry (its look-ahead, with room to spare).</summary>
    private static readonly TimeSpan QueueLead = TimeSpan.FromMinutes(10);

    public static MeetingView Build(Meeting meeting, IReadOnlyList<QueuedSlot> slots, IReadOnlyList<DeliveryRecord> deliveries,
        IReadOnlyList<ParticipantResponse>? responses = null)
    {
        var byId = deliveries.ToDictionary(d => d.ReminderId);
        var queued = slots.Where(s => s.PlanId == meeting.Plan.PlanId).GroupBy(s => s.Offset).ToDictionary(g => g.Key, g => g.Max(s => s.QueuedAt));
        var reminders = new List<ReminderStatus>();
        foreach (var slot in meeting.Plan.Slots.OrderBy(s => s.DueAt))
        {
            foreach (var participant in meeting.Participants)
            {
                var id = NotificationIds.For(meeting.Id, meeting.Plan.PlanId, slot.Offset, participant.Id);
                var move = meeting.Plan.MoveOf(slot.Offset, SendWindows.Recipient.Of(meeting, participant).Key);
                var sendAt = move is null ? slot.DueAt : move.SendAt;
                // A slot's entries are queued one moment at a time: this participant's is queued once a queueing reached their moment.
                var isQueued = sendAt is { } at && queued.TryGetValue(slot.Offset, out var queuedAt) && queuedAt >= at - QueueLead;
                var (state, sentAt, reason) = byId.TryGetValue(id, out var record)
                    ? (DeliveryRules.Display(record.State), record.SentAt, record.Reason)
                    : slot.SkipReason is not null ? ("skipped", null, slot.SkipReason)
                    : move is { SendAt: null } ? ("skipped", null, move.Reason)
                    : meeting.Status == MeetingStatus.Cancelled ? ("skipped", null, "the meeting was cancelled")
                    : meeting.Status == MeetingStatus.Completed ? ("skipped", null, "the meeting was completed")
                    : isQueued ? ("queued", (DateTimeOffset?)null, (string?)null)
                    : ("pending", null, null);
                reminders.Add(new ReminderStatus(id, participant.Id, slot.Offset, slot.DueAt, state, sentAt, reason, meeting.Plan.PlanVersion)
                {
                    Delivery = record?.Provider,
                    SendAt = move?.SendAt,
                    SendReason = move is { SendAt: not null } ? move.Reason : null,
                });
            }
        }
        var isReminder = (DeliveryRecord d) => Slots.KindOf(d.Offset) == MessageKind.Reminder;
        var earlier = deliveries.Where(d => isReminder(d) && d.PlanId != meeting.Plan.PlanId).OrderBy(d => d.UpdatedAt).ToList();
        var notices = deliveries.Where(d => !isReminder(d)).OrderBy(d => d.UpdatedAt).ToList();
        return new MeetingView(meeting, reminders, earlier) { Responses = responses ?? [], Notices = notices };
    }
}
