using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using System.Text.RegularExpressions;
using Microsoft.Playwright;
using MimeKit;
using Summit.TestSupport.LocalHost;

namespace Summit.Browser.Tests;

/// <summary>
/// The acknowledge and unsubscribe links as a participant uses them: the reminder is written by the local host (a
/// separate process on Azurite), its link is opened in Chromium, the button is pressed, and the coordinator's view of
/// the meeting changes.
/// </summary>
[Collection(BrowserCollection.Name)]
public sealed class LinkPagesTests(BrowserFixture chromium) : IAsyncLifetime
{
    private readonly LocalHostProcess _host = Paths.NewLocalHost();
    private string _meetingId = "";
    private List<MimeMessage> _emails = [];

    public async Task InitializeAsync()
    {
        // These tests compare storage before and after a request: the local delivery-event loop would write status rows
        // meanwhile, in the background (DeliveryEventsTests covers it).
        _host.Settings["LocalHost__PickupEvents"] = "false";
        await _host.StartAsync();
        // Starts 5 minutes and 4 seconds from now, with a 5-minute reminder: due in about 4 seconds.
        var istanbul = TimeZoneInfo.FindSystemTimeZoneById("Europe/Istanbul");
        var start = TimeZoneInfo.ConvertTime(DateTimeOffset.UtcNow.AddMinutes(5).AddSeconds(4), istanbul);
        var created = await _host.SendAsync(HttpMethod.Post, "/api/meetings", LocalHostProcess.FunctionKey, new
        {
            title = "Altay tank co-production — training plan",
            track = "defence-industry",
            start = start.ToString("yyyy-MM-dd'T'HH:mm:ss", System.Globalization.CultureInfo.InvariantCulture),
            timeZone = "Europe/Istanbul",
            coordinator = new { name = "Mehmet Demir", email = "mehmet@example.org" },
            participants = new[]
            {
                new { name = "Park Ji-ho", email = "jiho@example.org", timeZone = "Asia/Seoul", language = "ko" },
                new { name = "Ayşe Yılmaz", email = "ayse@example.org", timeZone = "Europe/Istanbul", language = "tr" },
                new { name = "Hannah Weber", email = "hannah@example.org", timeZone = "Europe/Berlin", language = "en" },
            },
            reminderOffsets = new[] { "PT5M" },
        });
        Assert.True(created.StatusCode == HttpStatusCode.Created, await created.Content.ReadAsStringAsync());
        _meetingId = (await created.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetString()!;

        Assert.Equal(HttpStatusCode.Accepted, (await _host.RunTimerAsync("ScheduleDueReminders")).StatusCode);
        var deadline = DateTime.UtcNow.AddSeconds(40);
        while (Reminders().Count < 3 && DateTime.UtcNow < deadline)
            Assert.Equal(HttpStatusCode.Accepted, (await _host.RunTimerAsync("DeliverReminders")).StatusCode);
        _emails = Reminders();
        Assert.True(_emails.Count == 3, "Expected three reminders; host output:\n" + _host.Output);
    }

    public async Task DisposeAsync() => await _host.DisposeAsync();

    private List<MimeMessage> Reminders() => _host.EmailFiles("reminder").Select(f => MimeMessage.Load(f)).ToList();

    private string Link(string to, string action)
    {
        var email = _emails.Single(e => e.To.Mailboxes.Single().Address == to);
        return WebUtility.HtmlDecode(Regex.Matches(email.HtmlBody ?? "", "href=\"([^\"]+)\"").Select(m => m.Groups[1].Value).First(h => h.Contains($"/api/p/{action}?", StringComparison.Ordinal)));
    }

    private async Task<JsonElement> AnswerAsync(string email)
    {
        var view = await (await _host.SendAsync(HttpMethod.Get, $"/api/meetings/{_meetingId}", LocalHostProcess.FunctionKey)).Content.ReadFromJsonAsync<JsonElement>();
        return view.GetProperty("responses").EnumerateArray().Single(r => r.GetProperty("email").GetString() == email);
    }

    [Fact]
    public async Task OpeningTheLinkShowsTheMeetingPressingTheButtonRecordsTheAcknowledgement()
    {
        var link = Link("ayse@example.org", "acknowledge");
        Assert.StartsWith($"http://127.0.0.1:{_host.Port}/api/p/acknowledge?token=", link);
        var errors = new List<string>();
        var page = await chromium.NewPageAsync(errors);

        var opened = await page.GotoAsync(link);
        Assert.Equal(200, opened!.Status);
        Assert.Equal("Bu toplantı için hatırlatmalar durdurulsun mu?", await page.GetByRole(AriaRole.Heading).InnerTextAsync());
        Assert.Contains("Altay tank co-production — training plan", await page.InnerTextAsync("main"));
        Assert.False((await AnswerAsync("ayse@example.org")).GetProperty("acknowledged").GetBoolean()); // opening changed nothing

        await page.GetByRole(AriaRole.Button, new() { Name = "Anladım — hatırlatmayı durdur" }).ClickAsync();
        await page.WaitForSelectorAsync("main[data-page=acknowledged]");
        Assert.Equal("Teşekkürler — kaydedildi", await page.GetByRole(AriaRole.Heading).InnerTextAsync());
        Assert.Empty(errors);

        var answer = await AnswerAsync("ayse@example.org");
        Assert.True(answer.GetProperty("acknowledged").GetBoolean());
        Assert.False((await AnswerAsync("jiho@example.org")).GetProperty("acknowledged").GetBoolean());
        await page.Context.CloseAsync();
    }

    [Fact]
    public async Task UnsubscribingInKoreanIsRecorded()
    {
        var page = await chromium.NewPageAsync([]);
        await page.GotoAsync(Link("jiho@example.org", "unsubscribe"));
        Assert.Equal("이 회의의 메일 수신을 거부하시겠습니까?", await page.GetByRole(AriaRole.Heading).InnerTextAsync());
        Assert.True(await page.EvaluateAsync<bool>("document.fonts.check('16px \"Noto Sans CJK KR\"', '수신 거부')"));

        await page.GetByRole(AriaRole.Button, new() { Name = "수신 거부" }).ClickAsync();
        await page.WaitForSelectorAsync("main[data-page=unsubscribed]");
        Assert.Equal("수신 거부되었습니다", await page.GetByRole(AriaRole.Heading).InnerTextAsync());
        Assert.True((await AnswerAsync("jiho@example.org")).GetProperty("unsubscribed").GetBoolean());
        await page.Context.CloseAsync();
    }

    [Fact]
    public async Task ATamperedLinkShowsAnErrorPageWithNoButtonAndRecordsNothing()
    {
        var link = Link("hannah@example.org", "acknowledge");
        var tampered = link[..^2] + (link[^2] == 'A' ? "B" : "A") + link[^1..];
        var before = await _host.StorageSnapshotAsync();

        var page = await chromium.NewPageAsync([]);
        var opened = await page.GotoAsync(tampered);
        Assert.Equal(400, opened!.Status);
        Assert.Equal("This link cannot be used", await page.GetByRole(AriaRole.Heading).InnerTextAsync());
        Assert.Contains("incomplete or has been changed", await page.InnerTextAsync("main"));
        Assert.Equal(0, await page.GetByRole(AriaRole.Button).CountAsync());
        Assert.Equal(before, await _host.StorageSnapshotAsync());
        Assert.False((await AnswerAsync("hannah@example.org")).GetProperty("acknowledged").GetBoolean());
        await page.Context.CloseAsync();
    }

    [Theory]
    [InlineData(ColorScheme.Light)]
    [InlineData(ColorScheme.Dark)]
    public async Task TheLinkPagesHaveNoSeriousAccessibilityViolations(ColorScheme scheme)
    {
        var page = await chromium.NewPageAsync([], scheme);
        foreach (var (to, action, done) in new[] { ("ayse@example.org", "acknowledge", "acknowledged"), ("jiho@example.org", "unsubscribe", "unsubscribed") })
        {
            await page.GotoAsync(Link(to, action));
            await Axe.AssertNoSeriousViolationsAsync(page, $"{action} page ({scheme})");
            await page.GetByRole(AriaRole.Button).First.ClickAsync();
            await page.WaitForSelectorAsync($"main[data-page={done}]");
            await Axe.AssertNoSeriousViolationsAsync(page, $"{done} page ({scheme})");
        }
        var link = Link("hannah@example.org", "acknowledge");
        await page.GotoAsync(link[..^2] + (link[^2] == 'A' ? "B" : "A") + link[^1..]);
        await Axe.AssertNoSeriousViolationsAsync(page, $"error page ({scheme})");
        await page.Context.CloseAsync();
    }
}
