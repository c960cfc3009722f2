using System.Text.Json;
using Microsoft.Playwright;

namespace Summit.Browser.Tests;

/// <summary>
/// axe-core (npm, installed into .tools/axe-core by scripts/axe-core.sh, which test.sh runs) in the page under test. It is
/// evaluated through the DevTools protocol, which the pages' Content-Security-Policy does not govern, so the pages are
/// checked with their real policy in force.
/// </summary>
public static class Axe
{
    public static string ScriptPath => Path.Combine(Paths.Repository, ".tools", "axe-core", "node_modules", "axe-core", "axe.min.js");

    private static readonly Lazy<string> Source = new(() => File.Exists(ScriptPath)
        ? File.ReadAllText(ScriptPath)
        : throw new InvalidOperationException($"{ScriptPath} is missing: run scripts/axe-core.sh (test.sh does)."));

    /// <summary>The serious and critical violations on the page as it is now, one line each (rule, impact, help, where).</summary>
    public static async Task<IReadOnlyList<string>> SeriousViolationsAsync(IPage page)
    {
        if (!await page.EvaluateAsync<bool>("() => typeof window.axe === 'object'"))
            await page.EvaluateAsync(Source.Value + "\n;0");
        var violations = await page.EvaluateAsync<JsonElement>("""
            async () => (await axe.run(document, { resultTypes: ['violations'] })).violations
              .filter(v => v.impact === 'serious' || v.impact === 'critical')
              .map(v => `${v.id} (${v.impact}): ${v.help} at ${v.nodes.slice(0, 3).map(n => n.target.join(' ')).join(', ')}`)
            """);
        return violations.EnumerateArray().Select(v => v.GetString()!).ToList();
    }

    public static async Task AssertNoSeriousViolationsAsync(IPage page, string what)
    {
        var violations = await SeriousViolationsAsync(page);
        Assert.True(violations.Count == 0, $"{what}: {string.Join(Environment.NewLine, violations)}");
    }
}

/// <summary>The check itself: axe-core runs in the page and reports what it should.</summary>
[Collection(BrowserCollection.Name)]
public sealed class AxeTests(BrowserFixture chromium)
{
    [Fact]
    public async Task ItReportsAnImageWithoutAlternativeTextAndALabellessInput()
    {
        var page = await chromium.NewPageAsync([]);
        await page.SetContentAsync("<!DOCTYPE html><html lang=\"en\"><head><title>t</title></head><body><main><img src=\"data:,\"><input type=\"text\"></main></body></html>");
        var violations = await Axe.SeriousViolationsAsync(page);
        Assert.Contains(violations, v => v.StartsWith("image-alt (critical)", StringComparison.Ordinal));
        Assert.Contains(violations, v => v.StartsWith("label (critical)", StringComparison.Ordinal));
        await page.Context.CloseAsync();
    }
}
