using System.Globalization;
using NodaTime;
using NodaTime.Text;

namespace Summit.Reminders.Email;

/// <summary>
/// What changes with the participant's language (en, ko, tr): the words around the meeting's data, how a date and
/// time are written, and how the time left is said. English is the default.
/// </summary>
public sealed record EmailLanguage(
    string Code, CultureInfo Culture, string DatePattern,
    Func<string, string> Greeting, Func<string, string, string> Subject, Func<string, string, string> Headline,
    string When, string Where, string Track, string Coordinator, string Agenda, string MeetingTime, string InviteNote,
    string Now, Func<int, int, int, string> TimeLeftWords)
{
    public static readonly EmailLanguage English = new(
        "en", CultureInfo.GetCultureInfo("en-GB"), "dddd d MMMM uuuu, HH':'mm",
        name => $"Dear {name},",
        (title, left) => $"Reminder: {title} starts {left}",
        (title, left) => $"{title} starts {left}",
        "When", "Where", "Track", "Coordinator", "Agenda", "(meeting time)",
        "The attached invitation adds the meeting to your calendar.",
        "now",
        (days, hours, minutes) =>
        {
            static string Unit(int n, string unit) => n == 1 ? $"1 {unit}" : $"{n} {unit}s";
            if (days >= 2) return "in " + Unit(days, "day");
            if (days == 1) return hours == 0 ? "in 1 day" : $"in 1 day and {Unit(hours, "hour")}";
            if (hours >= 1) return minutes == 0 ? "in " + Unit(hours, "hour") : $"in {Unit(hours, "hour")} and {Unit(minutes, "minute")}";
            return "in " + Unit(minutes, "minute");
        });

    public static readonly EmailLanguage Korean = new(
        "ko", CultureInfo.GetCultureInfo("ko-KR"), "uuuu'년' M'월' d'일' dddd HH':'mm",
        name => $"{name} 님께,",
        (title, left) => $"알림: {title} — {left} 시작",
        (title, left) => $"{title} — {left} 시작합니다",
        "일시", "장소", "분야", "담당자", "의제", "(회의 현지 시각)",
        "첨부된 초대장으로 회의를 캘린더에 추가할 수 있습니다.",
        "곧",
        (days, hours, minutes) =>
        {
            if (days >= 2) return $"{days}일 후";
            if (days == 1) return hours == 0 ? "1일 후" : $"1일 {hours}시간 후";
            if (hours >= 1) return minutes == 0 ? $"{hours}시간 후" : $"{hours}시간 {minutes}분 후";
            return $"{minutes}분 후";
        });

    public static readonly EmailLanguage Turkish = new(
        "tr", CultureInfo.GetCultureInfo("tr-TR"), "d MMMM uuuu dddd, HH':'mm",
        name => $"Sayın {name},",
        (title, left) => $"Hatırlatma: {title} {left} başlıyor",
        (title, left) => $"{title} {left} başlıyor",
        "Zaman", "Yer", "Alan", "Koordinatör", "Gündem", "(toplantı saati)",
        "Ekteki davet, toplantıyı takviminize ekler.",
        "şimdi",
        (days, hours, minutes) =>
        {
            if (days >= 2) return $"{days} gün sonra";
            if (days == 1) return hours == 0 ? "1 gün sonra" : $"1 gün {hours} saat sonra";
            if (hours >= 1) return minutes == 0 ? $"{hours} saat sonra" : $"{hours} saat {minutes} dakika sonra";
            return $"{minutes} dakika sonra";
        });

    /// <summary>The participant's language (<c>en</c>, <c>ko</c>, <c>tr</c>); English when none or another.</summary>
    public static EmailLanguage For(string? code) => code switch
    {
        "ko" => Korean,
        "tr" => Turkish,
        _ => English,
    };

    /// <summary>The time left, rounded to what matters: days when two or more (12 hours round up), else days and hours,
    /// hours and minutes, or minutes; "now" within a minute.</summary>
    public string TimeLeft(TimeSpan left)
    {
        if (left <= TimeSpan.FromMinutes(1)) return Now;
        var total = (int)Math.Round(left.TotalMinutes);
        var days = total / (24 * 60);
        var hours = total % (24 * 60) / 60;
        var minutes = total % 60;
        if (days >= 2 && hours >= 12) days++;
        return TimeLeftWords(days, hours, minutes);
    }

    /// <summary>The moment in a zone, in this language, with the zone and its UTC offset: "Thursday 10 December 2026,
    /// 10:00 (Asia/Seoul, UTC+09:00)", "2026년 12월 10일 목요일 10:00 (Asia/Seoul, UTC+09:00)".</summary>
    public string Describe(ZonedDateTime zoned, string zoneId) =>
        $"{LocalDateTimePattern.Create(DatePattern, Culture).Format(zoned.LocalDateTime)} ({zoneId}, UTC{OffsetPattern.CreateWithInvariantCulture("+HH:mm").Format(zoned.Offset)})";
}
