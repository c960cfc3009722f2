using Summit.Functions.Pipeline;
using Summit.TestSupport.SendGrid;

namespace Summit.Functions.Tests;

/// <summary>The coordinator's one email before the start, listing who has not acknowledged and what became of their reminders.</summary>
public sealed class EscalationTests : AppTest
{
    // Api.Meeting(): 2026-12-10 10:00 Seoul = 01:00 UTC. P1D reminder due 12-09 01:00 UTC; escalation PT12H due 12-09 13:00 UTC.
    private static readonly DateTimeOffset ReminderDue = new(2026, 12, 9, 1, 0, 30, TimeSpan.Zero);
    private static readonly DateTimeOffset EscalationDue = new(2026, 12, 9, 13, 0, 30, TimeSpan.Zero);

    private static object Meeting(string? coordinatorLanguage = null) => WithEscalation(Api.Meeting(offsets: ["P1D"]), "PT12H", coordinatorLanguage);

    private static Dictionary<string, object?> WithEscalation(object meeting, string before, string? coordinatorLanguage)
    {
        var body = System.Text.Json.JsonSerializer.Deserialize<Dictionary<string, object?>>(
            System.Text.Json.JsonSerializer.Serialize(meeting, new System.Text.Json.JsonSerializerOptions(System.Text.Json.JsonSerializerDefaults.Web)))!;
        body["escalateBefore"] = before;
        body["coordinator"] = new { name = "Kim Min-jun", email = "coordinator@example.org", language = coordinatorLanguage };
        return body;
    }

    private async Task RunBothTimersAtAsync(DateTimeOffset at)
    {
        App.Time.SetUtcNow(at);
        await Task.Delay(50);
        var timers = App.Function<ReminderTimers>();
        await timers.ScheduleDueReminders(null!, default);
        await Task.Delay(50);
        await timers.DeliverReminders(null!, default);
    }

    private async Task AcknowledgeAsync(string email)
    {
        var link = new Uri(App.SendGrid.Reminders.Last(m => m.To == email).Link("/api/p/acknowledge"));
        var answer = await App.CallAsync("POST", link.PathAndQuery, r => App.Function<Participants.ParticipantLinksApi>().Confirm(r, "acknowledge", default),
            rawBody: "", contentType: "application/x-www-form-urlencoded");
        Assert.Equal(200, answer.Status);
    }

    [Fact]
    public async Task TheCoordinatorGetsOneEmailListingOnlyThoseWhoHaveNotAcknowledgedWithTheirDeliveryState()
    {
        var id = await Api.CreateIdAsync(Meeting());
        Assert.Equal("PT12H", (await Api.GetAsync(id)).Json.GetProperty("escalateBefore").GetString());
        await RunBothTimersAtAsync(ReminderDue);
        await AcknowledgeAsync("ayse@example.org");

        await RunBothTimersAtAsync(EscalationDue.AddMinutes(-2));
        Assert.Empty(App.SendGrid.AcceptedOf("escalation")); // not before its moment
        await RunBothTimersAtAsync(EscalationDue);
        await RunBothTimersAtAsync(EscalationDue.AddMinutes(5));

        var mail = Assert.Single(App.SendGrid.AcceptedOf("escalation"));
        Assert.Equal("coordinator@example.org", mail.To);
        Assert.Equal("Not yet acknowledged: Joint Economic Committee — restart session — 1 of 2 participants", mail.Subject);
        var text = mail.Content("text/plain");
        Assert.Contains("- Lee Seo-yeon <seoyeon@example.org> — last reminder sent Wednesday 9 December 2026, 10:00 (Asia/Seoul, UTC+09:00)", text);
        Assert.DoesNotContain("ayse@example.org", text);
        Assert.Contains("<strong>Lee Seo-yeon</strong> &lt;seoyeon@example.org&gt;", mail.Content("text/html"));
        var notice = Assert.Single((await Api.GetAsync(id)).Json.GetProperty("notices").EnumerateArray(), n => n.GetProperty("kind").GetString() == "escalation");
        Assert.Equal("sent", notice.GetProperty("state").GetString());
        Assert.Equal("coordinator", notice.GetProperty("recipientId").GetString());
    }

    [Fact]
    public async Task AFailedDeliveryIsNamedAndTheEmailIsInTheCoordinatorsLanguage()
    {
        App.SendGrid.Responder = body => body.GetProperty("personalizations")[0].GetProperty("to")[0].GetProperty("email").GetString() == "seoyeon@example.org"
            ? FakeAnswer.BadRequest("Does not contain a valid address.")
            : null;
        await Api.CreateIdAsync(Meeting(coordinatorLanguage: "ko"));
        await RunBothTimersAtAsync(ReminderDue);
        await RunBothTimersAtAsync(EscalationDue);

        var mail = Assert.Single(App.SendGrid.AcceptedOf("escalation"));
        Assert.Equal("미확인 참석자: Joint Economic Committee — restart session — 2명 중 2명", mail.Subject);
        var text = mail.Content("text/plain");
        Assert.Contains("Lee Seo-yeon <seoyeon@example.org> — 발송 실패 (SendGrid answered 400: personalizations.0.to.0.email: Does not contain a valid address.)", text);
        Assert.Contains("Ayşe Yılmaz <ayse@example.org> — 마지막 알림 발송: 2026년 12월 9일 수요일 10:00 (Asia/Seoul, UTC+09:00)", text);
    }

    [Fact]
    public async Task WhenEveryoneHasAcknowledgedNothingIsSent()
    {
        var id = await Api.CreateIdAsync(Meeting());
        await RunBothTimersAtAsync(ReminderDue);
        await AcknowledgeAsync("ayse@example.org");
        await AcknowledgeAsync("seoyeon@example.org");
        await RunBothTimersAtAsync(EscalationDue);

        Assert.Empty(App.SendGrid.AcceptedOf("escalation"));
        var notice = Assert.Single((await Api.GetAsync(id)).Json.GetProperty("notices").EnumerateArray(), n => n.GetProperty("kind").GetString() == "escalation");
        Assert.Equal("skipped", notice.GetProperty("state").GetString());
        Assert.Equal("every participant had acknowledged", notice.GetProperty("reason").GetString());
    }
}
