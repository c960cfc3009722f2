using NodaTime;
using Summit.Reminders.Meetings;
using Summit.Reminders.Notifications;
using Summit.Reminders.Participation;

namespace Summit.Reminders.DeliveryStatus;

/// <summary>
/// When and what the coordinator learns about participants whose address cannot receive email (a hard bounce or a
/// drop). Each such participant is reported once: in the escalation email when that email is due the same day and lists
/// them, otherwise in a notice of its own, at most one per meeting per day. Which participants an email reported is kept
/// on its ledger row (<see cref="DeliveryRecord.Reports"/>), so a notice whose participants were all reported already is
/// skipped, and one that was already sent that day leaves the next ones to the next day.
/// </summary>
public static class UndeliverableNotices
{
    /// <summary>Bounces of one send (the invitations of a meeting go out together) arrive within minutes of each other:
    /// the notice waits this long so that one email names them all.</summary>
    public static readonly TimeSpan GatherDelay = TimeSpan.FromMinutes(10);

    /// <summary>After the escalation's moment, so that the notice sees whether the escalation named everyone.</summary>
    public static readonly TimeSpan AfterEscalation = TimeSpan.FromMinutes(2);

    /// <summary>The plan id of every notice: it is about the participants, not about a plan, so a change to the meeting
    /// between two bounces leaves one notice a day (its id is <c>{meeting}.any.undeliverable-{day}.coordinator</c>).</summary>
    public const string AnyPlan = "any";

    /// <summary>Whether a notice may go at <paramref name="at"/>: inside the day's hours in the meeting's zone; if not,
    /// the next moment it may (a retry or a backlog must not deliver it at night).</summary>
    public static DateTimeOffset? NextAllowed(Meeting meeting, DateTimeOffset at)
    {
        var zone = MeetingTime.FindZone(meeting.TimeZone) ?? DateTimeZone.Utc;
        var local = MeetingTime.InZone(at, zone.Id);
        if (local.TimeOfDay >= DayStarts && local.TimeOfDay < DayEnds) return null;
        var next = local.TimeOfDay < DayStarts ? Moment(local.Date, zone) : Moment(local.Date.PlusDays(1), zone);
        return next < meeting.StartUtc ? next : null; // the start comes first: better now than after it
    }

    /// <summary>The hours of the meeting's day in which a notice may go (the coordinator works in the meeting's zone).</summary>
    public static readonly LocalTime DayStarts = new(8, 0), DayEnds = new(21, 0);

    /// <summary>
    /// The due entry of the notice about a participant who just became undeliverable, or null when none is owed (the
    /// meeting is cancelled, completed or under way). It is for the first day, in the meeting's zone, from
    /// <paramref name="now"/> + <see cref="GatherDelay"/> on, whose notice has not been queued yet (any plan's), inside that
    /// day's <see cref="DayStarts"/>–<see cref="DayEnds"/>; when the escalation is due later that day, just after it.
    /// A notice that would only come after the start goes as soon as it can instead.
    /// </summary>
    public static DueEntry? Plan(Meeting meeting, IReadOnlyCollection<DeliveryRecord> deliveries, DateTimeOffset now)
    {
        if (meeting.Status != MeetingStatus.Scheduled || now >= meeting.StartUtc) return null;
        var zone = MeetingTime.FindZone(meeting.TimeZone) ?? DateTimeZone.Utc;
        // A day is taken by a notice sent or being sent; one that was skipped (it had nothing new) sent nothing. A notice
        // queued but not yet claimed is not: it reads the answers when it is written, so it names this participant too.
        var taken = deliveries.Where(d => Slots.KindOf(d.Offset) == MessageKind.Undeliverable && d.State is not (DeliveryState.Skipped or DeliveryState.Failed))
            .Select(d => d.Offset).ToHashSet(StringComparer.Ordinal);
        var at = now + GatherDelay;
        LocalDate day;
        while (true)
        {
            var local = MeetingTime.InZone(at, zone.Id);
            day = local.Date;
            if (local.TimeOfDay < DayStarts) at = Moment(day, zone);
            else if (local.TimeOfDay >= DayEnds || taken.Contains(Slot(day))) at = Moment(day.PlusDays(1), zone);
            else break;
        }
        // Merged into the escalation when it comes later the same day inside the notice hours (a notice after a late
        // escalation would come at night; then the notice goes at its own time and the escalation lists them again).
        if (meeting.EscalationDue is { } escalation && escalation >= at && MeetingTime.InZone(escalation + AfterEscalation, zone.Id) is var after
            && after.Date == day && after.TimeOfDay < DayEnds)
            at = escalation + AfterEscalation;
        if (at >= meeting.StartUtc)
        {
            // Tomorrow morning is too late for this meeting: tell the coordinator now, whatever the hour.
            at = now + GatherDelay < meeting.StartUtc ? now + GatherDelay : now;
            day = MeetingTime.InZone(at, zone.Id).Date;
            if (taken.Contains(Slot(day))) return null; // told today already, and the meeting starts before tomorrow's notice
        }
        return new DueEntry(meeting.Id, AnyPlan, meeting.Plan.PlanVersion, Slot(day), at, now);
    }

    /// <summary>The meeting's participants whose address cannot receive email, with the provider's report, oldest first.</summary>
    public static IReadOnlyList<(Participant Participant, ParticipantResponse Response)> Undeliverable(Meeting meeting, IReadOnlyList<ParticipantResponse> answers) =>
        meeting.Participants
            .Select(p => (Participant: p, Response: answers.FirstOrDefault(a => a.ParticipantId == p.Id)))
            .Where(x => x.Response?.IsUndeliverable == true)
            .Select(x => (x.Participant, x.Response!))
            .OrderBy(x => x.Item2.UndeliverableAt)
            .ToList();

    /// <summary>The participants a sent escalation or notice already reported as undeliverable.</summary>
    public static IReadOnlySet<string> Reported(IEnumerable<DeliveryRecord> deliveries) =>
        deliveries.Where(d => d.State == DeliveryState.Sent && Slots.KindOf(d.Offset) is MessageKind.Escalation or MessageKind.Undeliverable)
            .SelectMany(d => d.Reports)
            .ToHashSet(StringComparer.Ordinal);

    /// <summary>Who an email of this kind reports as undeliverable: the escalation names the participants who have not
    /// acknowledged (with their state), the notice every undeliverable participant.</summary>
    public static IReadOnlyList<string> ReportedBy(MessageKind kind, Meeting meeting, IReadOnlyList<ParticipantResponse> answers) => kind switch
    {
        MessageKind.Escalation => Undeliverable(meeting, answers).Where(x => !x.Response.HasAcknowledged(meeting)).Select(x => x.Participant.Id).ToList(),
        MessageKind.Undeliverable => Undeliverable(meeting, answers).Select(x => x.Participant.Id).ToList(),
        _ => [],
    };

    private static string Slot(LocalDate day) => Slots.Undeliverable(new DateOnly(day.Year, day.Month, day.Day));

    /// <summary>The start of a day's notice hours (the earlier moment of a repeated hour, the later of a skipped one).</summary>
    private static DateTimeOffset Moment(LocalDate day, DateTimeZone zone) =>
        zone.AtLeniently(day + DayStarts).ToDateTimeOffset();
}
