using System.Text;
using System.Text.Json;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Azure.Functions.Worker;
using Microsoft.Extensions.Options;
using Summit.Functions.Http;

namespace Summit.Functions.Console;

/// <summary>
/// The coordinator console at <c>/console/</c>: its static files and <c>config.json</c> (the sign-in settings). Anonymous
/// like the OpenAPI document: the files hold no data and no secret; every call the console makes to <c>/api/</c> carries
/// the coordinator's own bearer token. Strict CSP (scripts and styles from this origin only, no inline script), files
/// revalidated by ETag, the configuration never cached.
/// </summary>
public sealed class ConsoleAssets(ConsoleFiles files, IOptions<Identity.IdentityOptions> identity)
{
    public const string Route = "console/{*path}";

    [Function("ConsoleAssets")]
    [Identity.Needs(Identity.Need.Anonymous)]
    public IActionResult Get(
        [HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = Route)] HttpRequest request)
    {
        var path = request.Path.Value ?? "";
        var start = path.IndexOf("/console", StringComparison.Ordinal);
        var name = start < 0 ? "" : path[(start + "/console".Length)..];
        // Without the slash the page's relative URLs would resolve against the site root.
        if (name.Length == 0) return new RedirectResult("/console/", permanent: true, preserveMethod: true);
        name = name.TrimStart('/');
        if (name.Length == 0) name = "index.html";

        var headers = request.HttpContext.Response.Headers;
        headers.XContentTypeOptions = "nosniff";
        headers["Referrer-Policy"] = "no-referrer"; // the sign-in's answer carries a code in the URL
        headers.ContentSecurityPolicy = ContentSecurityPolicy();
        headers["Cross-Origin-Opener-Policy"] = "same-origin";

        if (name == "config.json") return Config(request);
        if (files.Find(name) is not { } file)
            return Problems.Create(request, StatusCodes.Status404NotFound, "not-found", "Not found", $"The console has no file '{FieldRulesClip(name)}'.",
                [new Summit.Reminders.Meetings.FieldError("path", "is not a file of the console")]);

        headers.CacheControl = "no-cache"; // revalidate every time: a deployment changes the files under the same names
        headers.ETag = file.ETag;
        if (request.Headers.IfNoneMatch.Any(v => v is not null && v.Split(',').Select(t => t.Trim()).Contains(file.ETag)))
            return new StatusCodeResult(StatusCodes.Status304NotModified);
        return new FileContentResult(file.Content, file.ContentType);
    }

    /// <summary>What the console needs to sign in: the OIDC authority, its client id and the API's scopes
    /// (<c>Identity:Authority</c>, <c>Identity:ConsoleClientId</c>, <c>Identity:ConsoleScopes</c>).</summary>
    private IActionResult Config(HttpRequest request)
    {
        request.HttpContext.Response.Headers.CacheControl = "no-store";
        var authority = identity.Value.Authority;
        var clientId = identity.Value.ConsoleClientId;
        if (string.IsNullOrWhiteSpace(authority) || string.IsNullOrWhiteSpace(clientId))
            return Problems.Create(request, StatusCodes.Status503ServiceUnavailable, "not-configured", "Sign-in is not configured",
                "Identity:Authority and Identity:ConsoleClientId must be set for the console to sign in.",
                [new Summit.Reminders.Meetings.FieldError(string.IsNullOrWhiteSpace(authority) ? "Identity:Authority" : "Identity:ConsoleClientId", "is not set")]);
        var scopes = Identity.IdentityOptions.Split(identity.Value.ConsoleScopes);
        var json = JsonSerializer.Serialize(new { authority = authority!.TrimEnd('/'), clientId, scopes, api = "/api" });
        return new ContentResult { StatusCode = StatusCodes.Status200OK, ContentType = "application/json; charset=utf-8", Content = json };
    }

    /// <summary>Scripts, styles and fetches from this origin only, plus the sign-in authority for its metadata and token
    /// endpoint; nothing may frame the console.</summary>
    private string ContentSecurityPolicy()
    {
        var connect = new StringBuilder("'self'");
        if (Uri.TryCreate(identity.Value.Authority, UriKind.Absolute, out var authority))
            connect.Append(' ').Append(authority.GetLeftPart(UriPartial.Authority));
        return $"default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; font-src 'self'; connect-src {connect}; " +
            "form-action 'self'; frame-ancestors 'none'; base-uri 'none'";
    }

    private static string FieldRulesClip(string value) => Summit.Reminders.Meetings.FieldRules.Clip(value);
}
