using Summit.Reminders.Notifications;

namespace Summit.Reminders.Meetings;

/// <summary>How a meeting comes to be and changes: its content, its plan, and the due entries and notices they owe.</summary>
public sealed partial record Meeting
{
    /// <summary>A new meeting from validated content whose participants have their ids: version 1, plan 1.</summary>
    public static Meeting Create(string id, MeetingContent content, DateTimeOffset now, SendWindows.SendWindow? defaultWindow = null)
    {
        var meeting = From(id, content, new ReminderPlan("", 0, []), now);
        return meeting with { Plan = ReminderPlan.Make(meeting, planVersion: 1, now, defaultWindow ?? SendWindows.SendWindow.Standard) };
    }

    private static Meeting From(string id, MeetingContent content, ReminderPlan plan, DateTimeOffset now) => new()
    {
        Id = id,
        Title = content.Title,
        Track = content.Track,
        Agenda = content.Agenda,
        StartLocal = MeetingTime.FormatLocal(content.StartLocal),
        TimeZone = content.Zone.Id,
        StartUtc = content.StartUtc.ToDateTimeOffset(),
        Duration = content.Duration,
        Location = content.Location,
        JoinUrl = content.JoinUrl,
        Coordinator = content.Coordinator,
        Participants = content.Participants,
        ReminderOffsets = content.Offsets.Select(o => o.ToString()).ToList(),
        EscalateBefore = content.EscalateBefore?.ToString(),
        UseSendGridTemplates = content.UseSendGridTemplates,
        SendWindow = content.SendWindow,
        CalendarInvitations = content.CalendarInvitations,
        Plan = plan,
        CreatedAt = now,
        UpdatedAt = now,
    };

    /// <summary>
    /// This meeting with what the coordinator controls replaced: a new plan (every reminder re-planned), the next version,
    /// and <see cref="LastChange"/> naming what participants can see changed. Also returns the participants taken off
    /// the list, who are owed a cancellation for their calendar.
    /// </summary>
    public (Meeting Revised, IReadOnlyList<Participant> Removed) Revise(MeetingContent content, DateTimeOffset now, SendWindows.SendWindow? defaultWindow = null)
    {
        var revised = From(Id, content, Plan, now) with
        {
            Status = Status,
            Version = Version + 1,
            CreatedAt = CreatedAt,
        };
        revised = revised with { Plan = ReminderPlan.Make(revised, Plan.PlanVersion + 1, now, defaultWindow ?? SendWindows.SendWindow.Standard, before: this) };
        var removed = Participants.Where(p => revised.FindParticipant(p.Id) is null).ToList();
        var changed = revised.ChangesSince(this);
        revised = revised with
        {
            // The list of meetings stored before removed participants got records of their own only shrinks.
            RemovedParticipants = RemovedParticipants
                .Where(r => revised.FindParticipant(r.Participant.Id) is null && removed.All(p => p.Id != r.Participant.Id))
                .ToList(),
            LastChange = changed.Count == 0 ? null : new MeetingChange(changed, revised.StartUtc != StartUtc ? StartUtc : null),
            // Kept while they stay off: the update that switched them off may be overtaken before it goes.
            CalendarEntryToWithdraw = !revised.CalendarInvitations && (CalendarInvitations || CalendarEntryToWithdraw),
        };
        return (revised, removed);
    }

    /// <summary>The fields participants see that differ from <paramref name="before"/> (offsets are not among them).</summary>
    public IReadOnlyList<string> ChangesSince(Meeting before)
    {
        var fields = new List<string>();
        if (before.StartUtc != StartUtc || before.TimeZone != TimeZone) fields.Add("start");
        if (before.Duration != Duration) fields.Add("duration");
        if (before.Location != Location) fields.Add("location");
        if (before.JoinUrl != JoinUrl) fields.Add("joinUrl");
        if (before.Title != Title) fields.Add("title");
        if (before.Agenda != Agenda) fields.Add("agenda");
        if (!before.Participants.Select(p => p.Email).Order().SequenceEqual(Participants.Select(p => p.Email).Order())) fields.Add("participants");
        // What participants see of the coordinator: their zone, country and language are the coordinator's own business.
        if (before.Coordinator.Name != Coordinator.Name || before.Coordinator.Email != Coordinator.Email) fields.Add("coordinator");
        if (before.CalendarInvitations != CalendarInvitations) fields.Add(CalendarInvitationsField);
        return fields;
    }

    /// <summary>The name, in <see cref="MeetingChange.Fields"/>, of a change to <see cref="CalendarInvitations"/>.</summary>
    public const string CalendarInvitationsField = "calendarInvitations";

    /// <summary>
    /// The notice a revision of <paramref name="before"/> owes every participant. Calendar invitations just switched on:
    /// the invitation with the calendar entry, showing the meeting as it now is (and what changed), so no update goes
    /// beside it. Otherwise an update when something participants see changed; switching calendar invitations off is
    /// such a change, and its update withdraws the entry we put in their calendars (<see cref="WithdrawsCalendarEntry"/>).
    /// A change to the reminder offsets alone owes nothing.
    /// </summary>
    public DueEntry? RevisionNotice(Meeting before, DateTimeOffset now) =>
        CalendarInvitations && !before.CalendarInvitations ? Notice(Slots.Invitation, now)
        : LastChange is not null ? Notice(Slots.Update, now)
        : null;

    /// <summary>Calendar invitations were switched off after our emails put an entry in participants' calendars: updates,
    /// cancellations and removals carry a CANCEL for it (the coordinator's own invitation is theirs from now on), until
    /// they are switched on again.</summary>
    public bool WithdrawsCalendarEntry => !CalendarInvitations && CalendarEntryToWithdraw;

    /// <summary>The due entries of the current plan: each planned reminder slot, and the escalation if it is still ahead.</summary>
    public List<DueEntry> DueEntries(DateTimeOffset now)
    {
        var participants = ParticipantKeys();
        var entries = Plan.Slots.Where(s => s.IsPlanned)
            .SelectMany(s => Moments(s.Offset, s.DueAt, participants).Select(at => new DueEntry(Id, Plan.PlanId, Plan.PlanVersion, s.Offset, at, now)))
            .ToList();
        if (EscalationDue is { } due && due > now)
            entries.AddRange(Moments(Slots.Escalation, due, [SendWindows.Recipient.CoordinatorOf(this).Key])
                .Select(at => new DueEntry(Id, Plan.PlanId, Plan.PlanVersion, Slots.Escalation, at, now)));
        return entries;
    }

    /// <summary>A notice of the current plan (invitation, update, cancellation, removal), due at once: what a coordinator
    /// just did is not held for a send window (docs/architecture.md, "Send windows").</summary>
    public DueEntry Notice(string slot, DateTimeOffset now) => new(Id, Plan.PlanId, Plan.PlanVersion, slot, now, now);

    /// <summary>The send-rule keys of the current participants (one per distinct zone, country and window).</summary>
    public List<string> ParticipantKeys() => Participants.Select(p => SendWindows.Recipient.Of(this, p).Key).Distinct().ToList();

    /// <summary>The distinct moments a slot due at <paramref name="due"/> goes out to recipients of these keys.</summary>
    private List<DateTimeOffset> Moments(string slot, DateTimeOffset due, IEnumerable<string> keys) =>
        keys.Select(k => Plan.SendAt(slot, k, due)).OfType<DateTimeOffset>().Distinct().ToList();

    /// <summary>When the coordinator's escalation email is due: <see cref="EscalateBefore"/> before the start, in the meeting's zone.</summary>
    public DateTimeOffset? EscalationDue =>
        EscalateBefore is { } before
            ? ReminderOffset.Parse(before).DueAt(MeetingTime.InZone(StartUtc, TimeZone).LocalDateTime, MeetingTime.FindZone(TimeZone)!).ToDateTimeOffset()
            : null;
}
