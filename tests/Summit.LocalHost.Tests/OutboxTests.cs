using System.Net;
using System.Text.Json;
using System.Text.RegularExpressions;
using Summit.TestSupport.LocalHost;

namespace Summit.LocalHost.Tests;

/// <summary>
/// The local host's <c>/outbox/</c> lists every email with every participant's personal links: it needs the master key,
/// as the admin routes do, and a browser opened on the URL the banner prints can follow the index's links.
/// </summary>
public sealed partial class OutboxTests : IAsyncLifetime
{
    private readonly LocalHostProcess _host = Paths.NewLocalHost();
    private string _stem = "";

    public async Task InitializeAsync()
    {
        await _host.StartAsync();
        await Invitations.SendAsync(_host);
        _stem = Path.GetFileNameWithoutExtension(_host.EmailFiles("invitation")[0]);
    }

    public async Task DisposeAsync() => await _host.DisposeAsync();

    /// <summary>A client without cookies (the host's own client keeps them), or a browser-like one with its own jar.</summary>
    private HttpClient Client(CookieContainer? cookies = null) =>
        new(new SocketsHttpHandler { UseCookies = cookies is not null, CookieContainer = cookies ?? new CookieContainer(), AllowAutoRedirect = false })
        {
            BaseAddress = _host.Http.BaseAddress,
        };

    private static HttpRequestMessage Get(string path, string? headerKey = null)
    {
        var request = new HttpRequestMessage(HttpMethod.Get, path);
        if (headerKey is not null) request.Headers.Add("x-functions-key", headerKey);
        return request;
    }

    [Fact]
    public async Task WithoutTheMasterKeyTheOutboxIsRefusedAndWithItEveryFileIsServed()
    {
        using var http = Client();
        foreach (var path in new[] { "/outbox/", "/outbox/index.html", "/outbox/index.json", $"/outbox/{_stem}.eml", $"/outbox/{_stem}.html" })
        {
            foreach (var (header, code, who) in new (string?, string?, string)[]
            {
                (null, null, "no key"),
                ("not-the-key", null, "a wrong key"),
                (LocalHostProcess.FunctionKey, null, "the function key"),
                (null, LocalHostProcess.FunctionKey, "the function key as ?code="),
                (LocalHostProcess.MasterKey + "x", null, "a longer key"),
            })
            {
                var response = await http.SendAsync(Get(code is null ? path : $"{path}?code={Uri.EscapeDataString(code)}", header));
                var text = await response.Content.ReadAsStringAsync();
                Assert.True(response.StatusCode == HttpStatusCode.Unauthorized, $"GET {path} with {who} answered {(int)response.StatusCode}:\n{text}");
                Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
                var problem = JsonDocument.Parse(text).RootElement;
                Assert.Equal("https://summit-followups.example/problems/unauthorized", problem.GetProperty("type").GetString());
                Assert.Contains("master key", problem.GetProperty("detail").GetString());
                Assert.Equal("x-functions-key", problem.GetProperty("errors")[0].GetProperty("field").GetString());
                Assert.DoesNotContain("acknowledge", text);
                Assert.False(response.Headers.Contains("Set-Cookie"), $"GET {path} with {who} set a cookie");
            }
        }

        var index = await http.SendAsync(Get("/outbox/", LocalHostProcess.MasterKey));
        Assert.Equal(HttpStatusCode.OK, index.StatusCode);
        Assert.Contains("Joint Economic Committee — restart session", await index.Content.ReadAsStringAsync());
        var email = await http.SendAsync(Get($"/outbox/{_stem}.eml?code={Uri.EscapeDataString(LocalHostProcess.MasterKey)}"));
        Assert.Equal(HttpStatusCode.OK, email.StatusCode);
        Assert.Equal("message/rfc822", email.Content.Headers.ContentType?.MediaType);
        Assert.Contains("/api/p/acknowledge?token=", await email.Content.ReadAsStringAsync());
        Assert.Equal(HttpStatusCode.OK, (await http.SendAsync(Get($"/outbox/{_stem}.html", LocalHostProcess.MasterKey))).StatusCode);
    }

    [Fact]
    public async Task ABrowserOpensTheBannersOutboxUrlAndFollowsTheIndexLinks()
    {
        // The URL exactly as the start banner prints it.
        var banner = BannerOutboxUrl().Match(_host.Output);
        Assert.True(banner.Success, "The banner shows no outbox URL:\n" + _host.Output);
        var url = new Uri(banner.Groups[1].Value);
        Assert.Equal(_host.Http.BaseAddress!.Authority, url.Authority);

        var cookies = new CookieContainer();
        using var browser = Client(cookies);
        var index = await browser.GetAsync(url.PathAndQuery);
        var page = await index.Content.ReadAsStringAsync();
        Assert.True(index.StatusCode == HttpStatusCode.OK, $"{url.PathAndQuery} answered {(int)index.StatusCode}:\n{page}");

        // The index links its files relatively, without the key: the cookie set with the page opens them.
        var links = Href().Matches(page).Select(m => WebUtility.HtmlDecode(m.Groups[1].Value)).ToList();
        Assert.Contains($"{_stem}.eml", links);
        Assert.Contains($"{_stem}.html", links);
        foreach (var link in links)
        {
            var target = new Uri(new Uri(_host.Http.BaseAddress!, "/outbox/"), link);
            var file = await browser.GetAsync(target.PathAndQuery);
            Assert.True(file.StatusCode == HttpStatusCode.OK, $"The index link {link} answered {(int)file.StatusCode} in the browser");
        }

        // The cookie is the outbox's only: HttpOnly, same-site, not the master key itself, and it opens nothing else.
        var cookie = Assert.Single(cookies.GetAllCookies());
        Assert.Equal("/outbox", cookie.Path);
        Assert.True(cookie.HttpOnly);
        Assert.DoesNotContain(LocalHostProcess.MasterKey, cookie.Value);
        var setCookie = string.Join("; ", index.Headers.GetValues("Set-Cookie"));
        Assert.Contains("samesite=strict", setCookie, StringComparison.OrdinalIgnoreCase);
        Assert.Equal(HttpStatusCode.Unauthorized, (await browser.GetAsync("/admin/functions")).StatusCode);

        // A made-up cookie opens nothing.
        var forged = new CookieContainer();
        forged.Add(new Cookie(cookie.Name, "forged-" + cookie.Value[..8], "/outbox", url.Host));
        using var stranger = Client(forged);
        Assert.Equal(HttpStatusCode.Unauthorized, (await stranger.GetAsync("/outbox/")).StatusCode);

        // The key in the URL stays out of the request log.
        var output = _host.Output;
        var log = output[..output.IndexOf("LOCAL HOST", StringComparison.Ordinal)] + output[output.IndexOf("Ctrl+C stops it.", StringComparison.Ordinal)..];
        Assert.Contains("/outbox/?code=[redacted]", log);
        Assert.DoesNotContain(LocalHostProcess.MasterKey, log);
    }

    [GeneratedRegex(@"Emails\s+\S+\s+\(or (http://\S+)\)")]
    private static partial Regex BannerOutboxUrl();

    [GeneratedRegex(@"href=""([^""]+)""")]
    private static partial Regex Href();
}
