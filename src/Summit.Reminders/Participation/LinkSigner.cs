using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using Microsoft.Extensions.Options;

namespace Summit.Reminders.Participation;

/// <summary>What a signed link lets its holder do: a meeting participant acknowledges or unsubscribes; a commitment's
/// owner marks it done or asks for more time; a coordinator opens a track's progress page.</summary>
public enum ParticipantAction { Acknowledge, Unsubscribe, Done, MoreTime, Progress }

/// <summary>What a participant's link says: who may do what to which meeting, until when.</summary>
public sealed record LinkClaims(string MeetingId, string ParticipantId, ParticipantAction Action, DateTimeOffset ExpiresAt);

public enum LinkProblem { Malformed, BadSignature, Expired }

public abstract record LinkCheck
{
    public sealed record Valid(LinkClaims Claims) : LinkCheck;
    public sealed record Invalid(LinkProblem Problem) : LinkCheck;
}

/// <summary>
/// Signs and checks the tokens in participants' links: <c>v1.{key id}.{claims}.{HMAC-SHA256}</c>, base64url.
/// The key id (a hash prefix of the key, not the key) picks the key to check with, so two keys can be active at once.
/// Any change to the claims (another participant, another action, a later expiry) breaks the signature.
/// </summary>
public sealed class LinkSigner
{
    private const string Version = "v1";
    private readonly TimeProvider _time;
    private readonly (string Id, byte[] Key) _current;
    private readonly Dictionary<string, byte[]> _accepted = new(StringComparer.Ordinal);

    public LinkSigner(IOptions<LinkOptions> options, TimeProvider time)
    {
        _time = time;
        var o = options.Value;
        _current = Entry(o.SigningKey);
        _accepted[_current.Id] = _current.Key;
        if (!string.IsNullOrEmpty(o.PreviousSigningKey))
        {
            var previous = Entry(o.PreviousSigningKey);
            _accepted.TryAdd(previous.Id, previous.Key);
        }
    }

    public string Sign(LinkClaims claims)
    {
        var body = $"{Version}.{_current.Id}.{Base64Url(Encoding.UTF8.GetBytes(Serialize(claims)))}";
        return $"{body}.{Base64Url(HMACSHA256.HashData(_current.Key, Encoding.ASCII.GetBytes(body)))}";
    }

    public LinkCheck Check(string? token)
    {
        if (string.IsNullOrEmpty(token) || token.Length > 1024) return new LinkCheck.Invalid(LinkProblem.Malformed);
        var parts = token.Split('.');
        if (parts.Length != 4 || parts[0] != Version) return new LinkCheck.Invalid(LinkProblem.Malformed);
        if (!_accepted.TryGetValue(parts[1], out var key)) return new LinkCheck.Invalid(LinkProblem.BadSignature);
        if (FromBase64Url(parts[3]) is not { } signature) return new LinkCheck.Invalid(LinkProblem.Malformed);
        var expected = HMACSHA256.HashData(key, Encoding.ASCII.GetBytes($"{parts[0]}.{parts[1]}.{parts[2]}"));
        if (!CryptographicOperations.FixedTimeEquals(signature, expected)) return new LinkCheck.Invalid(LinkProblem.BadSignature);
        if (FromBase64Url(parts[2]) is not { } payload || Deserialize(payload) is not { } claims) return new LinkCheck.Invalid(LinkProblem.Malformed);
        return claims.ExpiresAt <= _time.GetUtcNow() ? new LinkCheck.Invalid(LinkProblem.Expired) : new LinkCheck.Valid(claims);
    }

    private static (string Id, byte[] Key) Entry(string secret)
    {
        var key = Encoding.UTF8.GetBytes(secret);
        return (Convert.ToHexStringLower(SHA256.HashData(key))[..8], key);
    }

    private static string Serialize(LinkClaims c) =>
        string.Join('\n', c.MeetingId, c.ParticipantId, c.Action switch
        {
            ParticipantAction.Acknowledge => "ack",
            ParticipantAction.Unsubscribe => "unsub",
            ParticipantAction.Done => "done",
            ParticipantAction.MoreTime => "more",
            _ => "progress",
        },
            c.ExpiresAt.ToUnixTimeSeconds().ToString(CultureInfo.InvariantCulture));

    private static LinkClaims? Deserialize(byte[] payload)
    {
        string text;
        try { text = new UTF8Encoding(false, throwOnInvalidBytes: true).GetString(payload); }
        catch (DecoderFallbackException) { return null; }
        var fields = text.Split('\n');
        if (fields.Length != 4 || fields[0].Length == 0 || fields[1].Length == 0) return null;
        ParticipantAction? action = fields[2] switch
        {
            "ack" => ParticipantAction.Acknowledge,
            "unsub" => ParticipantAction.Unsubscribe,
            "done" => ParticipantAction.Done,
            "more" => ParticipantAction.MoreTime,
            "progress" => ParticipantAction.Progress,
            _ => null,
        };
        if (action is null || !long.TryParse(fields[3], NumberStyles.None, CultureInfo.InvariantCulture, out var expires)) return null;
        return new LinkClaims(fields[0], fields[1], action.Value, DateTimeOffset.FromUnixTimeSeconds(expires));
    }

    private static string Base64Url(byte[] bytes) => System.Buffers.Text.Base64Url.EncodeToString(bytes);

    private static byte[]? FromBase64Url(string text)
    {
        if (text.Length == 0) return null;
        try { return System.Buffers.Text.Base64Url.DecodeFromChars(text); }
        catch (FormatException) { return null; }
    }
}
