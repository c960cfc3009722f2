using System.Text;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;
using Summit.Reminders.Email;
using Summit.Reminders.Infrastructure;
using Summit.Reminders.Ports;
using Summit.TestSupport.SendGrid;
using Microsoft.Extensions.Configuration;

namespace Summit.Functions.Tests;

/// <summary>The SendGrid adapter against a local endpoint that records requests and answers as scripted.</summary>
public sealed class SendGridEmailSenderTests : IAsyncLifetime
{
    private readonly FakeTimeProvider _time = new(new DateTimeOffset(2026, 11, 27, 12, 0, 0, TimeSpan.Zero));
    private FakeSendGrid _sendGrid = null!;
    private ServiceProvider _services = null!;

    public async Task InitializeAsync()
    {
        _sendGrid = await FakeSendGrid.StartAsync();
        _services = Services(timeout: TimeSpan.FromSeconds(30));
    }

    // A generous timeout everywhere but the timeout test: a first request on a busy CI machine can take
    // over a second (JIT, Kestrel warm-up), and that must not turn a scripted 429 into a timeout.
    private ServiceProvider Services(TimeSpan timeout, params (string Key, string Value)[] extra)
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(extra.Select(e => KeyValuePair.Create(e.Key, (string?)e.Value))).AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["SendGrid:ApiKey"] = "test-api-key",
            ["Email:FromEmail"] = "reminders@summit-followups.example",
            ["Email:FromName"] = "Summit reminders",
            ["SendGrid:Host"] = _sendGrid.BaseUrl,
            ["SendGrid:Timeout"] = timeout.ToString("c"),
            ["SendGrid:DynamicTemplates:reminder"] = "d-0123456789abcdef0123456789abcdef",
        }).Build();
        return new ServiceCollection()
            .AddSingleton<IConfiguration>(configuration)
            .AddSingleton<TimeProvider>(_time)
            .AddSendGridEmail()
            .BuildServiceProvider();
    }

    public async Task DisposeAsync()
    {
        await _services.DisposeAsync();
        await _sendGrid.DisposeAsync();
    }

    private IEmailSender Sender => _services.GetRequiredService<IEmailSender>();

    private static EmailMessage Email() => new(
        new EmailAddress("ayse@example.org", "Ayşe Yılmaz"), "Reminder: JEC starts in 2 hours", "<p>html</p>", "text",
        [new EmailAttachment("invite.ics", "text/calendar; method=REQUEST; charset=utf-8", Encoding.UTF8.GetBytes("BEGIN:VCALENDAR\r\nEND:VCALENDAR\r\n"))],
        ["reminder", "nuclear-energy"],
        new Dictionary<string, string> { ["reminder_id"] = "m1.p1.PT2H.pa", ["meeting_id"] = "m1" })
    {
        ReplyTo = new EmailAddress("yuna@example.org", "Choi Yuna"),
    };

    [Fact]
    public async Task SendsOnePersonalizationWithCustomArgsCategoriesBothBodiesAndTheInvitation()
    {
        var result = await Sender.SendAsync(Email(), default);

        var accepted = Assert.IsType<SendResult.Accepted>(result);
        Assert.StartsWith("fake-", accepted.ProviderMessageId);
        var mail = Assert.Single(_sendGrid.Requests);
        Assert.Equal("Bearer test-api-key", mail.Authorization);
        Assert.Equal("ayse@example.org", mail.To);
        Assert.Equal("Reminder: JEC starts in 2 hours", mail.Subject);
        Assert.Equal("m1.p1.PT2H.pa", mail.CustomArg("reminder_id"));
        Assert.Equal(["reminder", "nuclear-energy"], mail.Categories);
        Assert.Equal("text", mail.Content("text/plain"));
        Assert.Equal("<p>html</p>", mail.Content("text/html"));
        Assert.Equal("Summit reminders", mail.Body.GetProperty("from").GetProperty("name").GetString());
        var attachment = mail.Attachment();
        Assert.Equal("text/calendar; method=REQUEST", attachment.GetProperty("type").GetString());
        Assert.StartsWith("BEGIN:VCALENDAR", Encoding.UTF8.GetString(Convert.FromBase64String(attachment.GetProperty("content").GetString()!)));
    }

    [Fact]
    public async Task A400IsPermanentWithSendGridsReason()
    {
        _sendGrid.Script(FakeAnswer.BadRequest("Does not contain a valid address."));
        var result = Assert.IsType<SendResult.Permanent>(await Sender.SendAsync(Email(), default));
        Assert.Contains("400", result.Reason);
        Assert.Contains("Does not contain a valid address.", result.Reason);
        Assert.Single(_sendGrid.Requests); // the client's own retry is off
    }

    [Fact]
    public async Task AnAddressSendGridQuotesInItsErrorStaysOutOfTheReason()
    {
        _sendGrid.Script(FakeAnswer.BadRequest("The to address ayse.yilmaz@ticaret.example.org is on a bounce list."));
        var result = Assert.IsType<SendResult.Permanent>(await Sender.SendAsync(Email(), default));
        Assert.Contains("The to address [address] is on a bounce list.", result.Reason);
        Assert.DoesNotContain("@", result.Reason);
    }

    [Fact]
    public async Task A429IsRateLimitedUntilTheResetHeader()
    {
        var reset = new DateTimeOffset(2026, 11, 27, 12, 5, 0, TimeSpan.Zero);
        _sendGrid.Script(FakeAnswer.TooManyRequests(reset));
        var result = Assert.IsType<SendResult.RateLimited>(await Sender.SendAsync(Email(), default));
        Assert.Equal(reset, result.RetryAt);
        Assert.Single(_sendGrid.Requests);
    }

    [Theory]
    [InlineData(500)]
    [InlineData(503)]
    public async Task A5xxIsTransient(int status)
    {
        _sendGrid.Script(FakeAnswer.ServerError(status));
        var result = Assert.IsType<SendResult.Transient>(await Sender.SendAsync(Email(), default));
        Assert.False(result.MayHaveBeenAccepted);
        Assert.Single(_sendGrid.Requests);
    }

    [Fact]
    public async Task ATimeoutIsTransientAndFlaggedAsPossiblyAccepted()
    {
        await using var services = Services(timeout: TimeSpan.FromSeconds(1));
        _sendGrid.Script(new FakeAnswer(202, Delay: TimeSpan.FromSeconds(60)));
        var sender = services.GetRequiredService<IEmailSender>();
        var result = Assert.IsType<SendResult.Transient>(await sender.SendAsync(Email(), default));
        Assert.True(result.MayHaveBeenAccepted);
    }

    [Fact]
    public async Task AMeetingThatAsksForDynamicTemplatesIsSentWithTheTemplateIdAndTheSameDataAsDynamicTemplateData()
    {
        var data = ProviderTemplate.From("reminder", new Dictionary<string, string?> { ["subject"] = "Reminder: JEC starts in 2 hours", ["greeting"] = "Dear Ayşe,", ["agenda"] = null },
            new Dictionary<string, IReadOnlyList<IReadOnlyDictionary<string, string>>> { ["people"] = [new Dictionary<string, string> { ["name"] = "Lee <b>" }] });
        Assert.IsType<SendResult.Accepted>(await Sender.SendAsync(Email() with { Template = data }, default));

        var mail = Assert.Single(_sendGrid.Requests);
        Assert.Equal("d-0123456789abcdef0123456789abcdef", mail.Body.GetProperty("template_id").GetString());
        var sent = mail.Body.GetProperty("personalizations")[0].GetProperty("dynamic_template_data");
        Assert.Equal("Dear Ayşe,", sent.GetProperty("greeting").GetString());
        Assert.Equal("Reminder: JEC starts in 2 hours", sent.GetProperty("subject").GetString());
        Assert.False(sent.TryGetProperty("agenda", out _)); // absent values stay absent, as in our own templates
        Assert.Equal("Lee <b>", sent.GetProperty("people")[0].GetProperty("name").GetString()); // text: Handlebars escapes it
        Assert.False(mail.Body.TryGetProperty("content", out _)); // the template renders the body
        Assert.Equal("m1.p1.PT2H.pa", mail.CustomArg("reminder_id"));
        Assert.Equal("text/calendar; method=REQUEST", mail.Attachment().GetProperty("type").GetString());
    }

    /// <summary>The exact request for a calendar email (issue 13.5): the attachment type SendGrid accepts (only the
    /// method parameter, which Outlook needs to show an invitation; SendGrid adds the charset), replies to the coordinator,
    /// and no tracking that would rewrite the signed links or add a pixel or a footer.</summary>
    [Fact]
    public async Task TheCalendarEmailGoesAsSendGridAcceptsItWithRepliesToTheCoordinatorAndTrackingOff()
    {
        var cancel = Email() with { Attachments = [new EmailAttachment("cancel.ics", "text/calendar; method=CANCEL; charset=utf-8", Encoding.UTF8.GetBytes("BEGIN:VCALENDAR\r\nEND:VCALENDAR\r\n"))] };
        Assert.IsType<SendResult.Accepted>(await Sender.SendAsync(cancel, default));

        var body = Assert.Single(_sendGrid.Requests).Body;
        Assert.Equal(202, _sendGrid.Requests[0].AnsweredStatus);
        Assert.Equal("text/calendar; method=CANCEL", body.GetProperty("attachments")[0].GetProperty("type").GetString());
        Assert.Equal("cancel.ics", body.GetProperty("attachments")[0].GetProperty("filename").GetString());
        Assert.Equal("attachment", body.GetProperty("attachments")[0].GetProperty("disposition").GetString());
        Assert.Equal("yuna@example.org", body.GetProperty("reply_to").GetProperty("email").GetString());
        Assert.Equal("Choi Yuna", body.GetProperty("reply_to").GetProperty("name").GetString());
        var tracking = body.GetProperty("tracking_settings");
        Assert.False(tracking.GetProperty("click_tracking").GetProperty("enable").GetBoolean());
        Assert.False(tracking.GetProperty("click_tracking").GetProperty("enable_text").GetBoolean());
        Assert.False(tracking.GetProperty("open_tracking").GetProperty("enable").GetBoolean());
        Assert.False(tracking.GetProperty("subscription_tracking").GetProperty("enable").GetBoolean());
    }

    [Fact]
    public async Task OpenAndSubscriptionTrackingAreOnOnlyWhenTheSettingsSaySo()
    {
        await using var services = Services(TimeSpan.FromSeconds(30), ("SendGrid:OpenTracking", "true"), ("SendGrid:SubscriptionTracking", "true"));
        Assert.IsType<SendResult.Accepted>(await services.GetRequiredService<IEmailSender>().SendAsync(Email(), default));
        var tracking = Assert.Single(_sendGrid.Requests).Body.GetProperty("tracking_settings");
        Assert.True(tracking.GetProperty("open_tracking").GetProperty("enable").GetBoolean());
        Assert.True(tracking.GetProperty("subscription_tracking").GetProperty("enable").GetBoolean());
        Assert.False(tracking.GetProperty("click_tracking").GetProperty("enable").GetBoolean()); // never: it rewrites the signed links
    }

    [Theory]
    [InlineData("yuna@한국.example", "yuna@xn--3e0b707e.example")]
    [InlineData("\"a;b\"@example.org", null)]
    public async Task AddressesGoInTheirAsciiFormAndAReplyToSendGridCannotTakeIsLeftOut(string stored, string? sent)
    {
        // Meetings stored before the address rules may hold such a coordinator address: the email must still go.
        Assert.IsType<SendResult.Accepted>(await Sender.SendAsync(Email() with { To = new EmailAddress("kim@한국.example", "Kim"), ReplyTo = new EmailAddress(stored, "Yuna") }, default));
        var mail = Assert.Single(_sendGrid.Requests);
        Assert.Equal("kim@xn--3e0b707e.example", mail.To);
        Assert.Equal(sent, mail.Body.TryGetProperty("reply_to", out var r) ? r.GetProperty("email").GetString() : null);
    }

    [Theory]
    [InlineData("Yılmaz, Ayşe", "Yılmaz Ayşe")]
    [InlineData("Kim; Lee", "Kim Lee")]
    [InlineData(",;", null)]
    [InlineData("Park Ji-ho", "Park Ji-ho")]
    public async Task ANameWithACommaOrSemicolonGoesToSendGridWithoutThem(string name, string? sent)
    {
        var email = Email() with { To = new EmailAddress("ayse@example.org", name), ReplyTo = new EmailAddress("yuna@example.org", name) };
        Assert.IsType<SendResult.Accepted>(await Sender.SendAsync(email, default));
        var mail = Assert.Single(_sendGrid.Requests);
        var to = mail.Body.GetProperty("personalizations")[0].GetProperty("to")[0];
        Assert.Equal(sent, to.TryGetProperty("name", out var n) ? n.GetString() : null);
        Assert.Equal(sent, mail.Body.GetProperty("reply_to").TryGetProperty("name", out var r) ? r.GetString() : null);
        Assert.Equal("ayse@example.org", mail.To);
        Assert.Equal("<p>html</p>", mail.Content("text/html")); // the body, with the name as given, is the composer's
    }

    [Fact]
    public async Task AKindWithoutAConfiguredTemplateIdIsSentWithTheBuiltInTemplate()
    {
        Assert.IsType<SendResult.Accepted>(await Sender.SendAsync(Email() with { Template = ProviderTemplate.From("escalation", new Dictionary<string, string?>()) }, default));
        var mail = Assert.Single(_sendGrid.Requests);
        Assert.False(mail.Body.TryGetProperty("template_id", out _));
        Assert.Equal("<p>html</p>", mail.Content("text/html"));
    }

    [Fact]
    public void ATemplateIdThatIsNotADynamicTemplateIsRefusedAtStart()
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["SendGrid:ApiKey"] = "k", ["Email:FromEmail"] = "a@example.org", ["SendGrid:DynamicTemplates:reminder"] = "12345",
        }).Build();
        using var services = new ServiceCollection().AddSingleton<IConfiguration>(configuration).AddSingleton<TimeProvider>(_time).AddSendGridEmail().BuildServiceProvider();
        var error = Assert.Throws<Microsoft.Extensions.Options.OptionsValidationException>(() => services.GetRequiredService<IEmailSender>());
        Assert.Contains("SendGrid:DynamicTemplates:reminder must be a dynamic template id", error.Message);
    }
}
