using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;

namespace Summit.TestSupport.SendGrid;

/// <summary>
/// Signs Event Webhook requests as SendGrid does: ECDSA P-256 with SHA-256 over the timestamp followed by the raw body,
/// the signature DER-encoded in base64. The key is generated here, for tests and local runs; <see cref="PublicKey"/> is
/// what SendGrid's settings show (base64 of the SubjectPublicKeyInfo).
/// </summary>
public sealed class EventWebhookSigner : IDisposable
{
    private readonly ECDsa _key = ECDsa.Create(ECCurve.NamedCurves.nistP256);

    public string PublicKey => Convert.ToBase64String(_key.ExportSubjectPublicKeyInfo());

    public string Sign(string body, string timestamp) =>
        Convert.ToBase64String(_key.SignData(Encoding.UTF8.GetBytes(timestamp + body), HashAlgorithmName.SHA256, DSASignatureFormat.Rfc3279DerSequence));

    public static string Timestamp(DateTimeOffset at) => at.ToUnixTimeSeconds().ToString(CultureInfo.InvariantCulture);

    /// <summary>One event as SendGrid posts it: our custom_args at the top level, the recipient's address, a unique id.</summary>
    public static Dictionary<string, object?> Event(string kind, string meetingId, string reminderId, DateTimeOffset at, string? eventId = null,
        string? reason = null, string? bounceType = null) => new()
    {
        ["email"] = "recipient@example.org",
        ["timestamp"] = at.ToUnixTimeSeconds(),
        ["event"] = kind,
        ["sg_event_id"] = eventId ?? Guid.NewGuid().ToString("N"),
        ["sg_message_id"] = "sg." + reminderId,
        ["reminder_id"] = reminderId,
        ["meeting_id"] = meetingId,
        ["plan_version"] = "1",
        ["reason"] = reason,
        ["type"] = bounceType,
    };

    public static string Body(IEnumerable<Dictionary<string, object?>> events) =>
        JsonSerializer.Serialize(events.Select(e => e.Where(p => p.Value is not null).ToDictionary(p => p.Key, p => p.Value)));

    public void Dispose() => _key.Dispose();
}
