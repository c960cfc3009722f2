using System.Security.Cryptography;
using System.Text;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Protocols;
using Microsoft.IdentityModel.Protocols.OpenIdConnect;
using Microsoft.IdentityModel.Tokens;
using Summit.Reminders.Audit;
using Summit.Reminders.Identity;

namespace Summit.Functions.Identity;

/// <summary>The outcome of authenticating a request.</summary>
public abstract record Authentication
{
    public sealed record Authenticated(Caller Caller) : Authentication;
    /// <summary>No credentials at all.</summary>
    public sealed record Missing : Authentication;
    /// <summary>Credentials that do not hold: <paramref name="Field"/> names where they were (Authorization, x-functions-key).</summary>
    public sealed record Refused(string Field, string Message) : Authentication;
    /// <summary>A token that cannot be checked now: the sign-in authority's keys cannot be read. Not the caller's fault.</summary>
    public sealed record Unavailable : Authentication;
}

/// <summary>
/// Authenticates a request in the worker: an Entra ID access token (<c>Authorization: Bearer</c>) validated against the
/// authority's OpenID Connect metadata (issuer, signing keys, audience, lifetime on the app's <see cref="TimeProvider"/>),
/// or an automation key (<see cref="AutomationOptions"/>). The HTTP triggers are anonymous to the Functions host, which
/// cannot check a token, so this is the only door (docs/architecture.md, "Who may do what"). Logs carry no token, key,
/// name or address: only the reason and, for a user, the object id.
/// </summary>
public sealed partial class CallerAuthentication(
    IOptions<IdentityOptions> identity, IOptions<AutomationOptions> automation, OpenIdMetadata metadata, TimeProvider time,
    ILogger<CallerAuthentication> logger)
{
    private readonly IdentityOptions _identity = identity.Value;
    private readonly IReadOnlyList<(string Name, byte[] Hash, Access Access)> _keys = automation.Value.Keys
        // An unresolved Key Vault reference is the reference's own text, which must never become a key anyone could send.
        .Where(k => k.Value.Secret is { Length: >= AutomationOptions.MinimumSecretLength } secret
            && !secret.StartsWith("@Microsoft.KeyVault(", StringComparison.OrdinalIgnoreCase))
        .Select(k => (k.Key, SHA256.HashData(Encoding.UTF8.GetBytes(k.Value.Secret!)), Access.FromRoles(IdentityOptions.Split(k.Value.Roles))))
        .ToList();
    private readonly JsonWebTokenHandler _tokens = new() { MapInboundClaims = false };
    private static readonly TimeSpan Skew = TimeSpan.FromMinutes(2);

    public const string KeyHeader = "x-functions-key";

    public async Task<Authentication> AuthenticateAsync(HttpRequest request, CancellationToken cancellationToken)
    {
        if (request.Headers.Authorization.Count > 0) return await BearerAsync(request.Headers.Authorization.ToString(), cancellationToken);
        var key = request.Headers.TryGetValue(KeyHeader, out var header) && header.Count > 0 ? header.ToString()
            : request.Query.TryGetValue("code", out var code) && code.Count > 0 ? code.ToString() : null;
        if (key is not null) return Key(key, request.Headers.ContainsKey(KeyHeader) ? KeyHeader : "code");
        return new Authentication.Missing();
    }

    private Authentication Key(string presented, string field)
    {
        var hash = SHA256.HashData(Encoding.UTF8.GetBytes(presented));
        foreach (var (name, expected, access) in _keys)
            if (CryptographicOperations.FixedTimeEquals(hash, expected))
                return new Authentication.Authenticated(new Caller(Actor.Key(name), access));
        LogRefused(logger, "unknown key");
        return new Authentication.Refused(field, "is not a key this app knows");
    }

    private async Task<Authentication> BearerAsync(string header, CancellationToken cancellationToken)
    {
        const string field = "Authorization";
        if (!header.StartsWith("Bearer ", StringComparison.OrdinalIgnoreCase) || header.Length <= 7)
            return new Authentication.Refused(field, "must be 'Bearer ' and an access token");
        if (string.IsNullOrWhiteSpace(_identity.Authority) || _identity.Audiences.Count == 0)
            return new Authentication.Refused(field, "holds a token, but sign-in is not configured on this app (Identity:Authority, Identity:Audience)");
        var token = header[7..].Trim();

        if (await MetadataAsync(refresh: false, cancellationToken) is not { } configuration) return new Authentication.Unavailable();
        var result = await ValidateAsync(token, configuration);
        // Keys roll over: a token signed with a key we have not seen yet is checked again with metadata read at once
        // (at most every five minutes: OpenIdMetadata).
        if (result.Exception is SecurityTokenSignatureKeyNotFoundException)
        {
            if (await MetadataAsync(refresh: true, cancellationToken) is not { } fresh) return new Authentication.Unavailable();
            result = await ValidateAsync(token, fresh);
        }
        if (!result.IsValid)
        {
            LogRefused(logger, result.Exception?.GetType().Name ?? "invalid token");
            return new Authentication.Refused(field, Reason(result.Exception));
        }
        var claims = result.ClaimsIdentity;
        var objectId = claims.FindFirst("oid")?.Value;
        if (string.IsNullOrEmpty(objectId))
            return new Authentication.Refused(field, "holds a token without an oid claim (an access token of a user or an application is needed)");
        // An Entra ID v2.0 access token names the client it was issued to (azp); an ID token for the same app does not,
        // and must not pass for one.
        if (string.IsNullOrEmpty(claims.FindFirst("azp")?.Value))
            return new Authentication.Refused(field, "holds a token without an azp claim: an access token for this API is needed, not an ID token");
        var name = claims.FindFirst("name")?.Value;
        var roles = claims.FindAll("roles").Select(c => c.Value);
        return new Authentication.Authenticated(new Caller(Actor.User(objectId, name), Access.FromRoles(roles)));
    }

    private async Task<TokenValidationResult> ValidateAsync(string token, OpenIdConnectConfiguration configuration)
    {
        var parameters = new TokenValidationParameters
        {
            ValidIssuer = configuration.Issuer,
            ValidAudiences = _identity.Audiences,
            IssuerSigningKeys = configuration.SigningKeys,
            ValidateIssuer = true,
            ValidateAudience = true,
            ValidateLifetime = true,
            RequireExpirationTime = true,
            RequireSignedTokens = true,
            ValidateIssuerSigningKey = true,
            ClockSkew = Skew,
            // Lifetime on the app's clock (tests move it), with the same skew as the library's own check.
            LifetimeValidator = (notBefore, expires, _, _) =>
            {
                var now = time.GetUtcNow().UtcDateTime;
                return expires is { } until && now <= until + Skew && (notBefore is not { } from || from - Skew <= now);
            },
            ValidAlgorithms = [SecurityAlgorithms.RsaSha256],
        };
        return await _tokens.ValidateTokenAsync(token, parameters);
    }

    /// <summary>The authority's metadata, or null when it cannot be read (logged): a token cannot be checked then.</summary>
    private async Task<OpenIdConnectConfiguration?> MetadataAsync(bool refresh, CancellationToken cancellationToken)
    {
        try
        {
            return await metadata.GetAsync(refresh, cancellationToken);
        }
        catch (Exception ex) when (ex is InvalidOperationException or IOException or HttpRequestException)
        {
            LogMetadataUnavailable(logger, ex.GetType().Name);
            return null;
        }
    }

    private static string Reason(Exception? exception) => exception switch
    {
        SecurityTokenExpiredException or SecurityTokenInvalidLifetimeException or SecurityTokenNoExpirationException => "holds a token that has expired (or is not valid yet); sign in again",
        SecurityTokenInvalidAudienceException => "holds a token for another application (aud)",
        SecurityTokenInvalidIssuerException => "holds a token from another issuer (iss)",
        SecurityTokenSignatureKeyNotFoundException or SecurityTokenInvalidSignatureException => "holds a token whose signature does not verify",
        SecurityTokenMalformedException or ArgumentException => "holds something that is not a token",
        _ => "holds a token that is not valid",
    };

    [LoggerMessage(Level = LogLevel.Warning, Message = "Refused a request's credentials: {Reason}")]
    private static partial void LogRefused(ILogger logger, string reason);

    [LoggerMessage(Level = LogLevel.Warning, Message = "The sign-in authority's metadata cannot be read ({Error})")]
    private static partial void LogMetadataUnavailable(ILogger logger, string error);
}

/// <summary>
/// The authority's OpenID Connect metadata (issuer and signing keys), cached and refreshed by
/// <see cref="ConfigurationManager{T}"/>. When a token names a key the cache does not hold (Entra ID rolled its keys),
/// <see cref="GetAsync"/> with <c>refresh</c> reads the metadata at once, at most every five minutes: the manager's own
/// refresh runs in the background and would check the token against the old keys again. Tests replace it with a fixed
/// configuration.
/// </summary>
public class OpenIdMetadata
{
    private static readonly TimeSpan ForcedRefreshInterval = TimeSpan.FromMinutes(5);
    private readonly IConfigurationManager<OpenIdConnectConfiguration>? _manager;
    private readonly string? _address;
    private readonly IDocumentRetriever? _retriever;
    private readonly TimeProvider _time = TimeProvider.System;
    private readonly SemaphoreSlim _forcing = new(1, 1);
    private DateTimeOffset _lastForced = DateTimeOffset.MinValue;
    private OpenIdConnectConfiguration? _forced;

    public OpenIdMetadata(IOptions<IdentityOptions> options, IHttpClientFactory clients, TimeProvider time)
        : this(options, Retriever(options, clients), time)
    {
    }

    /// <summary>Metadata read through <paramref name="retriever"/> (tests serve the documents themselves).</summary>
    internal OpenIdMetadata(IOptions<IdentityOptions> options, IDocumentRetriever? retriever, TimeProvider time)
    {
        _time = time;
        var authority = options.Value.Authority?.TrimEnd('/');
        if (string.IsNullOrEmpty(authority) || retriever is null) return;
        _address = authority + "/.well-known/openid-configuration";
        _retriever = retriever;
        _manager = new ConfigurationManager<OpenIdConnectConfiguration>(_address, new OpenIdConnectConfigurationRetriever(), retriever);
    }

    /// <summary>A fixed configuration (tests).</summary>
    protected OpenIdMetadata(OpenIdConnectConfiguration configuration) =>
        _manager = new StaticConfigurationManager<OpenIdConnectConfiguration>(configuration);

    private static IDocumentRetriever? Retriever(IOptions<IdentityOptions> options, IHttpClientFactory clients)
    {
        var authority = options.Value.Authority?.TrimEnd('/');
        if (string.IsNullOrEmpty(authority)) return null;
        // Plain http only for a development issuer on this machine (the local host's).
        return new HttpDocumentRetriever(clients.CreateClient(nameof(OpenIdMetadata))) { RequireHttps = !new Uri(authority).IsLoopback };
    }

    public virtual async Task<OpenIdConnectConfiguration> GetAsync(bool refresh, CancellationToken cancellationToken)
    {
        if (_manager is null) throw new InvalidOperationException("Identity:Authority is not set.");
        if (refresh && _address is not null && _retriever is not null && _time.GetUtcNow() - _lastForced >= ForcedRefreshInterval)
        {
            await _forcing.WaitAsync(cancellationToken);
            try
            {
                if (_time.GetUtcNow() - _lastForced >= ForcedRefreshInterval)
                {
                    _lastForced = _time.GetUtcNow();
                    _forced = await OpenIdConnectConfigurationRetriever.GetAsync(_address, _retriever, cancellationToken);
                    _manager.RequestRefresh();
                }
            }
            finally
            {
                _forcing.Release();
            }
        }
        var cached = await _manager.GetConfigurationAsync(cancellationToken);
        if (_forced is not { } fresh || _time.GetUtcNow() - _lastForced > TimeSpan.FromHours(1)) return cached;
        // Until the manager's own refresh lands, the keys read at once count too (same authority, same issuer).
        var merged = new OpenIdConnectConfiguration { Issuer = cached.Issuer };
        foreach (var key in cached.SigningKeys.Concat(fresh.SigningKeys).DistinctBy(k => k.KeyId)) merged.SigningKeys.Add(key);
        return merged;
    }
}
