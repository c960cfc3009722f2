using NodaTime;
using NodaTime.TimeZones;
using NodaTime.Text;

namespace Summit.Reminders.Meetings;

/// <summary>Time-zone rules, from the IANA database that NodaTime ships (the same on every machine).</summary>
public static class MeetingTime
{
    private static readonly LocalDateTimePattern[] StartPatterns =
    [
        LocalDateTimePattern.CreateWithInvariantCulture("uuuu'-'MM'-'dd'T'HH':'mm"),
        LocalDateTimePattern.CreateWithInvariantCulture("uuuu'-'MM'-'dd'T'HH':'mm':'ss"),
    ];

    public static DateTimeZone? FindZone(string? id) =>
        string.IsNullOrWhiteSpace(id) ? null : DateTimeZoneProviders.Tzdb.GetZoneOrNull(id);

    public static bool TryParseLocal(string? text, out LocalDateTime value)
    {
        value = default;
        if (string.IsNullOrWhiteSpace(text)) return false;
        foreach (var pattern in StartPatterns)
        {
            var result = pattern.Parse(text);
            if (result.Success)
            {
                value = result.Value;
                return true;
            }
        }
        return false;
    }

    public static string FormatLocal(LocalDateTime value) =>
        LocalDateTimePattern.CreateWithInvariantCulture("uuuu'-'MM'-'dd'T'HH':'mm").Format(value);

    /// <summary>
    /// Resolves a coordinator's local start. A time that does not exist (skipped by a DST change) is refused with the
    /// reason; an ambiguous one (repeated by a DST change) is the earlier of the two, as RFC 5545 and calendar clients do.
    /// </summary>
    public static bool TryResolveStart(LocalDateTime local, DateTimeZone zone, out Instant instant, out string error)
    {
        var mapping = zone.MapLocal(local);
        if (mapping.Count == 0)
        {
            var after = zone.ResolveLocal(local, Resolvers.LenientResolver);
            instant = default;
            error = $"{FormatLocal(local)} does not exist in {zone.Id}: the clocks skip that hour for daylight saving time " +
                    $"(the next valid time is {FormatLocal(after.LocalDateTime)})";
            return false;
        }
        instant = mapping.First().ToInstant();
        error = "";
        return true;
    }

    public static ZonedDateTime InZone(DateTimeOffset instant, string zoneId) =>
        Instant.FromDateTimeOffset(instant).InZone(FindZone(zoneId) ?? DateTimeZone.Utc);
}
