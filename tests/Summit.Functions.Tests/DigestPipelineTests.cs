using Microsoft.Azure.Functions.Worker;
using Summit.Reminders.Digest;

namespace Summit.Functions.Tests;

/// <summary>
/// The coordinators' daily digest through the real pipeline: Azurite's due index and ledger, the AMQP broker, the SendGrid
/// endpoint, the ScheduleDueReminders and DeliverReminders timers as the host runs them.
/// </summary>
public sealed class DigestPipelineTests : AppTest
{
    // Saturday 28 November 2026, 08:00 in Seoul (23:00 UTC on the 27th) and in Istanbul (05:00 UTC on the 28th).
    private static readonly DateTimeOffset Seoul28 = new(2026, 11, 27, 23, 0, 0, TimeSpan.Zero);
    private static readonly DateTimeOffset Istanbul28 = new(2026, 11, 28, 5, 0, 0, TimeSpan.Zero);

    private static readonly DigestSubscriber Kim = new("9f2c1d7e-entra-kim", "kim.coordinator@example.org", "Kim Min-jun", "en", "Asia/Seoul", null);
    private static readonly DigestSubscriber Ayse = new("4b8e0a13-entra-ayse", "ayse.coordinator@example.org", "Ayşe Yılmaz", "tr", "Europe/Istanbul", ["joint-economic-committee"]);

    private DigestService Digests => App.Get<DigestService>();

    private async Task SubscribeAsync(DigestSubscriber subscriber) =>
        Assert.IsType<DigestSubscribeResult.Subscribed>(await Digests.SubscribeAsync(subscriber, default));

    private IReadOnlyList<Summit.TestSupport.SendGrid.RecordedMail> DigestsTo(string email) =>
        App.SendGrid.AcceptedOf("digest").Where(m => m.To == email).ToList();

    /// <summary>Both timers, on two instances of the app at the same moment (two workers, or two overlapping ticks).</summary>
    private static async Task RunTimersTogetherAsync(TestApp one, TestApp two)
    {
        var (a, b) = (one.Function<Pipeline.ReminderTimers>(), two.Function<Pipeline.ReminderTimers>());
        await Task.WhenAll(a.ScheduleDueReminders(new TimerInfo(), default), b.ScheduleDueReminders(new TimerInfo(), default));
        await Task.WhenAll(a.DeliverReminders(new TimerInfo(), default), b.DeliverReminders(new TimerInfo(), default));
    }

    [Fact]
    public async Task EachSubscriberGetsOneDigestADayAtEightTheirTimeEvenWhenTwoTicksRunAtOnce()
    {
        await Api.CreateIdAsync(Api.Meeting(start: "2026-12-01T10:00"));
        await App.SendInvitationsAsync();
        await SubscribeAsync(Kim);
        await SubscribeAsync(Ayse);
        await using var second = App.StartInstance();

        App.MoveClockTo(Seoul28.AddMinutes(-2));
        await RunTimersTogetherAsync(App, second);
        Assert.Empty(App.SendGrid.AcceptedOf("digest")); // not before 08:00

        App.MoveClockTo(Seoul28.AddSeconds(30));
        await RunTimersTogetherAsync(App, second);
        App.MoveClockTo(Seoul28.AddMinutes(1));
        await RunTimersTogetherAsync(App, second);

        var kims = Assert.Single(DigestsTo("kim.coordinator@example.org"));
        Assert.Equal("Your daily digest: 1 meeting", kims.Subject);
        Assert.Contains("Not acknowledged (2): Ayşe Yılmaz <ayse@example.org>, Lee Seo-yeon <seoyeon@example.org>", kims.Content("text/plain"));
        Assert.Empty(DigestsTo("ayse.coordinator@example.org")); // 02:00 in Istanbul

        App.MoveClockTo(Istanbul28.AddSeconds(30));
        await RunTimersTogetherAsync(App, second);
        var ayses = Assert.Single(DigestsTo("ayse.coordinator@example.org"));
        Assert.Equal("Günlük özet: 1 toplantı", ayses.Subject);
        Assert.Contains("Türkiye-Kore Karma Ekonomik Komisyonu", ayses.Content("text/plain"));
        Assert.Contains("1 Ara Sal, 04:00", ayses.Content("text/plain")); // 10:00 in Seoul on Istanbul's clock

        // The next day was planned by the first day's tick: Sunday's come, once each.
        App.MoveClockTo(Seoul28.AddDays(1).AddSeconds(30));
        await RunTimersTogetherAsync(App, second);
        App.MoveClockTo(Istanbul28.AddDays(1).AddSeconds(30));
        await RunTimersTogetherAsync(App, second);
        Assert.Equal(2, DigestsTo("kim.coordinator@example.org").Count);
        Assert.Equal(2, DigestsTo("ayse.coordinator@example.org").Count);
        Assert.Equal(Seoul28.AddDays(2), (await Digests.GetAsync(Kim.Id, default))!.NextDigestAt);

        // Logs carry the subscription's ids, never the address, name or the subscriber's own id.
        Assert.DoesNotContain(App.Logs.Lines, l => l.Contains("kim.coordinator@", StringComparison.Ordinal) || l.Contains("Kim Min-jun", StringComparison.Ordinal)
            || l.Contains(Kim.Id, StringComparison.Ordinal) || l.Contains("ayse.coordinator@", StringComparison.Ordinal));
        Assert.Contains(App.Logs.Lines, l => l.Contains(DigestIds.SubjectOf(Kim.Id), StringComparison.Ordinal));
    }

    /// <summary>A digest covers the tracks its subscriber's roles allowed when they last saved it, and nothing tells the app
    /// when roles are taken away: so it lapses 35 days after the last save, and the day it lapses nothing is sent.</summary>
    [Fact]
    public async Task ADigestNotRenewedWithin35DaysStopsSending()
    {
        await SubscribeAsync(Kim); // at the app's start, 27 November 2026 09:00 UTC: it lapses on 1 January 2027 09:00 UTC
        Assert.Equal(201, (await Api.CreateAsync(Api.Meeting(start: "2027-01-03T10:00"))).Status);

        for (var day = 0; day < 37; day++) await App.RunTimersAsync(Seoul28.AddDays(day).AddSeconds(30));

        // Something to say once the meeting (3 January 01:00 UTC) is within 7 days of the morning, from 28 December, until
        // the last morning before it lapsed (1 January 08:00 in Seoul, 31 December 23:00 UTC).
        var sent = DigestsTo(Kim.Email);
        Assert.Equal(5, sent.Count);
        var lapsed = (await Stored.EntitiesAsync(App)).Where(l => l.StartsWith($"ledger|{DigestIds.SubjectOf(Kim.Id)}|del-", StringComparison.Ordinal)
            && l.Contains("not renewed", StringComparison.Ordinal)).ToList();
        Assert.Equal(2, lapsed.Count); // 2 and 3 January
    }

    [Fact]
    public async Task ADayWithNothingToSaySendsNothingAndOpsSeeItSkipped()
    {
        await SubscribeAsync(Kim);

        await App.RunTimersAsync(Seoul28.AddSeconds(30));

        Assert.Empty(App.SendGrid.AcceptedOf("digest"));
        var subject = DigestIds.SubjectOf(Kim.Id);
        var row = Assert.Single(await Stored.EntitiesAsync(App), l => l.StartsWith($"ledger|{subject}|del-", StringComparison.Ordinal));
        Assert.Contains("State=Skipped", row);
        Assert.Contains("nothing to report", row);
        Assert.Equal(Seoul28.AddDays(1), (await Digests.GetAsync(Kim.Id, default))!.NextDigestAt);
    }

    [Fact]
    public async Task UnsubscribingStopsTheChainAndKeepsNothing()
    {
        await Api.CreateIdAsync(Api.Meeting(start: "2026-12-01T10:00"));
        await App.SendInvitationsAsync();
        await SubscribeAsync(Kim);
        await App.RunTimersAsync(Seoul28.AddSeconds(30));
        Assert.Single(DigestsTo("kim.coordinator@example.org"));

        Assert.True(await Digests.UnsubscribeAsync(Kim.Id, default));
        await App.RunTimersAsync(Seoul28.AddDays(1).AddSeconds(30));
        await App.RunTimersAsync(Seoul28.AddDays(2).AddSeconds(30));

        Assert.Single(DigestsTo("kim.coordinator@example.org"));
        Assert.Null(await Digests.GetAsync(Kim.Id, default));
        Assert.Empty(await Stored.MentionsAsync(App, DigestIds.SubjectOf(Kim.Id), "kim.coordinator@"));
    }

    [Fact]
    public async Task SubscribingAgainChangesLanguageAndZoneAndNeverSendsTwiceOnOneDay()
    {
        await Api.CreateIdAsync(Api.Meeting(start: "2026-12-01T10:00"));
        await App.SendInvitationsAsync();
        await SubscribeAsync(Kim);
        await App.RunTimersAsync(Seoul28.AddSeconds(30));

        // 10:00 in Seoul, 04:00 in Istanbul on the same Saturday, which had its digest.
        App.MoveClockTo(Seoul28.AddHours(2));
        await SubscribeAsync(Kim with { Language = "ko", TimeZone = "Europe/Istanbul" });
        await App.RunTimersAsync(Istanbul28.AddSeconds(30));
        await App.RunTimersAsync(Seoul28.AddDays(1).AddSeconds(30)); // the Seoul chain's Sunday: discarded
        Assert.Single(DigestsTo("kim.coordinator@example.org"));

        await App.RunTimersAsync(Istanbul28.AddDays(1).AddSeconds(30));
        var digests = DigestsTo("kim.coordinator@example.org");
        Assert.Equal(2, digests.Count);
        Assert.StartsWith("일일 요약", digests[1].Subject);
    }
}
