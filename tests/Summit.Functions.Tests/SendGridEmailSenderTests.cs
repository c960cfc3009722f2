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
    private ServiceProvider Services(TimeSpan timeout)
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
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
        new Dictionary<string, string> { ["reminder_id"] = "m1.p1.PT2H.pa", ["meeting_id"] = "m1" });

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
        Assert.Equal("text/calendar; method=REQUEST; charset=utf-8", attachment.GetProperty("type").GetString());
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
        Assert.Equal("text/calendar; method=REQUEST; charset=utf-8", mail.Attachment().GetProperty("type").GetString());
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
