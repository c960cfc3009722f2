namespace Summit.Reminders.Email;

/// <summary>The words of the invitation, update, cancellation and escalation emails, in English, Korean and Turkish.</summary>
public sealed record NoticeText(
    string Code,
    Func<string, string> InvitationSubject, Func<string, string> InvitationHeadline,
    Func<string, string> UpdateSubject, Func<string, string> UpdateHeadline, string UpdateNote, string Changed, string Previously,
    IReadOnlyDictionary<string, string> FieldNames,
    Func<string, string> CancellationSubject, Func<string, string> CancellationHeadline, string CancellationNote,
    Func<string, int, int, string> EscalationSubject, Func<string, int, string> EscalationHeadline, string EscalationNote,
    string Participant, string State, Func<string, string> StateSent, string StateFailed, string StateQueued, string StatePending,
    string StateSkipped, string StateUnsubscribed, string StateUndeliverable, string EscalationFooter,
    Func<string, string> RemovalSubject, Func<string, string> RemovalHeadline, string RemovalNote)
{
    public static readonly NoticeText English = new("en",
        title => $"Invitation: {title}",
        title => $"You are invited: {title}",
        title => $"Updated: {title}",
        title => $"{title} has changed",
        "The attached update replaces the meeting in your calendar.",
        "What changed", "Previously",
        new Dictionary<string, string>
        {
            ["start"] = "time", ["duration"] = "duration", ["location"] = "place", ["joinUrl"] = "online link", ["title"] = "title",
            ["agenda"] = "agenda", ["participants"] = "participants", ["coordinator"] = "coordinator", ["calendarInvitations"] = "calendar invitation",
        },
        title => $"Cancelled: {title}",
        title => $"{title} is cancelled",
        "The meeting will not take place. The attached cancellation removes it from your calendar, and you will get no more reminders for it.",
        (title, open, total) => $"Not yet acknowledged: {title} — {open} of {total} participants",
        (title, open) => open == 1 ? $"1 participant has not acknowledged {title}" : $"{open} participants have not acknowledged {title}",
        "These participants have not pressed “Got it” in their reminders. The delivery state shows whether the reminders reached them.",
        "Participant", "Delivery state",
        when => $"last reminder sent {when}", "delivery failed", "reminder being delivered", "no reminder sent yet", "reminder skipped",
        "unsubscribed from this meeting",
        "the address cannot receive email",
        "You receive this because you coordinate this meeting and asked to be told before it starts.",
        title => $"Removed from: {title}",
        title => $"You are no longer on the list for {title}",
        "The coordinator has taken you off the participant list. The attached cancellation removes the meeting from your calendar; you will get no more emails about it.");

    public static readonly NoticeText Korean = new("ko",
        title => $"회의 초대: {title}",
        title => $"{title} 회의에 초대합니다",
        title => $"변경 안내: {title}",
        title => $"{title} 회의 내용이 변경되었습니다",
        "첨부된 변경 내용이 캘린더의 회의 일정을 대체합니다.",
        "변경된 항목", "변경 전",
        new Dictionary<string, string>
        {
            ["start"] = "시간", ["duration"] = "소요 시간", ["location"] = "장소", ["joinUrl"] = "온라인 링크", ["title"] = "제목",
            ["agenda"] = "의제", ["participants"] = "참석자", ["coordinator"] = "담당자", ["calendarInvitations"] = "캘린더 초대",
        },
        title => $"취소 안내: {title}",
        title => $"{title} 회의가 취소되었습니다",
        "회의가 열리지 않습니다. 첨부된 취소 안내로 캘린더에서 회의가 삭제되며, 이 회의의 알림은 더 이상 보내지 않습니다.",
        (title, open, total) => $"미확인 참석자: {title} — {total}명 중 {open}명",
        (title, open) => $"{title}: {open}명이 아직 확인하지 않았습니다",
        "아래 참석자는 알림의 ‘확인했습니다’ 버튼을 아직 누르지 않았습니다. 발송 상태로 알림이 전달되었는지 확인할 수 있습니다.",
        "참석자", "발송 상태",
        when => $"마지막 알림 발송: {when}", "발송 실패", "알림 발송 중", "아직 보낸 알림 없음", "알림 건너뜀",
        "이 회의 메일 수신 거부",
        "이메일을 받을 수 없는 주소",
        "이 회의의 담당자로서 시작 전 확인 현황 안내를 요청하셨기 때문에 이 메일을 받으셨습니다.",
        title => $"참석 대상 제외: {title}",
        title => $"{title} 회의 참석 대상에서 제외되었습니다",
        "담당자가 참석자 명단에서 귀하를 제외했습니다. 첨부된 취소 안내로 캘린더에서 회의가 삭제되며, 이 회의에 관한 메일은 더 이상 보내지 않습니다.");

    public static readonly NoticeText Turkish = new("tr",
        title => $"Toplantı daveti: {title}",
        title => $"{title} toplantısına davetlisiniz",
        title => $"Güncellendi: {title}",
        title => $"{title} toplantısında değişiklik var",
        "Ekteki güncelleme, takviminizdeki toplantının yerini alır.",
        "Değişenler", "Önceki",
        new Dictionary<string, string>
        {
            ["start"] = "saat", ["duration"] = "süre", ["location"] = "yer", ["joinUrl"] = "çevrimiçi bağlantı", ["title"] = "başlık",
            ["agenda"] = "gündem", ["participants"] = "katılımcılar", ["coordinator"] = "koordinatör", ["calendarInvitations"] = "takvim daveti",
        },
        title => $"İptal edildi: {title}",
        title => $"{title} toplantısı iptal edildi",
        "Toplantı yapılmayacak. Ekteki iptal bildirimi toplantıyı takviminizden kaldırır; bu toplantı için başka hatırlatma almayacaksınız.",
        (title, open, total) => $"Henüz onaylamayanlar: {title} — {total} katılımcıdan {open}",
        (title, open) => $"{title}: {open} katılımcı henüz onaylamadı",
        "Bu katılımcılar hatırlatmalarındaki “Anladım” düğmesine henüz basmadı. Gönderim durumu, hatırlatmaların kendilerine ulaşıp ulaşmadığını gösterir.",
        "Katılımcı", "Gönderim durumu",
        when => $"son hatırlatma gönderildi: {when}", "gönderim başarısız", "hatırlatma gönderiliyor", "henüz hatırlatma gönderilmedi", "hatırlatma atlandı",
        "bu toplantının e-postalarından çıktı",
        "adrese e-posta teslim edilemiyor",
        "Bu e-postayı, bu toplantının koordinatörü olarak başlamadan önce bilgilendirilmek istediğiniz için alıyorsunuz.",
        title => $"Katılımcı listesinden çıkarıldınız: {title}",
        title => $"{title} toplantısının katılımcı listesinden çıkarıldınız",
        "Koordinatör sizi katılımcı listesinden çıkardı. Ekteki iptal bildirimi toplantıyı takviminizden kaldırır; bu toplantıyla ilgili başka e-posta almayacaksınız.");

    public static NoticeText For(string? code) => code switch
    {
        "ko" => Korean,
        "tr" => Turkish,
        _ => English,
    };
}
