using NodaTime;
using Summit.Reminders.Meetings;

namespace Summit.Reminders.Tests;

public class ReminderOffsetTests
{
    [Theory]
    [InlineData("P7D", "P7D")]
    [InlineData("P1W", "P7D")]
    [InlineData("PT2H", "PT2H")]
    [InlineData("PT90M", "PT90M")]
    [InlineData("P1DT12H", "P1DT12H")]
    [InlineData("PT5M", "PT5M")]
    public void ParsesIsoDurationsToCanonicalSpelling(string text, string canonical)
    {
        Assert.True(ReminderOffset.TryParse(text, out var offset, out _));
        Assert.Equal(canonical, offset.ToString());
    }

    [Theory]
    [InlineData("", "ISO 8601")]
    [InlineData("7 days", "not an ISO 8601 duration")]
    [InlineData("P1M", "years and months")]
    [InlineData("P1Y", "years and months")]
    [InlineData("PT30S", "whole minutes")]
    [InlineData("P-1D", "positive")]
    [InlineData("-P1D", "not an ISO 8601 duration")]
    public void RefusesOffsetsThatAreNotPlainDurations(string text, string reason)
    {
        Assert.False(ReminderOffset.TryParse(text, out _, out var error));
        Assert.Contains(reason, error);
    }

    [Fact]
    public void SeoulHasNoDstSoADayIsTwentyFourHours()
    {
        var zone = DateTimeZoneProviders.Tzdb["Asia/Seoul"];
        var start = new LocalDateTime(2026, 12, 10, 10, 0);
        var due = ReminderOffset.Parse("P1D").DueAt(start, zone);
        Assert.Equal(Instant.FromUtc(2026, 12, 9, 1, 0), due);
    }

    [Fact]
    public void IstanbulIsUtcPlusThreeAllYear()
    {
        var zone = DateTimeZoneProviders.Tzdb["Europe/Istanbul"];
        var due = ReminderOffset.Parse("PT2H").DueAt(new LocalDateTime(2026, 7, 1, 9, 0), zone);
        Assert.Equal(Instant.FromUtc(2026, 7, 1, 4, 0), due);
    }

    [Fact]
    public void ADayBeforeAcrossSpringForwardIsTheSameWallClockTimeAndTwentyThreeHours()
    {
        // New York moves to EDT at 02:00 on Sunday 8 March 2026.
        var zone = DateTimeZoneProviders.Tzdb["America/New_York"];
        var start = new LocalDateTime(2026, 3, 8, 10, 0); // 10:00 EDT = 14:00 UTC
        var due = ReminderOffset.Parse("P1D").DueAt(start, zone);
        Assert.Equal(Instant.FromUtc(2026, 3, 7, 15, 0), due); // Saturday 10:00 EST
        Assert.Equal(Duration.FromHours(23), Instant.FromUtc(2026, 3, 8, 14, 0) - due);
    }

    [Fact]
    public void HoursBeforeAreExactAcrossFallBack()
    {
        // New York returns to EST at 02:00 on Sunday 1 November 2026: 01:00-02:00 happens twice.
        var zone = DateTimeZoneProviders.Tzdb["America/New_York"];
        var start = new LocalDateTime(2026, 11, 1, 3, 0); // 03:00 EST = 08:00 UTC
        var due = ReminderOffset.Parse("PT2H").DueAt(start, zone);
        Assert.Equal(Instant.FromUtc(2026, 11, 1, 6, 0), due); // exactly two hours, 01:00 EDT
    }

    [Fact]
    public void ADayBeforeThatLandsInTheGapMovesForward()
    {
        var zone = DateTimeZoneProviders.Tzdb["America/New_York"];
        var start = new LocalDateTime(2026, 3, 9, 2, 30); // 02:30 on 8 March does not exist
        var due = ReminderOffset.Parse("P1D").DueAt(start, zone);
        Assert.Equal(Instant.FromUtc(2026, 3, 8, 7, 30), due); // 03:30 EDT
    }
}
