using NodaTime;

namespace Summit.Reminders.Calendar;

// PLACEHOLDER until the holidays branch lands (same API): weekends only, no holidays.
public sealed record PublicHoliday(LocalDate Date, string Country, string Key, string NameEn, string NameKo, string NameTr)
{
    public LocalTime? HalfDayFrom { get; init; }
    public bool IsSubstitute { get; init; }
    public string Name(string? language) => language switch { "ko" => NameKo, "tr" => NameTr, _ => NameEn };
}

public static class PublicHolidays
{
    public const int FirstYear = 2026, LastYear = 2035;
    public static IReadOnlyList<string> Countries { get; } = ["KR", "TR"];
    public static bool IsKnownCountry(string? code) => code is "KR" or "TR";
    public static IReadOnlyList<PublicHoliday> For(string country, int year) => [];
    public static IReadOnlyList<PublicHoliday> On(string country, LocalDate date) => [];
    public static string? CountryOfTimeZone(string? ianaZone) => ianaZone switch
    {
        "Asia/Seoul" => "KR",
        "Europe/Istanbul" or "Asia/Istanbul" => "TR",
        _ => null,
    };
}

public static class WorkingDays
{
    public static bool IsWorkingDay(string? country, LocalDate date) =>
        date.DayOfWeek is not (IsoDayOfWeek.Saturday or IsoDayOfWeek.Sunday)
        && (country is null || PublicHolidays.On(country, date).All(h => h.HalfDayFrom is not null));

    public static LocalDate PreviousWorkingDay(string? country, LocalDate date)
    {
        var day = date.PlusDays(-1);
        while (!IsWorkingDay(country, day)) day = day.PlusDays(-1);
        return day;
    }
}
