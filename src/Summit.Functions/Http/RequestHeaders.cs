using System.Globalization;

namespace Summit.Functions.Http;

/// <summary>ETags are the meeting version: <c>"7"</c>. If-Match accepts it strong or weak, or <c>*</c>.</summary>
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
