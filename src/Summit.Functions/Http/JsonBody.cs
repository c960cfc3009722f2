using System.Text.Json;
using System.Text.Json.Serialization;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Net.Http.Headers;
using Summit.Reminders.Meetings;

namespace Summit.Functions.Http;

/// <summary>Strict JSON input: application/json only, at most 256 KB, unknown or repeated fields refused, errors named by path.</summary>
public static class JsonBody
{
    /// <summary>The largest body the JSON endpoints read: 256 KB (docs/api.md).</summary>
    public const int MaxBytes = 256 * 1024;

    public static readonly JsonSerializerOptions Options = new(JsonSerializerDefaults.Web)
    {
        UnmappedMemberHandling = JsonUnmappedMemberHandling.Disallow,
        AllowDuplicateProperties = false,
        DefaultIgnoreCondition = JsonIgnoreCondition.Never,
        Converters = { new JsonStringEnumConverter(JsonNamingPolicy.CamelCase) },
    };

    public static async Task<(T? Value, IActionResult? Problem)> ReadAsync<T>(HttpRequest request, CancellationToken cancellationToken)
        where T : class
    {
        var (body, problem) = await ReadRawAsync(request, MaxBytes, cancellationToken);
        if (problem is not null) return (null, problem);
        if (body!.Length == 0)
            return (null, Problems.Invalid(request, "body", "is empty; send a JSON object"));

        var json = body.AsMemory();
        try
        {
            using var _ = JsonDocument.Parse(json, new JsonDocumentOptions { AllowTrailingCommas = false, CommentHandling = JsonCommentHandling.Disallow });
        }
        catch (JsonException ex)
        {
            return (null, Problems.Field(request, StatusCodes.Status400BadRequest, "malformed-json", "The request body is not valid JSON", "body",
                $"is not valid JSON (line {ex.LineNumber + 1}, byte {ex.BytePositionInLine + 1})"));
        }
        try
        {
            var value = JsonSerializer.Deserialize<T>(json.Span, Options);
            if (value is null)
                return (null, Problems.Invalid(request, "body", "must be a JSON object, not null"));
            return (value, null);
        }
        catch (JsonException ex)
        {
            var (field, message) = Describe(ex);
            return (null, Problems.Field(request, StatusCodes.Status400BadRequest, "invalid-field", "A field has the wrong type or is not known", field, message));
        }
    }

    /// <summary>The body's bytes as sent: application/json only (415), at most <paramref name="maxBytes"/> with or without a
    /// Content-Length (413). For endpoints that must see the raw body (a signature covers it).</summary>
    public static async Task<(byte[]? Body, IActionResult? Problem)> ReadRawAsync(HttpRequest request, int maxBytes, CancellationToken cancellationToken)
    {
        if (!MediaTypeHeaderValue.TryParse(request.ContentType, out var mediaType)
            || !mediaType.MediaType.Equals("application/json", StringComparison.OrdinalIgnoreCase))
            return (null, Problems.Field(request, StatusCodes.Status415UnsupportedMediaType, "unsupported-media-type",
                "Unsupported media type", "Content-Type", "must be application/json"));
        if (request.ContentLength > maxBytes) return (null, TooLarge(request, maxBytes));
        var buffer = new MemoryStream();
        var chunk = new byte[16 * 1024];
        int read;
        while ((read = await request.Body.ReadAsync(chunk, cancellationToken)) > 0)
        {
            buffer.Write(chunk, 0, read);
            if (buffer.Length > maxBytes) return (null, TooLarge(request, maxBytes));
        }
        return (buffer.ToArray(), null);
    }

    private static IActionResult TooLarge(HttpRequest request, int maxBytes) =>
        Problems.Field(request, StatusCodes.Status413PayloadTooLarge, "payload-too-large", "Request body too large", "body",
            $"must be at most {maxBytes / 1024} KB");

    private static (string Field, string Message) Describe(JsonException ex)
    {
        var path = ex.Path is null or "$" ? "body" : ex.Path.StartsWith("$.", StringComparison.Ordinal) ? ex.Path[2..] : ex.Path.TrimStart('$');
        var text = ex.Message;
        if (text.Contains("could not be mapped to any .NET member", StringComparison.Ordinal))
        {
            var start = text.IndexOf('\'') + 1;
            var end = start > 0 ? text.IndexOf('\'', start) : -1;
            var name = end > start ? text[start..end] : "";
            return (path != "body" ? path : name.Length > 0 ? name : "body", "is not a known field");
        }
        if (text.Contains("Duplicate", StringComparison.OrdinalIgnoreCase)) return (path, "appears more than once");
        return (path, "has the wrong type or is not valid JSON here (expected " + Expected(path) + ")");
    }

    private static string Expected(string path) => path switch
    {
        "participants" or "owners" or "reminderOffsets" or "escalateAfter" => "an array",
        "coordinator" or "sendWindow" => "an object",
        "calendarInvitations" or "useSendGridTemplates" => "true or false",
        _ when path.EndsWith(".sendWindow", StringComparison.Ordinal) => "an object",
        _ when (path.StartsWith("participants[", StringComparison.Ordinal) || path.StartsWith("owners[", StringComparison.Ordinal)) && !path.Contains('.') => "an object",
        _ => "a string",
    };
}
