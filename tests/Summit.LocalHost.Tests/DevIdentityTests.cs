using System.Net;
using System.Net.Http.Json;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Microsoft.AspNetCore.WebUtilities;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;
using Summit.TestSupport.LocalHost;

namespace Summit.LocalHost.Tests;

/// <summary>
/// The local identity provider, over real HTTP against the local host process: discovery, the key set, tokens that
/// validate against those keys with Entra ID's claims, and the authorization code flow with PKCE as the console runs it.
/// </summary>
public sealed class DevIdentityTests(DevIdentityTests.Fixture fixture) : IClassFixture<DevIdentityTests.Fixture>
{
    public sealed class Fixture : IAsyncLifetime
    {
        public LocalHostProcess Host { get; } = Paths.NewLocalHost();
        public Task InitializeAsync() => Host.StartAsync();
        public async Task DisposeAsync() => await Host.DisposeAsync();
    }

    private LocalHostProcess Host => fixture.Host;
    private string Authority => $"http://127.0.0.1:{Host.Port}/local-identity";
    private string Console => $"http://127.0.0.1:{Host.Port}/console/";

    /// <summary>A client that does not follow redirects: the test reads where the provider sends the browser.</summary>
    private HttpClient Browser() => new(new SocketsHttpHandler { AllowAutoRedirect = false }) { BaseAddress = Host.Http.BaseAddress };

    private async Task<TokenValidationResult> ValidateAsync(string token)
    {
        var keys = new JsonWebKeySet(await Host.Http.GetStringAsync("/local-identity/keys"));
        return await new JsonWebTokenHandler().ValidateTokenAsync(token, new TokenValidationParameters
        {
            ValidIssuer = Authority,
            ValidAudience = "api://summit-followups-local",
            IssuerSigningKeys = keys.GetSigningKeys(),
            ValidAlgorithms = [SecurityAlgorithms.RsaSha256],
            RequireSignedTokens = true,
            RequireExpirationTime = true,
        });
    }

    private static (string Verifier, string Challenge) Pkce()
    {
        var verifier = Base64UrlEncoder.Encode(RandomNumberGenerator.GetBytes(32));
        return (verifier, Base64UrlEncoder.Encode(SHA256.HashData(Encoding.ASCII.GetBytes(verifier))));
    }

    /// <summary>Signs in through the form as a person with roles; the code and state from the redirect.</summary>
    private async Task<(string Code, string? State)> SignInAsync(string challenge, string name, params string[] roles)
    {
        using var browser = Browser();
        var authorize = QueryHelpers.AddQueryString("/local-identity/authorize", new Dictionary<string, string?>
        {
            ["response_type"] = "code", ["client_id"] = "summit-console-local", ["redirect_uri"] = Console,
            ["scope"] = "api://summit-followups-local/access_as_user", ["state"] = "state-123",
            ["code_challenge"] = challenge, ["code_challenge_method"] = "S256",
        });
        var page = await browser.GetAsync(authorize);
        Assert.Equal(HttpStatusCode.OK, page.StatusCode);
        var html = await page.Content.ReadAsStringAsync();
        Assert.Contains("<label class=\"field\" for=\"name\">Display name</label>", html);
        Assert.Contains("value=\"coordinator.nuclear-energy\"", html);
        Assert.DoesNotContain("<script", html);
        Assert.Contains("default-src 'none'", page.Headers.GetValues("Content-Security-Policy").Single());

        var form = new List<KeyValuePair<string, string>>
        {
            new("response_type", "code"), new("client_id", "summit-console-local"), new("redirect_uri", Console),
            new("state", "state-123"), new("code_challenge", challenge), new("code_challenge_method", "S256"),
            new("name", name), new("email", "kim@example.org"),
        };
        form.AddRange(roles.Select(r => new KeyValuePair<string, string>("role", r)));
        var posted = await browser.PostAsync("/local-identity/authorize", new FormUrlEncodedContent(form));
        Assert.Equal(HttpStatusCode.SeeOther, posted.StatusCode);
        var location = posted.Headers.Location!;
        Assert.StartsWith(Console + "?", location.ToString());
        var query = QueryHelpers.ParseQuery(location.Query);
        return (query["code"].ToString(), query["state"].ToString());
    }

    private Task<HttpResponseMessage> RedeemAsync(string code, string verifier, string? redirectUri = null) =>
        Host.Http.PostAsync("/local-identity/token", new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["grant_type"] = "authorization_code", ["code"] = code, ["code_verifier"] = verifier,
            ["redirect_uri"] = redirectUri ?? Console, ["client_id"] = "summit-console-local",
        }));

    private static async Task AssertRefusedAsync(HttpResponseMessage response, string field, string error)
    {
        var text = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == HttpStatusCode.BadRequest, text);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        var problem = JsonDocument.Parse(text).RootElement;
        Assert.Equal(field, problem.GetProperty("errors")[0].GetProperty("field").GetString());
        Assert.Equal(error, problem.GetProperty("error").GetString());
    }

    [Fact]
    public async Task DiscoveryNamesTheAuthorityItsEndpointsCodeFlowAndS256()
    {
        var metadata = await Host.Http.GetFromJsonAsync<JsonElement>("/local-identity/.well-known/openid-configuration");
        Assert.Equal(Authority, metadata.GetProperty("issuer").GetString());
        Assert.Equal(Authority + "/keys", metadata.GetProperty("jwks_uri").GetString());
        Assert.Equal(Authority + "/authorize", metadata.GetProperty("authorization_endpoint").GetString());
        Assert.Equal(Authority + "/token", metadata.GetProperty("token_endpoint").GetString());
        Assert.Equal(["code"], metadata.GetProperty("response_types_supported").EnumerateArray().Select(e => e.GetString()));
        Assert.Equal(["S256"], metadata.GetProperty("code_challenge_methods_supported").EnumerateArray().Select(e => e.GetString()));
        // The worker is told to trust it (its options are the lead's; the banner says where it is).
        Assert.Contains($"Sign-in       {Authority}", Host.Output);
        Assert.Contains("/admin/dev-tokens", Host.Output);
    }

    [Fact]
    public async Task TheKeySetHasThePublicRsaKeyWithAKidAndNothingPrivate()
    {
        var text = await Host.Http.GetStringAsync("/local-identity/keys");
        var key = Assert.Single(JsonDocument.Parse(text).RootElement.GetProperty("keys").EnumerateArray());
        Assert.Equal("RSA", key.GetProperty("kty").GetString());
        Assert.Equal("RS256", key.GetProperty("alg").GetString());
        Assert.Equal("sig", key.GetProperty("use").GetString());
        Assert.False(string.IsNullOrEmpty(key.GetProperty("kid").GetString()));
        Assert.True(Base64UrlEncoder.DecodeBytes(key.GetProperty("n").GetString()).Length >= 256); // 2048 bits
        foreach (var secret in new[] { "d", "p", "q", "dp", "dq", "qi" }) Assert.False(key.TryGetProperty(secret, out _), secret);
        // Kept in the data folder, readable by its owner only.
        var file = System.Text.RegularExpressions.Regex.Match(Host.Output, @"signing key kept in (\S+)\)").Groups[1].Value;
        Assert.EndsWith(Path.Combine(".local", "identity", "signing-key.pem"), file);
        if (!OperatingSystem.IsWindows()) Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(file));
    }

    [Fact]
    public async Task ADevTokenValidatesAgainstTheKeysWithEntraIdsClaims()
    {
        var response = await Host.SendAsync(HttpMethod.Post, "/admin/dev-tokens", LocalHostProcess.MasterKey,
            new { name = "Kim Min-jun", email = "kim@example.org", roles = new[] { "coordinator.nuclear-energy", "observer" } });
        var body = await response.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("Bearer", body.GetProperty("tokenType").GetString());
        Assert.Equal(3600, body.GetProperty("expiresIn").GetInt32());
        Assert.Equal("no-store", response.Headers.CacheControl?.ToString());

        var result = await ValidateAsync(body.GetProperty("accessToken").GetString()!);
        Assert.True(result.IsValid, result.Exception?.ToString());
        var token = (JsonWebToken)result.SecurityToken;
        Assert.Equal("RS256", token.Alg);
        Assert.Equal(JsonDocument.Parse(await Host.Http.GetStringAsync("/local-identity/keys")).RootElement.GetProperty("keys")[0].GetProperty("kid").GetString(), token.Kid);
        Assert.True(Guid.TryParse(token.GetClaim("oid").Value, out var oid));
        Assert.Equal("Kim Min-jun", token.GetClaim("name").Value);
        Assert.Equal("kim@example.org", token.GetClaim("preferred_username").Value);
        Assert.Equal(["coordinator.nuclear-energy", "observer"], token.Claims.Where(c => c.Type == "roles").Select(c => c.Value));
        Assert.Equal(3600, (token.ValidTo - token.IssuedAt).TotalSeconds);
        Assert.Equal(token.IssuedAt, token.ValidFrom);
        Assert.Contains("\"roles\":[", Encoding.UTF8.GetString(Base64UrlEncoder.DecodeBytes(token.EncodedPayload)));

        // The same person is the same object id (across runs too: it is derived from the name); another is another.
        var again = await Host.DevTokenAsync("kim min-jun ", "kim.other@example.org");
        Assert.Equal(oid.ToString(), new JsonWebToken(again).GetClaim("oid").Value);
        Assert.NotEqual(oid.ToString(), new JsonWebToken(await Host.DevTokenAsync("Ayşe Yılmaz", "ayse@example.org")).GetClaim("oid").Value);
        // Ids only in the log: never the name, the address or the token.
        Assert.Contains(oid.ToString(), Host.Output);
        Assert.DoesNotContain("kim@example.org", Host.Output);
        Assert.DoesNotContain(body.GetProperty("accessToken").GetString()!, Host.Output);
    }

    [Fact]
    public async Task DevTokensNeedTheMasterKey()
    {
        var body = new { name = "Kim Min-jun", email = "kim@example.org", roles = new[] { "operator" } };
        foreach (var key in new[] { null, LocalHostProcess.FunctionKey, "wrong" })
        {
            var refused = await Host.SendAsync(HttpMethod.Post, "/admin/dev-tokens", key, body);
            Assert.Equal(HttpStatusCode.Unauthorized, refused.StatusCode);
            Assert.Equal("application/problem+json", refused.Content.Headers.ContentType?.MediaType);
            Assert.Contains("x-functions-key", await refused.Content.ReadAsStringAsync());
        }
    }

    [Fact]
    public async Task TheCodeFlowWithPkceIssuesATokenForWhoSignedIn()
    {
        var (verifier, challenge) = Pkce();
        var (code, state) = await SignInAsync(challenge, "Choi Yuna", "coordinator.joint-economic-committee", "observer.nuclear-energy");
        Assert.Equal("state-123", state);

        var response = await RedeemAsync(code, verifier);
        var body = await response.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("Bearer", body.GetProperty("token_type").GetString());
        Assert.Equal(3600, body.GetProperty("expires_in").GetInt32());
        var result = await ValidateAsync(body.GetProperty("access_token").GetString()!);
        Assert.True(result.IsValid, result.Exception?.ToString());
        var token = (JsonWebToken)result.SecurityToken;
        Assert.Equal("Choi Yuna", token.GetClaim("name").Value);
        Assert.Equal(["coordinator.joint-economic-committee", "observer.nuclear-energy"], token.Claims.Where(c => c.Type == "roles").Select(c => c.Value));
        Assert.Equal("access_as_user", token.GetClaim("scp").Value);
        Assert.Equal("summit-console-local", token.GetClaim("azp").Value);
        Assert.DoesNotContain(code, Host.Output); // the redirect's ?code= is redacted in the request log
    }

    [Fact]
    public async Task AWrongVerifierIsRefusedAndSpendsTheCode()
    {
        var (verifier, challenge) = Pkce();
        var (code, _) = await SignInAsync(challenge, "Park Ji-ho", "observer");
        await AssertRefusedAsync(await RedeemAsync(code, Pkce().Verifier), "code_verifier", "invalid_grant");
        await AssertRefusedAsync(await RedeemAsync(code, verifier), "code", "invalid_grant");
    }

    [Fact]
    public async Task ACodeIsRedeemedOnce()
    {
        var (verifier, challenge) = Pkce();
        var (code, _) = await SignInAsync(challenge, "Park Ji-ho", "observer");
        Assert.Equal(HttpStatusCode.OK, (await RedeemAsync(code, verifier)).StatusCode);
        await AssertRefusedAsync(await RedeemAsync(code, verifier), "code", "invalid_grant");
    }

    [Fact]
    public async Task ACodeIsRedeemedOnlyForTheRedirectUriItWasIssuedFor()
    {
        var (verifier, challenge) = Pkce();
        var (code, _) = await SignInAsync(challenge, "Park Ji-ho", "observer");
        await AssertRefusedAsync(await RedeemAsync(code, verifier, $"http://localhost:{Host.Port}/console/"), "redirect_uri", "invalid_grant");
    }

    [Theory]
    [InlineData("http://evil.example/console/")]
    [InlineData("https://127.0.0.1/console/")]
    [InlineData("http://127.0.0.1:1/console/")]
    [InlineData("http://user@127.0.0.1:{port}/console/")]
    public async Task AForeignRedirectUriIsRefusedWithoutGoingThere(string redirectUri)
    {
        using var browser = Browser();
        var (_, challenge) = Pkce();
        var target = redirectUri.Replace("{port}", Host.Port.ToString(System.Globalization.CultureInfo.InvariantCulture), StringComparison.Ordinal);
        foreach (var response in new[]
        {
            await browser.GetAsync(QueryHelpers.AddQueryString("/local-identity/authorize", new Dictionary<string, string?>
            {
                ["response_type"] = "code", ["client_id"] = "summit-console-local", ["redirect_uri"] = target,
                ["code_challenge"] = challenge, ["code_challenge_method"] = "S256",
            })),
            await browser.PostAsync("/local-identity/authorize", new FormUrlEncodedContent(new Dictionary<string, string>
            {
                ["response_type"] = "code", ["client_id"] = "summit-console-local", ["redirect_uri"] = target,
                ["code_challenge"] = challenge, ["code_challenge_method"] = "S256", ["name"] = "Mallory", ["email"] = "m@example.org",
            })),
        })
        {
            Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
            Assert.Null(response.Headers.Location);
            Assert.Equal("redirect_uri", JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement.GetProperty("errors")[0].GetProperty("field").GetString());
        }
    }

    [Fact]
    public async Task AFormWithoutANameIsShownAgainWithTheErrorNextToTheField()
    {
        using var browser = Browser();
        var (_, challenge) = Pkce();
        var response = await browser.PostAsync("/local-identity/authorize", new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["response_type"] = "code", ["client_id"] = "summit-console-local", ["redirect_uri"] = Console,
            ["code_challenge"] = challenge, ["code_challenge_method"] = "S256", ["name"] = "", ["email"] = "kim@example.org",
        }));
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var html = await response.Content.ReadAsStringAsync();
        Assert.Contains("aria-describedby=\"name-error\"", html);
        Assert.Contains("id=\"name-error\">is required", html);
        Assert.Contains("value=\"kim@example.org\"", html);
    }

    [Fact]
    public async Task CancellingReturnsAccessDeniedWithTheState()
    {
        using var browser = Browser();
        var (_, challenge) = Pkce();
        var response = await browser.PostAsync("/local-identity/authorize", new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["response_type"] = "code", ["client_id"] = "summit-console-local", ["redirect_uri"] = Console, ["state"] = "s9",
            ["code_challenge"] = challenge, ["code_challenge_method"] = "S256", ["cancel"] = "1",
        }));
        Assert.Equal(HttpStatusCode.SeeOther, response.StatusCode);
        var query = QueryHelpers.ParseQuery(response.Headers.Location!.Query);
        Assert.Equal("access_denied", query["error"].ToString());
        Assert.Equal("s9", query["state"].ToString());
        Assert.False(query.ContainsKey("code"));
    }
}

/// <summary>The signing key and object ids outlive a restart when the host has a data folder.</summary>
public sealed class DevIdentityRestartTests
{
    [Fact]
    public async Task TheKeyAndTheObjectIdsSurviveARestart()
    {
        var data = Path.Combine(Path.GetTempPath(), "summit-data-" + Guid.NewGuid().ToString("N"));
        try
        {
            var (kid, token) = await RunAsync(data);
            var (kidAgain, _) = await RunAsync(data);
            Assert.Equal(kid, kidAgain);
            Assert.True(File.Exists(Path.Combine(data, "identity", "signing-key.pem")));
            Assert.Equal(Summit.LocalHost.DevIdentity.DevRoles.ObjectIdOf("Kim Min-jun").ToString(), new JsonWebToken(token).GetClaim("oid").Value);
        }
        finally
        {
            if (Directory.Exists(data)) Directory.Delete(data, recursive: true);
        }
    }

    private static async Task<(string Kid, string Token)> RunAsync(string data)
    {
        await using var host = Paths.NewLocalHost();
        host.Settings["LocalHost__DataFolder"] = data;
        await host.StartAsync();
        var kid = JsonDocument.Parse(await host.Http.GetStringAsync("/local-identity/keys")).RootElement.GetProperty("keys")[0].GetProperty("kid").GetString()!;
        return (kid, await host.DevTokenAsync("Kim Min-jun", "kim@example.org", "operator"));
    }
}
