using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using Summit.Reminders.Infrastructure.SendGrid;

namespace Summit.LocalHost.DeliveryEvents;

/// <summary>A request body signed as SendGrid signs its Event Webhook posts: the two headers' values and the body they cover.</summary>
public sealed record SignedEvents(string Body, string Timestamp, string Signature);

/// <summary>
/// The local stand-in for SendGrid's signing key: a P-256 key pair whose private half (<c>LocalHost:EventWebhookPrivateKey</c>,
/// base64 PKCS#8, written by <c>run.sh</c> into local.settings.json, never logged or printed) signs events exactly as
/// SendGrid does (ECDSA with SHA-256 over the timestamp followed by the raw body, DER in base64), and whose public half
/// is the app's ordinary <c>EventWebhook:PublicKey</c>. So local events take the same signed path as SendGrid's: nothing
/// in the function app knows it is running locally.
/// </summary>
public sealed class LocalEventSigner : IDisposable
{
    public const string PrivateKeySetting = "LocalHost:EventWebhookPrivateKey";
    public const string PublicKeySetting = EventWebhookOptions.Section + ":" + nameof(EventWebhookOptions.PublicKey);

    private readonly ECDsa _key;

    private LocalEventSigner(ECDsa key) => _key = key;

    /// <summary>True when no private key was configured and this one was made up for this run.</summary>
    public bool Generated { get; private init; }

    /// <summary>Base64 of the SubjectPublicKeyInfo, the form SendGrid's settings show and <c>EventWebhook:PublicKey</c> holds.</summary>
    public string PublicKey => Convert.ToBase64String(_key.ExportSubjectPublicKeyInfo());

    /// <summary>A fresh private key in the form <c>LocalHost:EventWebhookPrivateKey</c> takes (base64 of PKCS#8).</summary>
    public static string NewPrivateKey()
    {
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        return Convert.ToBase64String(key.ExportPkcs8PrivateKey());
    }

    /// <summary>
    /// The signer for this run, and <c>EventWebhook:PublicKey</c> made to match it:
    /// <list type="bullet">
    /// <item>a private key and no public key: the public key is derived from it;</item>
    /// <item>both: they must be one pair (otherwise every local event would be refused with 401, so the start stops instead);</item>
    /// <item>neither: a pair is made up for this run;</item>
    /// <item>only a public key (SendGrid's own, to receive its events through a tunnel): null, nothing is signed locally.</item>
    /// </list>
    /// Error messages name the settings, never their values.
    /// </summary>
    public static LocalEventSigner? Configure(IConfiguration configuration, LocalHostOptions local)
    {
        var configuredPublic = configuration[PublicKeySetting];
        LocalEventSigner signer;
        if (string.IsNullOrWhiteSpace(local.EventWebhookPrivateKey))
        {
            if (!string.IsNullOrWhiteSpace(configuredPublic)) return null;
            signer = new LocalEventSigner(ECDsa.Create(ECCurve.NamedCurves.nistP256)) { Generated = true };
        }
        else signer = FromPrivateKey(local.EventWebhookPrivateKey);

        if (string.IsNullOrWhiteSpace(configuredPublic)) configuration[PublicKeySetting] = signer.PublicKey;
        else if (!signer.Matches(configuredPublic))
        {
            signer.Dispose();
            throw new InvalidOperationException(
                $"{PrivateKeySetting} and {PublicKeySetting} are not one key pair, so the local host's own events would be refused. " +
                $"Clear {PublicKeySetting.Replace(":", "__", StringComparison.Ordinal)} to derive it from the private key, or clear " +
                $"{PrivateKeySetting.Replace(":", "__", StringComparison.Ordinal)} to accept only events signed by SendGrid.");
        }
        return signer;
    }

    private static LocalEventSigner FromPrivateKey(string value)
    {
        var key = ECDsa.Create();
        try
        {
            value = value.Trim();
            if (value.StartsWith("-----BEGIN", StringComparison.Ordinal)) key.ImportFromPem(value);
            else key.ImportPkcs8PrivateKey(Convert.FromBase64String(value), out _);
            if (key.KeySize != 256 || key.ExportParameters(false).Curve.Oid.Value != ECCurve.NamedCurves.nistP256.Oid.Value)
                throw new CryptographicException("not a P-256 key");
        }
        catch (Exception ex) when (ex is FormatException or CryptographicException or ArgumentException)
        {
            key.Dispose();
            throw new InvalidOperationException($"{PrivateKeySetting} must be a P-256 private key, base64 of PKCS#8 (or PEM).", ex);
        }
        return new LocalEventSigner(key);
    }

    private bool Matches(string publicKey)
    {
        try
        {
            using var other = ECDsa.Create();
            other.ImportSubjectPublicKeyInfo(Convert.FromBase64String(publicKey.Trim()), out _);
            return CryptographicOperations.FixedTimeEquals(other.ExportSubjectPublicKeyInfo(), _key.ExportSubjectPublicKeyInfo());
        }
        catch (Exception ex) when (ex is FormatException or CryptographicException)
        {
            return false;
        }
    }

    /// <summary>Signs <paramref name="body"/> as sent at <paramref name="at"/> (the timestamp header SendGrid would send).</summary>
    public SignedEvents Sign(string body, DateTimeOffset at)
    {
        var timestamp = at.ToUnixTimeSeconds().ToString(CultureInfo.InvariantCulture);
        var signature = _key.SignData(Encoding.UTF8.GetBytes(timestamp + body), HashAlgorithmName.SHA256, DSASignatureFormat.Rfc3279DerSequence);
        return new SignedEvents(body, timestamp, Convert.ToBase64String(signature));
    }

    public void Dispose() => _key.Dispose();
}
