using System.Globalization;
using System.Net;
using System.Text.Json;
using Microsoft.Extensions.Options;
using SendGrid;
using SendGrid.Helpers.Mail;
using SendGrid.Helpers.Reliability;
using Summit.Reminders.Email;
using Summit.Reminders.Ports;

namespace Summit.Reminders.Infrastructure.SendGrid;

/// <summary>
/// Sends through SendGrid v3 mail send with the plain client. The client's own retries are off: it does not retry 429
/// and it does retry timeouts (which may duplicate a send), so the retry policy lives in the delivery use case.
/// </summary>
public sealed class SendGridEmailSender(IHttpClientFactory httpClients, IOptions<SendGridOptions> options, IOptions<Mail.EmailOptions> email, TimeProvider time) : IEmailSender
{
    public const string HttpClientName = "SendGrid";
    private readonly SendGridOptions _options = options.Value;
    private readonly Mail.EmailOptions _email = email.Value;

    public async Task<SendResult> SendAsync(EmailMessage message, CancellationToken cancellationToken)
    {
        var client = new SendGridClient(httpClients.CreateClient(HttpClientName), new SendGridClientOptions
        {
            ApiKey = _options.ApiKey,
            Host = string.IsNullOrEmpty(_options.Host) ? "https://api.sendgrid.com" : _options.Host,
            ReliabilitySettings = new ReliabilitySettings(0, TimeSpan.Zero, TimeSpan.Zero, TimeSpan.Zero),
        });

        Response response;
        try
        {
            response = await client.SendEmailAsync(ToSendGrid(message), cancellationToken);
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            return new SendResult.Transient($"no answer from SendGrid within {_options.Timeout.TotalSeconds:0} s", MayHaveBeenAccepted: true);
        }
        catch (HttpRequestException ex)
        {
            return new SendResult.Transient("SendGrid unreachable: " + ex.Message);
        }

        var status = (int)response.StatusCode;
        if (status is 200 or 202)
            return new SendResult.Accepted(Header(response, "X-Message-Id"));
        if (response.StatusCode == HttpStatusCode.TooManyRequests)
        {
            var reset = long.TryParse(Header(response, "X-RateLimit-Reset"), NumberStyles.Integer, CultureInfo.InvariantCulture, out var epoch)
                ? DateTimeOffset.FromUnixTimeSeconds(epoch)
                : time.GetUtcNow().AddSeconds(60);
            return new SendResult.RateLimited(reset);
        }
        var body = response.Body is null ? "" : await response.Body.ReadAsStringAsync(cancellationToken);
        // SendGrid's error text may quote the recipient; the reason goes to the ledger and the dead letters.
        var reason = $"SendGrid answered {status}: {PersonalData.WithoutAddresses(ErrorMessages(body))}";
        // 401: the key is wrong or revoked; 403: the key lacks the mail.send scope or the sender is not verified. Both are
        // our configuration, the same for every email: nothing is wrong with this one.
        if (status is 401 or 403) return new SendResult.CredentialsRefused(reason, status);
        return status is 408 or >= 500 ? new SendResult.Transient(reason) : new SendResult.Permanent(reason);
    }

    private SendGridMessage ToSendGrid(EmailMessage message)
    {
        var mail = new SendGridMessage();
        mail.SetFrom(new global::SendGrid.Helpers.Mail.EmailAddress(_email.FromEmail, DisplayName(_email.FromName)));
        // Addresses go in their ASCII form (a Unicode domain as punycode), as registration stores them since it checks
        // them; a meeting stored before could hold a Unicode coordinator address, which must not cost the email its reply_to.
        mail.AddTo(new global::SendGrid.Helpers.Mail.EmailAddress(Ascii(message.To.Email) ?? message.To.Email, DisplayName(message.To.Name)));
        if (message.ReplyTo is { } replyTo && Ascii(replyTo.Email) is { } replyEmail)
            mail.SetReplyTo(new global::SendGrid.Helpers.Mail.EmailAddress(replyEmail, DisplayName(replyTo.Name)));
        mail.SetSubject(message.Subject);
        // Click tracking would send every link, the signed "Got it" and unsubscribe links included, through SendGrid's
        // redirector (and its rewritten URLs into mail scanners); opens and SendGrid's own unsubscribe footer stay off
        // unless the settings ask for them.
        mail.SetClickTracking(false, false);
        mail.SetOpenTracking(_options.OpenTracking);
        mail.SetSubscriptionTracking(_options.SubscriptionTracking);
        if (message.Template is { } template && _options.DynamicTemplates.TryGetValue(template.Kind, out var templateId) && !string.IsNullOrEmpty(templateId))
        {
            // The provider renders the email from its dynamic template with the same data our templates use.
            mail.SetTemplateId(templateId);
            mail.SetTemplateData(template.Data);
        }
        else
        {
            mail.AddContent(MimeType.Text, message.Text);
            mail.AddContent(MimeType.Html, message.Html);
        }
        foreach (var attachment in message.Attachments)
            mail.AddAttachment(attachment.FileName, Convert.ToBase64String(attachment.Content), AttachmentType(attachment.ContentType), "attachment");
        mail.AddCategories(message.Categories.ToList());
        foreach (var (key, value) in message.CustomArgs) mail.AddCustomArg(key, value, 0);
        if (message.Headers.Count > 0) mail.AddHeaders(message.Headers.ToDictionary(h => h.Key, h => h.Value), 0);
        return mail;
    }

    private static string? Ascii(string email) => Summit.Reminders.Meetings.EmailAddressRules.TryNormalize(email, out var ascii, out _) ? ascii : null;

    /// <summary>
    /// SendGrid refuses a recipient name with ',' or ';' (or drops the email after its 202): those become spaces. The name
    /// is only the header's display name; the email's text greets the participant with the name as given.
    /// </summary>
    internal static string? DisplayName(string? name)
    {
        if (string.IsNullOrWhiteSpace(name)) return null;
        var cleaned = string.Join(' ', name.Split([',', ';', ' '], StringSplitOptions.RemoveEmptyEntries));
        return cleaned.Length == 0 ? null : cleaned;
    }

    /// <summary>
    /// SendGrid answers 400 "The attachment type cannot contain ';', or CRLF characters" to any parameter but
    /// <c>method</c> (it adds the charset itself): <c>text/calendar; method=REQUEST; charset=utf-8</c> goes as
    /// <c>text/calendar; method=REQUEST</c>. Evidence in docs/architecture.md.
    /// </summary>
    internal static string AttachmentType(string contentType)
    {
        var parts = contentType.Split(';', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries);
        var method = parts.Skip(1).Select(p => p.Split('=', 2, StringSplitOptions.TrimEntries))
            .FirstOrDefault(p => p.Length == 2 && p[0].Equals("method", StringComparison.OrdinalIgnoreCase))?[1].Trim('"');
        return method is { Length: > 0 } && method.All(char.IsAsciiLetter) ? $"{parts[0]}; method={method.ToUpperInvariant()}" : parts[0];
    }

    private static string? Header(Response response, string name) =>
        response.Headers is not null && response.Headers.TryGetValues(name, out var values) ? values.FirstOrDefault() : null;

    /// <summary>SendGrid explains a refusal as {"errors":[{"message":...,"field":...}]}; keep just the messages.</summary>
    private static string ErrorMessages(string body)
    {
        try
        {
            using var doc = JsonDocument.Parse(body);
            if (doc.RootElement.TryGetProperty("errors", out var errors) && errors.ValueKind == JsonValueKind.Array)
                return string.Join("; ", errors.EnumerateArray().Select(e =>
                    (e.TryGetProperty("field", out var f) && f.ValueKind == JsonValueKind.String ? f.GetString() + ": " : "") +
                    (e.TryGetProperty("message", out var m) ? m.GetString() : "")));
        }
        catch (JsonException)
        {
        }
        return body.Length <= 300 ? body : body[..300];
    }
}
