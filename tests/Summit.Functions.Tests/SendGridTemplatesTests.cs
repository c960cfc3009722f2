
namespace Summit.Functions.Tests;

/// <summary>A coordinator's choice of SendGrid dynamic templates, through the whole pipeline.</summary>
public sealed class SendGridTemplatesTests : AppTest
{
    private const string ReminderTemplate = "d-11111111111111111111111111111111";
    private const string InvitationTemplate = "d-22222222222222222222222222222222";

    protected override void Configure(Dictionary<string, string?> settings)
    {
        settings["SendGrid:DynamicTemplates:reminder"] = ReminderTemplate;
        settings["SendGrid:DynamicTemplates:invitation"] = InvitationTemplate;
    }

    private static Dictionary<string, object?> Meeting(bool useTemplates) =>
        Api.With(Api.Meeting(offsets: ["P1D"]), new Dictionary<string, object?> { ["useSendGridTemplates"] = useTemplates });

    [Fact]
    public async Task AMeetingThatOptsInIsSentWithTheTemplatesAndTheSameDataOthersKeepTheBuiltInOnes()
    {
        var id = await Api.CreateIdAsync(Meeting(useTemplates: true));
        var plain = await Api.CreateIdAsync(Meeting(useTemplates: false));
        Assert.True((await Api.GetAsync(id)).Json.GetProperty("useSendGridTemplates").GetBoolean());
        await App.RunTimersAsync(new DateTimeOffset(2026, 12, 9, 1, 0, 30, TimeSpan.Zero));

        var mine = App.SendGrid.Accepted.Where(m => m.CustomArg("meeting_id") == id).ToList();
        var reminder = mine.Single(m => m.Categories.Contains("reminder") && m.To == "ayse@example.org");
        Assert.Equal(ReminderTemplate, reminder.Body.GetProperty("template_id").GetString());
        var data = reminder.Body.GetProperty("personalizations")[0].GetProperty("dynamic_template_data");
        // The same words our own template would have used, in Ayşe's language, with her personal links.
        Assert.Equal("Sayın Ayşe Yılmaz,", data.GetProperty("greeting").GetString());
        Assert.Equal("tr", data.GetProperty("lang").GetString());
        Assert.StartsWith(TestApp.LinkBaseUrl + "/api/p/acknowledge?token=", data.GetProperty("ack_url").GetString());
        Assert.Equal(reminder.Subject, data.GetProperty("subject").GetString());
        // The track in her language too, with its id for templates that branch on it (issue 19).
        Assert.Equal("Türkiye-Kore Karma Ekonomik Komisyonu", data.GetProperty("track").GetString());
        Assert.Equal("joint-economic-committee", data.GetProperty("track_id").GetString());

        var invitation = mine.Single(m => m.Categories.Contains("invitation") && m.To == "ayse@example.org");
        Assert.Equal(InvitationTemplate, invitation.Body.GetProperty("template_id").GetString());

        Assert.All(App.SendGrid.Accepted.Where(m => m.CustomArg("meeting_id") == plain), m =>
        {
            Assert.False(m.Body.TryGetProperty("template_id", out _));
            Assert.Contains("<html lang=", m.Content("text/html"));
        });
    }
}
