using System.Globalization;
using NodaTime;
using NodaTime.TimeZones;
using Summit.Reminders.Calendar;
using Summit.Reminders.Meetings;

namespace Summit.Reminders.SendWindows;

/// <summary>
/// Whom a send rule is about: the zone whose clock the window is read on, the country whose public holidays count,
/// and the window they or their meeting asked for (null: the settings' default). Recipients with the same
/// <see cref="Key"/> get every email of a slot at the same moment, so a plan stores one moment per key, not per person.
/// </summary>
public sealed record Recipient(string ZoneId, string? Country, SendWindow? OwnWindow)
{
    /// <summary>Stable across changes of the default window: a plan made under one default still finds its moves.</summary>
    public string Key => $"{ZoneId}|{Country ?? "-"}|{OwnWindow?.Key ?? "default"}";

    public static Recipient Of(Meeting meeting, Participant participant) =>
        From(participant.TimeZone ?? meeting.TimeZone, participant.Country, participant.SendWindow ?? meeting.SendWindow);

    public static Recipient CoordinatorOf(Meeting meeting) =>
        From(meeting.Coordinator.TimeZone ?? meeting.TimeZone, meeting.Coordinator.Country, meeting.SendWindow);

    public static Recipient Of(Commitments.Commitment commitment, Participant owner) =>
        From(owner.TimeZone ?? commitment.TimeZone, owner.Country, owner.SendWindow);

    public static Recipient CoordinatorOf(Commitments.Commitment commitment) =>
        From(commitment.Coordinator.TimeZone ?? commitment.TimeZone, commitment.Coordinator.Country, null);

    /// <summary>Someone on <paramref name="zone"/>'s clock: their country is the one given, else their zone's.</summary>
    private static Recipient From(string zone, string? country, SendWindow? window) =>
        new(zone, country ?? PublicHolidays.CountryOfTimeZone(zone), window);
}

/// <summary>A slot's email to the recipients of one <see cref="Recipient.Key"/> goes at <see cref="SendAt"/> instead of
/// the slot's due moment, or not at all when <see cref="SendAt"/> is null, for <see cref="Reason"/>.</summary>
public sealed record SendMove(string Slot, string Recipient, DateTimeOffset? SendAt, string Reason)
{
    /// <summary>It left a weekend or public holiday for the previous working day.</summary>
    public bool OffNonWorkingDay { get; init; }
}

/// <summary>
/// When an email due at a moment actually goes to a recipient (the rule, with worked examples, is in
/// docs/architecture.md, "Send windows"):
/// <list type="number">
/// <item>Where the rule asks for working days (reminders of a day or more, commitments' reminders), a due moment on the
/// recipient's weekend or public holiday first moves to the same time of the previous working day.</item>
/// <item>Then, if that is outside the recipient's window, it goes at the nearest moment inside a window (of a working
/// day, where working days count) between <c>earliest</c> and <c>latest</c>; of two equally near, the later.</item>
/// <item>Where no such moment exists, it goes at its due moment.</item>
/// </list>
/// Computed once when a plan is made, never per tick.
/// </summary>
public static class SendTiming
{
    private const int SearchDays = 14;

    /// <summary>The moment an email due at <paramref name="due"/> goes to <paramref name="recipient"/>, or null when it is
    /// the due moment itself.</summary>
    public static SendMove? Place(string slot, Instant due, Recipient recipient, SendWindow defaultWindow, Instant earliest, Instant? latest, bool workingDaysOnly)
    {
        var zone = MeetingTime.FindZone(recipient.ZoneId) ?? DateTimeZone.Utc;
        var window = recipient.OwnWindow ?? defaultWindow;
        var country = recipient.Country;
        workingDaysOnly &= window.KeepsToWorkingDays;
        var target = due;
        string? dayReason = null;
        var dueLocal = due.InZone(zone).LocalDateTime;
        if (workingDaysOnly && !WorkingDays.IsWorkingDay(country, dueLocal.Date))
        {
            var previous = WorkingDays.PreviousWorkingDay(country, dueLocal.Date);
            target = zone.ResolveLocal(previous.At(dueLocal.TimeOfDay), Resolvers.LenientResolver).ToInstant();
            dayReason = $"{Day(dueLocal.Date)} is {NonWorking(country, dueLocal.Date)}: moved to the previous working day, {Day(previous)}";
        }

        Instant? best = null;
        var targetDate = target.InZone(zone).Date;
        for (var i = -SearchDays; i <= SearchDays; i++)
        {
            var day = targetDate.PlusDays(i);
            if (workingDaysOnly && !WorkingDays.IsWorkingDay(country, day)) continue;
            var open = At(zone, day, window.StartTime);
            var close = At(zone, day, window.EndTime);
            // Where working days count, a half day (28 October, a bayram's eve in Türkiye) ends at its own hour.
            if (workingDaysOnly && country is not null && PublicHolidays.On(country, day).FirstOrDefault(h => h.HalfDayFrom is not null) is { HalfDayFrom: { } from })
                close = Min(close, At(zone, day, from));
            var low = Max(open, earliest);
            var high = latest is { } l ? Min(close, l) : close;
            if (low > high) continue;
            var point = target < low ? low : target > high ? high : target;
            if (best is not { } b || Distance(point, target) < Distance(b, target) || (Distance(point, target) == Distance(b, target) && point > b))
                best = point;
        }

        // A move of less than a minute is the window's last minute itself (21:00 reaches to 21:00:59), not a move.
        if (best is not { } chosen || Distance(chosen, due) < Duration.FromMinutes(1)) return null;
        var windowReason = chosen == target
            ? null
            : $"{Clock(target, zone)} is outside the send window {window} ({zone.Id})";
        var reason = (dayReason, windowReason) switch
        {
            (not null, not null) => $"{dayReason}; {windowReason}: sent at {Clock(chosen, zone)}",
            (not null, null) => dayReason,
            (null, not null) => $"{windowReason}: sent at {Clock(chosen, zone)}",
            _ => "moved into the send window",
        };
        return new SendMove(slot, recipient.Key, chosen.ToDateTimeOffset(), reason) { OffNonWorkingDay = dayReason is not null };
    }

    /// <summary>
    /// A new plan after a change that left a slot's due moment where it was (an agenda fixed, a participant added) keeps
    /// what the earlier plan did with it, recipient by recipient: a moment of theirs already past under the earlier plan
    /// is not planned again (its email went, or was due), and a moment still ahead stays planned even when the slot's own
    /// due moment has passed (a 07:00 reminder moved to 08:00, the change made at 07:30). <paramref name="slots"/> and
    /// <paramref name="moves"/> are the fresh plan's; <paramref name="keysOf"/> gives a slot's recipient keys.
    /// </summary>
    public static (List<Meetings.PlannedSlot> Slots, List<SendMove> Moves) CarryOver(
        IReadOnlyList<Meetings.PlannedSlot> slots, IReadOnlyList<SendMove> moves, Func<string, IEnumerable<string>> keysOf,
        Meetings.ReminderPlan? previous, DateTimeOffset now, string pastReason)
    {
        var resultSlots = new List<Meetings.PlannedSlot>(slots);
        var resultMoves = new List<SendMove>(moves);
        if (previous is null) return (resultSlots, resultMoves);
        for (var i = 0; i < resultSlots.Count; i++)
        {
            var slot = resultSlots[i];
            if (previous.FindSlot(slot.Offset) is not { IsPlanned: true } earlier || earlier.DueAt != slot.DueAt) continue;
            var kept = false;
            foreach (var key in keysOf(slot.Offset).Distinct())
            {
                var fresh = resultMoves.FirstOrDefault(m => m.Slot == slot.Offset && m.Recipient == key);
                var before = previous.MoveOf(slot.Offset, key);
                var at = before is null ? earlier.DueAt : before.SendAt;
                if (at is null || at <= now)
                {
                    if (fresh is not null) resultMoves.Remove(fresh);
                    resultMoves.Add(new SendMove(slot.Offset, key, null, at is null ? before!.Reason : pastReason));
                    continue;
                }
                kept = true;
                if (!slot.IsPlanned)
                {
                    // Its own due moment has passed, theirs has not: it goes at theirs.
                    if (fresh is not null) resultMoves.Remove(fresh);
                    resultMoves.Add(before!);
                }
            }
            if (!slot.IsPlanned && kept)
            {
                // Planned again for those whose moment is ahead; the others are skipped by their own moves.
                foreach (var key in keysOf(slot.Offset).Distinct().Where(k => !resultMoves.Any(m => m.Slot == slot.Offset && m.Recipient == k)))
                    resultMoves.Add(new SendMove(slot.Offset, key, null, slot.SkipReason!));
                resultSlots[i] = slot with { SkipReason = null };
            }
        }
        return (resultSlots, resultMoves);
    }

    /// <summary>
    /// Moves must not bring two reminders to one person within the hour, nor two moved off a weekend or holiday onto the
    /// same working day (P2D due on a Saturday and P1D on the Sunday both move to Friday), nor put an earlier reminder
    /// after a later one: of two such, the one closer to the start goes and the other is not sent to them.
    /// <paramref name="slots"/> are a plan's planned slots in order of due moment.
    /// </summary>
    public static List<SendMove> OneADay(IReadOnlyList<(string Slot, DateTimeOffset Due)> slots, IEnumerable<Recipient> recipients, List<SendMove> moves)
    {
        var result = new List<SendMove>(moves);
        foreach (var recipient in recipients)
        {
            var zone = MeetingTime.FindZone(recipient.ZoneId) ?? DateTimeZone.Utc;
            SendMove? MoveOf(string slot) => result.FirstOrDefault(m => m.Slot == slot && m.Recipient == recipient.Key);
            for (var i = 0; i < slots.Count; i++)
            {
                var mine = MoveOf(slots[i].Slot);
                if (mine is { SendAt: null }) continue;
                var at = mine?.SendAt ?? slots[i].Due;
                for (var j = i + 1; j < slots.Count; j++)
                {
                    var theirs = MoveOf(slots[j].Slot);
                    if (theirs is { SendAt: null }) continue;
                    var next = theirs?.SendAt ?? slots[j].Due;
                    var sameDay = Instant.FromDateTimeOffset(at).InZone(zone).Date == Instant.FromDateTimeOffset(next).InZone(zone).Date;
                    var crowded = (mine is not null || theirs is not null) && at > next - TimeSpan.FromHours(1);
                    if (crowded || (sameDay && mine is { OffNonWorkingDay: true } && theirs is { OffNonWorkingDay: true }))
                    {
                        if (mine is not null) result.Remove(mine);
                        result.Add(new SendMove(slots[i].Slot, recipient.Key, null,
                            $"it would arrive {(crowded ? "within the hour of" : "on the same day as")} the {slots[j].Slot} reminder, which goes instead"));
                        break;
                    }
                }
            }
        }
        return result;
    }

    private static Instant At(DateTimeZone zone, LocalDate day, LocalTime time) =>
        zone.ResolveLocal(day.At(time), Resolvers.LenientResolver).ToInstant();

    private static Instant Min(Instant a, Instant b) => a < b ? a : b;
    private static Instant Max(Instant a, Instant b) => a > b ? a : b;
    private static Duration Distance(Instant a, Instant b) => a > b ? a - b : b - a;

    private static string Day(LocalDate date) => date.ToString("dddd d MMMM yyyy", CultureInfo.InvariantCulture);

    private static string Clock(Instant instant, DateTimeZone zone) =>
        instant.InZone(zone).LocalDateTime.ToString("ddd d MMM HH:mm", CultureInfo.InvariantCulture);

    private static string NonWorking(string? country, LocalDate date)
    {
        if (country is not null && PublicHolidays.On(country, date).FirstOrDefault(h => h.HalfDayFrom is null) is { } holiday)
            return $"a public holiday in {country} ({holiday.NameEn})";
        return "a weekend day";
    }
}
