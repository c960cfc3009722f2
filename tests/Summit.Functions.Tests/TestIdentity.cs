using System.Security.Cryptography;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Protocols.OpenIdConnect;
using Microsoft.IdentityModel.Tokens;
using Summit.Functions.Identity;

namespace Summit.Functions.Tests;

/// <summary>
/// A stand-in for an Entra ID tenant in tests: its issuer, its signing key (served to the app as the authority's
/// metadata would be) and access tokens shaped like Entra ID v2.0 ones (oid, name, roles). Another key, issuer or
/// audience makes the tokens a test needs to be refused. The local host has a real HTTP issuer (its tests cover the
/// metadata request itself).
/// </summary>
public sealed class TestIdentity
{
    public const string Issuer = "https://login.test.example/7c0a5f1e-0000-4000-8000-000000000001/v2.0";
    public const string Audience = "api://summit-followups-test";
    public const string AutomationKey = "test-automation-key-0123456789";
    public const string AutomationKeyName = "test-automation";
    public const string ConsoleClientId = "5d3f0b9e-0000-4000-8000-00000000c0de";

    private static readonly RsaSecurityKey Signing = NewKey("test-signing-key");
    private static readonly RsaSecurityKey Stranger = NewKey("someone-elses-key");

    public static void Configure(Dictionary<string, string?> settings)
    {
        settings["Identity:Authority"] = Issuer;
        settings["Identity:Audience"] = Audience;
        settings[$"Automation:Keys:{AutomationKeyName}:Secret"] = AutomationKey;
        settings[$"Automation:Keys:{AutomationKeyName}:Roles"] = "coordinator.* observer operator";
    }

    /// <summary>The authority's metadata without an HTTP round trip: the issuer and our signing key.</summary>
    public static void Compose(IServiceCollection services) =>
        services.AddSingleton<OpenIdMetadata>(new FixedMetadata(Issuer, Signing));

    public static string Token(string name, IReadOnlyList<string> roles, DateTimeOffset now, TimeSpan? lifetime = null,
        string issuer = Issuer, string audience = Audience, bool foreignKey = false, string? objectId = null, bool idToken = false)
    {
        var claims = new Dictionary<string, object>
        {
            ["oid"] = objectId ?? ObjectId(name),
            ["name"] = name,
            ["preferred_username"] = name.Replace(' ', '.').ToLowerInvariant() + "@gov.test.example",
            ["roles"] = roles.ToArray(),
            ["tid"] = "7c0a5f1e-0000-4000-8000-000000000001",
            ["azp"] = ConsoleClientId,
            ["scp"] = "access_as_user",
            ["ver"] = "2.0",
        };
        if (idToken)
        {
            // What Entra ID puts in an ID token for the same app: no azp, no scp.
            claims.Remove("azp");
            claims.Remove("scp");
        }
        var issuedAt = now.UtcDateTime;
        return new JsonWebTokenHandler().CreateToken(new SecurityTokenDescriptor
        {
            Issuer = issuer,
            Audience = audience,
            Claims = claims,
            IssuedAt = issuedAt,
            NotBefore = issuedAt,
            Expires = issuedAt + (lifetime ?? TimeSpan.FromHours(1)),
            SigningCredentials = new SigningCredentials(foreignKey ? Stranger : Signing, SecurityAlgorithms.RsaSha256),
        });
    }

    /// <summary>A stable object id per name, as Entra ID gives one person one id.</summary>
    public static string ObjectId(string name) => new Guid(MD5.HashData(System.Text.Encoding.UTF8.GetBytes(name))).ToString();

    private static RsaSecurityKey NewKey(string id) => new(RSA.Create(2048)) { KeyId = id };

    private sealed class FixedMetadata(string issuer, SecurityKey key) : OpenIdMetadata(Configuration(issuer, key))
    {
        private static OpenIdConnectConfiguration Configuration(string issuer, SecurityKey key)
        {
            var configuration = new OpenIdConnectConfiguration { Issuer = issuer };
            configuration.SigningKeys.Add(key);
            return configuration;
        }
    }
}
