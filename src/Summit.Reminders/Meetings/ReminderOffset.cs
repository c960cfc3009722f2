using System.Globalization;
using NodaTime;
using NodaTime.TimeZones;
using NodaTime.Text;

namespace Summit.Reminders.Meetings;

/// <summary>
/// An ISO 8601 duration before the meeting start ("P7D", "P1D", "PT2H", "P1DT12H", "P2W").
/// Following RFC 5545 (3.3.6), weeks and days are nominal: "P1D" is the same wall-clock time the day before in the
/// meeting's zone, even across a DST change; hours and minutes are exact. Years and months are refused (their length
/// varies) and so are seconds (reminders are planned to the minute).
/// </summary>
public readonly record struct ReminderOffset(int Days, int Hours, int Minutes)
{
    public static IReadOnlyList<string> Defaults { get; } = ["P7D", "P1D", "PT2H"];

    /// <summary>An upper bound on the length, used for the 5 minutes – 180 days limits.</summary>
    public TimeSpan ApproximateLength => new(Days, Hours, Minutes, 0);

    public static bool TryParse(string? text, out ReminderOffset offset, out string error)
    {
        offset = default;
        if (string.IsNullOrWhiteSpace(text))
        {
            error = "must be an ISO 8601 duration such as P1D or PT2H";
            return false;
        }
        var result = PeriodPattern.NormalizingIso.Parse(text.Trim());
        if (!result.Success)
        {
            error = $"'{Shorten(text)}' is not an ISO 8601 duration (examples: P7D, P1D, PT2H, PT30M)";
            return false;
        }
        var period = result.Value;
        if (period.Years != 0 || period.Months != 0)
        {
            error = "years and months vary in length; use weeks (P2W) or days (P30D)";
            return false;
        }
        if (period.Seconds != 0 || period.Milliseconds != 0 || period.Ticks != 0 || period.Nanoseconds != 0)
        {
            error = "must be whole minutes (no seconds)";
            return false;
        }
        if (period.Weeks < 0 || period.Days < 0 || period.Hours < 0 || period.Minutes < 0)
        {
            error = "must be positive: it is a duration before the start";
            return false;
        }
        long days = period.Weeks * 7L + period.Days;
        long totalMinutes = days * 24 * 60 + period.Hours * 60L + period.Minutes;
        if (days > 100_000 || totalMinutes > int.MaxValue)
        {
            error = "is far too long";
            return false;
        }
        offset = new ReminderOffset((int)days, (int)period.Hours, (int)period.Minutes);
        error = "";
        return true;
    }

    public static ReminderOffset Parse(string text) =>
        TryParse(text, out var offset, out var error) ? offset : throw new FormatException($"Offset {error}.");

    /// <summary>Meeting durations use the same syntax; there every unit is exact (a day is 24 hours).</summary>
    public static TimeSpan ParseDuration(string text) => Parse(text).ApproximateLength;

    /// <summary>The canonical spelling: weeks folded into days, zero parts left out ("P1DT12H", "PT90M" stays "PT90M").</summary>
    public override string ToString()
    {
        var s = "P";
        if (Days != 0) s += Days.ToString(CultureInfo.InvariantCulture) + "D";
        if (Hours != 0 || Minutes != 0 || Days == 0)
        {
            s += "T";
            if (Hours != 0) s += Hours.ToString(CultureInfo.InvariantCulture) + "H";
            if (Minutes != 0 || Hours == 0) s += Minutes.ToString(CultureInfo.InvariantCulture) + "M";
        }
        return s;
    }

    /// <summary>
    /// The instant this reminder falls due for a meeting starting at <paramref name="startLocal"/> in <paramref name="zone"/>.
    /// Days are taken off the local date-time; a result in a DST gap moves forward by the gap and an ambiguous one
    /// takes the earlier instant (RFC 5545's rule). Hours and minutes are then taken off the instant.
    /// </summary>
    public Instant DueAt(LocalDateTime startLocal, DateTimeZone zone)
    {
        var dayShifted = startLocal.PlusDays(-Days);
        var instant = zone.ResolveLocal(dayShifted, Resolvers.LenientResolver).ToInstant();
        return instant - NodaTime.Duration.FromHours(Hours) - NodaTime.Duration.FromMinutes(Minutes);
    }

    /// <summary>The same rule counted on instead of back: days added to the local date-time, then hours and minutes to
    /// the instant (a commitment's escalation ladder after its due moment).</summary>
    public Instant DueAfter(LocalDateTime local, DateTimeZone zone)
    {
        var instant = zone.ResolveLocal(local.PlusDays(Days), Resolvers.LenientResolver).ToInstant();
        return instant + NodaTime.Duration.FromHours(Hours) + NodaTime.Duration.FromMinutes(Minutes);
    }

    private static string Shorten(string text) => text.Length <= 40 ? text : text[..40] + "…";
}
