using Summit.Reminders.Commitments;
using Summit.Reminders.Meetings;
using Summit.Reminders.Notifications;

namespace Summit.Reminders.Tests;

/// <summary>Issue 17: a commitment's due moment, its reminders and escalation ladder across zones and DST, and the
/// validator's answers to bad input.</summary>
public sealed class CommitmentTests
{
    private static readonly DateTimeOffset Now = Drafts.Now; // 2026-11-27 09:00 UTC

    private static CommitmentDraft Valid(string? dueDate = "2027-01-15", string zone = "Asia/Seoul") => new()
    {
        Title = "Draft work programme of the JEC secretariat",
        Track = "joint-economic-committee",
        Details = "The secretariat circulates the draft to both delegations.",
        Owners = [new ParticipantDraft { Name = "Lee Seo-yeon", Email = "seoyeon@example.org", TimeZone = "Asia/Seoul", Language = "ko" }],
        Coordinator = new PersonDraft { Name = "Kim Min-jun", Email = "coordinator@example.org" },
        DueDate = dueDate,
        TimeZone = zone,
    };

    private static Commitment Create(CommitmentDraft draft, DateTimeOffset? now = null)
    {
        var (content, errors) = CommitmentValidator.Validate(draft, now ?? Now);
        Assert.True(content is not null, string.Join("; ", errors.Select(e => $"{e.Field} {e.Message}")));
        return Commitment.Create("c1", content, now ?? Now);
    }

    private static DateTimeOffset Due(Commitment c, string slot) => Assert.Single(c.Plan.Slots, s => s.Offset == slot).DueAt;

    [Fact]
    public void DueOnADateMeansTheEndOfThatDayInItsZone()
    {
        var seoul = Create(Valid("2027-01-15", "Asia/Seoul"));
        Assert.Equal(new DateTimeOffset(2027, 1, 15, 15, 0, 0, TimeSpan.Zero), seoul.DueUtc); // midnight in Seoul, UTC+9
        Assert.Equal("2027-01-15", seoul.DueDate);
        Assert.Equal(["P7D", "P2D", "P1D"], seoul.ReminderOffsets);
        Assert.Equal(["PT0M", "P2D"], seoul.EscalateAfter);
        Assert.Equal(new DateTimeOffset(2027, 1, 14, 15, 0, 0, TimeSpan.Zero), Due(seoul, "due-P1D"));
        Assert.Equal(seoul.DueUtc, Due(seoul, "overdue-PT0M"));
        Assert.Equal(seoul.DueUtc.AddDays(2), Due(seoul, "overdue-P2D"));
        Assert.Equal([MessageKind.CommitmentReminder, MessageKind.CommitmentReminder, MessageKind.CommitmentReminder, MessageKind.CommitmentEscalation, MessageKind.CommitmentEscalation],
            seoul.Plan.Slots.Select(s => Slots.KindOf(s.Offset)));
    }

    [Fact]
    public void InNewYorkOnTheDayTheClocksGoForwardTheDayEndsAt0400UtcAndItsP1DReminderIs24WallClockHoursEarlier()
    {
        // 14 March 2027: New York moves from EST (UTC−5) to EDT (UTC−4) at 02:00, so that day has 23 hours.
        var c = Create(Valid("2027-03-14", "America/New_York"));

        Assert.Equal(new DateTimeOffset(2027, 3, 15, 4, 0, 0, TimeSpan.Zero), c.DueUtc); // 15 March 00:00 EDT
        // RFC 5545's rule, as for meetings: a day is the same wall-clock time the day before, so P1D is 14 March 00:00
        // EST (05:00 UTC), 23 hours of elapsed time before the due moment; P2D is 13 March 00:00 EST.
        Assert.Equal(new DateTimeOffset(2027, 3, 14, 5, 0, 0, TimeSpan.Zero), Due(c, "due-P1D"));
        Assert.Equal(new DateTimeOffset(2027, 3, 13, 5, 0, 0, TimeSpan.Zero), Due(c, "due-P2D"));
        Assert.Equal(TimeSpan.FromHours(23), c.DueUtc - Due(c, "due-P1D"));
    }

    [Fact]
    public void ADueInstantInTheRepeatedHourOfTheAutumnChangeIsNotReadBackAsTheEarlierOne()
    {
        // 7 November 2027: New York's 01:00–02:00 happens twice. 01:30 EST (the second time) is 06:30 UTC.
        var c = Create(Valid(dueDate: null, zone: "America/New_York") with { DueAt = "2027-11-07T01:30-05:00", ReminderOffsets = ["PT10M", "P1D"] });

        Assert.Equal(new DateTimeOffset(2027, 11, 7, 6, 30, 0, TimeSpan.Zero), c.DueUtc);
        Assert.Equal(c.DueUtc, Due(c, "overdue-PT0M"));           // exact time from the instant: not an hour early
        Assert.Equal(c.DueUtc.AddMinutes(-10), Due(c, "due-PT10M"));
        Assert.Equal(new DateTimeOffset(2027, 11, 6, 5, 30, 0, TimeSpan.Zero), Due(c, "due-P1D")); // 01:30 EDT the day before: wall clock
    }

    [Fact]
    public void AnExactDueInstantIsKeptAsGivenAndCountedOnTheZonesClock()
    {
        var c = Create(Valid(dueDate: null) with { DueAt = "2027-01-15T09:00+09:00" });
        Assert.Null(c.DueDate);
        Assert.Equal(new DateTimeOffset(2027, 1, 15, 0, 0, 0, TimeSpan.Zero), c.DueUtc);
        Assert.Equal(new DateTimeOffset(2027, 1, 8, 0, 0, 0, TimeSpan.Zero), Due(c, "due-P7D"));
    }

    [Fact]
    public void ReminderMomentsAlreadyPastArePlannedAsSkippedAndReopeningSkipsWhatFellDueMeanwhile()
    {
        var c = Create(Valid("2026-12-01"));  // due 1 December 15:00 UTC; P7D was due 24 November
        Assert.Equal("its moment had passed when the commitment was planned", Assert.Single(c.Plan.Slots, s => s.Offset == "due-P7D").SkipReason);
        Assert.True(Assert.Single(c.Plan.Slots, s => s.Offset == "due-P2D").IsPlanned);

        var done = c.Complete("coordinator", "sent", null, new DateTimeOffset(2026, 11, 30, 0, 0, 0, TimeSpan.Zero));
        Assert.True(done.Completion!.OnTime);
        var reopened = done.Reopen(new DateTimeOffset(2026, 12, 2, 0, 0, 0, TimeSpan.Zero)); // after the due moment, before the P2D rung

        Assert.Equal(CommitmentStatus.Open, reopened.Status);
        Assert.Null(reopened.Completion);
        Assert.Equal(c.Plan.PlanVersion + 1, reopened.Plan.PlanVersion);
        Assert.NotEqual(c.Plan.PlanId, reopened.Plan.PlanId);
        Assert.Equal(["overdue-P2D"], reopened.Plan.Slots.Where(s => s.IsPlanned).Select(s => s.Offset));
        Assert.Equal("it fell due while the commitment was closed", Assert.Single(reopened.Plan.Slots, s => s.Offset == "overdue-PT0M").SkipReason);
        Assert.True(reopened.IsOverdue(new DateTimeOffset(2026, 12, 2, 0, 0, 0, TimeSpan.Zero)));
    }

    public static TheoryData<string, CommitmentDraft, string> BadDrafts() => new()
    {
        { "due in the past", Valid("2026-11-20"), "dueDate" },
        { "a day already over in its zone, though not yet in Samoa", Valid("2026-11-26", "Asia/Seoul"), "dueDate" },
        { "a date that is not one", Valid("2027-02-30"), "dueDate" },
        { "both a date and an instant", Valid() with { DueAt = "2027-01-15T09:00+09:00" }, "dueAt" },
        { "neither", Valid(dueDate: null), "dueDate" },
        { "an instant without its offset", Valid(dueDate: null) with { DueAt = "2027-01-15T09:00" }, "dueAt" },
        { "three years ahead", Valid("2029-12-01"), "dueDate" },
        { "no zone", Valid() with { TimeZone = null }, "timeZone" },
        { "a zone that does not exist", Valid() with { TimeZone = "Asia/Ankara" }, "timeZone" },
        { "an unknown track", Valid() with { Track = "space" }, "track" },
        { "no owner", Valid() with { Owners = [] }, "owners" },
        { "the same owner twice", Valid() with { Owners = [new ParticipantDraft { Name = "A", Email = "a@example.org" }, new ParticipantDraft { Name = "B", Email = "A@example.org" }] }, "owners[1].email" },
        { "an owner's zone", Valid() with { Owners = [new ParticipantDraft { Name = "A", Email = "a@example.org", TimeZone = "Seoul" }] }, "owners[0].timeZone" },
        { "a reminder after the due moment", Valid() with { ReminderOffsets = ["-P1D"] }, "reminderOffsets[0]" },
        { "a rung before the due moment", Valid() with { EscalateAfter = ["-PT1H"] }, "escalateAfter[0]" },
        { "a reminder in months", Valid() with { ReminderOffsets = ["P1M"] }, "reminderOffsets[0]" },
        { "the same reminder twice", Valid() with { ReminderOffsets = ["P1D", "PT24H"] }, "reminderOffsets[1]" },
        { "a rung a year after", Valid() with { EscalateAfter = ["P365D"] }, "escalateAfter[0]" },
        { "a title over two lines", Valid() with { Title = "Draft\nwork programme" }, "title" },
        { "a meeting id that cannot be one", Valid() with { MeetingId = "../meetings" }, "meetingId" },
        { "no coordinator", Valid() with { Coordinator = null }, "coordinator" },
    };

    [Theory]
    [MemberData(nameof(BadDrafts))]
    public void BadInputIsRefusedNamingTheField(string because, CommitmentDraft draft, string field)
    {
        var (content, errors) = CommitmentValidator.Validate(draft, Now);
        Assert.Null(content);
        Assert.True(errors.Any(e => e.Field == field), $"{because}: {string.Join("; ", errors.Select(e => $"{e.Field} {e.Message}"))}");
    }

    [Fact]
    public void NoRemindersAtAllIsAllowedTheLadderStillRuns()
    {
        var c = Create(Valid() with { ReminderOffsets = [] });
        Assert.Equal(["overdue-PT0M", "overdue-P2D"], c.Plan.Slots.Select(s => s.Offset));
    }
}
