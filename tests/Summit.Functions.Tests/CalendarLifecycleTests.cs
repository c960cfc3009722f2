using Microsoft.Azure.Functions.Worker;
using System.Text;
using Ical.Net;
using Summit.Functions.Pipeline;
using Summit.TestSupport.SendGrid;

namespace Summit.Functions.Tests;

/// <summary>
/// The calendar entry participants keep, through a meeting's life: an invitation on registration, an update on a change
/// they can see, a cancellation — each its own email with an .ics that calendars apply in order.
/// </summary>
public sealed class CalendarLifecycleTests : AppTest
{
    private static Calendar Ics(RecordedMail mail)
    {
        var attachment = mail.Attachment();
        return Ical.Net.Calendar.Load(Encoding.UTF8.GetString(Convert.FromBase64String(attachment.GetProperty("content").GetString()!)))!;
    }

    private IReadOnlyList<RecordedMail> To(string email) =>
        App.SendGrid.Accepted.Where(m => m.To == email && !m.Categories.Contains("reminder")).ToList();

    [Fact]
    public async Task CreateRescheduleCancelKeepsOneUidRaisesTheSequenceAndEndsWithACancel()
    {
        var id = await Api.CreateIdAsync(Api.Meeting(offsets: ["P1D", "PT2H"]));
        await App.RunTimersAsync();
        var etag = (await Api.GetAsync(id)).Header("ETag");
        Assert.Equal(200, (await Api.UpdateAsync(id, Api.Meeting(start: "2026-12-11T15:00", offsets: ["P1D", "PT2H"]), etag)).Status);
        await App.RunTimersAsync();
        Assert.Equal(200, (await Api.CancelAsync(id)).Status);
        await App.RunTimersAsync();
        await App.RunTimersAsync(); // nothing is sent twice

        foreach (var participant in new[] { "ayse@example.org", "seoyeon@example.org" })
        {
            var mails = To(participant);
            Assert.Equal(["invitation", "update", "cancellation"], mails.Select(m => m.Categories[0]));
            var calendars = mails.Select(Ics).ToList();
            Assert.Equal(["REQUEST", "REQUEST", "CANCEL"], calendars.Select(c => c.Method));
            var events = calendars.Select(c => Assert.Single(c.Events)).ToList();
            Assert.All(events, e => Assert.Equal($"{id}@summit-followups", e.Uid));
            Assert.Equal([0, 1, 2], events.Select(e => e.Sequence));
            Assert.Equal("CANCELLED", events[2].Status);
            Assert.Equal(["text/calendar; method=REQUEST", "text/calendar; method=REQUEST", "text/calendar; method=CANCEL"],
                mails.Select(m => m.Attachment().GetProperty("type").GetString()));
            foreach (var (calendar, calendarEvent) in calendars.Zip(events))
            {
                Assert.Contains(calendar.TimeZones, tz => tz.TzId == "Asia/Seoul");
                Assert.Equal("mailto:coordinator@example.org", calendarEvent.Organizer!.Value!.ToString());
                Assert.Equivalent(new[] { "mailto:ayse@example.org", "mailto:seoyeon@example.org" }, calendarEvent.Attendees.Select(a => a.Value!.ToString()));
                Assert.Equal(2, calendarEvent.Alarms.Count); // one per reminder offset
            }
            Assert.Equal(new DateTime(2026, 12, 10, 10, 0, 0), events[0].DtStart!.Value);
            Assert.Equal(new DateTime(2026, 12, 11, 15, 0, 0), events[1].DtStart!.Value);
        }

        var ayse = To("ayse@example.org");
        Assert.Equal("Toplantı daveti: Joint Economic Committee — restart session", ayse[0].Subject);
        Assert.Equal("Güncellendi: Joint Economic Committee — restart session", ayse[1].Subject);
        Assert.Contains("Değişenler:</strong> saat", ayse[1].Content("text/html"));
        Assert.Contains("10 Aralık 2026 Perşembe, 04:00 (Europe/Istanbul, UTC+03:00)", ayse[1].Content("text/plain")); // the old time, in her zone
        Assert.Equal("İptal edildi: Joint Economic Committee — restart session", ayse[2].Subject);
        Assert.Equal("Cancelled: Joint Economic Committee — restart session", To("seoyeon@example.org")[2].Subject);

        // The coordinator sees every notice and its state; no reminder went out after the cancellation.
        var notices = (await Api.GetAsync(id)).Json.GetProperty("notices").EnumerateArray().ToList();
        Assert.Equal(6, notices.Count);
        Assert.All(notices, n => Assert.Equal("sent", n.GetProperty("state").GetString()));
        await App.RunTimersAsync(new DateTimeOffset(2026, 12, 10, 6, 0, 0, TimeSpan.Zero));
        Assert.Empty(App.SendGrid.Reminders);
    }

    [Fact]
    public async Task AChangeParticipantsCannotSeeSendsNoUpdate()
    {
        var id = await Api.CreateIdAsync(Api.Meeting(offsets: ["P1D", "PT2H"]));
        await App.RunTimersAsync();
        var etag = (await Api.GetAsync(id)).Header("ETag");
        Assert.Equal(200, (await Api.UpdateAsync(id, Api.Meeting(offsets: ["P1D"]), etag)).Status); // only the reminder offsets
        await App.RunTimersAsync();

        Assert.Equal(2, App.SendGrid.AcceptedOf("invitation").Count);
        Assert.Empty(App.SendGrid.AcceptedOf("update"));
    }

    [Fact]
    public async Task AnUnsubscribedParticipantGetsNoUpdateAnAcknowledgedOneStillDoes()
    {
        var id = await Api.CreateIdAsync(Api.Meeting(offsets: ["P1D"]));
        await App.RunTimersAsync();
        var invitationTo = (string email) => App.SendGrid.AcceptedOf("invitation").Single(m => m.To == email);
        // Both links are in the invitation already: acknowledging there spares the participant every reminder.
        Assert.Equal(200, (await Api.FollowAsync(invitationTo("ayse@example.org").Link("/api/p/unsubscribe"))).Status);
        Assert.Equal(200, (await Api.FollowAsync(invitationTo("seoyeon@example.org").Link("/api/p/acknowledge"))).Status);

        var etag = (await Api.GetAsync(id)).Header("ETag");
        Assert.Equal(200, (await Api.UpdateAsync(id, Api.Meeting(offsets: ["P1D"], title: "JEC restart — moved to the large hall"), etag)).Status);
        await App.RunTimersAsync();

        Assert.Equal("seoyeon@example.org", Assert.Single(App.SendGrid.AcceptedOf("update")).To);
        var notices = (await Api.GetAsync(id)).Json.GetProperty("notices").EnumerateArray().ToList();
        var skipped = Assert.Single(notices, n => n.GetProperty("kind").GetString() == "update" && n.GetProperty("state").GetString() == "skipped");
        Assert.Equal("the participant unsubscribed from this meeting", skipped.GetProperty("reason").GetString());
    }


    [Fact]
    public async Task AParticipantTakenOffTheListGetsACancellationForTheirCalendarTheOthersAnUpdate()
    {
        var id = await Api.CreateIdAsync(Api.Meeting(offsets: ["P1D"]));
        await App.RunTimersAsync();
        var onlySeoyeon = new object[] { new { name = "Lee Seo-yeon", email = "seoyeon@example.org" } };
        var etag = (await Api.GetAsync(id)).Header("ETag");
        Assert.Equal(200, (await Api.UpdateAsync(id, Api.Meeting(offsets: ["P1D"], participants: onlySeoyeon), etag)).Status);
        await App.RunTimersAsync();
        await App.RunTimersAsync();

        var removal = Assert.Single(App.SendGrid.AcceptedOf("removal"));
        Assert.Equal("ayse@example.org", removal.To);
        Assert.Equal("Katılımcı listesinden çıkarıldınız: Joint Economic Committee — restart session", removal.Subject);
        var calendar = Ics(removal);
        Assert.Equal("CANCEL", calendar.Method);
        var cancelled = Assert.Single(calendar.Events);
        Assert.Equal($"{id}@summit-followups", cancelled.Uid);
        Assert.Equal(1, cancelled.Sequence);
        Assert.Equal("mailto:ayse@example.org", Assert.Single(cancelled.Attendees).Value!.ToString()); // only her entry goes
        var update = Assert.Single(App.SendGrid.AcceptedOf("update"));
        Assert.Equal("seoyeon@example.org", update.To);
        Assert.Equal("REQUEST", Ics(update).Method);

        // Her reminders stop with the removal.
        await App.RunTimersAsync(new DateTimeOffset(2026, 12, 9, 1, 0, 30, TimeSpan.Zero));
        Assert.Equal(["seoyeon@example.org"], App.SendGrid.Reminders.Select(m => m.To));
    }

    [Fact]
    public async Task SomeoneAddedBackBeforeTheRemovalWentOutGetsNoCancellation()
    {
        var id = await Api.CreateIdAsync(Api.Meeting(offsets: ["P1D"]));
        await App.RunTimersAsync();
        var onlySeoyeon = new object[] { new { name = "Lee Seo-yeon", email = "seoyeon@example.org" } };
        Assert.Equal(200, (await Api.UpdateAsync(id, Api.Meeting(offsets: ["P1D"], participants: onlySeoyeon), (await Api.GetAsync(id)).Header("ETag"))).Status);
        Assert.Equal(200, (await Api.UpdateAsync(id, Api.Meeting(offsets: ["P1D"]), (await Api.GetAsync(id)).Header("ETag"))).Status);
        await App.RunTimersAsync();

        Assert.Empty(App.SendGrid.AcceptedOf("removal"));
        Assert.DoesNotContain((await Api.GetAsync(id)).Json.GetProperty("notices").EnumerateArray(), n => n.GetProperty("kind").GetString() == "removal");
        await App.RunTimersAsync(new DateTimeOffset(2026, 12, 9, 1, 0, 30, TimeSpan.Zero));
        Assert.Contains(App.SendGrid.Reminders, m => m.To == "ayse@example.org"); // back on the list, reminded as before
    }

    [Fact]
    public async Task ARemovalAlreadyQueuedWhenTheParticipantIsAddedBackIsSkipped()
    {
        var id = await Api.CreateIdAsync(Api.Meeting(offsets: ["P1D"]));
        await App.RunTimersAsync();
        var onlySeoyeon = new object[] { new { name = "Lee Seo-yeon", email = "seoyeon@example.org" } };
        Assert.Equal(200, (await Api.UpdateAsync(id, Api.Meeting(offsets: ["P1D"], participants: onlySeoyeon), (await Api.GetAsync(id)).Header("ETag"))).Status);
        await App.Function<ReminderTimers>().ScheduleDueReminders(new TimerInfo(), default); // queued, not yet delivered
        Assert.Equal(200, (await Api.UpdateAsync(id, Api.Meeting(offsets: ["P1D"]), (await Api.GetAsync(id)).Header("ETag"))).Status);
        await App.RunTimersAsync();

        Assert.Empty(App.SendGrid.AcceptedOf("removal"));
        var notice = Assert.Single((await Api.GetAsync(id)).Json.GetProperty("notices").EnumerateArray(), n => n.GetProperty("kind").GetString() == "removal");
        Assert.Equal("skipped", notice.GetProperty("state").GetString());
        Assert.Equal("the participant was added back to the meeting", notice.GetProperty("reason").GetString());
    }
}
