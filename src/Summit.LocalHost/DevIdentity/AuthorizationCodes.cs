using System.Collections.Concurrent;
using System.Security.Cryptography;
using System.Text;
using Microsoft.IdentityModel.Tokens;

namespace Summit.LocalHost.DevIdentity;

/// <summary>What an authorization code stands for: who signed in, and the client, redirect URI and PKCE challenge it is
/// bound to.</summary>
public sealed record AuthorizationGrant(string ClientId, string RedirectUri, string CodeChallenge, DevPerson Person, DateTimeOffset ExpiresAt);

/// <summary>One-time authorization codes, in memory (a restart forgets them, as it would a sign-in in progress), each valid
/// for <see cref="Lifetime"/>. A code is taken out at its first redemption, whether that succeeds or not (RFC 6749 4.1.2).</summary>
public sealed class AuthorizationCodes(TimeProvider time)
{
    public static readonly TimeSpan Lifetime = TimeSpan.FromMinutes(5);
    private readonly ConcurrentDictionary<string, AuthorizationGrant> _grants = new(StringComparer.Ordinal);

    public string Issue(string clientId, string redirectUri, string codeChallenge, DevPerson person)
    {
        var now = time.GetUtcNow();
        foreach (var (stale, grant) in _grants)
            if (grant.ExpiresAt <= now) _grants.TryRemove(stale, out _);
        var code = Base64UrlEncoder.Encode(RandomNumberGenerator.GetBytes(32));
        _grants[code] = new AuthorizationGrant(clientId, redirectUri, codeChallenge, person, now + Lifetime);
        return code;
    }

    /// <summary>The grant of a code that exists and has not expired; the code is spent either way.</summary>
    public AuthorizationGrant? Redeem(string code) =>
        _grants.TryRemove(code, out var grant) && grant.ExpiresAt > time.GetUtcNow() ? grant : null;

    /// <summary>RFC 7636 S256: BASE64URL(SHA256(ASCII(code_verifier))) equals the challenge.</summary>
    public static bool VerifierMatches(string verifier, string challenge) =>
        CryptographicOperations.FixedTimeEquals(
            Encoding.ASCII.GetBytes(Base64UrlEncoder.Encode(SHA256.HashData(Encoding.ASCII.GetBytes(verifier)))),
            Encoding.ASCII.GetBytes(challenge));

    /// <summary>43 to 128 characters of A-Z, a-z, 0-9, '-', '.', '_', '~' (RFC 7636 4.1); a S256 challenge is 43 of base64url.</summary>
    public static bool IsVerifier(string value) => value.Length is >= 43 and <= 128 && value.All(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '.' or '_' or '~');

    public static bool IsS256Challenge(string value) => value.Length == 43 && value.All(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '_');
}
