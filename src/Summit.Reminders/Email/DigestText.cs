namespace Summit.Reminders.Email;

/// <summary>The words of a coordinator's daily digest, in English, Korean and Turkish. Counts are of meetings and commitments.</summary>
public sealed record DigestText(
    string Code, string DayPattern, string TimePattern, string Hello,
    Func<int, int, string> Subject, Func<string, string> Headline, Func<string, string> Intro,
    string MeetingsLabel, string CommitmentsLabel, string NoMeetings, string NoCommitments,
    string Waiting, string EveryoneAcknowledged, string Unsubscribed, string Undeliverable,
    string Due, string Owners, string Overdue, Func<string, string> DueIn, string Footer)
{
    public static readonly DigestText English = new("en", "dddd d MMMM uuuu", "ddd d MMM, HH':'mm", "Hello,",
        (meetings, commitments) => "Your daily digest: " + Join(meetings > 0 ? Count(meetings, "meeting") : null, commitments > 0 ? Count(commitments, "commitment") : null),
        day => $"Your digest for {day}",
        zone => $"Meetings of your tracks in the next 7 days with who has not acknowledged them, addresses that cannot receive email, " +
                $"and commitments overdue or due in the next 7 days. Times are in your time zone, {zone}.",
        "Meetings in the next 7 days", "Commitments overdue or due in the next 7 days",
        "No meeting in the next 7 days.", "No commitment overdue or due in the next 7 days.",
        "Not acknowledged", "Everyone has acknowledged.", "unsubscribed from this meeting", "Cannot receive email",
        "Due", "Owners", "Overdue", left => $"Due {left}",
        "You receive this because you subscribed to the daily digest. It comes at 08:00 your time on days with something to report. " +
        "To stop it, turn the daily digest off where you turned it on.");

    public static readonly DigestText Korean = new("ko", "uuuu'년' M'월' d'일' dddd", "M'월' d'일' (ddd) HH':'mm", "안녕하세요.",
        (meetings, commitments) => "일일 요약: " + Join(meetings > 0 ? $"회의 {meetings}건" : null, commitments > 0 ? $"과제 {commitments}건" : null),
        day => $"{day} 일일 요약",
        zone => $"담당 분야의 향후 7일간 회의와 아직 확인하지 않은 참석자, 이메일을 받을 수 없는 주소, 기한이 지났거나 7일 안에 마감되는 과제를 알려 드립니다. " +
                $"시각은 설정하신 시간대({zone}) 기준입니다.",
        "향후 7일간 회의", "기한이 지났거나 7일 안에 마감되는 과제",
        "향후 7일간 회의가 없습니다.", "기한이 지났거나 7일 안에 마감되는 과제가 없습니다.",
        "확인하지 않은 참석자", "모든 참석자가 확인했습니다.", "이 회의의 메일 수신을 거부함", "이메일 전달 불가",
        "마감", "책임자", "기한 지남", left => $"{left} 마감",
        "일일 요약을 신청하셨기 때문에 이 메일을 받으셨습니다. 알려 드릴 내용이 있는 날에만 현지 시각 08:00에 보내 드립니다. " +
        "받지 않으시려면 신청하신 곳에서 일일 요약을 해제해 주십시오.");

    public static readonly DigestText Turkish = new("tr", "d MMMM uuuu dddd", "d MMM ddd, HH':'mm", "Merhaba,",
        (meetings, commitments) => "Günlük özet: " + Join(meetings > 0 ? $"{meetings} toplantı" : null, commitments > 0 ? $"{commitments} taahhüt" : null),
        day => $"{day} için günlük özetiniz",
        zone => $"Alanlarınızın önümüzdeki 7 gündeki toplantıları ve bunları henüz onaylamayanlar, e-posta alamayan adresler, " +
                $"süresi geçmiş ya da 7 gün içinde dolacak taahhütler. Saatler sizin saat diliminize göredir: {zone}.",
        "Önümüzdeki 7 gündeki toplantılar", "Süresi geçmiş ya da 7 gün içinde dolacak taahhütler",
        "Önümüzdeki 7 günde toplantı yok.", "Süresi geçmiş ya da 7 gün içinde dolacak taahhüt yok.",
        "Onaylamayanlar", "Herkes onayladı.", "bu toplantının e-postalarından çıktı", "E-posta alamıyor",
        "Son teslim", "Sorumlular", "Süresi geçti", left => $"Son teslim {left}",
        "Bu e-postayı günlük özete abone olduğunuz için alıyorsunuz. Yalnızca bildirilecek bir şey olan günlerde, sizin saatinizle 08:00'de gelir. " +
        "Durdurmak için günlük özeti açtığınız yerden kapatın.");

    public static DigestText For(string? code) => code switch
    {
        "ko" => Korean,
        "tr" => Turkish,
        _ => English,
    };

    private static string Count(int n, string noun) => n == 1 ? $"1 {noun}" : $"{n} {noun}s";

    /// <summary>The counts that are not zero (a digest is sent only when one is not).</summary>
    private static string Join(params string?[] parts) => string.Join(", ", parts.Where(p => p is not null));
}
