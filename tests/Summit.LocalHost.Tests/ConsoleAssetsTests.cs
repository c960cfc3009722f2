using System.Net;
using System.Net.Http.Headers;
using System.Text.Json;
using Summit.TestSupport.LocalHost;

namespace Summit.LocalHost.Tests;

/// <summary>The coordinator console's files as the app serves them at /console/ (the ConsoleAssets function, anonymous):
/// content types, a strict Content-Security-Policy, revalidation by ETag, 404 for what is not a file, and config.json
/// from the Identity settings the local host gives the worker.</summary>
public sealed class ConsoleAssetsTests(ConsoleAssetsTests.Fixture fixture) : IClassFixture<ConsoleAssetsTests.Fixture>
{
    public sealed class Fixture : IAsyncLifetime
    {
        public LocalHostProcess Host { get; } = Paths.NewLocalHost();
        public Task InitializeAsync() => Host.StartAsync();
        public async Task DisposeAsync() => await Host.DisposeAsync();
    }

    private HttpClient Http => fixture.Host.Http;

    [Theory]
    [InlineData("/console/", "text/html")]
    [InlineData("/console/index.html", "text/html")]
    [InlineData("/console/app.js", "text/javascript")]
    [InlineData("/console/auth.js", "text/javascript")]
    [InlineData("/console/api.js", "text/javascript")]
    [InlineData("/console/i18n.js", "text/javascript")]
    [InlineData("/console/console.css", "text/css")]
    [InlineData("/console/icon.svg", "image/svg+xml")]
    public async Task EachFileHasItsTypeAStrictPolicyAndIsRevalidatedByETag(string path, string type)
    {
        var response = await Http.GetAsync(path);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(type, response.Content.Headers.ContentType?.MediaType);
        var csp = response.Headers.GetValues("Content-Security-Policy").Single();
        Assert.Contains("default-src 'none'", csp);
        Assert.Contains("script-src 'self';", csp);
        Assert.Contains("style-src 'self';", csp);
        Assert.Contains("frame-ancestors 'none'", csp);
        Assert.DoesNotContain("unsafe-inline", csp);
        Assert.Contains($"connect-src 'self' http://127.0.0.1:{fixture.Host.Port};", csp);
        Assert.Equal("nosniff", response.Headers.GetValues("X-Content-Type-Options").Single());
        Assert.Equal("no-referrer", response.Headers.GetValues("Referrer-Policy").Single());
        Assert.True(response.Headers.CacheControl?.NoCache);
        var etag = response.Headers.ETag!;

        var again = new HttpRequestMessage(HttpMethod.Get, path);
        again.Headers.IfNoneMatch.Add(etag);
        Assert.Equal(HttpStatusCode.NotModified, (await Http.SendAsync(again)).StatusCode);
    }

    [Fact]
    public async Task TheHtmlHasNoInlineScriptOrStyle()
    {
        var html = await Http.GetStringAsync("/console/");
        Assert.Contains("<script type=\"module\" src=\"app.js\"></script>", html);
        Assert.DoesNotMatch("<script(?![^>]*src=)", html);
        Assert.DoesNotContain("<style", html);
        Assert.DoesNotContain("style=", html);
        Assert.DoesNotContain(" on", System.Text.RegularExpressions.Regex.Replace(html, "<[^>]*>", m => m.Value.Contains(" on", StringComparison.Ordinal) ? " on" : ""));
    }

    [Fact]
    public async Task WithoutTheSlashItRedirectsToTheConsole()
    {
        using var client = new HttpClient(new SocketsHttpHandler { AllowAutoRedirect = false }) { BaseAddress = Http.BaseAddress };
        var response = await client.GetAsync("/console");
        Assert.Equal(HttpStatusCode.PermanentRedirect, response.StatusCode);
        Assert.Equal("/console/", response.Headers.Location?.ToString());
    }

    [Theory]
    [InlineData("/console/nothing.js")]
    [InlineData("/console/../host.json")]
    [InlineData("/console/%2e%2e/appsettings.json")]
    [InlineData("/console/Summit.Functions.dll")]
    public async Task WhatIsNotAFileOfTheConsoleIsA404Problem(string path)
    {
        var response = await Http.GetAsync(path);
        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        if (response.Content.Headers.ContentType?.MediaType == "application/problem+json")
            Assert.Equal("path", JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement.GetProperty("errors")[0].GetProperty("field").GetString());
    }

    [Fact]
    public async Task ConfigNamesTheLocalAuthorityTheConsolesClientAndTheApiScopeAndIsNeverCached()
    {
        var response = await Http.GetAsync("/console/config.json");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("application/json", response.Content.Headers.ContentType?.MediaType);
        Assert.True(response.Headers.CacheControl?.NoStore);
        var config = JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement;
        Assert.Equal($"http://127.0.0.1:{fixture.Host.Port}/local-identity", config.GetProperty("authority").GetString());
        Assert.Equal("summit-console-local", config.GetProperty("clientId").GetString());
        Assert.Equal(["api://summit-followups-local/access_as_user"], config.GetProperty("scopes").EnumerateArray().Select(s => s.GetString()));
    }

    [Fact]
    public async Task NeedsNoKey()
    {
        var request = new HttpRequestMessage(HttpMethod.Get, "/console/app.js");
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", "not-a-token");
        Assert.Equal(HttpStatusCode.OK, (await Http.SendAsync(request)).StatusCode);
    }
}
