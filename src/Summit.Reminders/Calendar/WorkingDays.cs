using NodaTime;

namespace Summit.Reminders.Calendar;

public static class WorkingDays
{
    /// <summary>Saturday and Sunday are never working days (any country, or null country); a full-day public holiday of the
    /// country isn't; a half day is (its morning is worked).</summary>
    public static bool IsWorkingDay(string? country, LocalDate date) =>
        date.DayOfWeek is not (IsoDayOfWeek.Saturday or IsoDayOfWeek.Sunday)
        && (country is null || !PublicHolidays.On(country, date).Any(h => h.HalfDayFrom is null));

    /// <summary>The last working day strictly before <paramref name="date"/>.</summary>
    public static LocalDate PreviousWorkingDay(string? country, LocalDate date)
    {
        var day = date.PlusDays(-1);
        while (!IsWorkingDay(country, day)) day = day.PlusDays(-1);
        return day;
    }
}
