using System.Text;
using Ical.Net;
using Summit.Reminders.Delivery;
using Summit.Reminders.Email;
using Summit.Reminders.Meetings;
using Summit.Reminders.Notifications;
using Summit.Reminders.Participation;

namespace Summit.Reminders.Tests;

/// <summary>A meeting registered with <c>calendarInvitations: false</c>: the coordinator invites from their own calendar, so
/// no email of ours carries a calendar entry, and each says in words what the entry would have done.</summary>
public class NoCalendarEmailTests
{
    private static readonly DateTimeOffset Now = new(2026, 12, 1, 9, 0, 0, TimeSpan.Zero);
    private static readonly LinkPair Links = new("https://x.example/api/p/acknowledge?token=a", "https://x.example/api/p/unsubscribe?token=u");

    private static Meeting Meeting(string? language, bool calendarInvitations = false) => new()
    {
        Id = "m1",
        Title = "Biotech working group",
        Track = "biotechnology",
        StartLocal = "2026-12-10T10:00",
        TimeZone = "Asia/Seoul",
        StartUtc = new DateTimeOffset(2026, 12, 10, 1, 0, 0, TimeSpan.Zero),
        Duration = "PT1H",
        Coordinator = new Person("Kim Min-jun", "kim@example.org"),
        Participants = [new Participant("pa", "Ayşe Yılmaz", "ayse@example.org", "Europe/Istanbul", language)],
        ReminderOffsets = ["P1D"],
        Plan = new ReminderPlan("plan1", 1, []),
        CreatedAt = Now,
        UpdatedAt = Now,
        CalendarInvitations = calendarInvitations,
    };

    private static EmailMessage Notice(Meeting meeting, string slot) =>
        NoticeEmailComposer.Compose(meeting, meeting.Participants[0], new ReminderMessage($"m1.plan1.{slot}.pa", "m1", "plan1", 1, slot, "pa", Now), Now, Links);

    private static EmailMessage Reminder(Meeting meeting) =>
        ReminderEmailComposer.Compose(meeting, meeting.Participants[0], new ReminderMessage("m1.plan1.P1D.pa", "m1", "plan1", 1, "P1D", "pa", Now), Now, Links);

    [Theory]
    [InlineData(null, "On the participant list: Biotech working group", "The coordinator sends the calendar invitation for this meeting from their own calendar")]
    [InlineData("ko", "참석자 명단 등록: Biotech working group", "이 회의의 캘린더 초대는 담당자가 자신의 캘린더에서 직접 보내므로")]
    [InlineData("tr", "Katılımcı listesindesiniz: Biotech working group", "Bu toplantının takvim davetini koordinatör kendi takviminden gönderir")]
    public void TheInvitationSaysThereIsNoCalendarAttachmentAndStillCarriesTheLinks(string? language, string subject, string note)
    {
        var email = Notice(Meeting(language), Slots.Invitation);
        Assert.Equal(subject, email.Subject);
        Assert.Empty(email.Attachments);
        Assert.Contains(note, email.Text);
        Assert.Contains(note, email.Html);
        Assert.Contains(Links.Acknowledge, email.Text);
        Assert.Contains(Links.Unsubscribe, email.Text);
        Assert.Equal($"<{Links.Unsubscribe}>", email.Headers["List-Unsubscribe"]);
        Assert.DoesNotContain(EmailLanguage.For(language).InviteNote, email.Text);
    }

    [Theory]
    [InlineData("en")]
    [InlineData("ko")]
    [InlineData("tr")]
    public void AReminderCarriesNoAttachmentAndNoWordsAboutOne(string language)
    {
        var email = Reminder(Meeting(language));
        Assert.Empty(email.Attachments);
        Assert.DoesNotContain(EmailLanguage.For(language).InviteNote, email.Text);
        Assert.DoesNotContain(EmailLanguage.For(language).InviteNote, email.Html);
        Assert.DoesNotContain("<p style=\"margin-top:1.5em\"></p>", email.Html);
        Assert.Contains(Links.Acknowledge, email.Text);
        // With calendar invitations the same reminder carries the entry and says so.
        var withCalendar = Reminder(Meeting(language, calendarInvitations: true));
        Assert.Single(withCalendar.Attachments);
        Assert.Contains(EmailLanguage.For(language).InviteNote, withCalendar.Text);
    }

    [Theory]
    [InlineData("en", "What changed: time", "This email does not change your calendar: the entry from the coordinator's own invitation is updated by the coordinator.")]
    [InlineData("ko", "변경된 항목: 시간", "이 메일은 캘린더를 변경하지 않습니다. 담당자가 보낸 초대의 일정은 담당자가 직접 변경합니다.")]
    [InlineData("tr", "Değişenler: saat", "Bu e-posta takviminizi değiştirmez: koordinatörün kendi davetinden gelen kaydı koordinatör günceller.")]
    public void AnUpdateSaysWhatChangedAndThatTheCalendarIsNotTouched(string language, string changed, string note)
    {
        var meeting = Meeting(language) with { Version = 2, LastChange = new MeetingChange(["start"], Now.AddDays(8)) };
        var email = Notice(meeting, Slots.Update);
        Assert.Empty(email.Attachments);
        Assert.Contains(changed, email.Text);
        Assert.Contains(note, email.Text);
        Assert.DoesNotContain(NoticeText.For(language).UpdateNote, email.Text);
    }

    [Theory]
    [InlineData("en", "Cancelled: Biotech working group", "The meeting will not take place, and you will get no more reminders for it. This email does not change your calendar")]
    [InlineData("ko", "취소 안내: Biotech working group", "회의가 열리지 않으며")]
    [InlineData("tr", "İptal edildi: Biotech working group", "Toplantı yapılmayacak; bu toplantı için başka hatırlatma almayacaksınız. Bu e-posta takviminizi değiştirmez")]
    public void ACancellationSaysSoInWordsWithoutACancelEntry(string language, string subject, string note)
    {
        var email = Notice(Meeting(language) with { Status = MeetingStatus.Cancelled, Version = 3 }, Slots.Cancellation);
        Assert.Equal(subject, email.Subject);
        Assert.Empty(email.Attachments);
        Assert.Contains(note, email.Text);
        Assert.DoesNotContain(NoticeText.For(language).CancellationNote, email.Text);
    }

    [Theory]
    [InlineData("en", "This email does not change your calendar.")]
    [InlineData("ko", "이 메일은 캘린더를 변경하지 않습니다.")]
    [InlineData("tr", "Bu e-posta takviminizi değiştirmez.")]
    public void ARemovalSaysSoInWordsWithoutACancelEntry(string language, string note)
    {
        var email = Notice(Meeting(language) with { Version = 2 }, Slots.Removal);
        Assert.Empty(email.Attachments);
        Assert.Contains(note, email.Text);
    }

    [Fact]
    public void SomeoneTakenOffTheListByTheChangeThatSwitchesThemOffStillGetsOurEntryCancelled()
    {
        var meeting = Meeting("en") with { Version = 3, CalendarEntryToWithdraw = true, LastChange = new MeetingChange(["participants", Meetings.Meeting.CalendarInvitationsField], null) };
        var email = Notice(meeting, Slots.Removal);
        Assert.Equal("CANCEL", Ical.Net.Calendar.Load(Encoding.UTF8.GetString(Assert.Single(email.Attachments).Content))!.Method);
        Assert.Contains(NoticeText.English.RemovalNote, email.Text);
    }

    [Theory]
    [InlineData("en", "What changed: calendar invitation", "The attached cancellation removes only the entry our earlier emails added to your calendar")]
    [InlineData("ko", "변경된 항목: 캘린더 초대", "첨부된 취소 안내는 이전 메일로 캘린더에 추가된 일정만 삭제하며")]
    [InlineData("tr", "Değişenler: takvim daveti", "Ekteki iptal bildirimi yalnızca önceki e-postalarımızın takviminize eklediği kaydı kaldırır")]
    public void TheUpdateThatSwitchesCalendarInvitationsOffWithdrawsOurEntryAndSaysTheMeetingStands(string language, string changed, string note)
    {
        var meeting = Meeting(language) with { Version = 3, CalendarEntryToWithdraw = true, LastChange = new MeetingChange([Meetings.Meeting.CalendarInvitationsField], null) };
        var email = Notice(meeting, Slots.Update);
        Assert.Contains(changed, email.Text);
        Assert.Contains(note, email.Text);
        var attachment = Assert.Single(email.Attachments);
        Assert.Equal("text/calendar; method=CANCEL; charset=utf-8", attachment.ContentType);
        var calendarEvent = Assert.Single(Ical.Net.Calendar.Load(Encoding.UTF8.GetString(attachment.Content))!.Events);
        Assert.Equal("m1@summit-followups", calendarEvent.Uid);
        Assert.Equal(2, calendarEvent.Sequence); // after every REQUEST we sent
        Assert.Contains(Links.Acknowledge, email.Text); // the meeting goes on: the links stay
    }

    [Fact]
    public void TheInvitationOfCalendarInvitationsSwitchedOnCarriesTheEntryAndWhatElseChanged()
    {
        var meeting = Meeting("en", calendarInvitations: true) with
        {
            Version = 2,
            LastChange = new MeetingChange([Meetings.Meeting.CalendarInvitationsField, "start"], new DateTimeOffset(2026, 12, 9, 1, 0, 0, TimeSpan.Zero)),
        };
        var email = Notice(meeting, Slots.Invitation);
        Assert.Equal("Invitation: Biotech working group", email.Subject);
        Assert.Contains("What changed: time\n", email.Text.ReplaceLineEndings("\n")); // not the switch itself: the attachment is that
        Assert.Contains("Previously: Wednesday 9 December 2026, 04:00 (Europe/Istanbul, UTC+03:00)", email.Text);
        Assert.Contains("<strong>What changed:</strong> time", email.Html);
        var calendar = Ical.Net.Calendar.Load(Encoding.UTF8.GetString(Assert.Single(email.Attachments).Content))!;
        Assert.Equal("REQUEST", calendar.Method);
        Assert.Equal(1, calendar.Events.Single().Sequence);
    }

    [Fact]
    public void AFirstInvitationSaysNothingChanged()
    {
        var email = Notice(Meeting("en", calendarInvitations: true), Slots.Invitation);
        Assert.DoesNotContain("What changed", email.Text);
        Assert.DoesNotContain("What changed", email.Html);
    }

    [Fact]
    public void SendGridTemplatesGetTheSameWordsAndNoAttachment()
    {
        var meeting = Meeting("tr") with { UseSendGridTemplates = true };
        foreach (var email in new[] { Notice(meeting, Slots.Invitation), Reminder(meeting), Notice(meeting with { Status = MeetingStatus.Cancelled }, Slots.Cancellation) })
        {
            Assert.Empty(email.Attachments);
            Assert.NotNull(email.Template);
        }
        var invitation = Notice(meeting, Slots.Invitation);
        Assert.Equal(NoCalendarText.Turkish.InvitationNote, invitation.Template!.Data["note"]);
        Assert.False(Reminder(meeting).Template!.Data.ContainsKey("invite_note"));
    }
}
