using System.Collections.Frozen;
using NodaTime;

namespace Summit.Reminders.Calendar;

/// <summary>South Korea's and Türkiye's public holidays, 2026–2035: pure data and rules, no I/O. Korea's are computed
/// from the Korean lunisolar calendar and the substitute-holiday rules (<see cref="KoreanHolidays"/>); Türkiye's
/// religious holidays come from the table the Presidency of Religious Affairs publishes (<see cref="TurkishHolidays"/>).</summary>
public static class PublicHolidays
{
    public const int FirstYear = 2026, LastYear = 2035;

    public static IReadOnlyList<string> Countries { get; } = ["KR", "TR"];

    private static readonly FrozenDictionary<(string Country, int Year), IReadOnlyList<PublicHoliday>> ByYear =
        (from country in Countries
         from year in Enumerable.Range(FirstYear, LastYear - FirstYear + 1)
         select (country, year))
        .ToFrozenDictionary(k => k, k => k.country == "KR" ? KoreanHolidays.For(k.year) : TurkishHolidays.For(k.year));

    private static readonly FrozenDictionary<(string Country, LocalDate Date), IReadOnlyList<PublicHoliday>> ByDate =
        ByYear.Values.SelectMany(list => list)
            .GroupBy(h => (h.Country, h.Date))
            .ToFrozenDictionary(g => g.Key, g => (IReadOnlyList<PublicHoliday>)[.. g]);

    /// <summary>Exactly <c>KR</c> or <c>TR</c> (upper case, as ISO 3166-1 writes them).</summary>
    public static bool IsKnownCountry(string? code) => code is "KR" or "TR";

    /// <summary>Every holiday of the year in date order (a date may appear twice when two holidays coincide).</summary>
    /// <exception cref="ArgumentException">An unknown country or a year outside 2026–2035.</exception>
    public static IReadOnlyList<PublicHoliday> For(string country, int year)
    {
        if (!IsKnownCountry(country)) throw new ArgumentException($"Unknown country '{country}': KR or TR.", nameof(country));
        if (year is < FirstYear or > LastYear) throw new ArgumentException($"The calendar covers {FirstYear}–{LastYear}.", nameof(year));
        return ByYear[(country, year)];
    }

    /// <summary>The holidays of the country on the date; empty when none, or outside the years the calendar covers.</summary>
    public static IReadOnlyList<PublicHoliday> On(string country, LocalDate date) =>
        ByDate.TryGetValue((country, date), out var holidays) ? holidays : [];

    /// <summary>The country whose holidays apply to someone living in this IANA zone, when it is one we know.</summary>
    public static string? CountryOfTimeZone(string? ianaZone) => ianaZone switch
    {
        "Asia/Seoul" or "ROK" => "KR",
        "Europe/Istanbul" or "Asia/Istanbul" or "Turkey" => "TR",
        _ => null,
    };
}
