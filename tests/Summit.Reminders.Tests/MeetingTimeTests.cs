using NodaTime;
using Summit.Reminders.Meetings;

namespace Summit.Reminders.Tests;

public class MeetingTimeTests
{
    [Fact]
    public void AStartInTheSpringForwardGapIsRefusedWithTheNextValidTime()
    {
        var zone = DateTimeZoneProviders.Tzdb["America/New_York"];
        Assert.False(MeetingTime.TryResolveStart(new LocalDateTime(2026, 3, 8, 2, 30), zone, out _, out var error));
        Assert.Contains("does not exist in America/New_York", error);
        Assert.Contains("2026-03-08T03:30", error);
    }

    [Fact]
    public void AnAmbiguousStartAtFallBackIsTheEarlierInstant()
    {
        var zone = DateTimeZoneProviders.Tzdb["America/New_York"];
        Assert.True(MeetingTime.TryResolveStart(new LocalDateTime(2026, 11, 1, 1, 30), zone, out var instant, out _));
        Assert.Equal(Instant.FromUtc(2026, 11, 1, 5, 30), instant); // 01:30 EDT, not 01:30 EST
    }

    [Theory]
    [InlineData("Asia/Seoul", true)]
    [InlineData("Europe/Istanbul", true)]
    [InlineData("America/New_York", true)]
    [InlineData("Asia/Soul", false)]
    [InlineData("KST", false)]
    [InlineData("", false)]
    public void KnowsIanaZones(string id, bool known) => Assert.Equal(known, MeetingTime.FindZone(id) is not null);
}
