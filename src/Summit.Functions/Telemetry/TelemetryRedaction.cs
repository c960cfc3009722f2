using System.Diagnostics;
using OpenTelemetry;
using Summit.Functions.Http;

namespace Summit.Functions.Telemetry;

/// <summary>
/// The last step of every span before any exporter sees it: the values of the query parameters that are secrets
/// (<c>code</c>, a function key; <c>token</c>, a participant link's signature; <c>sig</c>, a SAS signature) become
/// <c>REDACTED</c> in every attribute that holds a URL or a query, and attributes that may name a person (client
/// addresses, request and response headers, user ids) are dropped. Names are compared as a server reads them
/// (percent-decoded, '+' as a space, ignoring case), so <c>c%6Fde=</c> is caught, and so is <c>code%3D…</c>.
/// Registered before the exporters, so nothing unredacted is exported.
/// </summary>
public sealed class TelemetryRedaction : BaseProcessor<Activity>
{
    public const string Redacted = "REDACTED";

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

    /// <summary>The text with the secret parameters' values replaced (<see cref="UrlSecrets"/>); the same instance when
    /// there was nothing to hide. <paramref name="queryOnly"/>: the text is a query string without its '?' (<c>url.query</c>).</summary>
    public static string Redact(string text, bool queryOnly) => UrlSecrets.Redact(text, Redacted, queryOnly);
}
