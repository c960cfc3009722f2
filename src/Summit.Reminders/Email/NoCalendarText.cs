namespace Summit.Reminders.Email;

/// <summary>
/// The words of a meeting's emails when it has no calendar invitations from us (<c>calendarInvitations: false</c>: the
/// coordinator invites from their own calendar). They say what a calendar attachment would have done, so nobody looks
/// for an entry we did not send: the invitation is a note that they are on the list, an update or a cancellation says
/// that their calendar is not touched by this email. <see cref="WithdrawalNote"/> is the update that switches calendar
/// invitations off: its attachment removes the entry our earlier emails added. English, Korean and Turkish.
/// </summary>
public sealed record NoCalendarText(
    string Code,
    Func<string, string> InvitationSubject, Func<string, string> InvitationHeadline, string InvitationNote,
    string UpdateNote, string CancellationNote, string RemovalNote, string WithdrawalNote)
{
    public static readonly NoCalendarText English = new("en",
        title => $"On the participant list: {title}",
        title => $"You are on the participant list for {title}",
        "The coordinator sends the calendar invitation for this meeting from their own calendar, so this email has no calendar attachment. You will get reminders from us before the meeting.",
        "This email does not change your calendar: the entry from the coordinator's own invitation is updated by the coordinator.",
        "The meeting will not take place, and you will get no more reminders for it. This email does not change your calendar: the coordinator removes the entry from their own invitation.",
        "The coordinator has taken you off the participant list; you will get no more emails about this meeting. This email does not change your calendar.",
        "The coordinator now sends this meeting's calendar invitation from their own calendar. The attached cancellation removes only the entry our earlier emails added to your calendar: the meeting itself still takes place.");

    public static readonly NoCalendarText Korean = new("ko",
        title => $"참석자 명단 등록: {title}",
        title => $"{title} 회의 참석자 명단에 등록되었습니다",
        "이 회의의 캘린더 초대는 담당자가 자신의 캘린더에서 직접 보내므로 이 메일에는 캘린더 첨부 파일이 없습니다. 회의 전에 알림을 보내 드립니다.",
        "이 메일은 캘린더를 변경하지 않습니다. 담당자가 보낸 초대의 일정은 담당자가 직접 변경합니다.",
        "회의가 열리지 않으며, 이 회의의 알림은 더 이상 보내지 않습니다. 이 메일은 캘린더를 변경하지 않습니다. 담당자가 보낸 초대의 일정은 담당자가 직접 삭제합니다.",
        "담당자가 참석자 명단에서 귀하를 제외했습니다. 이 회의에 관한 메일은 더 이상 보내지 않습니다. 이 메일은 캘린더를 변경하지 않습니다.",
        "이제 이 회의의 캘린더 초대는 담당자가 자신의 캘린더에서 직접 보냅니다. 첨부된 취소 안내는 이전 메일로 캘린더에 추가된 일정만 삭제하며, 회의는 예정대로 열립니다.");

    public static readonly NoCalendarText Turkish = new("tr",
        title => $"Katılımcı listesindesiniz: {title}",
        title => $"{title} toplantısının katılımcı listesindesiniz",
        "Bu toplantının takvim davetini koordinatör kendi takviminden gönderir; bu nedenle bu e-postada takvim eki yoktur. Toplantıdan önce size hatırlatmalar göndereceğiz.",
        "Bu e-posta takviminizi değiştirmez: koordinatörün kendi davetinden gelen kaydı koordinatör günceller.",
        "Toplantı yapılmayacak; bu toplantı için başka hatırlatma almayacaksınız. Bu e-posta takviminizi değiştirmez: koordinatörün kendi davetinden gelen kaydı koordinatör kaldırır.",
        "Koordinatör sizi katılımcı listesinden çıkardı; bu toplantıyla ilgili başka e-posta almayacaksınız. Bu e-posta takviminizi değiştirmez.",
        "Bu toplantının takvim davetini artık koordinatör kendi takviminden gönderiyor. Ekteki iptal bildirimi yalnızca önceki e-postalarımızın takviminize eklediği kaydı kaldırır: toplantı yine yapılacak.");

    public static NoCalendarText For(string? code) => code switch
    {
        "ko" => Korean,
        "tr" => Turkish,
        _ => English,
    };
}
