using System.Security.Cryptography;
using System.Text.Json;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Protocols;
using Microsoft.IdentityModel.Tokens;
using Summit.Functions.Identity;

namespace Summit.Functions.Tests;

/// <summary>
/// Entra ID rolls its signing keys: the first token signed with a key the app has not read yet must pass at once, not
/// after the metadata's background refresh (a security review saw the old keys used again for about a second).
/// </summary>
public sealed class KeyRolloverTests
{
    private const string Authority = "https://login.test.example/rollover/v2.0";

    private sealed class Documents : IDocumentRetriever
    {
        public List<RsaSecurityKey> Keys { get; } = [];
        public int Reads { get; private set; }

        public Task<string> GetDocumentAsync(string address, CancellationToken cancel)
        {
            Reads++;
            if (address.EndsWith("/.well-known/openid-configuration", StringComparison.Ordinal))
                return Task.FromResult(JsonSerializer.Serialize(new Dictionary<string, object> { ["issuer"] = Authority, ["jwks_uri"] = Authority + "/keys" }));
            var keys = Keys.Select(k =>
            {
                var p = k.Rsa.ExportParameters(false);
                return new Dictionary<string, string> { ["kty"] = "RSA", ["use"] = "sig", ["kid"] = k.KeyId, ["n"] = Base64UrlEncoder.Encode(p.Modulus), ["e"] = Base64UrlEncoder.Encode(p.Exponent) };
            });
            return Task.FromResult(JsonSerializer.Serialize(new { keys }));
        }
    }

    private static string Token(RsaSecurityKey key, DateTimeOffset now) => new JsonWebTokenHandler().CreateToken(new SecurityTokenDescriptor
    {
        Issuer = Authority,
        Audience = "api://rollover",
        Claims = new Dictionary<string, object> { ["oid"] = Guid.NewGuid().ToString(), ["azp"] = "console", ["roles"] = new[] { "observer" } },
        IssuedAt = now.UtcDateTime,
        NotBefore = now.UtcDateTime,
        Expires = now.UtcDateTime.AddHours(1),
        SigningCredentials = new SigningCredentials(key, SecurityAlgorithms.RsaSha256),
    });

    [Fact]
    public async Task ATokenSignedWithANewKeyPassesOnItsFirstUseAndUnknownKeysDoNotHammerTheAuthority()
    {
        var time = new FakeTimeProvider(new DateTimeOffset(2026, 12, 1, 9, 0, 0, TimeSpan.Zero));
        var documents = new Documents();
        var oldKey = new RsaSecurityKey(RSA.Create(2048)) { KeyId = "old" };
        var newKey = new RsaSecurityKey(RSA.Create(2048)) { KeyId = "new" };
        documents.Keys.Add(oldKey);
        var options = Options.Create(new IdentityOptions { Authority = Authority, Audience = "api://rollover" });
        var authentication = new CallerAuthentication(options, Options.Create(new AutomationOptions()),
            new OpenIdMetadata(options, documents, time), time, NullLogger<CallerAuthentication>.Instance);

        async Task<Authentication> With(string token)
        {
            var context = new Microsoft.AspNetCore.Http.DefaultHttpContext();
            context.Request.Headers.Authorization = "Bearer " + token;
            return await authentication.AuthenticateAsync(context.Request, default);
        }

        Assert.IsType<Authentication.Authenticated>(await With(Token(oldKey, time.GetUtcNow())));
        documents.Keys.Add(newKey); // Entra publishes the new key and starts signing with it
        Assert.IsType<Authentication.Authenticated>(await With(Token(newKey, time.GetUtcNow())));
        Assert.IsType<Authentication.Authenticated>(await With(Token(oldKey, time.GetUtcNow())));

        // A key nobody published: refused, and within five minutes the authority is not read again for it.
        var reads = documents.Reads;
        var stranger = new RsaSecurityKey(RSA.Create(2048)) { KeyId = "stranger" };
        Assert.IsType<Authentication.Refused>(await With(Token(stranger, time.GetUtcNow())));
        Assert.IsType<Authentication.Refused>(await With(Token(stranger, time.GetUtcNow())));
        Assert.True(documents.Reads - reads <= 2, $"{documents.Reads - reads} reads of the authority for two refusals");
    }
}
