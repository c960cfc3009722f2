using System.ComponentModel.DataAnnotations;

namespace Summit.Reminders.Infrastructure.SendGrid;

/// <summary>SendGrid's signed Event Webhook (section "EventWebhook").</summary>
public sealed class EventWebhookOptions
{
    public const string Section = "EventWebhook";

    /// <summary>The verification key from SendGrid's Mail Settings → Signed Event Webhook (base64 of the P-256 public key).
    /// Empty: the endpoint refuses every request with 503 until it is set.</summary>
    public string? PublicKey { get; set; }

    /// <summary>How far a request's timestamp may be from now, either way, before it is refused as a replay.</summary>
    [Range(typeof(TimeSpan), "00:00:30", "01:00:00")]
    public TimeSpan MaxTimestampSkew { get; set; } = TimeSpan.FromMinutes(5);
}
