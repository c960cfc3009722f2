using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.AspNetCore.Mvc;

namespace Summit.Functions.Http;

/// <summary>
/// A small form (<c>application/x-www-form-urlencoded</c> or <c>multipart/form-data</c>), read with bounds whether the body
/// has a Content-Length or comes chunked: over <c>maxBytes</c> is a 413, more than <c>maxFields</c> values or a form that
/// does not parse a 400, each a problem naming <c>body</c> (as <see cref="JsonBody"/> does).
/// </summary>
public static class FormBody
{
    public static async Task<(IFormCollection? Form, IActionResult? Problem)> ReadAsync(HttpRequest request, int maxBytes, int maxFields,
        CancellationToken cancellationToken)
    {
        if (request.ContentLength > maxBytes) return (null, TooLarge(request, maxBytes));

        // A chunked body has no length to check first: read at most one byte more than allowed, then parse only that.
        var buffer = new byte[maxBytes + 1];
        var length = 0;
        try
        {
            int read;
            while (length < buffer.Length && (read = await request.Body.ReadAsync(buffer.AsMemory(length), cancellationToken)) > 0)
                length += read;
        }
        catch (BadHttpRequestException)
        {
            // A broken chunked encoding (or a body that ends early): the client's fault, not ours.
            return (null, NotAForm(request));
        }
        if (length > maxBytes) return (null, TooLarge(request, maxBytes));

        request.Body = new MemoryStream(buffer, 0, length, writable: false);
        IFormCollection form;
        try
        {
            // The parser's own limits cannot be reached in maxBytes; the field count is checked below, with its own answer.
            form = await request.ReadFormAsync(new FormOptions { ValueCountLimit = maxBytes, MultipartBodyLengthLimit = maxBytes }, cancellationToken);
        }
        catch (Exception ex) when (ex is InvalidDataException or IOException)
        {
            return (null, NotAForm(request));
        }
        if (form.Sum(field => field.Value.Count) + form.Files.Count > maxFields)
            return (null, Problems.Invalid(request, "body",
                $"must have at most {maxFields} fields"));
        return (form, null);
    }

    private static IActionResult NotAForm(HttpRequest request) =>
        Problems.Invalid(request, "body", "is not a valid form");

    private static IActionResult TooLarge(HttpRequest request, int maxBytes) =>
        Problems.Field(request, StatusCodes.Status413PayloadTooLarge, "payload-too-large", "Request body too large", "body",
            $"must be at most {maxBytes / 1024} KB");
}
