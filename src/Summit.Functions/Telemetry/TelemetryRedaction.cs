using System.Diagnostics;
using System.Text.RegularExpressions;
using OpenTelemetry;

namespace Summit.Functions.Telemetry;

/// <summary>
/// The last step of every span before any exporter sees it: the values of the query parameters that are secrets
/// (<c>code</c>, a function key; <c>token</c>, a participant link's signature; <c>sig</c>, a SAS signature) become
/// <c>REDACTED</c> in every attribute that holds a URL or a query, and attributes that may name a person (client
/// addresses, request and response headers, user ids) are dropped. Names are compared as a server reads them
/// (percent-decoded, '+' as a space, ignoring case), so <c>c%6Fde=</c> is caught, and so is <c>code%3D…</c>.
/// Registered before the exporters, so nothing unredacted is exported.
/// </summary>
public sealed partial class TelemetryRedaction : BaseProcessor<Activity>
{
    public const string Redacted = "REDACTED";

    private static readonly string[] SecretParameters = ["code", "token", "sig"];

    /// <summary>Attributes that hold a whole URL or the part with the query (current and older semantic conventions).</summary>
    private static readonly HashSet<string> UrlAttributes = new(StringComparer.Ordinal)
    {
        "url.full", "url.original", "url.query", "url.path", "http.url", "http.target", "http.route", "http.request.uri",
        "server.url", "messaging.url", "db.connection_string",
    };

    /// <summary>Attributes we know may carry personal data, dropped whatever their value.</summary>
    private static readonly HashSet<string> PersonalAttributes = new(StringComparer.Ordinal)
    {
        "client.address", "client.port", "http.client_ip", "net.peer.ip", "net.sock.peer.addr", "network.peer.address",
        "user_agent.original", "http.user_agent", "enduser.id", "enduser.role", "enduser.scope", "user.id", "user.name",
        "user.full_name", "user.email", "user.hash", "user.roles", "email.to", "messaging.message.body",
        "http.request.body", "http.response.body", "db.statement", "db.query.text",
    };

    public override void OnEnd(Activity data)
    {
        List<KeyValuePair<string, object?>>? changes = null;
        foreach (var tag in data.TagObjects)
        {
            if (IsPersonal(tag.Key)) (changes ??= []).Add(new(tag.Key, null));
            else if (tag.Value is string text && IsUrlish(tag.Key) && Redact(text, tag.Key == "url.query") is var redacted && !ReferenceEquals(redacted, text))
                (changes ??= []).Add(new(tag.Key, redacted));
        }
        if (changes is not null)
            foreach (var (key, value) in changes) data.SetTag(key, value);
        if (data.DisplayName.Contains('?', StringComparison.Ordinal)) data.DisplayName = Redact(data.DisplayName, queryOnly: false);
    }

    private static bool IsPersonal(string key) =>
        PersonalAttributes.Contains(key) || key.StartsWith("http.request.header.", StringComparison.Ordinal)
        || key.StartsWith("http.response.header.", StringComparison.Ordinal);

    private static bool IsUrlish(string key) =>
        UrlAttributes.Contains(key) || key.EndsWith(".url", StringComparison.Ordinal) || key.EndsWith(".uri", StringComparison.Ordinal)
        || key.EndsWith("_url", StringComparison.Ordinal) || key.EndsWith(".query", StringComparison.Ordinal);

    /// <summary>The text with the secret parameters' values replaced; the same instance when there was nothing to hide.
    /// <paramref name="queryOnly"/>: the text is a query string without its '?' (<c>url.query</c>).</summary>
    public static string Redact(string text, bool queryOnly)
    {
        if (text.AsSpan().IndexOfAny('=', '%') < 0) return text;
        var redacted = queryOnly ? FirstOrNextParameter().Replace(text, RedactIfSecret) : QueryParameter().Replace(text, RedactIfSecret);
        return redacted == text ? text : redacted;
    }

    /// <summary>One <c>name=value</c> pair after '?' or '&amp;' (in a URL).</summary>
    [GeneratedRegex(@"(?<=[?&;])[^&;#\s""'<>]+")]
    private static partial Regex QueryParameter();

    /// <summary>One pair at the start or after '&amp;' (in a query string alone).</summary>
    [GeneratedRegex(@"(?<=^|[?&;])[^&;#\s""'<>]+")]
    private static partial Regex FirstOrNextParameter();

    private static string RedactIfSecret(Match parameter)
    {
        var pair = parameter.Value;
        var equals = pair.IndexOf('=', StringComparison.Ordinal);
        string name;
        try { name = Uri.UnescapeDataString((equals < 0 ? pair : pair[..equals]).Replace('+', ' ')); }
        catch (UriFormatException) { return pair; }
        // An encoded '=' (%3D) makes "code%3DKEY" a name to the server, but the key is there for anyone who decodes it.
        var encodedEquals = name.IndexOf('=', StringComparison.Ordinal);
        if (encodedEquals >= 0) name = name[..encodedEquals];
        if (!SecretParameters.Any(s => name.Trim().Equals(s, StringComparison.OrdinalIgnoreCase))) return pair;
        var valueStart = encodedEquals >= 0 ? pair.IndexOf("%3D", StringComparison.OrdinalIgnoreCase) + 3 : equals + 1;
        return valueStart <= 0 || valueStart == pair.Length ? pair : pair[..valueStart] + Redacted;
    }
}
