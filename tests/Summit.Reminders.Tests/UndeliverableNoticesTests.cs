using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;
using Summit.Reminders.DeliveryStatus;
using Summit.Reminders.Meetings;
using Summit.Reminders.Notifications;
using Summit.Reminders.Participation;
using Summit.Reminders.Tests.Fakes;


namespace Summit.Reminders.Tests;

/// <summary>When the coordinator's notice about undeliverable participants is due: the meeting's day (Seoul, UTC+9, and
/// New York across its March change), its notice hours, one a day, and the escalation of the same day.</summary>
public sealed class UndeliverableNoticesTests
{
    private static readonly DateTimeOffset Now = Drafts.Now;

    private static async Task<Meeting> MeetingAsync(MeetingDraft draft)
    {
        var store = new InMemoryMeetingStore();
        var links = Options.Create(new LinkOptions { BaseUrl = "https://reminders.test", SigningKey = "unit-test-link-signing-key-0123456789" });
        var service = new MeetingService(store, new InMemoryDueIndex(), new InMemoryLedger(), new InMemoryResponses(), new ParticipantIds(links),
            AuditFakes.Trail(new FakeTimeProvider(Now)), new FakeTimeProvider(Now), Options.Create(new Summit.Reminders.SendWindows.SendWindowOptions()), NullLogger<MeetingService>.Instance);
        var created = Assert.IsType<MeetingResult.Created>(await service.RegisterAsync(draft, null, default));
        return store[created.View.Meeting.Id];
    }

    private static DateTimeOffset Utc(int month, int day, int hour, int minute = 0, int year = 2026) => new(year, month, day, hour, minute, 0, TimeSpan.Zero);

    private static DeliveryRecord Queued(string day, DeliveryState state = DeliveryState.Sent) =>
        new($"m.any.{Slots.UndeliverablePrefix}{day}.coordinator", UndeliverableNotices.AnyPlan, Slots.UndeliverablePrefix + day, Slots.Coordinator, state, Now);

    public static TheoryData<string, DateTimeOffset, string[], DateTimeOffset, string> SeoulCases() => new()
    {
        // what happens, bounce recorded at (UTC), notices already queued (days), due (UTC), slot day
        { "14:00 in Seoul: ten minutes later, for the other bounces of the same send", Utc(12, 1, 5), [], Utc(12, 1, 5, 10), "2026-12-01" },
        { "23:30 in Seoul: at 08:00 the next morning, that day's notice", Utc(12, 1, 14, 30), [], Utc(12, 1, 23), "2026-12-02" },
        { "03:00 in Seoul: at 08:00 the same morning", Utc(11, 30, 18), [], Utc(11, 30, 23), "2026-12-01" },
        { "20:55 in Seoul: ten minutes later is past 21:00, so the next morning", Utc(12, 1, 11, 55), [], Utc(12, 1, 23), "2026-12-02" },
        { "today's notice is out already: tomorrow's", Utc(12, 1, 5), ["2026-12-01"], Utc(12, 1, 23), "2026-12-02" },
        { "today's and tomorrow's are out already: the day after", Utc(12, 1, 5), ["2026-12-01", "2026-12-02"], Utc(12, 2, 23), "2026-12-03" },
        { "yesterday's notice does not count", Utc(12, 1, 5), ["2026-11-30"], Utc(12, 1, 5, 10), "2026-12-01" },
    };

    [Theory]
    [MemberData(nameof(SeoulCases))]
    public async Task TheNoticeIsDueOnTheMeetingsDayInsideItsHoursAndOnceADay(string because, DateTimeOffset now, string[] queued, DateTimeOffset due, string day)
    {
        var meeting = await MeetingAsync(Drafts.Valid(offsets: ["P1D"])); // 10 December, 10:00 in Seoul

        var entry = UndeliverableNotices.Plan(meeting, [.. queued.Select(day => Queued(day))], now);

        Assert.NotNull(entry);
        Assert.True(due == entry.DueAt, $"{because}: due {entry.DueAt:O}, expected {due:O}");
        Assert.Equal(Slots.UndeliverablePrefix + day, entry.Offset);
        Assert.Equal(MessageKind.Undeliverable, Slots.KindOf(entry.Offset));
        Assert.Equal(UndeliverableNotices.AnyPlan, entry.PlanId); // one a day whatever the plan
    }

    [Fact]
    public async Task OnTheDayOfTheEscalationItWaitsForTheEscalationWhichMayNameEveryoneAlready()
    {
        var meeting = await MeetingAsync(Drafts.Valid(offsets: ["P1D"]) with { EscalateBefore = "P1D" }); // 9 December, 10:00 in Seoul

        Assert.Equal(Utc(12, 9, 1, 2), UndeliverableNotices.Plan(meeting, [], Utc(12, 8, 23, 30))!.DueAt); // 08:30: after the 10:00 escalation
        Assert.Equal(Utc(12, 9, 2, 10), UndeliverableNotices.Plan(meeting, [], Utc(12, 9, 2))!.DueAt); // 11:00: the escalation has gone
        Assert.Equal(Utc(12, 8, 5, 10), UndeliverableNotices.Plan(meeting, [], Utc(12, 8, 5))!.DueAt); // the day before: no wait

        // An escalation at 23:00 is after the notice hours: the notice does not follow it into the night.
        var late = await MeetingAsync(Drafts.Valid(offsets: ["P1D"]) with { EscalateBefore = "PT11H" }); // 9 December, 23:00 in Seoul
        Assert.Equal(Utc(12, 9, 5, 10), UndeliverableNotices.Plan(late, [], Utc(12, 9, 5))!.DueAt);
    }

    [Fact]
    public async Task ANoticeThatWasSkippedOrFailedDoesNotUseUpTheDay()
    {
        var meeting = await MeetingAsync(Drafts.Valid(offsets: ["P1D"]));
        Assert.Equal(Utc(12, 1, 5, 10), UndeliverableNotices.Plan(meeting, [Queued("2026-12-01", DeliveryState.Skipped)], Utc(12, 1, 5))!.DueAt);
        Assert.Equal(Utc(12, 1, 5, 10), UndeliverableNotices.Plan(meeting, [Queued("2026-12-01", DeliveryState.Failed)], Utc(12, 1, 5))!.DueAt);
        Assert.Equal(Utc(12, 1, 23), UndeliverableNotices.Plan(meeting, [Queued("2026-12-01", DeliveryState.Sending)], Utc(12, 1, 5))!.DueAt);
    }

    [Fact]
    public async Task OutsideTheHoursANoticeWaitsForTheMorningUnlessTheStartComesFirst()
    {
        var meeting = await MeetingAsync(Drafts.Valid(offsets: ["P1D"])); // 10 December, 10:00 in Seoul
        Assert.Null(UndeliverableNotices.NextAllowed(meeting, Utc(12, 1, 5))); // 14:00
        Assert.Equal(Utc(12, 1, 23), UndeliverableNotices.NextAllowed(meeting, Utc(12, 1, 13))); // 22:00: at 08:00
        Assert.Equal(Utc(12, 1, 23), UndeliverableNotices.NextAllowed(meeting, Utc(12, 1, 20))); // 05:00: at 08:00
        var early = await MeetingAsync(Drafts.Valid(start: "2026-12-10T07:30", offsets: ["P1D"]));
        Assert.Null(UndeliverableNotices.NextAllowed(early, Utc(12, 9, 20))); // 05:00 on the day: 08:00 would be after the start
    }

    [Fact]
    public async Task WhenTomorrowMorningIsAfterTheStartItGoesNowWhateverTheHourAndAfterThatDaysNoticeNoneCanGo()
    {
        var meeting = await MeetingAsync(Drafts.Valid(start: "2026-12-10T07:30", offsets: ["P1D"]));
        var lateEvening = Utc(12, 9, 13); // 22:00 in Seoul

        var entry = UndeliverableNotices.Plan(meeting, [], lateEvening)!;

        Assert.Equal(lateEvening + UndeliverableNotices.GatherDelay, entry.DueAt);
        Assert.Equal(Slots.UndeliverablePrefix + "2026-12-09", entry.Offset);
        Assert.Null(UndeliverableNotices.Plan(meeting, [Queued("2026-12-09")], lateEvening));
        Assert.Equal(Utc(12, 9, 22, 25), UndeliverableNotices.Plan(meeting, [], Utc(12, 9, 22, 25))!.DueAt); // 07:25: five minutes before the start
    }

    [Fact]
    public async Task NoNoticeForAMeetingCancelledOrUnderWay()
    {
        var meeting = await MeetingAsync(Drafts.Valid(offsets: ["P1D"]));
        Assert.Null(UndeliverableNotices.Plan(meeting with { Status = MeetingStatus.Cancelled }, [], Utc(12, 1, 5)));
        Assert.Null(UndeliverableNotices.Plan(meeting, [], meeting.StartUtc));
    }

    [Fact]
    public async Task NotATimeOfTheNightInNewYorkOnTheDayTheClocksGoForward()
    {
        // 14 March 2027: New York moves from UTC−5 to UTC−4 at 02:00. 01:00 EST is 06:00 UTC; 08:00 EDT is 12:00 UTC.
        var meeting = await MeetingAsync(Drafts.Valid(start: "2027-03-20T10:00", zone: "America/New_York", offsets: ["P1D"]));

        var entry = UndeliverableNotices.Plan(meeting, [], Utc(3, 14, 6, year: 2027))!;

        Assert.Equal(Utc(3, 14, 12, year: 2027), entry.DueAt);
        Assert.Equal(Slots.UndeliverablePrefix + "2027-03-14", entry.Offset);
    }

    [Fact]
    public async Task EachParticipantIsReportedOnceByTheEmailsThatWereSent()
    {
        var meeting = await MeetingAsync(Drafts.Valid(offsets: ["P1D"]));
        var (ayse, seoyeon) = (meeting.Participants[0].Id, meeting.Participants[1].Id);
        DeliveryRecord Row(string slot, DeliveryState state, params string[] reports) =>
            new($"{meeting.Id}.p.{slot}.coordinator", "p", slot, Slots.Coordinator, state, Now) { Reports = reports };

        var reported = UndeliverableNotices.Reported(
        [
            Row("undeliverable-2026-12-01", DeliveryState.Sent, ayse),
            Row("undeliverable-2026-12-02", DeliveryState.Failed, seoyeon), // never reached the coordinator
            Row(Slots.Escalation, DeliveryState.Skipped),
        ]);
        Assert.Equal([ayse], reported);

        var answers = new[]
        {
            new ParticipantResponse(ayse, AcknowledgedAt: Now, AcknowledgedStartUtc: meeting.StartUtc, UndeliverableAt: Now, UndeliverableReason: "bounce"),
            new ParticipantResponse(seoyeon, UndeliverableAt: Now.AddMinutes(1), UndeliverableReason: "dropped"),
        };
        // The escalation lists only who has not acknowledged; the notice everyone undeliverable.
        Assert.Equal([seoyeon], UndeliverableNotices.ReportedBy(MessageKind.Escalation, meeting, answers));
        Assert.Equal([ayse, seoyeon], UndeliverableNotices.ReportedBy(MessageKind.Undeliverable, meeting, answers));
        Assert.Empty(UndeliverableNotices.ReportedBy(MessageKind.Reminder, meeting, answers));
    }
}
