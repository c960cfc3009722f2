using System.Reflection;
using Microsoft.Playwright;

namespace Summit.Browser.Tests;

[AttributeUsage(AttributeTargets.Assembly)]
public sealed class BuildConfigurationAttribute(string configuration) : Attribute
{
    public string Configuration { get; } = configuration;
}

/// <summary>
/// One headless Chromium for every test class (it takes about two seconds to start). It is Debian's package at
/// /usr/bin/chromium, installed by .ci/run: Playwright's own browser download is blocked here and never used.
/// </summary>
public sealed class BrowserFixture : IAsyncLifetime
{
    public const string ChromiumPath = "/usr/bin/chromium";
    private IPlaywright? _playwright;

    public IBrowser Browser { get; private set; } = null!;

    public async Task InitializeAsync()
    {
        if (!File.Exists(ChromiumPath))
            throw new InvalidOperationException($"{ChromiumPath} is missing: install Debian's chromium and fonts-noto-cjk packages (.ci/run does).");
        _playwright = await Playwright.CreateAsync();
        Browser = await _playwright.Chromium.LaunchAsync(new BrowserTypeLaunchOptions
        {
            ExecutablePath = ChromiumPath,
            Headless = true,
            // Root in CI needs --no-sandbox; the rest keeps Chromium from calling out on a machine without internet.
            Args = ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking",
                "--disable-component-update", "--disable-sync", "--disable-dev-shm-usage"],
        });
    }

    public async Task DisposeAsync()
    {
        if (Browser is not null) await Browser.DisposeAsync();
        _playwright?.Dispose();
    }

    /// <summary>A fresh page; console errors and page errors are collected into <paramref name="errors"/>.</summary>
    public async Task<IPage> NewPageAsync(List<string> errors, ColorScheme scheme = ColorScheme.Light, int width = 800)
    {
        var context = await Browser.NewContextAsync(new BrowserNewContextOptions
        {
            ColorScheme = scheme,
            ViewportSize = new ViewportSize { Width = width, Height = 900 },
            Locale = "en-GB",
        });
        var page = await context.NewPageAsync();
        page.Console += (_, message) => { if (message.Type == "error") lock (errors) errors.Add(message.Text); };
        page.PageError += (_, error) => { lock (errors) errors.Add(error); };
        return page;
    }
}

[CollectionDefinition(Name)]
public sealed class BrowserCollection : ICollectionFixture<BrowserFixture>
{
    public const string Name = "Chromium";
}

/// <summary>Where the repository and the build outputs are, for the configuration these tests were built in.</summary>
public static class Paths
{
    public static string Repository => Summit.TestSupport.Repository.Root;

    private static string Configuration => typeof(Paths).Assembly.GetCustomAttribute<BuildConfigurationAttribute>()!.Configuration;

    public static string LocalHostOutput => Path.Combine(Repository, "src", "Summit.LocalHost", "bin", Configuration, "net10.0");

    /// <summary>Screenshots of every run go to artifacts/screenshots; docs/emails gets them when SUMMIT_UPDATE_DOCS=1
    /// (scripts/screenshots.sh), so the pictures in the docs are always made by this test.</summary>
    public static IReadOnlyList<string> ScreenshotTargets(string fileName, string docsFolder = "emails")
    {
        var targets = new List<string> { Path.Combine(Repository, "artifacts", "screenshots", fileName) };
        if (Environment.GetEnvironmentVariable("SUMMIT_UPDATE_DOCS") == "1") targets.Add(Path.Combine(Repository, "docs", docsFolder, fileName));
        return targets;
    }

    public static Summit.TestSupport.LocalHost.LocalHostProcess NewLocalHost() =>
        new(Repository, Path.Combine(LocalHostOutput, "Summit.LocalHost.dll"));
}
