using System.Globalization;
using NodaTime.Text;
using Summit.Reminders.Commitments;
using Summit.Reminders.Delivery;
using Summit.Reminders.Meetings;
using Summit.Reminders.Notifications;

namespace Summit.Reminders.Email;

/// <summary>
/// A commitment's emails: the reminder to each owner before the due moment (<c>due-P2D</c>), in the owner's language
/// and zone, with their Done and I need more time links; and the coordinator's email at each rung of the escalation
/// ladder while it is open (<c>overdue-PT0M</c>, <c>overdue-P2D</c>). A commitment due on a date is due at the end of
/// that day in its zone, and says so ("end of day Seoul time"), with the owner's own clock beside it when it differs.
/// </summary>
public static class CommitmentEmailComposer
{
    /// <summary>A message sent more than this after its slot's moment (a backlog, retries) says the real time left or
    /// overdue, not the slot's.</summary>
    private static readonly TimeSpan Late = TimeSpan.FromHours(1);

    public static EmailMessage Compose(CommitmentCompositionInput input) => input.Message.Kind switch
    {
        MessageKind.CommitmentReminder => Reminder(input),
        MessageKind.CommitmentEscalation => Escalation(input),
        _ => throw new ArgumentOutOfRangeException(nameof(input), input.Message.Kind, "not a commitment email"),
    };

    private static EmailMessage Reminder(CommitmentCompositionInput input)
    {
        var (commitment, message) = (input.Commitment, input.Message);
        var owner = input.Owner ?? throw new InvalidOperationException($"{message.Kind} {message.ReminderId} has no owner to write to.");
        var language = EmailLanguage.For(owner.Language);
        var words = CommitmentText.For(language.Code);
        var title = EmailParts.OneLine(commitment.Title);
        var ownerZone = owner.TimeZone ?? commitment.TimeZone;

        // The slot's own length ("due-P2D": in 2 days), which a day of 23 or 25 hours across a DST change does not
        // blur; the real time left when the email goes out late.
        var offset = ReminderOffset.Parse(message.Offset[Slots.CommitmentReminderPrefix.Length..]);
        var left = input.Now - message.DueAt > Late
            ? language.TimeLeft(commitment.DueUtc - input.Now)
            : language.TimeLeftWords(offset.Days, offset.Hours, offset.Minutes);
        var subject = words.ReminderSubject(title, left);

        var values = Details(commitment, language, words);
        values["subject"] = subject;
        values["greeting"] = language.Greeting(owner.Name);
        values["headline"] = words.ReminderHeadline(commitment.Title, left);
        values["due_note"] = words.DueSentence(left, Due(commitment, language, words));
        values["due_local_note"] = ownerZone == commitment.TimeZone
            ? null
            : words.LocalSentence(language.Describe(MeetingTime.InZone(commitment.DueUtc, ownerZone), ownerZone));
        values["coordinator_label"] = language.Coordinator;
        values["coordinator_name"] = commitment.Coordinator.Name;
        values["coordinator_email"] = commitment.Coordinator.Email;
        // By address: unique among a commitment's owners, and what their ids are made from.
        var others = commitment.Owners.Where(o => !string.Equals(o.Email, owner.Email, StringComparison.OrdinalIgnoreCase)).Select(o => o.Name).ToList();
        values["others_label"] = words.OtherOwners;
        values["others"] = others.Count == 0 ? null : string.Join(", ", others);
        if (input.Links is { } links)
        {
            values["done_url"] = links.Done;
            values["done_label"] = words.DoneLink;
            values["more_time_url"] = links.MoreTime;
            values["more_time_label"] = words.MoreTimeLink;
            values["links_note"] = words.LinksNote;
        }
        var replyTo = commitment.Coordinator.Email.Length == 0 ? null : new EmailAddress(commitment.Coordinator.Email, commitment.Coordinator.Name);
        values["reply_note"] = replyTo is null ? null : words.ReplyNote;
        var (html, text) = EmailTemplates.Render("commitment-reminder", values);

        return new EmailMessage(
            new EmailAddress(owner.Email, owner.Name),
            subject, html, text, [],
            [Slots.Category(MessageKind.CommitmentReminder), commitment.Track],
            CustomArgs(commitment, message))
        {
            ReplyTo = replyTo,
        };
    }

    private static EmailMessage Escalation(CommitmentCompositionInput input)
    {
        var (commitment, message) = (input.Commitment, input.Message);
        var coordinator = commitment.Coordinator;
        var language = EmailLanguage.For(coordinator.Language);
        var words = CommitmentText.For(language.Code);
        var title = EmailParts.OneLine(commitment.Title);

        // How long it has been overdue: the rung's own length ("overdue-P2D": 2 days), or the real time when late.
        var rung = ReminderOffset.Parse(message.Offset[Slots.CommitmentEscalationPrefix.Length..]);
        var (days, hours, minutes) = input.Now - message.DueAt > Late
            ? Parts(input.Now - commitment.DueUtc)
            : (rung.Days, rung.Hours, rung.Minutes);
        var atDueMoment = days == 0 && hours == 0 && minutes == 0;
        var length = words.Length(days, hours, minutes);
        var subject = atDueMoment ? words.DueNowSubject(title) : words.OverdueSubject(title, length);

        var values = Details(commitment, language, words);
        values["subject"] = subject;
        values["greeting"] = language.Greeting(coordinator.Name);
        values["headline"] = atDueMoment ? words.DueNowHeadline(commitment.Title) : words.OverdueHeadline(commitment.Title, length);
        values["due_label"] = words.Due;
        values["due"] = Due(commitment, language, words);
        values["note"] = words.EscalationNote;
        values["list_label"] = words.Owners;
        values["footer"] = words.EscalationFooter;
        var owners = commitment.Owners.Select(o => (IReadOnlyDictionary<string, string>)new Dictionary<string, string>
        {
            ["name"] = o.Name,
            ["email"] = o.Email,
        }).ToList();
        var lists = new Dictionary<string, IReadOnlyList<IReadOnlyDictionary<string, string>>> { ["people"] = owners };
        var (html, text) = EmailTemplates.Render("commitment-escalation", values, lists);

        return new EmailMessage(
            new EmailAddress(coordinator.Email, coordinator.Name),
            subject, html, text, [],
            [Slots.Category(MessageKind.CommitmentEscalation), commitment.Track],
            CustomArgs(commitment, message));
    }

    /// <summary>The values both emails share: the language, the track and the details.</summary>
    private static Dictionary<string, string?> Details(Commitment commitment, EmailLanguage language, CommitmentText words) => new()
    {
        ["lang"] = language.Code,
        ["track_label"] = language.Track,
        ["track"] = Tracks.Find(commitment.Track)?.Name ?? commitment.Track,
        ["details_label"] = words.Details,
        ["details"] = commitment.Details,
    };

    /// <summary>The due moment in the commitment's zone: the end of its date ("Friday 15 January 2027, end of day Seoul
    /// time"), or the exact instant given as dueAt with the zone and its offset.</summary>
    private static string Due(Commitment commitment, EmailLanguage language, CommitmentText words)
    {
        if (commitment.DueDate is { } dueDate && LocalDatePattern.Iso.Parse(dueDate) is { Success: true } parsed)
            return words.EndOfDay(LocalDatePattern.Create(words.DatePattern, language.Culture).Format(parsed.Value), commitment.TimeZone);
        return language.Describe(MeetingTime.InZone(commitment.DueUtc, commitment.TimeZone), commitment.TimeZone);
    }

    /// <summary>Whole days, hours and minutes of a length, rounded to the minute (never negative).</summary>
    private static (int Days, int Hours, int Minutes) Parts(TimeSpan length)
    {
        var total = Math.Max(0, (int)Math.Round(length.TotalMinutes));
        return (total / (24 * 60), total % (24 * 60) / 60, total % 60);
    }

    /// <summary>As every email: SendGrid's events come back with these, and the webhook correlates by <c>meeting_id</c>
    /// (here the commitment's id) and <c>reminder_id</c>.</summary>
    private static Dictionary<string, string> CustomArgs(Commitment commitment, ReminderMessage message) => new()
    {
        ["reminder_id"] = message.ReminderId,
        ["meeting_id"] = commitment.Id,
        ["plan_version"] = message.PlanVersion.ToString(CultureInfo.InvariantCulture),
    };
}
