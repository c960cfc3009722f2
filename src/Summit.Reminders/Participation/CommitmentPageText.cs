namespace Summit.Reminders.Participation;

/// <summary>The words of an owner's Done and More-time pages, in English, Korean and Turkish (the token errors and the
/// contact line come from <see cref="LinkPageText"/>).</summary>
public sealed record CommitmentPageText(
    string Code,
    string DoneQuestion, string DoneExplain, string NoteLabel, string LinkLabel, string DoneButton,
    string DoneDone, string DoneDoneExplain, string AlreadyDone,
    string MoreQuestion, Func<string, string> MoreExplain, string DateLabel, string MoreButton,
    string MoreDone, string MoreDoneExplain,
    Func<string, string> DueLine, string Closed, string Dropped, string NotOwner, string Gone,
    string FixForm, Func<string, string> DateAfter, string DateTooFar, string BadLink, string NoteTooLong)
{
    public static readonly CommitmentPageText English = new("en",
        "Mark this commitment as done?",
        "Done stops every reminder and escalation for it, for every owner, and tells the coordinator. You may add a note or a link to the deliverable.",
        "Note (optional)", "Link to the deliverable (optional)", "Mark as done",
        "Thank you — marked as done",
        "The coordinator has been told. Nobody will get more reminders for this commitment.",
        "This commitment is already marked as done.",
        "Ask for more time?",
        due => $"Propose a new date. The coordinator is told and decides; until then it is still due {due}.",
        "Proposed new date", "Send my request",
        "Your request was sent",
        "The coordinator decides. If the due date changes, your reminders follow the new date.",
        due => $"Due {due}",
        "There is nothing more to do: this commitment is done.",
        "There is nothing more to do: this commitment was dropped.",
        "You are no longer an owner of this commitment.",
        "This commitment no longer exists.",
        "Please check the form.",
        due => $"Choose a date after the current due date, {due}.",
        "Choose a date at most two years ahead.",
        "The link must be a full web address starting with https:// or http://.",
        "The note is too long: at most 2,000 characters.");

    public static readonly CommitmentPageText Korean = new("ko",
        "이 후속 과제를 완료로 표시하시겠습니까?",
        "완료로 표시하면 모든 담당자에게 가는 알림과 독촉이 모두 중단되고 총괄 담당자에게 통보됩니다. 메모나 결과물 링크를 남길 수 있습니다.",
        "메모(선택)", "결과물 링크(선택)", "완료로 표시",
        "감사합니다 — 완료로 표시했습니다",
        "총괄 담당자에게 통보했습니다. 이 과제에 관한 알림은 더 이상 보내지 않습니다.",
        "이 과제는 이미 완료로 표시되어 있습니다.",
        "기한 연장을 요청하시겠습니까?",
        due => $"새 기한을 제안해 주십시오. 총괄 담당자에게 통보되며 결정은 총괄 담당자가 합니다. 그때까지 기한은 {due}입니다.",
        "제안하는 새 기한", "요청 보내기",
        "요청을 보냈습니다",
        "총괄 담당자가 결정합니다. 기한이 바뀌면 알림도 새 기한에 맞춰 발송됩니다.",
        due => $"기한: {due}",
        "더 할 일이 없습니다. 이 과제는 완료되었습니다.",
        "더 할 일이 없습니다. 이 과제는 취소되었습니다.",
        "귀하는 더 이상 이 과제의 담당자가 아닙니다.",
        "이 과제는 더 이상 존재하지 않습니다.",
        "입력 내용을 확인해 주십시오.",
        due => $"현재 기한({due}) 이후의 날짜를 선택해 주십시오.",
        "2년 이내의 날짜를 선택해 주십시오.",
        "링크는 https:// 또는 http://로 시작하는 전체 웹 주소여야 합니다.",
        "메모가 너무 깁니다. 2,000자 이내로 작성해 주십시오.");

    public static readonly CommitmentPageText Turkish = new("tr",
        "Bu taahhüt tamamlandı olarak işaretlensin mi?",
        "Tamamlandı işareti, tüm sorumlulara giden bütün hatırlatma ve uyarıları durdurur ve koordinatöre bildirilir. İsterseniz bir not veya çıktının bağlantısını ekleyebilirsiniz.",
        "Not (isteğe bağlı)", "Çıktının bağlantısı (isteğe bağlı)", "Tamamlandı olarak işaretle",
        "Teşekkürler — tamamlandı olarak işaretlendi",
        "Koordinatöre bildirildi. Bu taahhüt için kimseye başka hatırlatma gönderilmeyecek.",
        "Bu taahhüt zaten tamamlandı olarak işaretli.",
        "Ek süre istiyor musunuz?",
        due => $"Yeni bir tarih önerin. Koordinatöre bildirilir ve kararı o verir; o zamana kadar son tarih {due}.",
        "Önerilen yeni tarih", "Talebimi gönder",
        "Talebiniz gönderildi",
        "Kararı koordinatör verecek. Son tarih değişirse hatırlatmalarınız yeni tarihe göre gönderilir.",
        due => $"Son tarih: {due}",
        "Yapılacak bir şey kalmadı: bu taahhüt tamamlandı.",
        "Yapılacak bir şey kalmadı: bu taahhüt iptal edildi.",
        "Artık bu taahhüdün sorumlularından biri değilsiniz.",
        "Bu taahhüt artık mevcut değil.",
        "Lütfen formu kontrol edin.",
        due => $"Mevcut son tarihten ({due}) sonra bir tarih seçin.",
        "En fazla iki yıl sonrasına kadar bir tarih seçin.",
        "Bağlantı, https:// veya http:// ile başlayan tam bir web adresi olmalıdır.",
        "Not çok uzun: en fazla 2.000 karakter.");

    public static CommitmentPageText For(string? code) => code switch
    {
        "ko" => Korean,
        "tr" => Turkish,
        _ => English,
    };
}
