using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;

namespace Summit.LocalHost.DevIdentity;

/// <summary>Access tokens shaped like Entra ID v2 access tokens (RS256 with <c>kid</c>; <c>oid</c>, <c>name</c>,
/// <c>preferred_username</c>, <c>roles</c>, <c>scp</c>, <c>tid</c>, <c>ver</c>), signed by <see cref="DevSigningKey"/>.</summary>
public sealed class DevTokenIssuer(DevSigningKey key, DevIdentitySettings settings, TimeProvider time)
{
    public static readonly TimeSpan Lifetime = TimeSpan.FromHours(1);

    /// <summary>The client a token from POST /admin/dev-tokens names as <c>azp</c>: not the console, a script.</summary>
    public const string ScriptClientId = "summit-local-dev-tokens";

    public string Issue(DevPerson person, string clientId)
    {
        var now = time.GetUtcNow().UtcDateTime;
        var oid = person.ObjectId.ToString();
        var descriptor = new SecurityTokenDescriptor
        {
            Issuer = settings.Authority,
            Audience = settings.Audience,
            IssuedAt = now,
            NotBefore = now,
            Expires = now + Lifetime,
            SigningCredentials = key.Signing,
            Claims = new Dictionary<string, object>
            {
                ["oid"] = oid,
                ["sub"] = oid,
                ["tid"] = DevRoles.TenantId.ToString(),
                ["name"] = person.Name,
                ["preferred_username"] = person.Email,
                ["roles"] = person.Roles.ToArray(),
                ["scp"] = DevIdentitySettings.ScopeName,
                ["azp"] = clientId,
                ["ver"] = "2.0",
            },
        };
        return new JsonWebTokenHandler { SetDefaultTimesOnTokenCreation = false }.CreateToken(descriptor);
    }
}
