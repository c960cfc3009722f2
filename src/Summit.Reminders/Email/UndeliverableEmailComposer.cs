using System.Globalization;
using Summit.Reminders.Delivery;
using Summit.Reminders.DeliveryStatus;
using Summit.Reminders.Meetings;
using Summit.Reminders.Notifications;
using Summit.Reminders.Participation;

namespace Summit.Reminders.Email;

/// <summary>
/// The coordinator's notice that participants' addresses cannot receive email (SendGrid reported a hard bounce or a
/// drop): who, with SendGrid's reason and when, newly reported ones first, and those reported before that are still
/// undeliverable, so the coordinator can reach them another way or correct the address.
/// </summary>
public static class UndeliverableEmailComposer
{
    public static EmailMessage Compose(Meeting meeting, ReminderMessage message, IReadOnlyList<DeliveryRecord> deliveries,
        IReadOnlyList<ParticipantResponse> responses)
    {
        var language = EmailLanguage.For(meeting.Coordinator.Language);
        var words = UndeliverableText.For(language.Code);
        var title = EmailParts.OneLine(meeting.Title);
        var zone = meeting.TimeZone;
        var reported = UndeliverableNotices.Reported(deliveries);
        var all = UndeliverableNotices.Undeliverable(meeting, responses);
        IReadOnlyDictionary<string, string> Person((Participant Participant, ParticipantResponse Response) x) => new Dictionary<string, string>
        {
            ["name"] = x.Participant.Name,
            ["email"] = x.Participant.Email,
            ["state"] = words.State(x.Response.UndeliverableReason ?? "", language.Describe(MeetingTime.InZone(x.Response.UndeliverableAt!.Value, zone), zone)),
        };
        var fresh = all.Where(x => !reported.Contains(x.Participant.Id)).Select(Person).ToList();
        var earlier = all.Where(x => reported.Contains(x.Participant.Id)).Select(Person).ToList();

        var subject = words.Subject(title, all.Count);
        var values = EmailParts.Details(meeting, zone, language);
        values["subject"] = subject;
        values["greeting"] = language.Greeting(meeting.Coordinator.Name);
        values["headline"] = words.Headline(meeting.Title, all.Count);
        values["note"] = words.Note;
        values["list_label"] = words.NewLabel;
        values["earlier_label"] = earlier.Count > 0 ? words.EarlierLabel : null;
        values["footer"] = words.Footer;
        var lists = new Dictionary<string, IReadOnlyList<IReadOnlyDictionary<string, string>>> { ["people"] = fresh, ["earlier"] = earlier };
        var (html, text) = EmailTemplates.Render("undeliverable", values, lists);

        return new EmailMessage(
            new EmailAddress(meeting.Coordinator.Email, meeting.Coordinator.Name),
            subject, html, text, [],
            ["undeliverable", meeting.Track],
            new Dictionary<string, string>
            {
                ["reminder_id"] = message.ReminderId,
                ["meeting_id"] = meeting.Id,
                ["plan_version"] = message.PlanVersion.ToString(CultureInfo.InvariantCulture),
            })
        {
            Template = meeting.UseSendGridTemplates ? ProviderTemplate.From("undeliverable", values, lists) : null,
        };
    }
}

/// <summary>The words of the undeliverable notice, in English, Korean and Turkish.</summary>
public sealed record UndeliverableText(
    string Code, Func<string, int, string> Subject, Func<string, int, string> Headline, string Note, string NewLabel, string EarlierLabel,
    Func<string, string, string> State, string Footer)
{
    public static readonly UndeliverableText English = new("en",
        (title, n) => n == 1 ? $"1 participant cannot receive email: {title}" : $"{n} participants cannot receive email: {title}",
        (title, n) => n == 1 ? $"1 participant of {title} cannot receive email" : $"{n} participants of {title} cannot receive email",
        "SendGrid reported that these addresses cannot receive email, so they get no more emails about this meeting. " +
        "Reach them another way, or correct the address in the meeting: a corrected address is sent the meeting.",
        "Newly undeliverable", "Reported before, still undeliverable",
        (reason, when) => $"{reason} (reported {when})",
        "You receive this because you coordinate this meeting; it comes at most once a day per meeting.");

    public static readonly UndeliverableText Korean = new("ko",
        (title, n) => $"이메일 전달 불가 참석자 {n}명: {title}",
        (title, n) => $"{title}: 참석자 {n}명에게 이메일을 전달할 수 없습니다",
        "SendGrid에서 아래 주소로 이메일을 전달할 수 없다고 알려 왔습니다. 이 회의에 관한 메일은 더 이상 이 주소로 보내지 않습니다. " +
        "다른 방법으로 연락하시거나 회의 정보에서 주소를 고쳐 주십시오. 고친 주소로 회의 안내가 발송됩니다.",
        "새로 확인된 전달 불가 주소", "이전에 알려 드린 전달 불가 주소",
        (reason, when) => $"{reason} (확인: {when})",
        "이 회의의 담당자이므로 이 메일을 받으셨습니다. 이 안내는 회의별로 하루에 한 번까지만 보내 드립니다.");

    public static readonly UndeliverableText Turkish = new("tr",
        (title, n) => $"E-posta ulaştırılamayan katılımcı ({n}): {title}",
        (title, n) => $"{title}: {n} katılımcıya e-posta ulaştırılamıyor",
        "SendGrid bu adreslere e-posta teslim edilemediğini bildirdi; bu toplantıyla ilgili e-postalar artık bu adreslere gönderilmeyecek. " +
        "Bu kişilere başka bir yoldan ulaşın ya da toplantıdaki adresi düzeltin: düzeltilen adrese toplantı bilgisi gönderilir.",
        "Yeni teslim edilemeyenler", "Daha önce bildirilen, hâlâ teslim edilemeyenler",
        (reason, when) => $"{reason} (bildirildi: {when})",
        "Bu e-postayı bu toplantının koordinatörü olduğunuz için alıyorsunuz; her toplantı için günde en fazla bir kez gönderilir.");

    public static UndeliverableText For(string? code) => code switch
    {
        "ko" => Korean,
        "tr" => Turkish,
        _ => English,
    };
}
