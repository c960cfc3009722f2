using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.WebUtilities;
using Microsoft.Azure.Functions.Worker;
using Microsoft.Extensions.Primitives;
using Summit.Functions.Http;
using Summit.Reminders.Meetings;

namespace Summit.LocalHost.DevIdentity;

/// <summary>The body of POST /admin/dev-tokens.</summary>
public sealed record DevTokenRequest(string? Name, string? Email, IReadOnlyList<string?>? Roles);

/// <summary>
/// A small OpenID Connect provider for local runs, so every sign-in and role rule is exercised on one machine as it is
/// against Entra ID: discovery, a JSON Web Key Set, the authorization code flow with PKCE (S256 only) for the console, and
/// <c>POST /admin/dev-tokens</c> (master key) for scripts and tests. Bad input is an RFC 9457 problem naming the field
/// (the token endpoint's also carry OAuth's <c>error</c> code). The log has object ids only, never names, addresses,
/// codes or tokens.
/// </summary>
public static partial class DevIdentityEndpoints
{
    public const string DevTokensPath = "/admin/dev-tokens";

    public static IServiceCollection AddDevIdentity(this IServiceCollection services, DevIdentitySettings settings, DevSigningKey key) =>
        services.AddSingleton(settings).AddSingleton(key).AddSingleton<DevTokenIssuer>().AddSingleton<AuthorizationCodes>();

    public static void MapDevIdentity(this WebApplication app)
    {
        var settings = app.Services.GetRequiredService<DevIdentitySettings>();
        var local = app.Services.GetRequiredService<LocalHostOptions>();
        var key = app.Services.GetRequiredService<DevSigningKey>();
        var issuer = app.Services.GetRequiredService<DevTokenIssuer>();
        var codes = app.Services.GetRequiredService<AuthorizationCodes>();
        var log = app.Services.GetRequiredService<ILoggerFactory>().CreateLogger("Summit.LocalHost.DevIdentity");
        var path = DevIdentitySettings.PathBase;

        app.MapGet(path + "/.well-known/openid-configuration", (HttpContext context) =>
        {
            AllowOwnOrigins(context, local);
            return Results.Json(new Dictionary<string, object>
            {
                ["issuer"] = settings.Authority,
                ["authorization_endpoint"] = settings.Authority + "/authorize",
                ["token_endpoint"] = settings.Authority + "/token",
                ["jwks_uri"] = settings.Authority + "/keys",
                ["response_types_supported"] = new[] { "code" },
                ["grant_types_supported"] = new[] { "authorization_code" },
                ["code_challenge_methods_supported"] = new[] { "S256" },
                ["subject_types_supported"] = new[] { "public" },
                ["id_token_signing_alg_values_supported"] = new[] { "RS256" },
                ["token_endpoint_auth_methods_supported"] = new[] { "none" },
                ["scopes_supported"] = new[] { settings.Scope },
                ["claims_supported"] = new[] { "iss", "aud", "exp", "nbf", "iat", "oid", "sub", "tid", "name", "preferred_username", "roles", "scp", "azp", "ver" },
            });
        });

        app.MapGet(path + "/keys", (HttpContext context) =>
        {
            AllowOwnOrigins(context, local);
            return Results.Json(new { keys = new[] { key.Public } });
        });

        app.MapGet(path + "/authorize", async (HttpContext context) =>
        {
            if (NotFromThisMachine(context) is { } refused) return await LocalEndpoints.WriteAsync(context, refused);
            var (request, problem) = ReadAuthorizeRequest(context.Request, context.Request.Query, settings, local);
            if (problem is not null) return await LocalEndpoints.WriteAsync(context, problem);
            return Page(context, request!, "", "", new HashSet<string>(), new Dictionary<string, string>(), StatusCodes.Status200OK);
        });

        app.MapPost(path + "/authorize", async (HttpContext context) =>
        {
            if (NotFromThisMachine(context) is { } refused) return await LocalEndpoints.WriteAsync(context, refused);
            if (!context.Request.HasFormContentType)
                return await LocalEndpoints.WriteAsync(context, UnsupportedMediaType(context.Request));
            var form = await context.Request.ReadFormAsync(context.RequestAborted);
            var (request, problem) = ReadAuthorizeRequest(context.Request, form, settings, local);
            if (problem is not null) return await LocalEndpoints.WriteAsync(context, problem);
            if (form.ContainsKey("cancel"))
                return Redirect(context, request!.RedirectUri, ("error", "access_denied"), ("error_description", "The user cancelled the sign-in."), ("state", request.State));

            var errors = new List<FieldError>();
            var name = FieldRules.SingleLine(form["name"].ToString(), "name", MeetingLimits.NameMaxLength, required: true, errors);
            var email = FieldRules.Email(form["email"].ToString(), "email", errors);
            var roles = form["role"].Where(r => r is not null).Select(r => r!).Distinct(StringComparer.Ordinal).ToList();
            if (roles.FirstOrDefault(r => !DevRoles.IsRole(r)) is { } unknown)
                errors.Add(new("roles", $"'{FieldRules.Clip(unknown)}' is not a role: use {DevRoles.Known}"));
            if (errors.Count > 0)
            {
                return Page(context, request!, form["name"].ToString(), form["email"].ToString(), roles.ToHashSet(),
                    errors.GroupBy(e => e.Field).ToDictionary(g => g.Key, g => g.First().Message), StatusCodes.Status400BadRequest);
            }
            var person = new DevPerson(name!, email!, roles);
            var code = codes.Issue(request!.ClientId, request.RedirectUri, request.CodeChallenge, person);
            Log.CodeIssued(log, person.ObjectId, roles.Count);
            return Redirect(context, request.RedirectUri, ("code", code), ("state", request.State));
        });

        app.MapPost(path + "/token", async (HttpContext context) =>
        {
            if (NotFromThisMachine(context) is { } refused) return await LocalEndpoints.WriteAsync(context, refused);
            AllowOwnOrigins(context, local);
            context.Response.Headers.CacheControl = "no-store";
            if (!context.Request.HasFormContentType)
                return await LocalEndpoints.WriteAsync(context, UnsupportedMediaType(context.Request));
            var form = await context.Request.ReadFormAsync(context.RequestAborted);
            var (person, clientId, problem) = Redeem(context.Request, form, codes);
            if (problem is not null)
            {
                Log.TokenRefused(log, ((ProblemDetails)((ObjectResult)problem).Value!).Extensions["error"]?.ToString());
                return await LocalEndpoints.WriteAsync(context, problem);
            }
            Log.TokenIssued(log, person!.ObjectId, "authorization_code", person.Roles.Count);
            return Results.Json(new Dictionary<string, object>
            {
                ["access_token"] = issuer.Issue(person, clientId!),
                ["token_type"] = "Bearer",
                ["expires_in"] = (int)DevTokenIssuer.Lifetime.TotalSeconds,
                ["scope"] = settings.Scope,
            });
        });

        app.MapPost(DevTokensPath, async (HttpContext context) =>
        {
            if (!local.Allows(context.Request, AuthorizationLevel.Admin))
                return await LocalEndpoints.WriteAsync(context, LocalEndpoints.Unauthorized(context.Request, AuthorizationLevel.Admin));
            context.Response.Headers.CacheControl = "no-store";
            var (body, problem) = await JsonBody.ReadAsync<DevTokenRequest>(context.Request, context.RequestAborted);
            if (problem is not null) return await LocalEndpoints.WriteAsync(context, problem);
            var errors = new List<FieldError>();
            var name = FieldRules.SingleLine(body!.Name, "name", MeetingLimits.NameMaxLength, required: true, errors);
            var email = FieldRules.Email(body.Email, "email", errors);
            var roles = body.Roles ?? [];
            for (var i = 0; i < roles.Count; i++)
                if (!DevRoles.IsRole(roles[i]))
                    errors.Add(new($"roles[{i}]", roles[i] is null ? "must be a role name" : $"'{FieldRules.Clip(roles[i]!)}' is not a role: use {DevRoles.Known}"));
            if (errors.Count > 0) return await LocalEndpoints.WriteAsync(context, Problems.Validation(context.Request, errors));
            var person = new DevPerson(name!, email!, roles.Select(r => r!).Distinct(StringComparer.Ordinal).ToList());
            Log.TokenIssued(log, person.ObjectId, "dev-tokens", person.Roles.Count);
            return Results.Json(new { accessToken = issuer.Issue(person, DevTokenIssuer.ScriptClientId), tokenType = "Bearer", expiresIn = (int)DevTokenIssuer.Lifetime.TotalSeconds });
        });
    }

    /// <summary>The OAuth parameters of GET or POST /authorize. The client and redirect URI are checked first: until both
    /// are known good, nothing may be sent to the redirect URI (RFC 6749 4.1.2.1), so every refusal is a problem here.</summary>
    private static (AuthorizeRequest?, IActionResult?) ReadAuthorizeRequest(HttpRequest http, IEnumerable<KeyValuePair<string, StringValues>> parameters,
        DevIdentitySettings settings, LocalHostOptions local)
    {
        var values = parameters.ToDictionary(p => p.Key, p => p.Value, StringComparer.Ordinal);
        foreach (var name in new[] { "client_id", "redirect_uri", "response_type", "code_challenge", "code_challenge_method", "state", "scope" })
            if (values.TryGetValue(name, out var repeated) && repeated.Count > 1)
                return (null, Problems.Invalid(http, name, "appears more than once"));
        string? One(string name) => values.TryGetValue(name, out var v) && !StringValues.IsNullOrEmpty(v) ? v.ToString() : null;

        var clientId = One("client_id");
        if (clientId != settings.ClientId)
            return (null, Problems.Invalid(http, "client_id", clientId is null ? "is required" : $"is not a client of this provider (the console is {settings.ClientId})"));
        var redirect = One("redirect_uri");
        if (redirect is null || !settings.IsOwnRedirect(redirect, local))
            return (null, Problems.Invalid(http, "redirect_uri", redirect is null ? "is required" : "must be an http URL on this host's own origin, without a fragment"));
        if (One("response_type") != "code")
            return (null, Problems.Invalid(http, "response_type", "must be code (the authorization code flow)"));
        if (One("code_challenge_method") != "S256")
            return (null, Problems.Invalid(http, "code_challenge_method", "must be S256 (PKCE is required, plain is not accepted)"));
        var challenge = One("code_challenge");
        if (challenge is null || !AuthorizationCodes.IsS256Challenge(challenge))
            return (null, Problems.Invalid(http, "code_challenge", "must be the base64url SHA-256 of the code verifier (43 characters)"));
        var state = One("state");
        if (state is { Length: > 1024 }) return (null, Problems.Invalid(http, "state", "must be at most 1024 characters"));
        var scope = One("scope");
        if (scope is { Length: > 1024 }) return (null, Problems.Invalid(http, "scope", "must be at most 1024 characters"));
        return (new AuthorizeRequest(clientId, redirect, challenge, state, scope), null);
    }

    private static (DevPerson?, string?, IActionResult?) Redeem(HttpRequest http, IFormCollection form, AuthorizationCodes codes)
    {
        IActionResult Refuse(string error, string field, string message)
        {
            var result = (ObjectResult)Problems.Invalid(http, field, message);
            ((ProblemDetails)result.Value!).Extensions["error"] = error;
            return result;
        }
        foreach (var name in new[] { "grant_type", "code", "code_verifier", "redirect_uri", "client_id" })
        {
            if (form[name].Count > 1) return (null, null, Refuse("invalid_request", name, "appears more than once"));
            if (StringValues.IsNullOrEmpty(form[name])) return (null, null, Refuse(name == "grant_type" ? "unsupported_grant_type" : "invalid_request", name, "is required"));
        }
        if (form["grant_type"] != "authorization_code")
            return (null, null, Refuse("unsupported_grant_type", "grant_type", "must be authorization_code"));
        var verifier = form["code_verifier"].ToString();
        if (!AuthorizationCodes.IsVerifier(verifier))
            return (null, null, Refuse("invalid_request", "code_verifier", "must be 43 to 128 characters of letters, digits, '-', '.', '_' and '~'"));
        if (codes.Redeem(form["code"].ToString()) is not { } grant)
            return (null, null, Refuse("invalid_grant", "code", "is not a code this provider issued, has been used already or has expired (codes last 5 minutes)"));
        if (form["client_id"] != grant.ClientId)
            return (null, null, Refuse("invalid_grant", "client_id", "is not the client the code was issued to"));
        if (form["redirect_uri"] != grant.RedirectUri)
            return (null, null, Refuse("invalid_grant", "redirect_uri", "is not the redirect URI the code was issued for"));
        if (!AuthorizationCodes.VerifierMatches(verifier, grant.CodeChallenge))
            return (null, null, Refuse("invalid_grant", "code_verifier", "does not match the code challenge (PKCE S256)"));
        return (grant.Person, grant.ClientId, null);
    }

    private static IResult Page(HttpContext context, AuthorizeRequest request, string name, string email, IReadOnlySet<string> roles,
        IReadOnlyDictionary<string, string> errors, int status)
    {
        var headers = context.Response.Headers;
        headers.ContentSecurityPolicy = SignInPage.ContentSecurityPolicy(request.RedirectUri);
        headers.CacheControl = "no-store";
        headers.XContentTypeOptions = "nosniff";
        headers["Referrer-Policy"] = "no-referrer";
        return Results.Content(SignInPage.Render(request, name, email, roles, errors), "text/html; charset=utf-8", statusCode: status);
    }

    private static IResult Redirect(HttpContext context, string redirectUri, params (string Name, string? Value)[] parameters)
    {
        var target = redirectUri;
        foreach (var (name, value) in parameters)
            if (value is not null) target = QueryHelpers.AddQueryString(target, name, value);
        context.Response.Headers.CacheControl = "no-store";
        context.Response.Headers["Referrer-Policy"] = "no-referrer";
        // 303: the browser follows a POST's answer with a GET.
        context.Response.Headers.Location = target;
        return Results.StatusCode(StatusCodes.Status303SeeOther);
    }

    private static IActionResult UnsupportedMediaType(HttpRequest request) =>
        Problems.Field(request, StatusCodes.Status415UnsupportedMediaType, "unsupported-media-type", "Unsupported media type", "Content-Type",
            "must be application/x-www-form-urlencoded");

    /// <summary>A console opened on another loopback name of this host (localhost rather than 127.0.0.1) reads the metadata,
    /// keys and tokens across origins, as browsers read Entra ID's.</summary>
    private static void AllowOwnOrigins(HttpContext context, LocalHostOptions local)
    {
        var origin = context.Request.Headers.Origin.ToString();
        if (origin.Length == 0 || !Uri.TryCreate(origin, UriKind.Absolute, out var uri) || uri.Scheme != Uri.UriSchemeHttp || uri.Port != local.Port) return;
        if (uri.Host.Trim('[', ']') is not ("localhost" or "127.0.0.1" or "::1") && uri.Host != local.Address) return;
        context.Response.Headers.AccessControlAllowOrigin = origin;
        context.Response.Headers.Vary = "Origin";
    }

    private static partial class Log
    {
        [LoggerMessage(EventId = 9100, Level = LogLevel.Information, Message = "Local identity: authorization code issued for {ObjectId} ({RoleCount} roles)")]
        public static partial void CodeIssued(ILogger logger, Guid objectId, int roleCount);

        [LoggerMessage(EventId = 9101, Level = LogLevel.Information, Message = "Local identity: access token issued for {ObjectId} through {Flow} ({RoleCount} roles)")]
        public static partial void TokenIssued(ILogger logger, Guid objectId, string flow, int roleCount);

        [LoggerMessage(EventId = 9102, Level = LogLevel.Information, Message = "Local identity: token request refused ({Error})")]
        public static partial void TokenRefused(ILogger logger, string? error);
    }

    /// <summary>
    /// Anyone may sign in as anyone with any role here, so only from this machine: with <c>LocalHost:AllowRemote</c> the
    /// API is reachable from the network, and this issuer must not hand an operator token to whoever asks (the worker
    /// trusts it because its authority is on loopback). The master-key call <c>/admin/dev-tokens</c> stays for scripts.
    /// </summary>
    public static Microsoft.AspNetCore.Mvc.IActionResult? NotFromThisMachine(HttpContext context) =>
        IsLoopback(context.Connection.RemoteIpAddress) ? null
            : Summit.Functions.Http.Problems.Field(context.Request, StatusCodes.Status403Forbidden, "forbidden", "Only from this machine",
                "client", "is not on this machine: the local sign-in issues tokens to local callers only");

    public static bool IsLoopback(System.Net.IPAddress? address) =>
        address is not null && System.Net.IPAddress.IsLoopback(address.IsIPv4MappedToIPv6 ? address.MapToIPv4() : address);
}
