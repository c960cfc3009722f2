using System.Text.RegularExpressions;

namespace Summit.Functions.Http;

/// <summary>
/// The secrets a URL can carry in its query: <c>code</c> (a function key, as the Functions host allows), <c>token</c> (a
/// participant link's signature) and <c>sig</c> (a storage SAS). One redaction for every place a URL may be written: the
/// local host's console log and the telemetry pipeline. A name is compared as the server reads it (percent-decoded, '+'
/// as a space, ignoring case), so <c>c%6Fde=</c> is caught, and so is <c>code%3D…</c> (an encoded '=', which makes the
/// whole pair a name to the server while the key is there for anyone who decodes it).
/// </summary>
public static partial class UrlSecrets
{
    private static readonly string[] Parameters = ["code", "token", "sig"];

    /// <summary><paramref name="text"/> with every secret parameter's value replaced by <paramref name="marker"/>; the same
    /// instance when there was nothing to hide. <paramref name="queryOnly"/>: the text is a query string without its '?'.</summary>
    public static string Redact(string text, string marker, bool queryOnly = false)
    {
        if (text.AsSpan().IndexOfAny('=', '%') < 0) return text;
        var pattern = queryOnly ? FirstOrNextParameter() : QueryParameter();
        var redacted = pattern.Replace(text, parameter => RedactIfSecret(parameter.Value, marker));
        return redacted == text ? text : redacted;
    }

    /// <summary>One <c>name=value</c> pair after '?', '&amp;' or ';' (in a URL, or a log line that shows one).</summary>
    [GeneratedRegex(@"(?<=[?&;])[^&;#\s""'<>]+")]
    private static partial Regex QueryParameter();

    /// <summary>One pair at the start or after a separator (in a query string alone).</summary>
    [GeneratedRegex(@"(?<=^|[?&;])[^&;#\s""'<>]+")]
    private static partial Regex FirstOrNextParameter();

    private static string RedactIfSecret(string pair, string marker)
    {
        var equals = pair.IndexOf('=', StringComparison.Ordinal);
        string name;
        try { name = Uri.UnescapeDataString((equals < 0 ? pair : pair[..equals]).Replace('+', ' ')); }
        catch (UriFormatException) { return pair; }
        var encodedEquals = name.IndexOf('=', StringComparison.Ordinal);
        if (encodedEquals >= 0) name = name[..encodedEquals];
        if (!Parameters.Any(p => name.Trim().Equals(p, StringComparison.OrdinalIgnoreCase))) return pair;
        var valueStart = encodedEquals >= 0 ? pair.IndexOf("%3D", StringComparison.OrdinalIgnoreCase) + 3 : equals + 1;
        return valueStart <= 0 || valueStart == pair.Length ? pair : pair[..valueStart] + marker;
    }
}
