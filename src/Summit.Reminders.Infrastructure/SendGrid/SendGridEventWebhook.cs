using System.Globalization;
using System.Text.Json;
using EllipticCurve;
using Microsoft.Extensions.Options;
using SendGrid.Helpers.EventWebhook;
using Summit.Reminders.DeliveryStatus;
using Summit.Reminders.Email;
using Summit.Reminders.Ports;

namespace Summit.Reminders.Infrastructure.SendGrid;

/// <summary>
/// SendGrid's signed Event Webhook: the signature (ECDSA P-256 with SHA-256 over the timestamp header followed by the raw
/// body) is checked with the SendGrid SDK's <see cref="RequestValidator"/>, the timestamp must be within
/// <see cref="EventWebhookOptions.MaxTimestampSkew"/> of now, and the body must be a JSON array of event objects. Each
/// event is correlated by the custom_args every email carries (<c>reminder_id</c>, <c>meeting_id</c>); the recipient's
/// address SendGrid adds to each event is never read.
/// </summary>
public sealed class SendGridEventWebhook(IOptions<EventWebhookOptions> options, TimeProvider time) : IProviderEventSource
{
    private static readonly RequestValidator Validator = new();
    private readonly EventWebhookOptions _options = options.Value;
    private readonly Lazy<PublicKey?> _key = new(() => string.IsNullOrWhiteSpace(options.Value.PublicKey)
        ? null
        : Validator.ConvertPublicKeyToECDSA(options.Value.PublicKey.Trim()));

    private static readonly Dictionary<string, ProviderEventKind> Kinds = new(StringComparer.Ordinal)
    {
        ["processed"] = ProviderEventKind.Processed,
        ["deferred"] = ProviderEventKind.Deferred,
        ["delivered"] = ProviderEventKind.Delivered,
        ["bounce"] = ProviderEventKind.Bounce,
        ["dropped"] = ProviderEventKind.Dropped,
        ["spamreport"] = ProviderEventKind.SpamReport,
        ["unsubscribe"] = ProviderEventKind.Unsubscribe,
        ["group_unsubscribe"] = ProviderEventKind.GroupUnsubscribe,
    };

    public (ProviderEventBatch? Batch, ProviderEventRefusal? Refusal, string? Detail) Read(string body, string? signature, string? timestamp)
    {
        if (_key.Value is not { } key) return (null, ProviderEventRefusal.NotConfigured, "no Event Webhook verification key is configured (EventWebhook:PublicKey)");
        if (string.IsNullOrWhiteSpace(signature) || string.IsNullOrWhiteSpace(timestamp))
            return (null, ProviderEventRefusal.MissingSignature, $"both {RequestValidator.SIGNATURE_HEADER} and {RequestValidator.TIMESTAMP_HEADER} are required");
        if (!long.TryParse(timestamp, NumberStyles.None, CultureInfo.InvariantCulture, out var seconds) || seconds > 253402300799
            || (time.GetUtcNow() - DateTimeOffset.FromUnixTimeSeconds(seconds)).Duration() > _options.MaxTimestampSkew)
            return (null, ProviderEventRefusal.StaleTimestamp, $"must be the Unix time of the request, within {_options.MaxTimestampSkew.TotalMinutes:0} minutes of now");
        if (!Verifies(key, body, signature, timestamp))
            return (null, ProviderEventRefusal.BadSignature, "does not verify with the configured key over this timestamp and body");
        return Parse(body) is { } batch
            ? (batch, null, null)
            : (null, ProviderEventRefusal.NotAnEventArray, "must be a JSON array of event objects");
    }

    private static bool Verifies(PublicKey key, string body, string signature, string timestamp)
    {
        try
        {
            return Validator.VerifySignature(key, body, signature, timestamp);
        }
        catch (Exception ex) when (ex is FormatException or ArgumentException or IndexOutOfRangeException or InvalidOperationException)
        {
            return false; // not base64, or not a DER signature
        }
    }

    private static ProviderEventBatch? Parse(string body)
    {
        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(body);
        }
        catch (JsonException)
        {
            return null;
        }
        using (document)
        {
            if (document.RootElement.ValueKind != JsonValueKind.Array) return null;
            var events = new List<ProviderEvent>();
            int ignored = 0, uncorrelated = 0;
            foreach (var item in document.RootElement.EnumerateArray())
            {
                if (item.ValueKind != JsonValueKind.Object) return null;
                if (Text(item, "event") is not { } name || !Kinds.TryGetValue(name, out var kind))
                {
                    ignored++;
                    continue;
                }
                var at = item.TryGetProperty("timestamp", out var ts) && ts.ValueKind == JsonValueKind.Number && ts.TryGetInt64(out var unix)
                    && unix is >= 0 and <= 253402300799 ? DateTimeOffset.FromUnixTimeSeconds(unix) : (DateTimeOffset?)null;
                if (Text(item, "sg_event_id") is not { } eventId || Text(item, "reminder_id") is not { } reminderId
                    || Text(item, "meeting_id") is not { } meetingId || at is null)
                {
                    uncorrelated++;
                    continue;
                }
                var detail = Text(item, "reason", 4000) ?? Text(item, "response", 4000);
                events.Add(new ProviderEvent(eventId, kind, at.Value, meetingId, reminderId,
                    detail is null ? null : Clip(PersonalData.WithoutAddresses(detail)), Text(item, "type")));
            }
            return new ProviderEventBatch(events, ignored, uncorrelated);
        }
    }

    /// <summary>A string field of at most <paramref name="max"/> characters (ids are short; anything longer is not ours).</summary>
    private static string? Text(JsonElement item, string name, int max = 200) =>
        item.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String && value.GetString() is { Length: > 0 } text && text.Length <= max ? text : null;

    private static string Clip(string text) => text.Length <= 300 ? text : text[..300] + "…";
}
