using System.Globalization;
using NodaTime;

namespace Summit.Reminders.Calendar;

/// <summary>
/// South Korea's public holidays (관공서의 공휴일), computed.
/// <list type="bullet">
/// <item>Which days: the Act on Public Holidays (공휴일에 관한 법률) art. 2 and the Regulations on Holidays of Government
/// Offices (관공서의 공휴일에 관한 규정) art. 2. Constitution Day (제헌절, 17 July) is one again from 2026: the amendment
/// making every national day (국경일) a public holiday passed the National Assembly on 29 January 2026 (Seoul Shinmun,
/// 2026-01-29, m.seoul.co.kr/news/2026/01/29/20260129500182) and was promulgated in February 2026 (law.go.kr lsiSeq
/// 283311), in force three months later, so before 17 July 2026. Labour Day (노동절, 1 May) is not: it was renamed in
/// 2025, but the bill making it a public holiday was still in committee in the sources we found.</item>
/// <item>Seollal, Chuseok and Buddha's Birthday: lunar 1/1 (with the day before and after), 8/15 (likewise) and 4/8 of
/// .NET's <see cref="KoreanLunisolarCalendar"/>, checked against 한국천문연구원's published lunar table in the tests.</item>
/// <item>Substitute holidays (대체공휴일, regulation art. 3): Seollal and Chuseok days that fall on a Sunday or on another
/// holiday; Children's Day, the national days (3·1절, 제헌절, 광복절, 개천절, 한글날; since 2021, 제헌절 since it is a
/// public holiday again), Buddha's Birthday and Christmas (since 2023) on a Saturday, a Sunday or another holiday. The
/// substitute is the first weekday after it that is no holiday; one per date however many holidays share it. New Year's
/// Day and Memorial Day get none.</item>
/// <item>Election days of elections held at the end of a term (Public Official Election Act, 공직선거법, art. 34; a public
/// holiday by regulation art. 2): the first Wednesday from the 70th (president), 50th (National Assembly) or 30th (local)
/// day before the term ends, a week later when that Wednesday, the day before or the day after is a holiday. By-elections,
/// early presidential elections and temporary holidays (임시공휴일, designated by the Cabinet weeks ahead) cannot be
/// predicted and are not here.</item>
/// </list>
/// </summary>
internal static class KoreanHolidays
{
    private enum Substitute { None, SundayOrOverlap, WeekendOrOverlap }

    private sealed record Day(LocalDate Date, string Key, string En, string Ko, string Tr, Substitute Rule);

    // Terms that end inside 2026–2035 (the election falls in the same year): local councils and heads end 30 June
    // (4-year terms from 1 July 2022), the 22nd National Assembly 29 May 2028 (4 years from 30 May 2024), the president
    // 3 June 2030 (5 years from 4 June 2025), assuming each term runs its course.
    private static readonly (LocalDate TermEnds, int DaysBefore, string Key, string En, string Ko, string Tr)[] Elections =
    [
        (new(2026, 6, 30), 30, "local-election-day", "Local elections", "전국동시지방선거일", "Yerel seçim günü"),
        (new(2028, 5, 29), 50, "national-assembly-election-day", "National Assembly election", "국회의원선거일", "Millet Meclisi seçim günü"),
        (new(2030, 6, 3), 70, "presidential-election-day", "Presidential election", "대통령선거일", "Cumhurbaşkanlığı seçim günü"),
        (new(2030, 6, 30), 30, "local-election-day", "Local elections", "전국동시지방선거일", "Yerel seçim günü"),
        (new(2032, 5, 29), 50, "national-assembly-election-day", "National Assembly election", "국회의원선거일", "Millet Meclisi seçim günü"),
        (new(2034, 6, 30), 30, "local-election-day", "Local elections", "전국동시지방선거일", "Yerel seçim günü"),
        (new(2035, 6, 3), 70, "presidential-election-day", "Presidential election", "대통령선거일", "Cumhurbaşkanlığı seçim günü"),
    ];

    public static IReadOnlyList<PublicHoliday> For(int year)
    {
        var days = Fixed(year).Concat(ThreeDays(Lunar(year, 1, 1), "seollal", "Seollal", "설날", "Seollal (Ay Yılbaşı)"))
            .Concat(ThreeDays(Lunar(year, 8, 15), "chuseok", "Chuseok", "추석", "Chuseok (Hasat Bayramı)"))
            .Append(new Day(Lunar(year, 4, 8), "buddhas-birthday", "Buddha's Birthday", "부처님오신날", "Buda'nın Doğum Günü", Substitute.WeekendOrOverlap))
            .ToList();

        var taken = days.Select(d => d.Date).ToHashSet();
        var holidays = days.Select(d => Holiday(d.Date, d.Key, d.En, d.Ko, d.Tr)).ToList();
        foreach (var date in taken.Order().ToList())
        {
            var here = days.Where(d => d.Date == date).ToList();
            var overlap = here.Count > 1;
            var cause = here.FirstOrDefault(d => d.Rule switch
            {
                Substitute.SundayOrOverlap => overlap || date.DayOfWeek == IsoDayOfWeek.Sunday,
                Substitute.WeekendOrOverlap => overlap || date.DayOfWeek is IsoDayOfWeek.Saturday or IsoDayOfWeek.Sunday,
                _ => false,
            });
            if (cause is null) continue;
            var substitute = date.PlusDays(1);
            while (substitute.DayOfWeek is IsoDayOfWeek.Saturday or IsoDayOfWeek.Sunday || taken.Contains(substitute))
                substitute = substitute.PlusDays(1);
            taken.Add(substitute);
            holidays.Add(Holiday(substitute, "substitute-" + cause.Key, $"Substitute holiday for {cause.En}", $"대체공휴일({cause.Ko})",
                $"{cause.Tr} yerine tatil") with { IsSubstitute = true });
        }

        foreach (var e in Elections.Where(e => e.TermEnds.Year == year))
            holidays.Add(Holiday(ElectionDay(e.TermEnds, e.DaysBefore, taken.Contains), e.Key, e.En, e.Ko, e.Tr));

        return [.. holidays.OrderBy(h => h.Date).ThenBy(h => h.IsSubstitute)];
    }

    /// <summary>Public Official Election Act art. 34: the first Wednesday from the given day before the term ends; the
    /// next week's Wednesday when that one, the day before or the day after is a holiday.</summary>
    internal static LocalDate ElectionDay(LocalDate termEnds, int daysBefore, Func<LocalDate, bool> isHoliday)
    {
        var day = termEnds.PlusDays(-daysBefore);
        while (day.DayOfWeek != IsoDayOfWeek.Wednesday) day = day.PlusDays(1);
        return isHoliday(day) || isHoliday(day.PlusDays(-1)) || isHoliday(day.PlusDays(1)) ? day.PlusDays(7) : day;
    }

    /// <summary>A date of the Korean lunisolar calendar (month 1–12, whatever the year's leap month) in the Gregorian one.</summary>
    internal static LocalDate Lunar(int year, int month, int day)
    {
        var calendar = new KoreanLunisolarCalendar();
        var leap = calendar.GetLeapMonth(year);
        var index = leap != 0 && month >= leap ? month + 1 : month;
        return LocalDate.FromDateTime(calendar.ToDateTime(year, index, day, 0, 0, 0, 0));
    }

    private static IEnumerable<Day> Fixed(int year)
    {
        yield return new(new(year, 1, 1), "new-years-day", "New Year's Day", "신정", "Yılbaşı", Substitute.None);
        yield return new(new(year, 3, 1), "independence-movement-day", "Independence Movement Day", "3·1절", "Bağımsızlık Hareketi Günü", Substitute.WeekendOrOverlap);
        yield return new(new(year, 5, 5), "childrens-day", "Children's Day", "어린이날", "Çocuk Günü", Substitute.WeekendOrOverlap);
        yield return new(new(year, 6, 6), "memorial-day", "Memorial Day", "현충일", "Şehitleri Anma Günü", Substitute.None);
        yield return new(new(year, 7, 17), "constitution-day", "Constitution Day", "제헌절", "Anayasa Günü", Substitute.WeekendOrOverlap);
        yield return new(new(year, 8, 15), "liberation-day", "Liberation Day", "광복절", "Kurtuluş Günü", Substitute.WeekendOrOverlap);
        yield return new(new(year, 10, 3), "national-foundation-day", "National Foundation Day", "개천절", "Ulusal Kuruluş Günü", Substitute.WeekendOrOverlap);
        yield return new(new(year, 10, 9), "hangul-day", "Hangul Day", "한글날", "Hangıl Alfabesi Günü", Substitute.WeekendOrOverlap);
        yield return new(new(year, 12, 25), "christmas-day", "Christmas Day", "기독탄신일", "Noel", Substitute.WeekendOrOverlap);
    }

    private static IEnumerable<Day> ThreeDays(LocalDate day, string key, string en, string ko, string tr)
    {
        yield return new(day.PlusDays(-1), key + "-eve", $"Day before {en}", $"{ko} 전날", $"{tr} arifesi", Substitute.SundayOrOverlap);
        yield return new(day, key, en, ko, tr, Substitute.SundayOrOverlap);
        yield return new(day.PlusDays(1), key + "-after", $"Day after {en}", $"{ko} 다음날", $"{tr} ertesi günü", Substitute.SundayOrOverlap);
    }

    private static PublicHoliday Holiday(LocalDate date, string key, string en, string ko, string tr) => new(date, "KR", key, en, ko, tr);
}
