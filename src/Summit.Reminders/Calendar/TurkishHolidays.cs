using NodaTime;

namespace Summit.Reminders.Calendar;

/// <summary>
/// Türkiye's public holidays (Law 2429 on National Holidays and General Holidays, Ulusal Bayram ve Genel Tatiller
/// Hakkında Kanun): the fixed national days, the afternoon of 28 October (from 13:00), Ramazan Bayramı (3 days) and
/// Kurban Bayramı (4 days), each with its eve (arife) from 13:00. Türkiye adds no substitute days for holidays on a
/// weekend; a "bridge" day the government sometimes grants for civil servants is administrative leave, not a public
/// holiday, and is not here.
/// </summary>
internal static class TurkishHolidays
{
    private static readonly LocalTime Afternoon = new(13, 0);

    /// <summary>
    /// The first day of each bayram as the Presidency of Religious Affairs (Diyanet İşleri Başkanlığı) publishes it
    /// (its "Dini Günler" calendar, vakithesaplama.diyanet.gov.tr/dinigunler.php, and its Hijri–Gregorian converter,
    /// vakithesaplama.diyanet.gov.tr/hicriden_miladiye.php). Diyanet fixes the dates in advance by its own astronomical
    /// criteria rather than by sighting, and they can differ by a day from the Umm al-Qura or tabular Hijri calendars, so
    /// the published table is the authority here and no Hijri arithmetic is used (a test shows each date within a day of
    /// Umm al-Qura's). 2026: Diyanet's 2026 calendar as reported by ekonomist.com.tr (2025-11-17) and dunya.com
    /// (2025-11-20). 2027–2035: the table of the python-holidays project (vacanza/holidays,
    /// holidays/calendars/islamic.py, used unchanged by holidays/countries/turkey.py, which lists Diyanet's converter as
    /// its reference and marks its dates confirmed up to 2032); 2033–2035 are not yet confirmed there. Check each year
    /// against Diyanet's calendar when it appears (about a year ahead).
    /// </summary>
    internal static readonly (LocalDate Ramazan, LocalDate Kurban)[] Bayrams =
    [
        (new(2026, 3, 20), new(2026, 5, 27)),
        (new(2027, 3, 9), new(2027, 5, 16)),
        (new(2028, 2, 26), new(2028, 5, 5)),
        (new(2029, 2, 14), new(2029, 4, 24)),
        (new(2030, 2, 4), new(2030, 4, 13)),
        (new(2031, 1, 24), new(2031, 4, 2)),
        (new(2032, 1, 14), new(2032, 3, 22)),
        (new(2033, 1, 2), new(2033, 3, 11)),
        (new(2033, 12, 23), new(2034, 3, 1)),
        (new(2034, 12, 12), new(2035, 2, 18)),
        (new(2035, 12, 1), new(2036, 2, 7)),
    ];

    private static readonly string[] KoOrdinals = ["첫째", "둘째", "셋째", "넷째"];

    public static IReadOnlyList<PublicHoliday> For(int year) =>
        [.. Fixed(year).Concat(Bayrams.SelectMany(b => Bayram(b.Ramazan, 3, "ramazan-bayrami", "Ramadan Feast", "라마단 바이람", "Ramazan Bayramı")
                .Concat(Bayram(b.Kurban, 4, "kurban-bayrami", "Feast of Sacrifice", "쿠르반 바이람", "Kurban Bayramı"))))
            .Where(h => h.Date.Year == year)
            .OrderBy(h => h.Date).ThenBy(h => h.HalfDayFrom is null)];

    private static IEnumerable<PublicHoliday> Fixed(int year)
    {
        yield return Holiday(new(year, 1, 1), "new-years-day", "New Year's Day", "신정", "Yılbaşı");
        yield return Holiday(new(year, 4, 23), "national-sovereignty-and-childrens-day", "National Sovereignty and Children's Day", "국가 주권과 어린이의 날", "Ulusal Egemenlik ve Çocuk Bayramı");
        yield return Holiday(new(year, 5, 1), "labour-and-solidarity-day", "Labour and Solidarity Day", "노동과 연대의 날", "Emek ve Dayanışma Günü");
        yield return Holiday(new(year, 5, 19), "youth-and-sports-day", "Commemoration of Atatürk, Youth and Sports Day", "아타튀르크 추모 및 청소년·스포츠의 날", "Atatürk'ü Anma, Gençlik ve Spor Bayramı");
        yield return Holiday(new(year, 7, 15), "democracy-and-national-unity-day", "Democracy and National Unity Day", "민주주의와 국민 통합의 날", "Demokrasi ve Millî Birlik Günü");
        yield return Holiday(new(year, 8, 30), "victory-day", "Victory Day", "승리의 날", "Zafer Bayramı");
        yield return Holiday(new(year, 10, 28), "republic-day-eve", "Republic Day eve", "공화국 선포일 전날", "Cumhuriyet Bayramı arifesi") with { HalfDayFrom = Afternoon };
        yield return Holiday(new(year, 10, 29), "republic-day", "Republic Day", "공화국 선포일", "Cumhuriyet Bayramı");
    }

    private static IEnumerable<PublicHoliday> Bayram(LocalDate first, int days, string key, string en, string ko, string tr)
    {
        yield return Holiday(first.PlusDays(-1), key + "-eve", $"{en} eve", $"{ko} 전날", $"{tr} arifesi") with { HalfDayFrom = Afternoon };
        for (var i = 0; i < days; i++)
            yield return Holiday(first.PlusDays(i), $"{key}-{i + 1}", $"{en} (day {i + 1})", $"{ko} {KoOrdinals[i]} 날", $"{tr} ({i + 1}. gün)");
    }

    private static PublicHoliday Holiday(LocalDate date, string key, string en, string ko, string tr) => new(date, "TR", key, en, ko, tr);
}
