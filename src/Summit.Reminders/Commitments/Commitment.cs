using NodaTime;
using NodaTime.Text;
using Summit.Reminders.Meetings;
using Summit.Reminders.Notifications;
using Summit.Reminders.SendWindows;

namespace Summit.Reminders.Commitments;

public enum CommitmentStatus { Open, Done, Dropped }

/// <summary>Who marked a commitment done (an owner's id, or <c>coordinator</c>), when, with their note and link, and
/// whether it was by the due moment.</summary>
public sealed record Completion(DateTimeOffset At, string By, string? Note, string? Link, bool OnTime)
{
    /// <summary>The commitment's version this completion made: its "Done" notice names it (<c>owner-done-{version}</c>).</summary>
    public long Version { get; init; }
}

/// <summary>An owner's request for more time: the date they propose (the coordinator decides, by changing the due
/// date with a PUT), with their note.</summary>
public sealed record ExtensionRequest(string OwnerId, string ProposedDate, string? Note, DateTimeOffset At)
{
    /// <summary>The commitment's version this request made: its "More time" notice names it (<c>more-time-{version}</c>).</summary>
    public long Version { get; init; }
}

/// <summary>When and why a commitment was dropped.</summary>
public sealed record Dropping(DateTimeOffset At, string? Reason);

/// <summary>
/// A follow-up deliverable due by a date (the JEC secretariat's draft work programme, the Sinop evaluation's data
/// package): its owners are reminded before the due moment and the coordinator is told, rung by rung, while it is
/// overdue. Reminders and rungs are slots of a <see cref="ReminderPlan"/> like a meeting's (<c>due-P2D</c>,
/// <c>overdue-PT0M</c>); every change that moves them makes a new plan, and an old plan's slots are never sent.
/// </summary>
public sealed record Commitment
{
    public required string Id { get; init; }
    public required string Title { get; init; }
    public required string Track { get; init; }
    public string? MeetingId { get; init; }
    public string? Details { get; init; }
    public required IReadOnlyList<Participant> Owners { get; init; }
    public required Person Coordinator { get; init; }
    /// <summary>The local date it is due by (the end of that day in <see cref="TimeZone"/>); null for an exact due instant.</summary>
    public string? DueDate { get; init; }
    public required string TimeZone { get; init; }
    public required DateTimeOffset DueUtc { get; init; }
    public required IReadOnlyList<string> ReminderOffsets { get; init; }
    public required IReadOnlyList<string> EscalateAfter { get; init; }
    public CommitmentStatus Status { get; init; } = CommitmentStatus.Open;
    public Completion? Completion { get; init; }
    public Dropping? Dropped { get; init; }
    /// <summary>Owners' requests for more time, oldest first (the latest ten).</summary>
    public IReadOnlyList<ExtensionRequest> ExtensionRequests { get; init; } = [];
    /// <summary>Set when retention erased its personal data (<see cref="Anonymize"/>): what is left counts in the
    /// statistics and can no longer change.</summary>
    public DateTimeOffset? ErasedAt { get; init; }
    public long Version { get; init; } = 1;
    public required ReminderPlan Plan { get; init; }
    public required DateTimeOffset CreatedAt { get; init; }
    public required DateTimeOffset UpdatedAt { get; init; }

    public bool IsOverdue(DateTimeOffset now) => Status == CommitmentStatus.Open && now >= DueUtc;

    /// <summary>When it was done or dropped; null while open.</summary>
    public DateTimeOffset? ClosedAt => Completion?.At ?? Dropped?.At;

    /// <summary>Retention: everything that may name or describe a person goes (title, details, owners, coordinator, the
    /// note, link and author of its completion, the reason it was dropped); its track, dates, status and whether it was
    /// done on time stay, for the track's statistics.</summary>
    public Commitment Anonymize(DateTimeOffset now) => this with
    {
        Title = "",
        Details = null,
        Owners = [],
        Coordinator = new Person("", ""),
        Completion = Completion is { } c ? c with { By = "", Note = null, Link = null } : null,
        ExtensionRequests = [],
        Dropped = Dropped is { } d ? d with { Reason = null } : null,
        ErasedAt = now,
        Version = Version + 1,
        UpdatedAt = now,
    };

    public Participant? FindOwner(string ownerId) => Owners.FirstOrDefault(o => o.Id == ownerId);

    public static Commitment Create(string id, CommitmentContent content, DateTimeOffset now, SendWindow? defaultWindow = null)
    {
        var commitment = From(id, content, now);
        return commitment with { Plan = commitment.MakePlan(1, now, defaultWindow ?? SendWindow.Standard) };
    }

    /// <summary>The content as a commitment whose plan is still to be made (it needs the rest for its recipients).</summary>
    private static Commitment From(string id, CommitmentContent content, DateTimeOffset now) => new()
    {
        Id = id,
        Title = content.Title,
        Track = content.Track,
        MeetingId = content.MeetingId,
        Details = content.Details,
        Owners = content.Owners,
        Coordinator = content.Coordinator,
        DueDate = content.DueDate is { } date ? LocalDatePattern.Iso.Format(date) : null,
        TimeZone = content.Zone.Id,
        DueUtc = content.DueUtc.ToDateTimeOffset(),
        ReminderOffsets = content.Offsets.Select(o => o.ToString()).ToList(),
        EscalateAfter = content.Rungs.Select(o => o.ToString()).ToList(),
        Plan = new ReminderPlan("", 0, []),
        CreatedAt = now,
        UpdatedAt = now,
    };

    /// <summary>The coordinator's change: everything replaced, a new plan (the old plan's reminders are never sent).</summary>
    public Commitment Revise(CommitmentContent content, DateTimeOffset now, SendWindow? defaultWindow = null)
    {
        var revised = From(Id, content, now) with { Version = Version + 1, CreatedAt = CreatedAt };
        return revised with { Plan = revised.MakePlan(Plan.PlanVersion + 1, now, defaultWindow ?? SendWindow.Standard, before: Plan) };
    }

    public Commitment Complete(string by, string? note, string? link, DateTimeOffset now) => this with
    {
        Status = CommitmentStatus.Done,
        Completion = new Completion(now, by, note, link, now <= DueUtc) { Version = Version + 1 },
        Version = Version + 1,
        UpdatedAt = now,
    };

    public const int MaxExtensionRequests = 10;

    /// <summary>An owner asks for more time; the commitment stays as it is until the coordinator changes the due date.</summary>
    public Commitment RequestMoreTime(string ownerId, string proposedDate, string? note, DateTimeOffset now) => this with
    {
        ExtensionRequests = [.. ExtensionRequests.TakeLast(MaxExtensionRequests - 1), new ExtensionRequest(ownerId, proposedDate, note, now) { Version = Version + 1 }],
        Version = Version + 1,
        UpdatedAt = now,
    };

    public Commitment Drop(string? reason, DateTimeOffset now) => this with
    {
        Status = CommitmentStatus.Dropped,
        Dropped = new Dropping(now, reason),
        Version = Version + 1,
        UpdatedAt = now,
    };

    /// <summary>Open again, with a new plan from now on: what was due while it was closed is not sent late, the rest
    /// of the reminders and the ladder go on.</summary>
    public Commitment Reopen(DateTimeOffset now, SendWindow? defaultWindow = null) => this with
    {
        Status = CommitmentStatus.Open,
        Completion = null,
        Dropped = null,
        Version = Version + 1,
        UpdatedAt = now,
        Plan = MakePlan(Plan.PlanVersion + 1, now, defaultWindow ?? SendWindow.Standard, before: Plan,
            pastReason: "it fell due while the commitment was closed", carriedReason: "it fell due while the commitment was closed"),
    };

    /// <summary>The due entries of the current plan: each slot still ahead, one per moment its recipients get it.</summary>
    public List<DueEntry> DueEntries(DateTimeOffset now) =>
        Plan.Slots.Where(s => s.IsPlanned)
            .SelectMany(s => RecipientKeys(s.Offset).Select(k => Plan.SendAt(s.Offset, k, s.DueAt)).OfType<DateTimeOffset>().Distinct()
                .Select(at => new DueEntry(Id, Plan.PlanId, Plan.PlanVersion, s.Offset, at, now)))
            .ToList();

    /// <summary>The send-rule key of a recipient of this commitment's slots: an owner, or the coordinator.</summary>
    public string RecipientKey(string recipientId) =>
        (recipientId == Slots.Coordinator || FindOwner(recipientId) is not { } owner ? Recipient.CoordinatorOf(this) : Recipient.Of(this, owner)).Key;

    private IEnumerable<string> RecipientKeys(string slot) =>
        Slots.KindOf(slot) == MessageKind.CommitmentReminder ? Owners.Select(o => Recipient.Of(this, o).Key).Distinct() : [Recipient.CoordinatorOf(this).Key];

    /// <summary>Reminders count back from the due moment on the zone's clock (P1D: the same wall-clock time the day
    /// before, even across a DST change), rungs count on from it; a moment already past is planned as skipped. Owners'
    /// reminders keep to their send windows and working days, rungs to the coordinator's window, and never go before
    /// the due moment (docs/architecture.md, "Send windows").</summary>
    private ReminderPlan MakePlan(int planVersion, DateTimeOffset now, SendWindow defaultWindow, ReminderPlan? before = null,
        string pastReason = "its moment had passed when the commitment was planned",
        string carriedReason = "its moment under the plan before the change had passed when the commitment was changed")
    {
        var zone = MeetingTime.FindZone(TimeZone)!;
        var dueUtc = Instant.FromDateTimeOffset(DueUtc);
        var offsets = ReminderOffsets.Select(ReminderOffset.Parse).ToList();
        var rungs = EscalateAfter.Select(ReminderOffset.Parse).ToList();
        // Days count on the zone's clock (RFC 5545); an offset without days is exact time from the due instant itself, so a
        // due moment in a repeated hour (the autumn change) is not read back as the earlier of the two.
        var dueLocal = dueUtc.InZone(zone).LocalDateTime;
        DateTimeOffset Before(ReminderOffset o) => (o.Days == 0 ? dueUtc - Duration.FromHours(o.Hours) - Duration.FromMinutes(o.Minutes) : o.DueAt(dueLocal, zone)).ToDateTimeOffset();
        DateTimeOffset After(ReminderOffset o) => (o.Days == 0 ? dueUtc + Duration.FromHours(o.Hours) + Duration.FromMinutes(o.Minutes) : o.DueAfter(dueLocal, zone)).ToDateTimeOffset();
        var slots = offsets.Select(o => (Slot: Slots.CommitmentReminderPrefix + o, Due: Before(o)))
            .Concat(rungs.Select(r => (Slot: Slots.CommitmentEscalationPrefix + r, Due: After(r))))
            .Select(x => new PlannedSlot(x.Slot, x.Due, x.Due < now ? pastReason : null))
            .OrderBy(s => s.DueAt)
            .ToList();

        var nowInstant = Instant.FromDateTimeOffset(now);
        var owners = Owners.Select(o => Recipient.Of(this, o)).DistinctBy(r => r.Key).ToList();
        var coordinator = Recipient.CoordinatorOf(this);
        var moves = new List<SendMove>();
        foreach (var slot in slots.Where(s => s.IsPlanned))
        {
            var due = Instant.FromDateTimeOffset(slot.DueAt);
            if (Slots.KindOf(slot.Offset) == MessageKind.CommitmentReminder)
            {
                var length = ReminderOffset.Parse(slot.Offset[Slots.CommitmentReminderPrefix.Length..]).ApproximateLength;
                foreach (var owner in owners)
                    if (SendTiming.Place(slot.Offset, due, owner, defaultWindow, nowInstant, dueUtc - Duration.FromTimeSpan(length / 2), workingDaysOnly: true) is { } move)
                        moves.Add(move);
            }
            else if (SendTiming.Place(slot.Offset, due, coordinator, defaultWindow, due > nowInstant ? due : nowInstant, latest: null, workingDaysOnly: false) is { } rung)
                moves.Add(rung);
        }
        // Under the plan before a change or a reopening, a moment already past is not planned again.
        (slots, moves) = SendTiming.CarryOver(slots, moves, RecipientKeys, before, now, carriedReason);
        var reminders = slots.Where(s => s.IsPlanned && Slots.KindOf(s.Offset) == MessageKind.CommitmentReminder).Select(s => (s.Offset, s.DueAt)).ToList();
        moves = SendTiming.OneADay(reminders, owners, moves);
        return new ReminderPlan(Convert.ToHexStringLower(System.Security.Cryptography.RandomNumberGenerator.GetBytes(4)), planVersion, slots)
        {
            Moves = moves,
            MadeAt = now,
        };
    }
}
