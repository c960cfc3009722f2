namespace Summit.Reminders.Participation;

/// <summary>The words of the acknowledge and unsubscribe pages (and of the two links in emails), in English, Korean and Turkish.</summary>
public sealed record LinkPageText(
    string Code,
    string AckLink, string UnsubscribeLink, string LinksNote,
    string AckQuestion, string AckExplain, string AckButton,
    string UnsubscribeQuestion, string UnsubscribeExplain, string UnsubscribeButton,
    string NothingYet,
    string AckDone, string AckDoneExplain, string AckAlready,
    string UnsubscribeDone, string UnsubscribeDoneExplain, string UnsubscribeAlready,
    string ErrorHeading, string Invalid, string Expired, string Gone, string NotParticipant, string Cancelled, string Over,
    Func<string, string, string> Contact)
{
    public static readonly LinkPageText English = new("en",
        "Got it — stop reminding me", "Unsubscribe from this meeting",
        "These links are personal: they act for you only.",
        "Stop reminders for this meeting?",
        "Press the button to tell the coordinator you have this meeting in your calendar. You will get no more reminders for it unless its time changes.",
        "Got it — stop reminding me",
        "Unsubscribe from this meeting?",
        "Press the button to receive no more emails about this meeting: no reminders and no updates.",
        "Unsubscribe",
        "Nothing changes until you press the button.",
        "Thank you — noted",
        "The coordinator can see that you have acknowledged. You will get no more reminders for this meeting unless its time changes.",
        "You had already acknowledged this meeting. You will get no more reminders for it unless its time changes.",
        "You are unsubscribed",
        "You will get no more emails about this meeting.",
        "You had already unsubscribed from this meeting.",
        "This link cannot be used",
        "The link is incomplete or has been changed. Please open it exactly as it came in your email.",
        "This link has expired: the meeting is over.",
        "This meeting no longer exists.",
        "You are no longer a participant of this meeting.",
        "This meeting was cancelled: there is nothing to acknowledge.",
        "This meeting has already started: there is nothing more to remind you of.",
        (name, email) => $"Questions? Write to the coordinator, {name} <{email}>.");

    public static readonly LinkPageText Korean = new("ko",
        "확인했습니다 — 알림 중지", "이 회의 메일 수신 거부",
        "이 링크는 본인 전용입니다.",
        "이 회의의 알림을 그만 받으시겠습니까?",
        "버튼을 누르면 회의 일정을 확인했다는 사실이 담당자에게 전달되며, 회의 시간이 바뀌지 않는 한 더 이상 알림을 보내지 않습니다.",
        "확인했습니다 — 알림 중지",
        "이 회의의 메일 수신을 거부하시겠습니까?",
        "버튼을 누르면 이 회의에 관한 메일(알림 및 변경 안내)을 더 이상 받지 않습니다.",
        "수신 거부",
        "버튼을 누르기 전에는 아무것도 변경되지 않습니다.",
        "감사합니다 — 확인되었습니다",
        "담당자가 확인 여부를 볼 수 있습니다. 회의 시간이 바뀌지 않는 한 이 회의의 알림은 더 이상 보내지 않습니다.",
        "이미 이 회의를 확인하셨습니다. 회의 시간이 바뀌지 않는 한 알림은 더 이상 보내지 않습니다.",
        "수신 거부되었습니다",
        "이 회의에 관한 메일을 더 이상 보내지 않습니다.",
        "이미 이 회의의 메일 수신을 거부하셨습니다.",
        "이 링크는 사용할 수 없습니다",
        "링크가 불완전하거나 변경되었습니다. 메일에 있는 링크를 그대로 열어 주십시오.",
        "이 링크는 만료되었습니다. 회의가 이미 끝났습니다.",
        "이 회의는 더 이상 존재하지 않습니다.",
        "더 이상 이 회의의 참석자가 아닙니다.",
        "이 회의는 취소되었습니다. 확인할 내용이 없습니다.",
        "이 회의는 이미 시작되었습니다. 더 이상 보낼 알림이 없습니다.",
        (name, email) => $"문의: 담당자 {name} <{email}>");

    public static readonly LinkPageText Turkish = new("tr",
        "Anladım — hatırlatmayı durdur", "Bu toplantının e-postalarından çık",
        "Bu bağlantılar kişiseldir: yalnızca sizin adınıza işlem yapar.",
        "Bu toplantı için hatırlatmalar durdurulsun mu?",
        "Düğmeye bastığınızda koordinatöre toplantıyı takviminize aldığınız bildirilir. Toplantının saati değişmedikçe size başka hatırlatma gönderilmez.",
        "Anladım — hatırlatmayı durdur",
        "Bu toplantının e-postalarından çıkmak istiyor musunuz?",
        "Düğmeye bastığınızda bu toplantıyla ilgili hiçbir e-posta (hatırlatma veya güncelleme) almazsınız.",
        "Abonelikten çık",
        "Düğmeye basana kadar hiçbir şey değişmez.",
        "Teşekkürler — kaydedildi",
        "Koordinatör onayınızı görebilir. Toplantının saati değişmedikçe bu toplantı için başka hatırlatma almayacaksınız.",
        "Bu toplantıyı zaten onaylamıştınız. Saati değişmedikçe başka hatırlatma almayacaksınız.",
        "Abonelikten çıktınız",
        "Bu toplantıyla ilgili artık e-posta almayacaksınız.",
        "Bu toplantının e-postalarından zaten çıkmıştınız.",
        "Bu bağlantı kullanılamıyor",
        "Bağlantı eksik ya da değiştirilmiş. Lütfen e-postanızdaki bağlantıyı olduğu gibi açın.",
        "Bu bağlantının süresi dolmuş: toplantı sona erdi.",
        "Bu toplantı artık mevcut değil.",
        "Artık bu toplantının katılımcısı değilsiniz.",
        "Bu toplantı iptal edildi; onaylanacak bir şey yok.",
        "Bu toplantı zaten başladı; gönderilecek başka hatırlatma yok.",
        (name, email) => $"Sorularınız için koordinatöre yazın: {name} <{email}>");

    public static LinkPageText For(string? code) => code switch
    {
        "ko" => Korean,
        "tr" => Turkish,
        _ => English,
    };

    /// <summary>The first of ko, tr or en named in an Accept-Language header (for pages shown before we know who asks).</summary>
    public static LinkPageText FromAcceptLanguage(string? header)
    {
        foreach (var part in (header ?? "").Split(','))
        {
            var tag = part.Split(';')[0].Trim();
            var primary = tag.Split('-')[0].ToLowerInvariant();
            if (primary is "ko" or "tr" or "en") return For(primary);
        }
        return English;
    }
}
