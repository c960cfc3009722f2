using Summit.TestSupport.SendGrid;

namespace Summit.Functions.Tests;

/// <summary>The coordinator's one email before the start, listing who has not acknowledged and what became of their reminders.</summary>
public sealed class EscalationTests : AppTest
{
    // Api.Meeting(): 2026-12-10 10:00 Seoul = 01:00 UTC. P1D reminder due 12-09 01:00 UTC; escalation PT12H due 12-09 13:00 UTC.
    private static readonly DateTimeOffset ReminderDue = new(2026, 12, 9, 1, 0, 30, TimeSpan.Zero);
    private static readonly DateTimeOffset EscalationDue = new(2026, 12, 9, 13, 0, 30, TimeSpan.Zero);

    private static object Meeting(string? coordinatorLanguage = null) => Api.With(Api.Meeting(offsets: ["P1D"]), new Dictionary<string, object?>
    {
        ["escalateBefore"] = "PT12H",
        ["coordinator"] = new { name = "Kim Min-jun", email = "coordinator@example.org", language = coordinatorLanguage },
    });

    private async Task AcknowledgeAsync(string email) =>
        Assert.Equal(200, (await Api.FollowAsync(App.SendGrid.Reminders.Last(m => m.To == email).Link("/api/p/acknowledge"))).Status);

    [Fact]
    public async Task TheCoordinatorGetsOneEmailListingOnlyThoseWhoHaveNotAcknowledgedWithTheirDeliveryState()
    {
        var id = await Api.CreateIdAsync(Meeting());
        Assert.Equal("PT12H", (await Api.GetAsync(id)).Json.GetProperty("escalateBefore").GetString());
        await App.RunTimersAsync(ReminderDue);
        await AcknowledgeAsync("ayse@example.org");

        await App.RunTimersAsync(EscalationDue.AddMinutes(-2));
        Assert.Empty(App.SendGrid.AcceptedOf("escalation")); // not before its moment
        await App.RunTimersAsync(EscalationDue);
        await App.RunTimersAsync(EscalationDue.AddMinutes(5));

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
        await App.RunTimersAsync(ReminderDue);
        await App.RunTimersAsync(EscalationDue);

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
        await App.RunTimersAsync(ReminderDue);
        await AcknowledgeAsync("ayse@example.org");
        await AcknowledgeAsync("seoyeon@example.org");
        await App.RunTimersAsync(EscalationDue);

        Assert.Empty(App.SendGrid.AcceptedOf("escalation"));
        var notice = Assert.Single((await Api.GetAsync(id)).Json.GetProperty("notices").EnumerateArray(), n => n.GetProperty("kind").GetString() == "escalation");
        Assert.Equal("skipped", notice.GetProperty("state").GetString());
        Assert.Equal("every participant had acknowledged", notice.GetProperty("reason").GetString());
    }
}
