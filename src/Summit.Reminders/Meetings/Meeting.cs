namespace Summit.Reminders.Meetings;

public enum MeetingStatus { Scheduled, Cancelled, Completed }

/// <summary>A coordinator. <see cref="Language"/> (en, ko, tr) is for the escalation email; English when absent.
/// <see cref="TimeZone"/> (the meeting's or commitment's when absent) and <see cref="Country"/> (KR or TR; from the zone
/// when absent) decide when their emails may reach them (docs/architecture.md, "Send windows").</summary>
public sealed record Person(string Name, string Email, string? Language = null, string? TimeZone = null, string? Country = null);

/// <summary>A participant an update took off the list, with the plan version that removed them (the list inside meetings
/// stored before removed participants got records of their own).</summary>
public sealed record RemovedParticipant(Participant Participant, int RemovedInPlanVersion);

/// <summary>What the last update changed, for the update email: the names of the changed fields (start, duration,
/// location, joinUrl, title, agenda, participants, coordinator) and the start before it when the start moved.</summary>
public sealed record MeetingChange(IReadOnlyList<string> Fields, DateTimeOffset? PreviousStartUtc);

/// <summary>A participant. <see cref="Id"/> is derived from the normalised email, so it is stable across updates.
/// <see cref="Country"/> (KR or TR; from the time zone when absent) names the public holidays that count for them;
/// <see cref="SendWindow"/> overrides their meeting's and the default window.</summary>
public sealed record Participant(string Id, string Name, string Email, string? TimeZone, string? Language, string? Country = null,
    SendWindows.SendWindow? SendWindow = null);

/// <summary>
/// A follow-up meeting: what coordinators register. <see cref="StartLocal"/> and <see cref="TimeZone"/> are what the
/// coordinator said; <see cref="StartUtc"/> is the instant they resolve to (see docs/api.md for the DST rule).
/// </summary>
public sealed partial record Meeting
{
    public required string Id { get; init; }
    public required string Title { get; init; }
    public required string Track { get; init; }
    public string? Agenda { get; init; }
    public required string StartLocal { get; init; }
    public required string TimeZone { get; init; }
    public required DateTimeOffset StartUtc { get; init; }
    public required string Duration { get; init; }
    public string? Location { get; init; }
    public string? JoinUrl { get; init; }
    public required Person Coordinator { get; init; }
    public required IReadOnlyList<Participant> Participants { get; init; }
    public required IReadOnlyList<string> ReminderOffsets { get; init; }
    /// <summary>When set (an ISO 8601 duration), the coordinator gets one email this long before the start listing the
    /// participants who have not acknowledged.</summary>
    public string? EscalateBefore { get; init; }
    /// <summary>Send this meeting's emails with the provider's dynamic templates (ids in the SendGrid settings) instead of
    /// the built-in ones; kinds without a configured template id use the built-in one.</summary>
    public bool UseSendGridTemplates { get; init; }
    /// <summary>Calendar invitations were on and were switched off (<see cref="WithdrawsCalendarEntry"/>).</summary>
    public bool CalendarEntryToWithdraw { get; init; }
    /// <summary>The coordinator's window for every participant without one of their own (null: the settings' default).</summary>
    public SendWindows.SendWindow? SendWindow { get; init; }
    /// <summary>Read only, for meetings stored before removed participants got records of their own
    /// (<see cref="Ports.IMeetingStore.AddRemovedAsync"/>): participants taken off the list by an update, with the plan
    /// version that removed them. Never grows; someone added back leaves it.</summary>
    public IReadOnlyList<RemovedParticipant> RemovedParticipants { get; init; } = [];
    /// <summary>What the last update changed (null before any update).</summary>
    public MeetingChange? LastChange { get; init; }
    public MeetingStatus Status { get; init; } = MeetingStatus.Scheduled;
    /// <summary>Grows with every change a coordinator makes; the HTTP ETag is derived from it.</summary>
    public long Version { get; init; } = 1;
    public required ReminderPlan Plan { get; init; }
    public required DateTimeOffset CreatedAt { get; init; }
    public required DateTimeOffset UpdatedAt { get; init; }
    /// <summary>Whether participants' emails carry the meeting as a calendar entry (.ics). False when the coordinator
    /// invites from their own calendar: the emails then say in words what the entry would have told the calendar.
    /// Meetings stored before the field read as true, which is what they were sent.</summary>
    public bool CalendarInvitations { get; init; } = true;

    public DateTimeOffset EndUtc => StartUtc + ReminderOffset.ParseDuration(Duration);

    public Participant? FindParticipant(string participantId) => Participants.FirstOrDefault(p => p.Id == participantId);

    /// <summary>A participant removed by the update that made plan <paramref name="planVersion"/> and not added back since.</summary>
    public Participant? FindRemoved(string participantId, int planVersion) =>
        RemovedParticipants.FirstOrDefault(r => r.Participant.Id == participantId && r.RemovedInPlanVersion == planVersion)?.Participant;
}

/// <summary>
/// The reminders planned for one version of a meeting. A new plan (new <see cref="PlanId"/>, next
/// <see cref="PlanVersion"/>) is made whenever the start, the participants or the offsets change; reminders of an older
/// plan are never emailed. <see cref="Moves"/> says which recipients get a slot's email at another moment than its due
/// one (their send window, their working days), computed when the plan is made, never per tick.
/// </summary>
public sealed record ReminderPlan(string PlanId, int PlanVersion, IReadOnlyList<PlannedSlot> Slots)
{
    /// <summary>Slots whose email goes to some recipients at another moment (or not at all), by <see cref="SendWindows.Recipient.Key"/>.</summary>
    public IReadOnlyList<SendWindows.SendMove> Moves { get; init; } = [];

    /// <summary>When the plan was made (null for plans stored before moves).</summary>
    public DateTimeOffset? MadeAt { get; init; }

    public SendWindows.SendMove? MoveOf(string slot, string recipientKey) =>
        Moves.FirstOrDefault(m => m.Slot == slot && m.Recipient == recipientKey);

    /// <summary>When <paramref name="slot"/>, due at <paramref name="due"/>, goes to recipients of <paramref name="recipientKey"/>;
    /// null when it does not go to them at all.</summary>
    public DateTimeOffset? SendAt(string slot, string recipientKey, DateTimeOffset due) =>
        MoveOf(slot, recipientKey) is { } move ? move.SendAt : due;

    /// <summary>Whether the due entry of <paramref name="slot"/> at <paramref name="entryAt"/> is the one for recipients of
    /// <paramref name="recipientKey"/>: their moved moment, or, unmoved, the slot's due moment (or any moment that is no
    /// one's move, for entries of plans made before moves).</summary>
    public bool IsFor(string slot, string recipientKey, DateTimeOffset due, DateTimeOffset entryAt)
    {
        if (MoveOf(slot, recipientKey) is { } move) return move.SendAt is { } at && Same(at, entryAt);
        return Same(due, entryAt) || !Moves.Any(m => m.Slot == slot && m.SendAt is { } at && Same(at, entryAt));
    }

    private static bool Same(DateTimeOffset a, DateTimeOffset b) => (a - b).Duration() < TimeSpan.FromSeconds(1);

    /// <summary>A new plan (a fresh random id) of the meeting's offsets; a moment already past is planned as skipped.
    /// Each recipient's moments follow <see cref="SendWindows.SendTiming"/>.</summary>
    public static ReminderPlan Make(Meeting meeting, int planVersion, DateTimeOffset now, SendWindows.SendWindow defaultWindow, Meeting? before = null)
    {
        var zone = MeetingTime.FindZone(meeting.TimeZone) ?? throw new InvalidOperationException($"Meeting {meeting.Id} has no valid zone.");
        // From the instant, not the stored text: that is to the minute, and a start given to the second keeps its seconds.
        var startLocal = NodaTime.Instant.FromDateTimeOffset(meeting.StartUtc).InZone(zone).LocalDateTime;
        var offsets = meeting.ReminderOffsets.Select(ReminderOffset.Parse).ToList();
        var slots = offsets
            .Select(offset =>
            {
                var due = offset.DueAt(startLocal, zone).ToDateTimeOffset();
                return new PlannedSlot(offset.ToString(), due, due < now ? PastReason : null);
            })
            .OrderBy(s => s.DueAt)
            .ToList();

        var start = NodaTime.Instant.FromDateTimeOffset(meeting.StartUtc);
        var nowInstant = NodaTime.Instant.FromDateTimeOffset(now);
        var participants = meeting.Participants.Select(p => SendWindows.Recipient.Of(meeting, p)).DistinctBy(r => r.Key).ToList();
        var moves = new List<SendWindows.SendMove>();
        foreach (var slot in slots.Where(s => s.IsPlanned))
        {
            var length = ReminderOffset.Parse(slot.Offset).ApproximateLength;
            foreach (var recipient in participants)
                if (SendWindows.SendTiming.Place(slot.Offset, NodaTime.Instant.FromDateTimeOffset(slot.DueAt), recipient, defaultWindow, nowInstant,
                        start - NodaTime.Duration.FromTimeSpan(length / 2), workingDaysOnly: length >= TimeSpan.FromDays(1)) is { } move)
                    moves.Add(move);
        }
        (slots, moves) = SendWindows.SendTiming.CarryOver(slots, moves, _ => participants.Select(r => r.Key), before?.Plan, now,
            "its moment under the plan before the change had passed when the meeting was changed");
        moves = SendWindows.SendTiming.OneADay(slots.Where(s => s.IsPlanned).Select(s => (s.Offset, s.DueAt)).ToList(), participants, moves);
        var coordinatorKey = SendWindows.Recipient.CoordinatorOf(meeting).Key;
        if (before is not null && before.EscalationDue == meeting.EscalationDue && before.Plan.MoveOf(Notifications.Slots.Escalation, coordinatorKey) is { } sent
            && (sent.SendAt is null || sent.SendAt <= now))
            // Moved earlier and gone (or not going) under the earlier plan: not again.
            moves.Add(sent with { SendAt = null, Reason = sent.SendAt is null ? sent.Reason : "sent before the change, at its moved moment" });
        else if (meeting.EscalationDue is { } escalationDue && escalationDue > now)
        {
            var length = ReminderOffset.Parse(meeting.EscalateBefore!).ApproximateLength;
            if (SendWindows.SendTiming.Place(Notifications.Slots.Escalation, NodaTime.Instant.FromDateTimeOffset(escalationDue), SendWindows.Recipient.CoordinatorOf(meeting),
                    defaultWindow, nowInstant, start - NodaTime.Duration.FromTimeSpan(length / 2), workingDaysOnly: length >= TimeSpan.FromDays(1)) is { } move)
                moves.Add(move);
        }
        return new ReminderPlan(Convert.ToHexStringLower(System.Security.Cryptography.RandomNumberGenerator.GetBytes(4)), planVersion, slots)
        {
            Moves = moves,
            MadeAt = now,
        };
    }

    public PlannedSlot? FindSlot(string offset) => Slots.FirstOrDefault(s => s.Offset == offset);

    public const string PastReason = "its moment had passed when the meeting was planned";
}

/// <summary>One reminder offset of a plan, for every participant. <see cref="SkipReason"/> is set when the moment had
/// already passed when the plan was made (for example a P7D reminder for a meeting in three days).</summary>
public sealed record PlannedSlot(string Offset, DateTimeOffset DueAt, string? SkipReason = null)
{
    public bool IsPlanned => SkipReason is null;
}
