using System.Text;
using Azure.Data.Tables;
using Ical.Net;
using Summit.Reminders.Infrastructure.Tables;
using Summit.TestSupport.SendGrid;

namespace Summit.Functions.Tests;

/// <summary>
/// Meetings registered without calendar invitations (<c>calendarInvitations: false</c>), through the whole pipeline: the
/// coordinator invites from their own calendar, so no email of ours carries an entry until the coordinator switches them
/// on, and switching them off withdraws the entry we sent.
/// </summary>
public sealed class CalendarInvitationsTests : AppTest
{
    private static Dictionary<string, object?> Meeting(bool? calendarInvitations, string title = "Joint Economic Committee — restart session")
    {
        var body = Api.With(Api.Meeting(offsets: ["P1D", "PT2H"], title: title), new Dictionary<string, object?>());
        if (calendarInvitations is { } value) body["calendarInvitations"] = value;
        return body;
    }

    private static Calendar Ics(RecordedMail mail) =>
        Ical.Net.Calendar.Load(Encoding.UTF8.GetString(Convert.FromBase64String(mail.Attachment().GetProperty("content").GetString()!)))!;

    private static bool HasAttachment(RecordedMail mail) => mail.Body.TryGetProperty("attachments", out var a) && a.GetArrayLength() > 0;

    private async Task<int> UpdateAsync(string id, object body) =>
        (await Api.UpdateAsync(id, body, (await Api.GetAsync(id)).Header("ETag"))).Status;

    [Fact]
    public async Task WithoutThemNothingCarriesACalendarAndSwitchingThemOnSendsEachParticipantTheInvitationOnce()
    {
        var id = await Api.CreateIdAsync(Meeting(calendarInvitations: false));
        Assert.False((await Api.GetAsync(id)).Json.GetProperty("calendarInvitations").GetBoolean());
        Assert.False((await Api.ListAsync()).Json.GetProperty("items").EnumerateArray().Single(m => m.GetProperty("id").GetString() == id)
            .GetProperty("calendarInvitations").GetBoolean());
        await App.RunTimersAsync();

        // The invitation still goes: participants learn they are on the list and get their links, in words only.
        var plain = App.SendGrid.AcceptedOf("invitation");
        Assert.Equal(2, plain.Count);
        Assert.All(plain, m => Assert.False(HasAttachment(m)));
        var ayse = plain.Single(m => m.To == "ayse@example.org");
        Assert.Equal("Katılımcı listesindesiniz: Joint Economic Committee — restart session", ayse.Subject);
        Assert.Contains("bu nedenle bu e-postada takvim eki yoktur", ayse.Content("text/plain"));
        Assert.Contains("/api/p/acknowledge", ayse.Content("text/plain"));

        // An update says what changed and that it leaves the calendar alone. A PUT without the field keeps the setting:
        // switching sends or withdraws calendar entries, so it happens only when asked for.
        Assert.Equal(200, await UpdateAsync(id, Meeting(calendarInvitations: null, title: "JEC restart — moved to the large hall")));
        Assert.False((await Api.GetAsync(id)).Json.GetProperty("calendarInvitations").GetBoolean());
        await App.RunTimersAsync();
        var updates = App.SendGrid.AcceptedOf("update");
        Assert.Equal(2, updates.Count);
        Assert.All(updates, m => Assert.False(HasAttachment(m)));
        var update = updates.Single(m => m.To == "seoyeon@example.org").Content("text/plain");
        Assert.Contains("What changed: title", update);
        Assert.Contains("This email does not change your calendar", update);

        await App.RunTimersAsync(new DateTimeOffset(2026, 12, 9, 1, 0, 30, TimeSpan.Zero)); // P1D
        Assert.Equal(2, App.SendGrid.Reminders.Count);
        Assert.All(App.SendGrid.Reminders, m => Assert.False(HasAttachment(m)));
        Assert.DoesNotContain("calendar", App.SendGrid.Reminders.Single(m => m.To == "seoyeon@example.org").Content("text/plain"));

        // Switched on, with nothing else changed: the invitation with the calendar entry, once each, and no update.
        Assert.Equal(200, await UpdateAsync(id, Meeting(calendarInvitations: true, title: "JEC restart — moved to the large hall")));
        Assert.True((await Api.GetAsync(id)).Json.GetProperty("calendarInvitations").GetBoolean());
        await App.RunTimersAsync();
        await App.RunTimersAsync(); // nothing twice
        var invitations = App.SendGrid.AcceptedOf("invitation").Where(HasAttachment).ToList();
        Assert.Equal(["ayse@example.org", "seoyeon@example.org"], invitations.Select(m => m.To).Order());
        Assert.All(invitations, m =>
        {
            var calendar = Ics(m);
            Assert.Equal("REQUEST", calendar.Method);
            Assert.Equal($"{id}@summit-followups", Assert.Single(calendar.Events).Uid);
            Assert.Equal("text/calendar; method=REQUEST", m.Attachment().GetProperty("type").GetString());
            Assert.DoesNotContain("What changed", m.Content("text/plain"));
        });
        Assert.Equal("Invitation: JEC restart — moved to the large hall", invitations.Single(m => m.To == "seoyeon@example.org").Subject);
        Assert.Equal(4, App.SendGrid.AcceptedOf("invitation").Count);
        Assert.Equal(2, App.SendGrid.AcceptedOf("update").Count);
        var notices = (await Api.GetAsync(id)).Json.GetProperty("notices").EnumerateArray().ToList();
        Assert.Equal(4, notices.Count(n => n.GetProperty("kind").GetString() == "invitation" && n.GetProperty("state").GetString() == "sent"));

        // From now on reminders carry the entry again, and a cancellation removes it.
        await App.RunTimersAsync(new DateTimeOffset(2026, 12, 9, 23, 0, 30, TimeSpan.Zero)); // PT2H
        Assert.Equal(4, App.SendGrid.Reminders.Count);
        Assert.Equal(2, App.SendGrid.Reminders.Count(HasAttachment));
        Assert.Equal(200, (await Api.CancelAsync(id)).Status);
        await App.RunTimersAsync();
        Assert.All(App.SendGrid.AcceptedOf("cancellation"), m => Assert.Equal("CANCEL", Ics(m).Method));
        Assert.Equal(2, App.SendGrid.AcceptedOf("cancellation").Count);
    }

    [Fact]
    public async Task SwitchingThemOffWithdrawsTheEntryWeSentAndRemindersComeInWordsOnly()
    {
        var id = await Api.CreateIdAsync(Meeting(calendarInvitations: null)); // the default: with calendar invitations
        Assert.True((await Api.GetAsync(id)).Json.GetProperty("calendarInvitations").GetBoolean());
        await App.RunTimersAsync();
        Assert.All(App.SendGrid.AcceptedOf("invitation"), m => Assert.Equal("REQUEST", Ics(m).Method));

        Assert.Equal(200, await UpdateAsync(id, Meeting(calendarInvitations: false)));
        await App.RunTimersAsync();
        var withdrawals = App.SendGrid.AcceptedOf("update");
        Assert.Equal(2, withdrawals.Count);
        Assert.All(withdrawals, m =>
        {
            var calendar = Ics(m);
            Assert.Equal("CANCEL", calendar.Method);
            Assert.Equal($"{id}@summit-followups", Assert.Single(calendar.Events).Uid);
            Assert.Equal(1, calendar.Events.Single().Sequence); // after the invitation's 0
        });
        var text = withdrawals.Single(m => m.To == "seoyeon@example.org").Content("text/plain");
        Assert.Contains("What changed: calendar invitation", text);
        Assert.Contains("the meeting itself still takes place", text);

        await App.RunTimersAsync(new DateTimeOffset(2026, 12, 9, 1, 0, 30, TimeSpan.Zero));
        Assert.Equal(2, App.SendGrid.Reminders.Count);
        Assert.All(App.SendGrid.Reminders, m => Assert.False(HasAttachment(m)));
        Assert.Equal(200, (await Api.CancelAsync(id)).Status);
        await App.RunTimersAsync();
        // While they stay off, the cancellation withdraws our entry again (the switch's update might have been overtaken).
        var cancellations = App.SendGrid.AcceptedOf("cancellation");
        Assert.Equal(2, cancellations.Count);
        Assert.All(cancellations, m => Assert.Equal("CANCEL", Ics(m).Method));
        Assert.DoesNotContain("This email does not change your calendar", cancellations.Single(m => m.To == "seoyeon@example.org").Content("text/plain"));
    }

    [Fact]
    public async Task NobodyIsToldOfTheCancellationOfAMeetingTheyWereNeverToldAbout()
    {
        var id = await Api.CreateIdAsync(Meeting(calendarInvitations: false));
        Assert.Equal(200, (await Api.CancelAsync(id)).Status);
        await App.RunTimersAsync();
        await App.RunTimersAsync();

        Assert.Empty(App.SendGrid.Accepted);
    }

    [Fact]
    public async Task AMeetingStoredBeforeTheFieldReadsAsHavingCalendarInvitations()
    {
        var id = await Api.CreateIdAsync(Meeting(calendarInvitations: null));
        var table = App.Get<SummitTables>().Meetings;
        var entity = (await table.GetEntityAsync<TableEntity>(id, "meeting")).Value;
        Assert.Equal(1, entity.GetInt32("DocChunks"));
        var json = entity.GetString("Doc0")!;
        Assert.Contains("\"calendarInvitations\":true", json);
        entity["Doc0"] = json.Replace(",\"calendarInvitations\":true", "", StringComparison.Ordinal);
        await table.UpdateEntityAsync(entity, entity.ETag, TableUpdateMode.Replace);

        Assert.True((await Api.GetAsync(id)).Json.GetProperty("calendarInvitations").GetBoolean());
        await App.RunTimersAsync();
        Assert.All(App.SendGrid.AcceptedOf("invitation"), m => Assert.Equal("REQUEST", Ics(m).Method));
    }
}
