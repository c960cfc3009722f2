using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using System.Text.RegularExpressions;
using Microsoft.Playwright;
using MimeKit;
using Summit.TestSupport.LocalHost;

namespace Summit.Browser.Tests;

/// <summary>
/// Issue 17: an owner's Done and More-time links as owners use them. The local host (a separate process on Azurite)
/// writes the commitment reminders; each owner opens their link in Chromium, fills the form and sends it; the
/// coordinator's view of the commitment changes. The pages are photographed in English, Korean and Turkish.
/// </summary>
[Collection(BrowserCollection.Name)]
public sealed class CommitmentPagesTests(BrowserFixture chromium) : IAsyncLifetime
{
    private readonly LocalHostProcess _host = Paths.NewLocalHost();
    private string _id = "";
    private List<MimeMessage> _emails = [];

    public async Task InitializeAsync()
    {
        _host.Settings["LocalHost__PickupEvents"] = "false";
        await _host.StartAsync();
        // Due in 5 minutes 8 seconds, with a 5-minute reminder: due in about 8 seconds.
        var created = await _host.SendAsync(HttpMethod.Post, "/api/commitments", LocalHostProcess.FunctionKey, new
        {
            title = "Sinop evaluation: data package",
            track = "nuclear-energy",
            details = "Site survey data, the seismic report and the financing model.",
            owners = new[]
            {
                new { name = "Ayşe Yılmaz", email = "ayse@example.org", timeZone = "Europe/Istanbul", language = "tr" },
                new { name = "Park Ji-ho", email = "jiho@example.org", timeZone = "Asia/Seoul", language = "ko" },
                new { name = "Hannah Weber", email = "hannah@example.org", timeZone = "Europe/Berlin", language = "en" },
            },
            coordinator = new { name = "Kim Min-jun", email = "minjun@example.org", language = "ko" },
            dueAt = DateTimeOffset.UtcNow.AddMinutes(5).AddSeconds(8).ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", System.Globalization.CultureInfo.InvariantCulture),
            timeZone = "Asia/Seoul",
            reminderOffsets = new[] { "PT5M" },
        });
        Assert.True(created.StatusCode == HttpStatusCode.Created, await created.Content.ReadAsStringAsync());
        _id = (await created.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetString()!;

        Assert.Equal(HttpStatusCode.Accepted, (await _host.RunTimerAsync("ScheduleDueReminders")).StatusCode);
        var deadline = DateTime.UtcNow.AddSeconds(40);
        while (Reminders().Count < 3 && DateTime.UtcNow < deadline)
            Assert.Equal(HttpStatusCode.Accepted, (await _host.RunTimerAsync("DeliverReminders")).StatusCode);
        _emails = Reminders();
        Assert.True(_emails.Count == 3, "Expected three commitment reminders; host output:\n" + _host.Output);
    }

    public async Task DisposeAsync() => await _host.DisposeAsync();

    private List<MimeMessage> Reminders() => _host.EmailFiles("commitment-reminder").Select(f => MimeMessage.Load(f)).ToList();

    private string Link(string to, string action)
    {
        var email = _emails.Single(e => e.To.Mailboxes.Single().Address == to);
        return WebUtility.HtmlDecode(Regex.Matches(email.HtmlBody ?? "", "href=\"([^\"]+)\"").Select(m => m.Groups[1].Value).First(h => h.Contains($"/api/p/{action}?", StringComparison.Ordinal)));
    }

    private async Task<JsonElement> CommitmentAsync() =>
        await (await _host.SendAsync(HttpMethod.Get, $"/api/commitments/{_id}", LocalHostProcess.FunctionKey)).Content.ReadFromJsonAsync<JsonElement>();

    private static async Task PhotographAsync(IPage page, string name)
    {
        var png = await page.ScreenshotAsync(new PageScreenshotOptions { FullPage = true });
        foreach (var target in Paths.ScreenshotTargets(name, "pages"))
        {
            Directory.CreateDirectory(Path.GetDirectoryName(target)!);
            await File.WriteAllBytesAsync(target, png);
        }
    }

    [Fact]
    public async Task AnOwnerAsksForMoreTimeInKoreanAndThenAnotherMarksItDoneInTurkish()
    {
        // Park Ji-ho asks for more time; a date before the due date is refused with the reason, in Korean.
        var page = await chromium.NewPageAsync([], width: 700);
        Assert.Equal(200, (await page.GotoAsync(Link("jiho@example.org", "more-time")))!.Status);
        Assert.Equal("기한 연장을 요청하시겠습니까?", await page.GetByRole(AriaRole.Heading, new() { Level = 1 }).InnerTextAsync());
        await PhotographAsync(page, "commitment-more-time-ko.png");
        var due = (await CommitmentAsync()).GetProperty("dueUtc").GetDateTimeOffset();
        var proposed = TimeZoneInfo.ConvertTime(due, TimeZoneInfo.FindSystemTimeZoneById("Asia/Seoul")).AddDays(14).ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture);
        await page.GetByLabel("제안하는 새 기한").FillAsync(proposed);
        await page.GetByLabel("메모(선택)").FillAsync("외부 검토 결과가 늦어지고 있습니다.");
        await page.GetByRole(AriaRole.Button, new() { Name = "요청 보내기" }).ClickAsync();
        Assert.Equal("요청을 보냈습니다", await page.GetByRole(AriaRole.Heading, new() { Level = 1 }).InnerTextAsync());
        var request = Assert.Single((await CommitmentAsync()).GetProperty("extensionRequests").EnumerateArray());
        Assert.Equal(proposed, request.GetProperty("proposedDate").GetString());
        await page.Context.CloseAsync();

        // Ayşe marks it done, with a note and a link to the deliverable.
        page = await chromium.NewPageAsync([], width: 700);
        await page.GotoAsync(Link("ayse@example.org", "done"));
        Assert.Equal("Bu taahhüt tamamlandı olarak işaretlensin mi?", await page.GetByRole(AriaRole.Heading, new() { Level = 1 }).InnerTextAsync());
        await page.GetByLabel("Not (isteğe bağlı)").FillAsync("Veri paketi paylaşılan klasörde.");
        await page.GetByLabel("Çıktının bağlantısı (isteğe bağlı)").FillAsync("https://files.example.org/sinop/data-package");
        await PhotographAsync(page, "commitment-done-tr.png");
        await page.GetByRole(AriaRole.Button, new() { Name = "Tamamlandı olarak işaretle" }).ClickAsync();
        Assert.Equal("Teşekkürler — tamamlandı olarak işaretlendi", await page.GetByRole(AriaRole.Heading, new() { Level = 1 }).InnerTextAsync());
        var commitment = await CommitmentAsync();
        Assert.Equal("done", commitment.GetProperty("status").GetString());
        Assert.Equal("https://files.example.org/sinop/data-package", commitment.GetProperty("completion").GetProperty("link").GetString());
        await page.Context.CloseAsync();

        // Hannah's Done link now says it is done already, in English, and changes nothing.
        var before = await _host.StorageSnapshotAsync();
        page = await chromium.NewPageAsync([], width: 700);
        await page.GotoAsync(Link("hannah@example.org", "done"));
        Assert.Equal("Thank you — marked as done", await page.GetByRole(AriaRole.Heading, new() { Level = 1 }).InnerTextAsync());
        Assert.Contains("already marked as done", await page.InnerTextAsync("main"));
        Assert.Equal(0, await page.GetByRole(AriaRole.Button).CountAsync());
        await PhotographAsync(page, "commitment-already-done-en.png");
        Assert.Equal(before, await _host.StorageSnapshotAsync());
        await page.Context.CloseAsync();
    }

    [Fact]
    public async Task TheFormsAreReadableInDarkModeOnAPhoneWithEveryFieldLabelled()
    {
        foreach (var (to, action) in new[] { ("hannah@example.org", "done"), ("jiho@example.org", "more-time"), ("ayse@example.org", "more-time") })
        {
            var errors = new List<string>();
            var page = await chromium.NewPageAsync(errors, ColorScheme.Dark, width: 360);
            await page.GotoAsync(Link(to, action));
            var contrast = await page.EvaluateAsync<double>(EmailRenderingTests.ContrastScript);
            Assert.True(contrast >= 4.5, $"{to}/{action}: contrast {contrast:0.0}:1 in dark mode");
            Assert.True(await page.EvaluateAsync<bool>("document.documentElement.scrollWidth <= window.innerWidth"), $"{to}/{action} scrolls sideways at 360 px");
            // Every field has a label a screen reader announces.
            Assert.Equal(0, await page.EvaluateAsync<int>("[...document.querySelectorAll('input:not([type=hidden]), textarea')].filter(f => !f.labels || f.labels.length === 0).length"));
            Assert.Empty(errors);
            await page.Context.CloseAsync();
        }
    }
}
