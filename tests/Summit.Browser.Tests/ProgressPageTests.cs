using Microsoft.Playwright;
using Summit.Reminders.Commitments;
using Summit.Reminders.Meetings;

namespace Summit.Browser.Tests;

/// <summary>Issue 17: a track's progress page in Chromium, in English, Korean and Turkish, light and dark, on a laptop and
/// a phone, from a fixed sample so its pictures in docs/pages/ change only when the page does.</summary>
[Collection(BrowserCollection.Name)]
public sealed class ProgressPageTests(BrowserFixture chromium)
{
    private static readonly DateTimeOffset AsOf = new(2027, 1, 18, 0, 0, 0, TimeSpan.Zero);

    /// <summary>The nuclear-energy track's commitments, and every track's counts.</summary>
    public static TrackProgress Sample()
    {
        ProgressItem Item(string id, string title, string date, string state, int owners) =>
            new(id, title, date, "Asia/Seoul", new DateTimeOffset(DateTime.Parse(date, System.Globalization.CultureInfo.InvariantCulture).AddHours(15), TimeSpan.Zero), state, owners, null);
        var track = Tracks.Find("nuclear-energy")!;
        var counts = new ProgressCounts(Open: 3, DueWithin7Days: 1, Overdue: 1, DoneOnTime: 4, DoneLate: 1, Dropped: 1);
        return new TrackProgress(track, AsOf, counts,
        [
            Item("c1", "Sinop evaluation: seismic report review", "2027-01-15", "overdue", 2),
            Item("c2", "Sinop evaluation: data package", "2027-01-22", "due-soon", 2),
            Item("c3", "Financing model: first draft", "2027-03-01", "open", 3),
            Item("c4", "Site visit programme", "2026-12-20", "done-on-time", 1),
            Item("c5", "Working group terms of reference", "2026-12-10", "done-late", 2),
            Item("c6", "Joint press release", "2026-12-05", "dropped", 1),
        ],
        Tracks.All.Select(t => (t, t.Id switch
        {
            "nuclear-energy" => counts,
            "joint-economic-committee" => new ProgressCounts(5, 2, 0, 6, 2, 0),
            "defence-industry" => new ProgressCounts(2, 0, 2, 1, 0, 0),
            "biotechnology" => new ProgressCounts(1, 1, 0, 0, 0, 0),
            _ => new ProgressCounts(0, 0, 0, 0, 0, 0),
        })).ToList());
    }

    public static TheoryData<string> Languages() => new(["en", "ko", "tr"]);

    [Theory]
    [MemberData(nameof(Languages))]
    public async Task ShowsTheChartTheNumbersAndTheDeadlinesReadablyInEveryLanguageAndScheme(string language)
    {
        var html = ProgressPage.Render(Sample(), language);
        foreach (var (scheme, width) in new[] { (ColorScheme.Light, 1024), (ColorScheme.Dark, 360) })
        {
            var errors = new List<string>();
            var page = await chromium.NewPageAsync(errors, scheme, width);
            await page.SetContentAsync(html);

            Assert.Empty(errors);
            Assert.Equal(language, await page.EvaluateAsync<string>("document.documentElement.lang"));
            var heading = (await page.GetByRole(AriaRole.Heading, new() { Level = 1 }).InnerTextAsync()).Trim();
            Assert.Equal(language switch { "ko" => "진행 현황: 원자력", "tr" => "İlerleme: Nükleer enerji", _ => "Progress: Nuclear energy" }, heading);
            // Every track's label in the chart is in the page's language and ends before the bars begin.
            var labels = await page.EvaluateAsync<string[]>("[...document.querySelectorAll('svg.chart text:nth-of-type(odd)')].map(t => t.textContent.trim())");
            Assert.Equal(Tracks.All.Select(t => t.NameIn(language)), labels);
            Assert.True(await page.EvaluateAsync<bool>(
                "() => [...document.querySelectorAll('svg.chart text:nth-of-type(odd)')].every(t => t.getBBox().width < Math.min(...[...document.querySelectorAll('svg.chart rect')].map(r => r.x.baseVal.value)) - 4)"),
                $"{language}/{scheme}: a track's name runs into the bars");
            // One bar segment per non-zero count of every track, and the chart is described for screen readers.
            Assert.Equal(4 + 3 + 2 + 1, await page.Locator("svg.chart rect").CountAsync()); // nuclear, JEC (none overdue), defence, biotech
            Assert.False(string.IsNullOrWhiteSpace(await page.GetAttributeAsync("svg.chart", "aria-labelledby")));
            // The same numbers as a table: this track's row.
            var row = await page.Locator("tr.current").InnerTextAsync();
            Assert.Equal(["4", "1", "3", "1", "1", "1"], row.Split('\t').Skip(1).Select(c => c.Trim()));
            Assert.Equal(6, await page.Locator("span.state").CountAsync());
            var contrast = await page.EvaluateAsync<double>(EmailRenderingTests.ContrastScript);
            Assert.True(contrast >= 4.5, $"{language}/{scheme}: contrast {contrast:0.0}:1");
            Assert.True(await page.EvaluateAsync<bool>("document.documentElement.scrollWidth <= window.innerWidth"), $"{language}/{scheme} scrolls sideways at {width} px");
            await page.Context.CloseAsync();
        }
    }

    [Theory]
    [MemberData(nameof(Languages))]
    public async Task TheProgressPageIsPhotographedForTheDocs(string language)
    {
        var page = await chromium.NewPageAsync([], width: 900);
        await page.SetContentAsync(ProgressPage.Render(Sample(), language));
        var png = await page.ScreenshotAsync(new PageScreenshotOptions { FullPage = true });
        Assert.True(png.Length > 10_000, "the screenshot is suspiciously small");
        foreach (var target in Paths.ScreenshotTargets($"progress-{language}.png", "pages"))
        {
            Directory.CreateDirectory(Path.GetDirectoryName(target)!);
            await File.WriteAllBytesAsync(target, png);
        }
        await page.Context.CloseAsync();
    }
}
