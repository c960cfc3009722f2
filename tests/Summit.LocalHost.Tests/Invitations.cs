using System.Net;
using System.Text.Json;
using System.Text.RegularExpressions;
using Summit.TestSupport.LocalHost;

namespace Summit.LocalHost.Tests;

/// <summary>A registered meeting whose invitations are in the local host's outbox, as a participant receives them.</summary>
public static partial class Invitations
{
    /// <summary>Registers the bad-input suite's valid meeting and runs the timers until both participants' invitations
    /// are in the outbox (bounded: 40 s). Returns the meeting id.</summary>
    public static async Task<string> SendAsync(LocalHostProcess host)
    {
        var created = await host.SendAsync(HttpMethod.Post, "/api/meetings", LocalHostProcess.FunctionKey, BadInputTests.Valid());
        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        var id = JsonDocument.Parse(await created.Content.ReadAsStringAsync()).RootElement.GetProperty("id").GetString()!;
        var deadline = DateTime.UtcNow.AddSeconds(40);
        while (host.EmailFiles("invitation").Count < 2)
        {
            Assert.True(DateTime.UtcNow < deadline, "The two invitations were not in the outbox within 40 s; host output:\n" + host.Output);
            Assert.Equal(HttpStatusCode.Accepted, (await host.RunTimerAsync("ScheduleDueReminders")).StatusCode);
            Assert.Equal(HttpStatusCode.Accepted, (await host.RunTimerAsync("DeliverReminders")).StatusCode);
        }
        return id;
    }

    /// <summary>The "acknowledge" or "unsubscribe" link of the first invitation, as its HTML view in the outbox shows it.</summary>
    public static Uri Link(LocalHostProcess host, string action)
    {
        var html = File.ReadAllText(Path.ChangeExtension(host.EmailFiles("invitation")[0], ".html"));
        var href = Href().Matches(html).Select(m => WebUtility.HtmlDecode(m.Groups[1].Value)).FirstOrDefault(h => h.Contains($"/api/p/{action}?", StringComparison.Ordinal));
        Assert.True(href is not null, $"No {action} link in the invitation:\n" + html);
        return new Uri(href);
    }

    [GeneratedRegex(@"href=""([^""]+)""")]
    private static partial Regex Href();
}
