using NodaTime;
using Summit.Reminders.Meetings;
using Summit.Reminders.Notifications;

namespace Summit.Reminders.Digest;

/// <summary>
/// When digests go: at <see cref="SendTime"/> (08:00) on the subscriber's clock, one a day. A day's moment is computed
/// from the local date and the zone's rules for that date, so a change of daylight saving time moves the UTC moment,
/// never the local one. Pure rules; the caller passes "now" from its <see cref="TimeProvider"/>.
/// </summary>
public static class DigestSchedule
{
    public static readonly LocalTime SendTime = new(8, 0);

    /// <summary>How far ahead a digest looks: meetings starting and commitments due within this time of its sending.</summary>
    public static readonly TimeSpan Horizon = TimeSpan.FromDays(7);

    /// <summary>The first 08:00 on the subscriber's clock strictly after <paramref name="after"/>, with its local date.</summary>
    public static (DateOnly Day, DateTimeOffset At) NextAfter(string timeZone, DateTimeOffset after)
    {
        var zone = Zone(timeZone);
        var local = Instant.FromDateTimeOffset(after).InZone(zone);
        var day = local.Date;
        var at = Moment(zone, day);
        if (at <= after)
        {
            day = day.PlusDays(1);
            at = Moment(zone, day);
        }
        return (new DateOnly(day.Year, day.Month, day.Day), at);
    }

    /// <summary>The due entry of a subscription's digest of <paramref name="day"/> at <paramref name="at"/>.</summary>
    public static DueEntry Entry(DigestSubscription subscription, DateOnly day, DateTimeOffset at, DateTimeOffset now) =>
        new(subscription.SubjectId, subscription.PlanId, subscription.PlanVersion, Slots.Digest(day), at, now);

    /// <summary>The date on the subscriber's clock at <paramref name="at"/>.</summary>
    public static DateOnly DayOf(string timeZone, DateTimeOffset at)
    {
        var day = Instant.FromDateTimeOffset(at).InZone(Zone(timeZone)).Date;
        return new DateOnly(day.Year, day.Month, day.Day);
    }

    /// <summary>Whether <paramref name="day"/> is over on the subscriber's clock at <paramref name="now"/>: its digest is
    /// no news any more (the app was down, or a retry ran past midnight) and is skipped.</summary>
    public static bool IsOver(string timeZone, DateOnly day, DateTimeOffset now)
    {
        return DayOf(timeZone, now) > day;
    }

    /// <summary>A zone id as stored: an IANA id as it is, a Windows id (what Entra and Outlook give) as the IANA zone
    /// CLDR maps it to; null when it is neither.</summary>
    public static string? NormalizeZone(string? id)
    {
        if (string.IsNullOrWhiteSpace(id)) return null;
        if (MeetingTime.FindZone(id) is not null) return id;
        return NodaTime.TimeZones.TzdbDateTimeZoneSource.Default.WindowsToTzdbIds.TryGetValue(id.Trim(), out var iana) ? iana : null;
    }

    private static DateTimeZone Zone(string id) =>
        MeetingTime.FindZone(id) ?? throw new InvalidOperationException("A digest subscription has no valid time zone.");

    // 08:00 exists in every zone's day today; leniently, a skipped 08:00 would be the first moment after the gap.
    private static DateTimeOffset Moment(DateTimeZone zone, LocalDate day) => zone.AtLeniently(day + SendTime).ToDateTimeOffset();
}
