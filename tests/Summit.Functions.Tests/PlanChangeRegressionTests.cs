using System.Text;
using Summit.TestSupport.SendGrid;

namespace Summit.Functions.Tests;

/// <summary>Calendar invitations switched off: our entry is withdrawn even when a second change or a cancellation overtakes
/// the update of the switch (found in review, issue 18).</summary>
public sealed class CalendarWithdrawalOvertakenTests : AppTest
{
    private static Dictionary<string, object?> Meeting(bool? calendarInvitations, string title = "Joint Economic Committee — restart session")
    {
        var body = Api.With(Api.Meeting(offsets: ["P1D", "PT2H"], title: title), new Dictionary<string, object?>());
        if (calendarInvitations is { } value) body["calendarInvitations"] = value;
        return body;
    }

    private static bool Cancels(RecordedMail mail) =>
        mail.Body.TryGetProperty("attachments", out var a) && a.GetArrayLength() > 0
        && Encoding.UTF8.GetString(Convert.FromBase64String(mail.Attachment().GetProperty("content").GetString()!)).Contains("METHOD:CANCEL");

    private async Task<int> UpdateAsync(string id, object body) =>
        (await Api.UpdateAsync(id, body, (await Api.GetAsync(id)).Header("ETag"))).Status;

    private string Sent() => string.Join("\n", App.SendGrid.Accepted.Select(m => $"{m.To} {m.Subject} cancel={Cancels(m)}"));

    [Fact]
    public async Task ASecondChangeBeforeTheSwitchesUpdateWentStillWithdrawsOurEntry()
    {
        var id = await Api.CreateIdAsync(Meeting(calendarInvitations: null));
        await App.RunTimersAsync();

        Assert.Equal(200, await UpdateAsync(id, Meeting(calendarInvitations: false)));
        Assert.Equal(200, await UpdateAsync(id, Meeting(calendarInvitations: null, title: "JEC restart"))); // before the next tick
        await App.RunTimersAsync();
        await App.RunTimersAsync();

        Assert.True(App.SendGrid.Accepted.Count(Cancels) == 2, "each participant gets one CANCEL for our entry:\n" + Sent());
    }

    [Fact]
    public async Task ACancellationBeforeTheSwitchesUpdateWentStillWithdrawsOurEntry()
    {
        var id = await Api.CreateIdAsync(Meeting(calendarInvitations: null));
        await App.RunTimersAsync();
        Assert.Equal(200, await UpdateAsync(id, Meeting(calendarInvitations: false)));
        Assert.Equal(200, (await Api.CancelAsync(id)).Status);
        await App.RunTimersAsync();
        await App.RunTimersAsync();

        Assert.True(App.SendGrid.Accepted.Count(Cancels) == 2, "each participant gets one CANCEL for our entry of the cancelled meeting:\n" + Sent());
    }
}

/// <summary>A change after a moved reminder: not sent twice, not lost (found in review, issue 18).</summary>
public sealed class MovedReminderAcrossAChangeTests : AppTest
{
    protected override void Configure(Dictionary<string, string?> settings)
    {
        settings["SendWindow:Start"] = "08:00";
        settings["SendWindow:End"] = "21:00";
    }

    private static DateTimeOffset Utc(int month, int day, int hour, int minute = 0) => new(2027, month, day, hour, minute, 0, TimeSpan.Zero);

    private async Task FixAgendaAsync(string id, object body, DateTimeOffset at)
    {
        App.Time.SetUtcNow(at);
        var changed = Api.With(body, new Dictionary<string, object?> { ["agenda"] = "Trade and investment work programme (fixed)" });
        Assert.Equal(200, (await Api.UpdateAsync(id, changed, (await Api.GetAsync(id)).Header("ETag"))).Status);
    }

    private int RemindersTo(string email) => App.SendGrid.Reminders.Count(m => m.To == email);

    [Fact]
    public async Task AnAgendaFixAfterAMovedReminderWentDoesNotSendItAgainAtNight()
    {
        // Seoul, Thursday 14 January 2027, 09:00: Ayşe's PT2H goes at 21:00 Istanbul (18:00 UTC), due 01:00 her time.
        var body = Api.Meeting(start: "2027-01-14T09:00", offsets: ["PT2H"]);
        var id = await Api.CreateIdAsync(body);
        await App.RunTimersAsync(Utc(1, 13, 18, 0));
        Assert.Equal(1, RemindersTo("ayse@example.org"));

        await FixAgendaAsync(id, body, Utc(1, 13, 19, 0)); // 22:00 Istanbul
        foreach (var at in new[] { Utc(1, 13, 19, 1), Utc(1, 13, 22, 0), Utc(1, 13, 22, 1), Utc(1, 13, 23, 0), Utc(1, 13, 23, 1) })
            await App.RunTimersAsync(at);

        Assert.Equal(1, RemindersTo("ayse@example.org"));
        Assert.Equal(1, RemindersTo("seoyeon@example.org")); // 08:00 Seoul, under the new plan
    }

    [Fact]
    public async Task AnAgendaFixBetweenTheDueAndTheMovedMomentKeepsTheReminder()
    {
        // Seo-yeon's PT2H is due 07:00 Seoul and moved to 08:00; the agenda is fixed at 07:30.
        var body = Api.Meeting(start: "2027-01-14T09:00", offsets: ["PT2H"]);
        var id = await Api.CreateIdAsync(body);
        await App.RunTimersAsync(Utc(1, 13, 18, 0));
        await App.RunTimersAsync(Utc(1, 13, 18, 1));

        await FixAgendaAsync(id, body, Utc(1, 13, 22, 30));
        await App.RunTimersAsync(Utc(1, 13, 23, 0));
        await App.RunTimersAsync(Utc(1, 13, 23, 1));

        Assert.Equal(1, RemindersTo("seoyeon@example.org"));
        Assert.Equal(1, RemindersTo("ayse@example.org"));
    }

    [Fact]
    public async Task ASendWindowReadBackFromAGetCanBePutBackUnchanged()
    {
        var body = Api.With(Api.Meeting(offsets: ["P1D"]), new Dictionary<string, object?> { ["sendWindow"] = new { start = "08:00", end = "21:00" } });
        var id = await Api.CreateIdAsync(body);
        var got = await Api.GetAsync(id);
        var window = got.Json.GetProperty("sendWindow");

        var back = Api.With(Api.Meeting(offsets: ["P1D"]), new Dictionary<string, object?> { ["sendWindow"] = System.Text.Json.JsonSerializer.Deserialize<object>(window.GetRawText()) });
        var answer = await Api.UpdateAsync(id, back, got.Header("ETag"));

        Assert.True(answer.Status == 200, $"{answer.Status}: {answer.Body}");
        Assert.Equal("""{"start":"08:00","end":"21:00","days":null}""", window.GetRawText());
    }
}
