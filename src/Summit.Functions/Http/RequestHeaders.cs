using System.Globalization;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;

namespace Summit.Functions.Http;

/// <summary>The conditional and idempotent request headers every resource reads the same way (meetings, commitments).</summary>
public static class RequestHeaders
{
    public const int MaxIdempotencyKeyLength = 200;

    /// <summary>The optional <c>Idempotency-Key</c>: 1 to 200 visible ASCII characters, once.</summary>
    public static (string? Key, IActionResult? Problem) IdempotencyKey(HttpRequest request)
    {
        if (!request.Headers.TryGetValue("Idempotency-Key", out var keys)) return (null, null);
        var key = keys.ToString();
        return keys.Count != 1 || key.Length is 0 or > MaxIdempotencyKeyLength || key.Any(c => c is < '!' or > '~')
            ? (null, Problems.Invalid(request, "Idempotency-Key", $"must be 1 to {MaxIdempotencyKeyLength} visible ASCII characters"))
            : (key, null);
    }

    /// <summary>The optional <c>If-Match</c>: a version (null for <c>*</c> or no header), or why it is not one of ours.</summary>
    public static (long? Version, IActionResult? Problem) IfMatch(HttpRequest request)
    {
        if (!request.Headers.TryGetValue("If-Match", out var ifMatch)) return (null, null);
        return ETags.TryParse(ifMatch.ToString(), out var version)
            ? (version, null)
            : (null, Problems.Invalid(request, "If-Match", "must be an ETag such as \"3\""));
    }

    /// <summary>428 when a change that must not overwrite another's comes without <c>If-Match</c>.</summary>
    public static IActionResult? RequireIfMatch(HttpRequest request, string resource) => request.Headers.ContainsKey("If-Match")
        ? null
        : Problems.Field(request, StatusCodes.Status428PreconditionRequired, "precondition-required", "If-Match required",
            "If-Match", $"is required: send the ETag from GET {resource} so a concurrent change is not overwritten");
}

/// <summary>ETags are the resource's version: <c>"7"</c>. If-Match accepts it strong or weak, or <c>*</c>.</summary>
public static class ETags
{
    public static string For(long version) => "\"" + version.ToString(CultureInfo.InvariantCulture) + "\"";

    /// <summary>Null version with true = "*"; false when the header is not a single ETag of ours.</summary>
    public static bool TryParse(string header, out long? version)
    {
        version = null;
        var value = header.Trim();
        if (value == "*") return true;
        if (value.StartsWith("W/", StringComparison.Ordinal)) value = value[2..];
        if (value.Length < 3 || value[0] != '"' || value[^1] != '"') return false;
        if (!long.TryParse(value[1..^1], NumberStyles.None, CultureInfo.InvariantCulture, out var v) || v < 1) return false;
        version = v;
        return true;
    }
}
