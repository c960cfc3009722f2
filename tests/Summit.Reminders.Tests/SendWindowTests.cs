using Summit.Reminders.Meetings;
using Summit.Reminders.SendWindows;

namespace Summit.Reminders.Tests;

/// <summary>
/// The send-window rule's worked examples (docs/architecture.md, "Send windows"), with the default window 08:00–21:00:
/// when each participant actually gets each reminder.
/// </summary>
public sealed class SendWindowTests
{
    private static readonly DateTimeOffset Registered = new(2026, 12, 1, 9, 0, 0, TimeSpan.Zero);

    private static Meeting Plan(string start, string zone, string[] offsets, params ParticipantDraft[] participants) =>
        PlanAt(Registered, start, zone, offsets, participants);

    private static Meeting PlanAt(DateTimeOffset registered, string start, string zone, string[] offsets, params ParticipantDraft[] participants)
    {
        var draft = Drafts.Valid(start, zone, offsets) with { Participants = participants };
        var (content, errors) = MeetingValidator.Validate(draft, registered);
        Assert.True(content is not null, string.Join("; ", errors.Select(e => $"{e.Field}: {e.Message}")));
        content = content with { Participants = content.Participants.Select(p => p with { Id = p.Email }).ToList() };
        return Meeting.Create("m1", content, registered, SendWindow.Standard);
    }

    private static ParticipantDraft Person(string email, string? zone) => new() { Name = email, Email = email, TimeZone = zone };

    /// <summary>When <paramref name="offset"/> goes to <paramref name="email"/> (null: not at all), in UTC.</summary>
    private static DateTimeOffset? SendAt(Meeting meeting, string offset, string email)
    {
        var slot = meeting.Plan.FindSlot(offset)!;
        return meeting.Plan.SendAt(offset, Recipient.Of(meeting, meeting.FindParticipant(email)!).Key, slot.DueAt);
    }

    private static DateTimeOffset Utc(int month, int day, int hour, int minute = 0, int year = 2027) => new(year, month, day, hour, minute, 0, TimeSpan.Zero);

    [Fact]
    public void ASeoulMeetingAt0900ReachesItsIstanbulParticipantTheEveningBeforeNotAt0100()
    {
        // Thursday 14 January 2027, 09:00 in Seoul = 00:00 UTC = 03:00 in Istanbul.
        var m = Plan("2027-01-14T09:00", "Asia/Seoul", ["P7D", "P1D", "PT2H"], Person("seoyeon@example.org", null), Person("ayse@example.org", "Europe/Istanbul"));

        // Seoul: PT2H is due at 07:00, before the window; it may go no later than 08:00 (half of two hours before the start).
        Assert.Equal(Utc(1, 13, 23), SendAt(m, "PT2H", "seoyeon@example.org")); // 08:00 Seoul
        Assert.Equal(Utc(1, 13, 0), SendAt(m, "P1D", "seoyeon@example.org"));   // 09:00 Seoul, as due
        Assert.Equal(Utc(1, 7, 0), SendAt(m, "P7D", "seoyeon@example.org"));

        // Istanbul: PT2H is due at 01:00 and must go by 02:00; the nearest open moment is 21:00 the evening before.
        Assert.Equal(Utc(1, 13, 18), SendAt(m, "PT2H", "ayse@example.org"));     // 21:00 Istanbul, Wednesday
        // P1D is due at 03:00 on Wednesday: 08:00 that morning is nearer than 21:00 on Tuesday.
        Assert.Equal(Utc(1, 13, 5), SendAt(m, "P1D", "ayse@example.org"));       // 08:00 Istanbul
        Assert.Equal(Utc(1, 7, 5), SendAt(m, "P7D", "ayse@example.org"));

        var move = m.Plan.MoveOf("PT2H", Recipient.Of(m, m.FindParticipant("ayse@example.org")!).Key)!;
        Assert.Equal("Thu 14 Jan 01:00 is outside the send window 08:00–21:00 (Europe/Istanbul): sent at Wed 13 Jan 21:00", move.Reason);
    }

    [Fact]
    public void AnIstanbulMeetingAt1700ReachesItsSeoulParticipantBefore2100TheirTime()
    {
        // Thursday 14 January 2027, 17:00 in Istanbul = 14:00 UTC = 23:00 in Seoul.
        var m = Plan("2027-01-14T17:00", "Europe/Istanbul", ["P1D", "PT2H", "PT1H"], Person("ayse@example.org", null), Person("jiho@example.org", "Asia/Seoul"));

        Assert.Equal(Utc(1, 14, 12), SendAt(m, "PT2H", "ayse@example.org"));   // 15:00 Istanbul, as due
        // PT1H is due at 22:00 in Seoul and must go by 22:30: 21:00 the same evening (the window's last minute counts). PT2H is
        // due at 21:00 too, so Ji-ho gets only PT1H (TwoRemindersMovedOntoTheSameMomentReachTheParticipantOnce).
        Assert.Equal(Utc(1, 14, 12), SendAt(m, "PT1H", "jiho@example.org"));
        Assert.Null(SendAt(m, "PT2H", "jiho@example.org"));
        // P1D is due at 23:00 on Wednesday in Seoul: 21:00 that evening (two hours early) beats 08:00 Thursday (nine hours late).
        Assert.Equal(Utc(1, 13, 12), SendAt(m, "P1D", "jiho@example.org"));
    }

    [Fact]
    public void TwoRemindersMovedOntoTheSameMomentReachTheParticipantOnce()
    {
        // The Istanbul meeting above: for Ji-ho in Seoul, PT2H (due 21:00) and PT1H (moved to 21:00) would arrive together.
        var m = Plan("2027-01-14T17:00", "Europe/Istanbul", ["PT2H", "PT1H"], Person("ayse@example.org", null), Person("jiho@example.org", "Asia/Seoul"));

        Assert.Null(SendAt(m, "PT2H", "jiho@example.org"));
        Assert.Equal(Utc(1, 14, 12), SendAt(m, "PT1H", "jiho@example.org"));
        Assert.Equal(Utc(1, 14, 12), SendAt(m, "PT2H", "ayse@example.org"));
        Assert.Equal(Utc(1, 14, 13), SendAt(m, "PT1H", "ayse@example.org"));
        Assert.Contains("the PT1H reminder, which goes instead", m.Plan.MoveOf("PT2H", Recipient.Of(m, m.FindParticipant("jiho@example.org")!).Key)!.Reason);
    }

    [Fact]
    public void ANewYorkParticipantsWindowFollowsTheirClockAcrossTheMarchChange()
    {
        // Seoul meetings at 09:00 on Monday 8 and Monday 15 March 2027; New York moves to daylight time on Sunday 14 March.
        // PT12H is due at 12:00 UTC on the Sunday before each: 07:00 EST on 7 March (before the window), 08:00 EDT on 14 March.
        var before = Plan("2027-03-08T09:00", "Asia/Seoul", ["PT12H"], Person("dana@example.org", "America/New_York"));
        var after = Plan("2027-03-15T09:00", "Asia/Seoul", ["PT12H"], Person("dana@example.org", "America/New_York"));

        Assert.Equal(Utc(3, 7, 13), SendAt(before, "PT12H", "dana@example.org")); // 08:00 EST
        Assert.Equal(Utc(3, 14, 12), SendAt(after, "PT12H", "dana@example.org")); // 08:00 EDT, as due
    }

    [Fact]
    public void ADayBeforeReminderOnANewYorkSaturdayMovesToFridayAtTheSameLocalTime()
    {
        // Monday 15 March 2027, 09:00 Seoul: P1D is due on Sunday 09:00 in Seoul, Saturday 19:00 EST in New York.
        var m = Plan("2027-03-15T09:00", "Asia/Seoul", ["P1D"], Person("dana@example.org", "America/New_York"), Person("seoyeon@example.org", null));

        Assert.Equal(Utc(3, 13, 0), SendAt(m, "P1D", "dana@example.org"));     // Friday 12 March 19:00 EST
        Assert.Equal(Utc(3, 12, 0), SendAt(m, "P1D", "seoyeon@example.org"));  // Friday 12 March 09:00 Seoul
    }

    [Fact]
    public void AReminderOfLessThanADayIsNotMovedOffAWeekend()
    {
        // Sunday 14 March 2027, 15:00 Seoul: PT2H at 13:00 on the Sunday stays where it is.
        var m = Plan("2027-03-14T15:00", "Asia/Seoul", ["PT2H"], Person("seoyeon@example.org", null));

        Assert.Equal(Utc(3, 14, 4), SendAt(m, "PT2H", "seoyeon@example.org"));
    }

    [Fact]
    public void AShortReminderAtNightGoesTheEveningBeforeWhileThatIsAhead()
    {
        // A meeting at 03:00 in Istanbul with a five-minute reminder: 21:00 the evening before still leaves far more than
        // half of five minutes, so that is when it goes if the meeting was registered earlier that day.
        var m = Plan("2027-01-14T03:00", "Europe/Istanbul", ["PT5M"], Person("ayse@example.org", null));

        Assert.Equal(Utc(1, 13, 18), SendAt(m, "PT5M", "ayse@example.org"));
    }

    [Fact]
    public void WithNoOpenMomentLeftBeforeTheStartTheReminderGoesAtItsDueMoment()
    {
        // Registered at 23:00 in Istanbul for 03:00: the evening's window has closed and the morning's opens after the start.
        var m = PlanAt(Utc(1, 13, 20), "2027-01-14T03:00", "Europe/Istanbul", ["PT5M"], Person("ayse@example.org", null));

        Assert.Equal(Utc(1, 13, 23, 55), SendAt(m, "PT5M", "ayse@example.org"));
        Assert.Empty(m.Plan.Moves);
    }

    [Fact]
    public void AReminderDueInSecondsForSeoulAndIstanbulGoesAtOnceToBoth()
    {
        // 23:52:14 UTC: 02:52 in Istanbul, 08:52 in Seoul; the meeting starts 5 minutes and 4 seconds later in Istanbul.
        var registered = new DateTimeOffset(2026, 11, 30, 23, 52, 14, TimeSpan.Zero);
        var m = PlanAt(registered, "2026-12-01T02:57:18", "Europe/Istanbul", ["PT5M"], Person("jiho@example.org", "Asia/Seoul"), Person("ayse@example.org", "Europe/Istanbul"));

        Assert.Equal(registered.AddSeconds(4), SendAt(m, "PT5M", "jiho@example.org"));
        Assert.Equal(registered.AddSeconds(4), SendAt(m, "PT5M", "ayse@example.org"));
        Assert.Single(m.DueEntries(registered));
    }

    [Fact]
    public void AParticipantsOwnWindowWinsOverTheMeetingsWhichWinsOverTheDefault()
    {
        var draft = Drafts.Valid("2027-01-14T09:00", "Asia/Seoul", ["PT2H"]) with
        {
            SendWindow = new SendWindowDraft { Start = "07:00", End = "22:00" },
            Participants =
            [
                new ParticipantDraft { Name = "A", Email = "a@example.org" },
                new ParticipantDraft { Name = "B", Email = "b@example.org", SendWindow = new SendWindowDraft { Start = "07:30", End = "18:00" } },
            ],
        };
        var (content, _) = MeetingValidator.Validate(draft, Registered);
        content = content! with { Participants = content.Participants.Select(p => p with { Id = p.Email }).ToList() };
        var m = Meeting.Create("m1", content, Registered, SendWindow.Standard);

        Assert.Equal(Utc(1, 13, 22), SendAt(m, "PT2H", "a@example.org"));     // 07:00 Seoul, inside the meeting's window
        Assert.Equal(Utc(1, 13, 22, 30), SendAt(m, "PT2H", "b@example.org")); // 07:30 Seoul, the start of B's own window
    }

    [Fact]
    public void TheDueIndexHoldsOneEntryPerSlotAndMomentNotOnePerParticipant()
    {
        var m = Plan("2027-01-14T09:00", "Asia/Seoul", ["P1D", "PT2H"],
            Person("a@example.org", null), Person("b@example.org", null), Person("c@example.org", "Europe/Istanbul"), Person("d@example.org", "Europe/Istanbul"));

        var entries = m.DueEntries(Registered);

        // P1D: Seoul as due, Istanbul moved; PT2H: Seoul moved to 08:00, Istanbul to 21:00 the evening before.
        Assert.Equal(4, entries.Count);
        Assert.Equal(2, entries.Count(e => e.Offset == "P1D"));
    }

    [Fact]
    public void ADayBeforeReminderThatWouldLandOnChuseok2027GoesOnTheWorkingDayBeforeTheHolidays()
    {
        // Friday 17 September 2027, 10:00 Seoul. P1D is due on Thursday 16th, the last day of Chuseok (14–16 September):
        // in Seoul it goes on Monday 13th at 10:00; in Istanbul the 16th is a working day, and 04:00 there moves to 08:00.
        var m = Plan("2027-09-17T10:00", "Asia/Seoul", ["P1D"], Person("seoyeon@example.org", null), Person("ayse@example.org", "Europe/Istanbul"));

        Assert.Equal(Utc(9, 13, 1), SendAt(m, "P1D", "seoyeon@example.org"));  // Monday 13 September 10:00 Seoul
        Assert.Equal(Utc(9, 16, 5), SendAt(m, "P1D", "ayse@example.org"));     // Thursday 16 September 08:00 Istanbul
        var move = m.Plan.MoveOf("P1D", Recipient.Of(m, m.FindParticipant("seoyeon@example.org")!).Key)!;
        Assert.Equal("Thursday 16 September 2027 is a public holiday in KR (Day after Chuseok): moved to the previous working day, Monday 13 September 2027", move.Reason);
    }

    [Fact]
    public void AnExplicitCountryDecidesWhichHolidaysCount()
    {
        // A Korean delegate posted in Istanbul: their zone is Istanbul's, their holidays Korea's.
        var m = Plan("2027-09-17T10:00", "Asia/Seoul", ["P1D"],
            new ParticipantDraft { Name = "Park Ji-ho", Email = "jiho@example.org", TimeZone = "Europe/Istanbul", Country = "KR" });

        Assert.Equal(Utc(9, 13, 5), SendAt(m, "P1D", "jiho@example.org")); // Monday 13th, 08:00 Istanbul
    }

    [Fact]
    public void OnAHalfDayTheWindowClosesWhenTheHolidayBegins()
    {
        // Friday 29 October 2027 is Republic Day, the 28th a half day from 13:00. A P1D reminder for a meeting at 15:00
        // on Monday 1 November is due on Sunday: it goes back past the 29th to Thursday 28th, but no later than 13:00.
        var m = Plan("2027-11-01T15:00", "Europe/Istanbul", ["P1D"], Person("ayse@example.org", null));

        Assert.Equal(Utc(10, 28, 10), SendAt(m, "P1D", "ayse@example.org")); // Thursday 28 October 13:00 Istanbul
    }

    [Fact]
    public void AWindowForAllDaysKeepsItsHoursButNotTheWorkingDays()
    {
        // The Saturday P1D of ADayBeforeReminderOnANewYorkSaturdayMovesToFridayAtTheSameLocalTime, for someone who takes
        // reminders any day: it stays on Saturday, inside their hours.
        var m = Plan("2027-03-15T09:00", "Asia/Seoul", ["P1D"],
            new ParticipantDraft { Name = "Dana", Email = "dana@example.org", TimeZone = "America/New_York", SendWindow = new SendWindowDraft { Start = "08:00", End = "21:00", Days = "all" } });

        Assert.Equal(Utc(3, 14, 0), SendAt(m, "P1D", "dana@example.org")); // Saturday 13 March 19:00 EST, as due
    }

    private static Meeting Revised(Meeting before, DateTimeOffset at, MeetingDraft draft)
    {
        var (content, errors) = MeetingValidator.Validate(draft, at);
        Assert.True(content is not null, string.Join("; ", errors.Select(e => $"{e.Field}: {e.Message}")));
        content = content with { Participants = content.Participants.Select(p => p with { Id = p.Email }).ToList() };
        return before.Revise(content, at, SendWindow.Standard).Revised;
    }

    private static readonly ParticipantDraft[] SeoulAndIstanbul = [Person("seoyeon@example.org", null), Person("ayse@example.org", "Europe/Istanbul")];

    [Fact]
    public void AChangeAfterAMovedReminderWentDoesNotSendItAgainAtItsDueMoment()
    {
        // Ayşe's PT2H went at 21:00 on Wednesday (18:00 UTC); at 22:00 her time the coordinator fixes the agenda. The new plan
        // must not send her PT2H again at 01:00 (its due moment, when no window moment is left).
        var before = Plan("2027-01-14T09:00", "Asia/Seoul", ["PT2H"], SeoulAndIstanbul);
        var after = Revised(before, Utc(1, 13, 19), Drafts.Valid("2027-01-14T09:00", "Asia/Seoul", ["PT2H"]) with { Participants = SeoulAndIstanbul, Agenda = "Fixed" });

        Assert.Null(SendAt(after, "PT2H", "ayse@example.org"));
        Assert.Equal(Utc(1, 13, 23), SendAt(after, "PT2H", "seoyeon@example.org")); // still ahead: 08:00 Seoul
        Assert.Equal(["PT2H"], after.DueEntries(Utc(1, 13, 19)).Select(e => e.Offset));
        Assert.Equal(Utc(1, 13, 23), Assert.Single(after.DueEntries(Utc(1, 13, 19))).DueAt);
    }

    [Fact]
    public void AChangeBetweenTheDueMomentAndTheMovedOneKeepsTheReminder()
    {
        // Seo-yeon's PT2H is due at 07:00 Seoul and moved to 08:00; a change at 07:30 must not drop it as "past".
        var before = Plan("2027-01-14T09:00", "Asia/Seoul", ["PT2H"], SeoulAndIstanbul);
        var at = Utc(1, 13, 22, 30);
        var after = Revised(before, at, Drafts.Valid("2027-01-14T09:00", "Asia/Seoul", ["PT2H"]) with { Participants = SeoulAndIstanbul, Agenda = "Fixed" });

        Assert.True(after.Plan.FindSlot("PT2H")!.IsPlanned);
        Assert.Equal(Utc(1, 13, 23), SendAt(after, "PT2H", "seoyeon@example.org"));
        Assert.Null(SendAt(after, "PT2H", "ayse@example.org")); // hers went at 21:00
        Assert.Equal(Utc(1, 13, 23), Assert.Single(after.DueEntries(at)).DueAt);
    }

    [Fact]
    public void AMovedStartPlansEveryReminderAfresh()
    {
        var before = Plan("2027-01-14T09:00", "Asia/Seoul", ["PT2H"], SeoulAndIstanbul);
        var after = Revised(before, Utc(1, 13, 19), Drafts.Valid("2027-01-21T09:00", "Asia/Seoul", ["PT2H"]) with { Participants = SeoulAndIstanbul });

        Assert.Equal(Utc(1, 20, 18), SendAt(after, "PT2H", "ayse@example.org"));
    }

    [Fact]
    public void AWindowAsStoredAndShownIsJustItsStartEndAndDays()
    {
        var json = System.Text.Json.JsonSerializer.Serialize(new SendWindow("08:00", "21:00", SendWindow.AllDays), new System.Text.Json.JsonSerializerOptions(System.Text.Json.JsonSerializerDefaults.Web));
        Assert.Equal("""{"start":"08:00","end":"21:00","days":"all"}""", json);
    }

    [Fact]
    public void AHalfDayClosesTheWindowOnlyWhereWorkingDaysCount()
    {
        // 28 October 2027, 20:00 in Istanbul: Republic Day's eve. A PT30M reminder (under a day) stays at 19:30.
        var m = Plan("2027-10-28T20:00", "Europe/Istanbul", ["PT30M"], Person("ayse@example.org", null));
        Assert.Equal(new DateTimeOffset(2027, 10, 28, 16, 30, 0, TimeSpan.Zero), SendAt(m, "PT30M", "ayse@example.org"));
    }

    [Fact]
    public void AReminderDueWithinTheWindowsLastMinuteIsNotMoved()
    {
        // 21:00:30 is inside a window that ends at 21:00: the window's last minute reaches to 21:00:59.
        var m = PlanAt(Registered, "2027-01-14T23:00:30", "Asia/Seoul", ["PT2H"], Person("seoyeon@example.org", null));
        Assert.Empty(m.Plan.Moves);
    }

    [Fact]
    public void GivingTheCoordinatorAZoneOrCountryIsNoChangeParticipantsAreToldAbout()
    {
        var before = Plan("2027-01-14T09:00", "Asia/Seoul", ["PT2H"], SeoulAndIstanbul);
        var draft = Drafts.Valid("2027-01-14T09:00", "Asia/Seoul", ["PT2H"]) with { Participants = SeoulAndIstanbul };
        var after = Revised(before, Registered, draft with { Coordinator = draft.Coordinator! with { TimeZone = "Europe/Istanbul", Country = "TR" } });

        Assert.Null(after.LastChange);
        Assert.Null(after.RevisionNotice(before, Registered));
    }
}
