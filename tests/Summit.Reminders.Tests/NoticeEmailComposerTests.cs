using System.Text;
using Ical.Net;
using Summit.Reminders.Delivery;
using Summit.Reminders.Email;
using Summit.Reminders.Meetings;
using Summit.Reminders.Participation;
using Summit.Reminders.Notifications;

namespace Summit.Reminders.Tests;

public class NoticeEmailComposerTests
{
    private static readonly DateTimeOffset Now = new(2026, 12, 1, 9, 0, 0, TimeSpan.Zero);
    private static readonly LinkPair Links = new("https://x.example/api/p/acknowledge?token=a", "https://x.example/api/p/unsubscribe?token=u");

    private static Meeting Meeting(string? language) => new()
    {
        Id = "m1",
        Title = "Biotech <i>working</i> group",
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
    };

    private static EmailMessage Compose(Meeting meeting, string slot) =>
        NoticeEmailComposer.Compose(meeting, meeting.Participants[0], new ReminderMessage($"m1.plan1.{slot}.pa", "m1", "plan1", 1, slot, "pa", Now), Now, Links);

    [Theory]
    [InlineData(null, "invite", "Invitation: Biotech <i>working</i> group")]
    [InlineData("ko", "invite", "회의 초대: Biotech <i>working</i> group")]
    [InlineData("tr", "update", "Güncellendi: Biotech <i>working</i> group")]
    [InlineData("en", "cancel", "Cancelled: Biotech <i>working</i> group")]
    public void EachNoticeIsInTheParticipantsLanguageWithMarkupShownAsText(string? language, string slot, string subject)
    {
        var email = Compose(Meeting(language), slot);
        Assert.Equal(subject, email.Subject);
        Assert.Contains("Biotech &lt;i&gt;working&lt;/i&gt; group", email.Html);
        Assert.DoesNotContain("<i>", email.Html);
        Assert.Equal([Slots.Category(Slots.KindOf(slot)), "biotechnology"], email.Categories);
    }

    [Fact]
    public void ACancellationCarriesMethodCancelAndNoLinks()
    {
        var email = Compose(Meeting("en") with { Status = MeetingStatus.Cancelled, Version = 4 }, Slots.Cancellation);
        var attachment = Assert.Single(email.Attachments);
        Assert.Equal("text/calendar; method=CANCEL; charset=utf-8", attachment.ContentType);
        var calendar = Ical.Net.Calendar.Load(Encoding.UTF8.GetString(attachment.Content))!;
        Assert.Equal("CANCEL", calendar.Method);
        Assert.Equal(3, Assert.Single(calendar.Events).Sequence);
        Assert.DoesNotContain("/api/p/", email.Html);
        Assert.Empty(email.Headers);
    }

    [Fact]
    public void AnInvitationLetsTheParticipantAcknowledgeAtOnce()
    {
        var email = Compose(Meeting("en"), Slots.Invitation);
        Assert.Contains(Links.Acknowledge, email.Text);
        Assert.Contains(Links.Unsubscribe, email.Text);
        Assert.Equal($"<{Links.Unsubscribe}>", email.Headers["List-Unsubscribe"]);
        Assert.Equal("REQUEST", Ical.Net.Calendar.Load(Encoding.UTF8.GetString(Assert.Single(email.Attachments).Content))!.Method);
    }

    [Fact]
    public void AnUpdateSaysWhatChangedAndShowsTheOldTimeInTheParticipantsZone()
    {
        var meeting = Meeting("en") with { Version = 2, LastChange = new MeetingChange(["start", "location"], new DateTimeOffset(2026, 12, 9, 1, 0, 0, TimeSpan.Zero)) };
        var email = Compose(meeting, Slots.Update);
        Assert.Contains("What changed: time, place", email.Text);
        Assert.Contains("Previously: Wednesday 9 December 2026, 04:00 (Europe/Istanbul, UTC+03:00)", email.Text);
        Assert.Equal(1, Ical.Net.Calendar.Load(Encoding.UTF8.GetString(Assert.Single(email.Attachments).Content))!.Events.Single().Sequence);
    }
}
