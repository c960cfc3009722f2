using Ical.Net;
using Summit.Reminders.Delivery;
using Summit.Reminders.Email;
using Summit.Reminders.Meetings;
using Summit.Reminders.Participation;

namespace Summit.Reminders.Tests;

public class ReminderEmailComposerTests
{
    private static Meeting Meeting(string title = "Sinop <b>evaluation</b>", string? agenda = "<script>alert(1)</script>", string? language = "en") => new()
    {
        Id = "m1",
        Title = title,
        Track = "nuclear-energy",
        Agenda = agenda,
        StartLocal = "2026-12-10T10:00",
        TimeZone = "Europe/Istanbul",
        StartUtc = new DateTimeOffset(2026, 12, 10, 7, 0, 0, TimeSpan.Zero),
        Duration = "PT2H",
        Coordinator = new Person("Mehmet Demir", "mehmet@example.org"),
        Participants = [new Participant("pa", "Park Ji-ho", "jiho@example.org", "Asia/Seoul", language)],
        ReminderOffsets = ["P1D", "PT2H"],
        Plan = new ReminderPlan("plan1", 3, []),
        CreatedAt = DateTimeOffset.UnixEpoch,
        UpdatedAt = DateTimeOffset.UnixEpoch,
    };

    private static readonly LinkPair Links = new("https://reminders.example/api/p/acknowledge?token=A&x=1", "https://reminders.example/api/p/unsubscribe?token=U");

    [Theory]
    [InlineData("en", "Got it — stop reminding me", "Unsubscribe from this meeting")]
    [InlineData("ko", "확인했습니다 — 알림 중지", "이 회의 메일 수신 거부")]
    [InlineData("tr", "Anladım — hatırlatmayı durdur", "Bu toplantının e-postalarından çık")]
    public void EveryReminderCarriesTheParticipantsOwnAcknowledgeAndUnsubscribeLinks(string language, string ack, string unsubscribe)
    {
        var meeting = Meeting(language: language);
        var email = ReminderEmailComposer.Compose(meeting, meeting.Participants[0], Reminder, Reminder.DueAt, Links);

        Assert.Contains($"<a href=\"https://reminders.example/api/p/acknowledge?token=A&amp;x=1\"", email.Html);
        var html = System.Net.WebUtility.HtmlDecode(email.Html); // Latin-1 letters such as ç are written as entities
        Assert.Contains($">{ack}</a>", html);
        Assert.Contains($"<a href=\"https://reminders.example/api/p/unsubscribe?token=U\" style=\"color:inherit\">{unsubscribe}</a>", html);
        Assert.Contains($"{ack}:\n{Links.Acknowledge}", email.Text.ReplaceLineEndings("\n"));
        Assert.Contains($"{unsubscribe}:\n{Links.Unsubscribe}", email.Text.ReplaceLineEndings("\n"));
        // Mail clients' own unsubscribe button (RFC 8058 one-click) posts to the same link.
        Assert.Equal($"<{Links.Unsubscribe}>", email.Headers["List-Unsubscribe"]);
        Assert.Equal("List-Unsubscribe=One-Click", email.Headers["List-Unsubscribe-Post"]);
    }

    private static ReminderMessage Reminder => new("m1.plan1.PT2H.pa", "m1", "plan1", 3, "PT2H", "pa", new DateTimeOffset(2026, 12, 10, 5, 0, 0, TimeSpan.Zero));

    [Theory]
    [InlineData(0.5, "now")]
    [InlineData(45, "in 45 minutes")]
    [InlineData(120, "in 2 hours")]
    [InlineData(150, "in 2 hours and 30 minutes")]
    [InlineData(24 * 60, "in 1 day")]
    [InlineData(27 * 60, "in 1 day and 3 hours")]
    [InlineData(7 * 24 * 60, "in 7 days")]
    [InlineData(6 * 24 * 60 + 13 * 60, "in 7 days")]
    public void SaysHowLongIsLeftInPlainWords(double minutes, string expected) =>
        Assert.Equal(expected, EmailLanguage.English.TimeLeft(TimeSpan.FromMinutes(minutes)));

    [Fact]
    public void WordingComesFromTheRealTimeLeftWhenSentLate()
    {
        var email = ReminderEmailComposer.Compose(Meeting(), Meeting().Participants[0], Reminder, new DateTimeOffset(2026, 12, 10, 6, 15, 0, TimeSpan.Zero), Links);
        Assert.EndsWith("starts in 45 minutes", email.Subject);
    }

    [Fact]
    public void ShowsTheParticipantsZoneWithTheMeetingsZoneBeside()
    {
        var email = ReminderEmailComposer.Compose(Meeting(), Meeting().Participants[0], Reminder, Reminder.DueAt, Links);
        Assert.Contains("Thursday 10 December 2026, 16:00 (Asia/Seoul, UTC+09:00)", email.Text);
        Assert.Contains("Thursday 10 December 2026, 10:00 (Europe/Istanbul, UTC+03:00) (meeting time)", email.Text);
    }

    [Fact]
    public void EscapesHtmlFromTitlesAndAgendas()
    {
        var email = ReminderEmailComposer.Compose(Meeting(), Meeting().Participants[0], Reminder, Reminder.DueAt, Links);
        Assert.DoesNotContain("<script>", email.Html);
        Assert.Contains("&lt;script&gt;", email.Html);
        Assert.Contains("Sinop &lt;b&gt;evaluation&lt;/b&gt;", email.Html);
    }

    [Fact]
    public void NeverPutsALineBreakIntoTheSubject()
    {
        var email = ReminderEmailComposer.Compose(Meeting(title: "A\r\nBcc: x@example.org"), Meeting().Participants[0], Reminder, Reminder.DueAt, Links);
        Assert.DoesNotContain('\r', email.Subject);
        Assert.DoesNotContain('\n', email.Subject);
    }

    [Fact]
    public void TheInvitationHasAStableUidASequenceFromTheMeetingVersionAndOneAlarmPerOffset()
    {
        var ics = CalendarInvite.Create(Meeting() with { Version = 3 }, Reminder.DueAt); // two changes since registration
        var calendar = Ical.Net.Calendar.Load(ics)!;

        Assert.Equal("REQUEST", calendar.Method);
        Assert.Contains(calendar.TimeZones, tz => tz.TzId == "Europe/Istanbul");
        // RFC 5545 §3.6.5: a VTIMEZONE carries its rules (Istanbul: standard time, UTC+3 all year).
        var zone = ics[ics.IndexOf("BEGIN:VTIMEZONE", StringComparison.Ordinal)..(ics.IndexOf("END:VTIMEZONE", StringComparison.Ordinal))];
        Assert.Contains("BEGIN:STANDARD", zone);
        Assert.Contains("TZOFFSETTO:+0300", zone);
        var invite = Assert.Single(calendar.Events);
        Assert.Equal("m1@summit-followups", invite.Uid);
        Assert.Equal(2, invite.Sequence);
        Assert.Equal("mailto:mehmet@example.org", invite.Organizer!.Value!.ToString());
        Assert.Equal("mailto:jiho@example.org", Assert.Single(invite.Attendees).Value!.ToString());
        Assert.Equal(new DateTime(2026, 12, 10, 10, 0, 0), invite.DtStart!.Value);
        Assert.Equal(new DateTime(2026, 12, 10, 12, 0, 0), invite.DtEnd!.Value);
        Assert.Equal(2, invite.Alarms.Count);
    }

    [Theory]
    [InlineData("ko", "알림: Sinop evaluation — 2시간 후 시작", "2026년 12월 10일 목요일 16:00 (Asia/Seoul, UTC+09:00)", "2026년 12월 10일 목요일 10:00 (Europe/Istanbul, UTC+03:00) (회의 현지 시각)", "님께")]
    [InlineData("tr", "Hatırlatma: Sinop evaluation 2 saat sonra başlıyor", "10 Aralık 2026 Perşembe, 16:00 (Asia/Seoul, UTC+09:00)", "10 Aralık 2026 Perşembe, 10:00 (Europe/Istanbul, UTC+03:00) (toplantı saati)", "Sayın Park Ji-ho")]
    [InlineData("en", "Reminder: Sinop evaluation starts in 2 hours", "Thursday 10 December 2026, 16:00 (Asia/Seoul, UTC+09:00)", "Thursday 10 December 2026, 10:00 (Europe/Istanbul, UTC+03:00) (meeting time)", "Dear Park Ji-ho")]
    [InlineData(null, "Reminder: Sinop evaluation starts in 2 hours", "Thursday 10 December 2026, 16:00 (Asia/Seoul, UTC+09:00)", "(meeting time)", "Dear Park Ji-ho")]
    public void WritesInTheParticipantsLanguageWithDatesInTheirZoneAndTheMeetingsBeside(string? language, string subject, string when, string meetingWhen, string greeting)
    {
        var meeting = Meeting(title: "Sinop evaluation", language: language);
        var email = ReminderEmailComposer.Compose(meeting, meeting.Participants[0], Reminder, Reminder.DueAt, Links);

        Assert.Equal(subject, email.Subject);
        foreach (var body in new[] { email.Text, email.Html })
        {
            Assert.Contains(when, body);
            Assert.Contains(meetingWhen, body);
            Assert.Contains(greeting, body);
        }
        Assert.Contains($"<html lang=\"{language ?? "en"}\">", email.Html);
        Assert.Contains("name=\"color-scheme\" content=\"light dark\"", email.Html);
        Assert.DoesNotContain("<table", email.Html);
        Assert.DoesNotContain("<img", email.Html);
    }

    [Theory]
    [InlineData("ko", 150, "2시간 30분 후")]
    [InlineData("ko", 27 * 60, "1일 3시간 후")]
    [InlineData("ko", 7 * 24 * 60, "7일 후")]
    [InlineData("ko", 0.5, "곧")]
    [InlineData("tr", 45, "45 dakika sonra")]
    [InlineData("tr", 24 * 60, "1 gün sonra")]
    [InlineData("tr", 6 * 24 * 60 + 13 * 60, "7 gün sonra")]
    [InlineData("tr", 0.5, "şimdi")]
    public void SaysTheTimeLeftInTheParticipantsLanguage(string language, double minutes, string expected) =>
        Assert.Equal(expected, EmailLanguage.For(language).TimeLeft(TimeSpan.FromMinutes(minutes)));

    [Fact]
    public void LeavesOutWhatTheMeetingDoesNotHave()
    {
        var meeting = Meeting(agenda: null) with { Location = null, JoinUrl = null };
        var email = ReminderEmailComposer.Compose(meeting, meeting.Participants[0], Reminder, Reminder.DueAt, Links);

        Assert.DoesNotContain("Where", email.Text);
        Assert.DoesNotContain("Agenda", email.Text);
        Assert.DoesNotContain(">Where<", email.Html);
        Assert.DoesNotContain(">Agenda<", email.Html);
    }

    [Fact]
    public void AZoneWithDaylightSavingTimeCarriesBothOfItsRules()
    {
        var berlin = Meeting() with { TimeZone = "Europe/Berlin" };
        var ics = CalendarInvite.Create(berlin, Reminder.DueAt);
        var zone = ics[ics.IndexOf("BEGIN:VTIMEZONE", StringComparison.Ordinal)..(ics.IndexOf("END:VTIMEZONE", StringComparison.Ordinal))];

        Assert.Contains("TZID:Europe/Berlin", zone);
        Assert.Contains("BEGIN:STANDARD", zone);
        Assert.Contains("BEGIN:DAYLIGHT", zone);
        Assert.Contains("TZOFFSETTO:+0100", zone);
        Assert.Contains("TZOFFSETTO:+0200", zone);
        Assert.Equal("Europe/Berlin", Assert.Single(Ical.Net.Calendar.Load(ics)!.Events).DtStart!.TzId);
    }

    [Fact]
    public void AMeetingYearsAheadStillGetsItsCalendarEntryWithTheZonesRules()
    {
        // Registered now, for a session three years out (Berlin, with daylight saving time).
        var far = Meeting() with { TimeZone = "Europe/Berlin", StartLocal = "2029-12-10T10:00", StartUtc = new DateTimeOffset(2029, 12, 10, 9, 0, 0, TimeSpan.Zero) };
        var ics = CalendarInvite.Create(far, new DateTimeOffset(2026, 11, 28, 9, 0, 0, TimeSpan.Zero));

        Assert.Contains("BEGIN:DAYLIGHT", ics);
        Assert.Contains("BEGIN:STANDARD", ics);
        var start = Assert.Single(Ical.Net.Calendar.Load(ics)!.Events).DtStart!;
        Assert.Equal(new DateTime(2029, 12, 10, 10, 0, 0), start.Value);
        Assert.Equal("Europe/Berlin", start.TzId);
    }

    [Fact]
    public void AnAddressStoredBeforeTheAddressRulesIsLeftOffTheInvitationInsteadOfBreakingItForEveryone()
    {
        // A meeting stored before registration refused quoted local parts: its invitation still goes to the others.
        var legacy = Meeting() with
        {
            Participants = [Meeting().Participants[0], new Participant("pq", "Quoted", "\"a;b\"@example.org", null, null)],
            Coordinator = new Person("Mehmet", "\"x,y\"@example.org"),
        };
        var calendar = Ical.Net.Calendar.Load(CalendarInvite.Create(legacy, Reminder.DueAt))!;
        var attendee = Assert.Single(Assert.Single(calendar.Events).Attendees);
        Assert.Equal("mailto:jiho@example.org", attendee.Value!.ToString());
        Assert.Null(calendar.Events[0]!.Organizer);
    }

    [Theory]
    [InlineData("jiho@example.org", "mailto:jiho@example.org")]
    [InlineData("o'brien+jec@example.org", "mailto:o'brien+jec@example.org")]
    [InlineData("a#b?c&d@example.org", "mailto:a%23b%3Fc%26d@example.org")]
    [InlineData("kim@한국.example", "mailto:kim@xn--3e0b707e.example")]
    public void ACalendarAddressIsAMailtoUriThatCarriesTheAddressWhole(string email, string mailto)
    {
        Assert.Equal(mailto, CalendarInvite.Mailto(email));
        var meeting = Meeting() with { Participants = [new Participant("pa", "A", email, null, null)] };
        var attendee = Assert.Single(Assert.Single(Ical.Net.Calendar.Load(CalendarInvite.Create(meeting, Reminder.DueAt))!.Events).Attendees);
        Assert.Equal(mailto, attendee.Value!.OriginalString);
    }
}
