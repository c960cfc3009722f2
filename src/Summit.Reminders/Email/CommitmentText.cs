namespace Summit.Reminders.Email;

/// <summary>
/// The words of a commitment's emails, in English, Korean and Turkish: the owners' reminder (<c>due-P2D</c>), the
/// coordinator's rung of the escalation ladder (<c>overdue-PT0M</c>, <c>overdue-P2D</c>), and the coordinator's notices
/// that an owner marked it done (<c>owner-done</c>) or asks for more time (<c>more-time-1</c>). The time left before the
/// due moment is said with <see cref="EmailLanguage.TimeLeftWords"/> ("in 2 days"), as in meeting reminders. Where an
/// owner is named, null means the owner is no longer on the commitment ("an owner").
/// </summary>
public sealed record CommitmentText(
    string Code, string DatePattern,
    Func<string, string, string> EndOfDay,
    Func<string, string, string> ReminderSubject, Func<string, string, string> ReminderHeadline,
    Func<string, string, string> DueSentence, Func<string, string> LocalSentence,
    string Due, string Owners, string OtherOwners, string Details,
    string DoneLink, string MoreTimeLink, string LinksNote, string ReplyNote,
    Func<int, int, int, string> Length,
    Func<string, string> DueNowSubject, Func<string, string> DueNowHeadline,
    Func<string, string, string> OverdueSubject, Func<string, string, string> OverdueHeadline,
    string EscalationNote, string EscalationFooter,
    string Note, string Deliverable, Func<string, string> ReplyToOwner,
    Func<string, string> DoneSubject, Func<string?, string, string> DoneHeadline, Func<string, string> DoneWhen,
    Func<string, string> OnTime, Func<string, string, string> Late, string DoneStopped, Func<string, string> Reopen, string DoneFooter,
    Func<string, string> MoreTimeSubject, Func<string?, string, string> MoreTimeHeadline, Func<string, string> AskedWhen,
    string Proposed, string CurrentlyDue, Func<string, int, string> DaysMore, string WhatNow,
    Func<string, string> GiveMoreTime, Func<string?, string> KeepTheDate, string MoreTimeFooter)
{
    public static readonly CommitmentText English = new("en", "dddd d MMMM uuuu",
        (date, zone) => $"{date}, end of day {City(zone)} time",
        (title, left) => $"Due {left}: {title}",
        (title, left) => $"Due {left}: {title}",
        (left, due) => $"It is due {left}, {due}.",
        local => $"In your time zone that is {local}.",
        "Due", "Owners", "Other owners", "Details",
        "Done", "I need more time",
        "“Done” marks the commitment done for everyone: it stops every reminder, for every owner. “I need more time” tells the coordinator. " +
        "These links are personal: they act for you only.",
        "Replying to this email reaches the coordinator.",
        (days, hours, minutes) =>
        {
            static string Unit(int n, string unit) => n == 1 ? $"1 {unit}" : $"{n} {unit}s";
            if (days >= 1) return hours == 0 ? Unit(days, "day") : $"{Unit(days, "day")} and {Unit(hours, "hour")}";
            if (hours >= 1) return minutes == 0 ? Unit(hours, "hour") : $"{Unit(hours, "hour")} and {Unit(minutes, "minute")}";
            return Unit(minutes, "minute");
        },
        title => $"Overdue: {title}",
        title => $"{title} is due now and not marked done",
        (title, length) => $"Overdue by {length}: {title}",
        (title, length) => $"{title} is {length} overdue",
        "None of its owners has marked it done. Ask them where it stands; once it is delivered, mark it done, and no more emails go out about it.",
        "You receive this because you coordinate this commitment: one email for each rung of its escalation ladder while it stays open.",
        "Note", "Deliverable",
        owner => $"Replying to this email reaches {owner}.",
        title => $"Done: {title}",
        (owner, title) => $"{owner ?? "An owner"} marked {title} done",
        when => $"Marked done on {when}.",
        due => $"That is on time: it was due {due}.",
        (length, due) => $"That is {length} late: it was due {due}.",
        "Every later reminder and escalation has stopped: neither the owners nor you get more emails about it.",
        request => $"If it is not really done, reopen it ({request}): the reminders and the escalation ladder then go on from that moment.",
        "You receive this because you coordinate this commitment: one email when an owner marks it done through their link.",
        title => $"More time asked: {title}",
        (owner, title) => $"{owner ?? "An owner"} asks for more time for {title}",
        when => $"Asked on {when}.",
        "Proposed new due date", "Currently due",
        (date, days) => days == 1 ? $"{date} (1 more day)" : $"{date} ({days} more days)",
        "What you can do",
        request => $"Give more time: change the due date with a PUT of the commitment ({request}); its reminders and escalation ladder are then planned again from the new date.",
        owner => $"Keep the date: do nothing. Nothing changes, and {owner ?? "the owner"} is not told automatically, so let them know yourself.",
        "You receive this because you coordinate this commitment: one email each time an owner asks for more time through their link.");

    public static readonly CommitmentText Korean = new("ko", "uuuu'년' M'월' d'일' dddd",
        (date, zone) => $"{date} 24:00 ({zone} 기준)",
        (title, left) => $"{left} 마감: {title}",
        (title, left) => $"{title} — {left} 마감입니다",
        (left, due) => $"마감은 {left}인 {due}입니다.",
        local => $"계신 곳의 시각으로는 {local}입니다.",
        "마감", "책임자", "다른 책임자", "세부 내용",
        "완료했습니다", "시간이 더 필요합니다",
        "‘완료했습니다’를 누르면 이 과제가 모두에게 완료로 표시되며, 모든 책임자에게 가는 알림이 중지됩니다. " +
        "‘시간이 더 필요합니다’를 누르면 담당자에게 알려집니다. 이 링크는 본인 전용입니다.",
        "이 메일에 회신하시면 담당자에게 전달됩니다.",
        (days, hours, minutes) =>
        {
            if (days >= 1) return hours == 0 ? $"{days}일" : $"{days}일 {hours}시간";
            if (hours >= 1) return minutes == 0 ? $"{hours}시간" : $"{hours}시간 {minutes}분";
            return $"{minutes}분";
        },
        title => $"기한 도래: {title}",
        title => $"{title} — 마감 시각이 되었으나 아직 완료 처리되지 않았습니다",
        (title, length) => $"기한 {length} 경과: {title}",
        (title, length) => $"{title} — 마감 후 {length}이 지났습니다",
        "책임자 중 누구도 아직 완료 처리하지 않았습니다. 진행 상황을 확인해 주십시오. 제출이 끝나 완료로 처리하시면 이 과제에 관한 메일은 더 이상 발송되지 않습니다.",
        "이 과제의 담당자이므로 이 메일을 받으셨습니다. 과제가 완료되지 않은 동안 에스컬레이션 단계마다 한 번씩 보내 드립니다.",
        "메모", "제출물",
        owner => $"이 메일에 회신하시면 {owner} 님에게 전달됩니다.",
        title => $"완료: {title}",
        (owner, title) => owner is null ? $"{title} — 책임자 한 분이 완료 처리했습니다" : $"{title} — {owner} 님이 완료 처리했습니다",
        when => $"{when}에 완료 처리되었습니다.",
        due => $"마감 시각은 {due}이며, 기한 내에 완료되었습니다.",
        (length, due) => $"마감 시각은 {due}이며, {length} 늦게 완료되었습니다.",
        "이후 예정된 알림과 에스컬레이션은 모두 중지되었습니다. 책임자와 담당자 모두 이 과제에 관한 메일을 더 이상 받지 않습니다.",
        request => $"실제로 완료되지 않았다면 과제를 다시 열어 주십시오({request}). 그 시점부터 남은 알림과 에스컬레이션이 다시 진행됩니다.",
        "이 과제의 담당자이므로 이 메일을 받으셨습니다. 책임자가 링크로 완료 처리하면 한 번 보내 드립니다.",
        title => $"기한 연장 요청: {title}",
        (owner, title) => owner is null ? $"{title} — 책임자 한 분이 기한 연장을 요청했습니다" : $"{title} — {owner} 님이 기한 연장을 요청했습니다",
        when => $"{when}에 요청되었습니다.",
        "제안된 새 마감", "현재 마감",
        (date, days) => $"{date} — {days}일 연장",
        "조치 방법",
        request => $"기한 연장: 과제를 PUT으로 수정하여 마감일을 변경하십시오({request}). 알림과 에스컬레이션은 새 마감에 맞춰 다시 계획됩니다.",
        owner => $"기한 유지: 아무것도 하지 않으셔도 됩니다. 변경되는 것은 없으며 {(owner is null ? "책임자" : owner + " 님")}에게 자동으로 알려지지 않으므로 직접 알려 주십시오.",
        "이 과제의 담당자이므로 이 메일을 받으셨습니다. 책임자가 링크로 기한 연장을 요청할 때마다 한 번씩 보내 드립니다.");

    public static readonly CommitmentText Turkish = new("tr", "d MMMM uuuu dddd",
        (date, zone) => $"{date}, gün sonu ({zone} saatiyle)",
        (title, left) => $"Son teslim tarihi {left}: {title}",
        (title, left) => $"{title} için son teslim tarihi {left}",
        (left, due) => $"Son teslim tarihi {left}: {due}.",
        local => $"Yerel saatinizle: {local}.",
        "Son teslim", "Sorumlular", "Diğer sorumlular", "Ayrıntılar",
        "Tamamlandı", "Daha fazla süreye ihtiyacım var",
        "“Tamamlandı” taahhüdü herkes için tamamlandı olarak işaretler ve tüm sorumlulara giden hatırlatmaları durdurur. " +
        "“Daha fazla süreye ihtiyacım var” ise koordinatöre haber verir. Bu bağlantılar kişiseldir: yalnızca sizin adınıza işlem yapar.",
        "Bu e-postayı yanıtlarsanız yanıtınız koordinatöre gider.",
        (days, hours, minutes) =>
        {
            if (days >= 1) return hours == 0 ? $"{days} gün" : $"{days} gün {hours} saat";
            if (hours >= 1) return minutes == 0 ? $"{hours} saat" : $"{hours} saat {minutes} dakika";
            return $"{minutes} dakika";
        },
        title => $"Teslim zamanı geldi: {title}",
        title => $"{title}: teslim zamanı geldi, ancak henüz tamamlandı olarak işaretlenmedi",
        (title, length) => $"Teslim tarihinden {length} geçti: {title}",
        (title, length) => $"{title}: son teslim tarihinden {length} geçti",
        "Sorumlulardan hiçbiri henüz tamamlandı olarak işaretlemedi. Durumu kendilerine sorun; teslim edildiğinde tamamlandı olarak işaretlerseniz " +
        "bu taahhütle ilgili başka e-posta gönderilmez.",
        "Bu e-postayı bu taahhüdün koordinatörü olduğunuz için alıyorsunuz; taahhüt açık kaldıkça gecikme bildiriminin her kademesinde bir kez gönderilir.",
        "Not", "Teslim edilen çalışma",
        owner => $"Bu e-postayı yanıtlarsanız yanıtınız {owner} kişisine gider.",
        title => $"Tamamlandı: {title}",
        (owner, title) => $"{title}: {owner ?? "bir sorumlu"} tamamlandı olarak işaretledi",
        when => $"Tamamlandı olarak işaretlendiği zaman: {when}.",
        due => $"Son teslim zamanı {due} idi: zamanında tamamlandı.",
        (length, due) => $"Son teslim zamanı {due} idi: {length} gecikmeyle tamamlandı.",
        "Sonraki tüm hatırlatmalar ve gecikme bildirimleri durduruldu: ne sorumlular ne de siz bu taahhütle ilgili başka e-posta alacaksınız.",
        request => $"Gerçekte tamamlanmadıysa taahhüdü yeniden açın ({request}): kalan hatırlatmalar ve gecikme bildirimleri o andan itibaren devam eder.",
        "Bu e-postayı bu taahhüdün koordinatörü olduğunuz için alıyorsunuz; bir sorumlu bağlantısıyla tamamlandı olarak işaretlediğinde bir kez gönderilir.",
        title => $"Ek süre istendi: {title}",
        (owner, title) => $"{title}: {owner ?? "bir sorumlu"} ek süre istiyor",
        when => $"Talep zamanı: {when}.",
        "Önerilen yeni son teslim", "Şu anki son teslim",
        (date, days) => $"{date} — {days} gün ek süre",
        "Ne yapabilirsiniz",
        request => $"Ek süre vermek için son teslim tarihini taahhüdü PUT ile güncelleyerek değiştirin ({request}); hatırlatmalar ve gecikme bildirimleri yeni tarihe göre yeniden planlanır.",
        owner => $"Tarihi korumak için hiçbir şey yapmanız gerekmez: hiçbir şey değişmez ve {(owner is null ? "sorumluya" : owner + " kişisine")} otomatik olarak bildirilmez; kendisine siz haber verin.",
        "Bu e-postayı bu taahhüdün koordinatörü olduğunuz için alıyorsunuz; bir sorumlu bağlantısıyla ek süre istediğinde her seferinde bir kez gönderilir.");

    public static CommitmentText For(string? code) => code switch
    {
        "ko" => Korean,
        "tr" => Turkish,
        _ => English,
    };

    /// <summary>The city of an IANA zone, as English says "Seoul time": the last part of the id, underscores as spaces
    /// (<c>America/New_York</c>: New York).</summary>
    public static string City(string zoneId) => zoneId[(zoneId.LastIndexOf('/') + 1)..].Replace('_', ' ');
}
