using Summit.Reminders.DeliveryStatus;

namespace Summit.Reminders.Tests;

/// <summary>The delivery status a coordinator sees does not depend on the order SendGrid's events arrive in.</summary>
public sealed class ProviderStatusRulesTests
{
    private static readonly DateTimeOffset T = new(2026, 12, 1, 9, 0, 0, TimeSpan.Zero);

    private static ProviderEvent E(ProviderEventKind kind, int seconds, string? bounceType = null) =>
        new($"{kind}-{seconds}", kind, T.AddSeconds(seconds), "m1", "m1.p.invite.x", $"{kind} detail", bounceType);

    private static ProviderStatus? Fold(IEnumerable<ProviderEvent> events) =>
        events.Aggregate((ProviderStatus?)null, (status, e) => ProviderStatusRules.Apply(status, "x", e) ?? status);

    private static IEnumerable<IReadOnlyList<T>> Permutations<T>(IReadOnlyList<T> items) => items.Count <= 1
        ? [items]
        : items.SelectMany((item, i) => Permutations([.. items.Where((_, j) => j != i)]).Select(rest => (IReadOnlyList<T>)[item, .. rest]));

    [Fact]
    public void EveryOrderOfProcessedDeferredDeliveredEndsDelivered()
    {
        var events = new[] { E(ProviderEventKind.Processed, 0), E(ProviderEventKind.Deferred, 5), E(ProviderEventKind.Delivered, 40) };
        foreach (var order in Permutations(events))
        {
            var status = Fold(order)!;
            Assert.Equal("delivered", status.Status);
            Assert.Equal(T.AddSeconds(40), status.At);
            Assert.False(status.Undeliverable);
        }
    }

    [Fact]
    public void EveryOrderWithAHardBounceEndsBouncedAndUndeliverableWhileASpamReportOutranksIt()
    {
        var events = new[] { E(ProviderEventKind.Processed, 0), E(ProviderEventKind.Delivered, 10), E(ProviderEventKind.Bounce, 60, "bounce") };
        Assert.All(Permutations(events), order => Assert.Equal(("bounce", true), (Fold(order)!.Status, Fold(order)!.Undeliverable)));
        Assert.All(Permutations([.. events, E(ProviderEventKind.SpamReport, 90)]), order =>
        {
            var status = Fold(order)!;
            Assert.Equal("spamreport", status.Status);
            Assert.True(status.Undeliverable); // the hard bounce stays: the address is not good again
        });
    }

    [Fact]
    public void ABlockIsTemporaryAndADropIsForGood()
    {
        Assert.False(Fold([E(ProviderEventKind.Bounce, 5, "blocked")])!.Undeliverable);
        Assert.True(Fold([E(ProviderEventKind.Dropped, 5)])!.Undeliverable);
    }

    [Fact]
    public void ASecondDeferralRefreshesTheTimeAndReasonAndAReplayChangesNothing()
    {
        var first = ProviderStatusRules.Apply(null, "x", E(ProviderEventKind.Deferred, 5))!;
        var second = ProviderStatusRules.Apply(first, "x", E(ProviderEventKind.Deferred, 65))!;
        Assert.Equal(T.AddSeconds(65), second.At);
        Assert.Null(ProviderStatusRules.Apply(second, "x", E(ProviderEventKind.Deferred, 65)));
        Assert.Null(ProviderStatusRules.Apply(second, "x", E(ProviderEventKind.Deferred, 5)));
    }

    [Fact]
    public void AnUnsubscribeIsRememberedWithoutAStatus()
    {
        var status = ProviderStatusRules.Apply(null, "x", E(ProviderEventKind.Unsubscribe, 5))!;
        Assert.Null(status.Status);
        Assert.Equal(["Unsubscribe-5"], status.EventIds);
        Assert.Null(ProviderStatusRules.Apply(status, "x", E(ProviderEventKind.Unsubscribe, 5)));
    }
}
