using System.Text;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Azure.Functions.Worker;
using Summit.Functions.Http;
using Summit.Functions.Identity;
using Summit.Reminders.DeliveryStatus;
using Summit.Reminders.Ports;

namespace Summit.Functions.Webhooks;

/// <summary>
/// SendGrid's signed Event Webhook. Anonymous to the Functions host (SendGrid cannot send a function key in a header):
/// the signature is the credential, checked before anything is read or stored. A refused request changes nothing; a 5xx
/// means "nothing was recorded for certain, send again" (SendGrid retries for 24 hours, and replayed events change nothing).
/// </summary>
public sealed class SendGridEventsApi(IProviderEventSource source, DeliveryEventService events)
{
    /// <summary>SendGrid posts batches of up to 768 KB; anything over 1 MB is not SendGrid's.</summary>
    public const int MaxBytes = 1024 * 1024;

    public const string SignatureHeader = "X-Twilio-Email-Event-Webhook-Signature";
    public const string TimestampHeader = "X-Twilio-Email-Event-Webhook-Timestamp";

    [Function("ReceiveSendGridEvents")]
    [Needs(Need.Anonymous)]
    public Task<IActionResult> Receive(
        [HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = "api/sendgrid/events")] HttpRequest request, CancellationToken cancellationToken) =>
        Guard.RunAnonymousAsync(request, async () =>
        {
            // The signature is the credential: without one nothing else is looked at, the body included.
            string? signature = request.Headers[SignatureHeader], timestamp = request.Headers[TimestampHeader];
            if (string.IsNullOrWhiteSpace(signature) || string.IsNullOrWhiteSpace(timestamp))
                return Refused(request, ProviderEventRefusal.MissingSignature, $"both {SignatureHeader} and {TimestampHeader} are required");
            var (body, problem) = await JsonBody.ReadRawAsync(request, MaxBytes, cancellationToken);
            if (problem is not null) return problem;
            var (batch, refusal, detail) = source.Read(Encoding.UTF8.GetString(body!), signature, timestamp);
            if (refusal is { } refused) return Refused(request, refused, detail!);
            return new OkObjectResult(await events.RecordAsync(batch!.Events, batch.Ignored, batch.Uncorrelated, cancellationToken));
        });

    private static IActionResult Refused(HttpRequest request, ProviderEventRefusal refusal, string detail) => refusal switch
    {
        ProviderEventRefusal.NotConfigured => Problems.Create(request, StatusCodes.Status503ServiceUnavailable, "not-configured",
            "The Event Webhook is not configured", detail, []),
        ProviderEventRefusal.StaleTimestamp => Problems.Field(request, StatusCodes.Status401Unauthorized, "invalid-signature",
            "The request is not signed by SendGrid just now", TimestampHeader, detail),
        ProviderEventRefusal.NotAnEventArray => Problems.Invalid(request, "body", detail),
        _ => Problems.Field(request, StatusCodes.Status401Unauthorized, "invalid-signature",
            "The request is not signed by SendGrid just now", SignatureHeader, detail),
    };
}
