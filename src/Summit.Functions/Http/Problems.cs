using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Summit.Reminders.Meetings;

namespace Summit.Functions.Http;

/// <summary>RFC 9457 problem details. Every error names the offending field in <c>errors[].field</c>; types are listed in docs/api.md.</summary>
public static class Problems
{
    public const string ContentType = "application/problem+json";
    private const string TypeBase = "https://summit-followups.example/problems/";

    public static IActionResult Validation(HttpRequest request, IReadOnlyList<FieldError> errors) =>
        Create(request, StatusCodes.Status400BadRequest, "validation-error", "The request is not valid",
            errors.Count == 1 ? $"{errors[0].Field} {errors[0].Message}." : $"{errors.Count} fields are not valid; see errors.", errors);

    /// <summary>A 400 for one field: the common case of <see cref="Field"/>.</summary>
    public static IActionResult Invalid(HttpRequest request, string field, string message) =>
        Field(request, StatusCodes.Status400BadRequest, "validation-error", "The request is not valid", field, message);

    public static IActionResult Field(HttpRequest request, int status, string slug, string title, string field, string message) =>
        Create(request, status, slug, title, $"{field} {message}.", [new FieldError(field, message)]);

    public static IActionResult NotFound(HttpRequest request, string what) =>
        Create(request, StatusCodes.Status404NotFound, "not-found", "Not found", $"{what} does not exist.", [new FieldError("id", "is not known")]);

    /// <summary>410 for an erased meeting, with what is left of it (no personal data) under <c>tombstone</c>.</summary>
    public static IActionResult Gone(HttpRequest request, object tombstone, string detail)
    {
        var result = (ObjectResult)Create(request, StatusCodes.Status410Gone, "meeting-erased", "The meeting was erased", detail, [new FieldError("id", "names an erased meeting")]);
        ((ProblemDetails)result.Value!).Extensions["tombstone"] = tombstone;
        return result;
    }

    /// <summary>401: no identity, or one that does not hold. <c>WWW-Authenticate</c> says how to authenticate (RFC 6750).</summary>
    public static IActionResult Unauthorized(HttpRequest request, string field, string message, string? bearerError)
    {
        request.HttpContext.Response.Headers.WWWAuthenticate = bearerError is null
            ? "Bearer realm=\"summit-followups\""
            : $"Bearer realm=\"summit-followups\", error=\"{bearerError}\"";
        return Field(request, StatusCodes.Status401Unauthorized, "unauthorized", "Sign-in required", field, message);
    }

    /// <summary>403: the caller is known, and their roles do not allow this (a track they do not coordinate, a missing role).</summary>
    public static IActionResult Forbidden(HttpRequest request, Summit.Reminders.Identity.Refusal refusal) =>
        Field(request, StatusCodes.Status403Forbidden, "forbidden", "Not allowed for your roles", refusal.Field, refusal.Message);

    public static IActionResult Unavailable(HttpRequest request, string dependency) =>
        Create(request, StatusCodes.Status503ServiceUnavailable, "dependency-unavailable", "Service temporarily unavailable",
            $"{dependency} cannot be reached right now. Nothing was changed; try again shortly.", []);

    public static IActionResult Create(HttpRequest request, int status, string slug, string title, string detail, IReadOnlyList<FieldError> errors)
    {
        var problem = new ProblemDetails
        {
            Type = TypeBase + slug,
            Title = title,
            Status = status,
            Detail = detail,
            Instance = request.Path.Value,
        };
        problem.Extensions["errors"] = errors.Select(e => new { field = e.Field, message = e.Message }).ToList();
        var result = new ObjectResult(problem) { StatusCode = status, ContentTypes = { ContentType } };
        return result;
    }
}
