using System.Globalization;
using NodaTime.Text;
using Summit.Reminders.Delivery;
using Summit.Reminders.Digest;
using Summit.Reminders.Meetings;
using Summit.Reminders.Notifications;

namespace Summit.Reminders.Email;

/// <summary>
/// A coordinator's daily digest, in their language, with every time on their clock: the meetings of their tracks in the
/// next 7 days, each with the participants who have not acknowledged it and those whose address cannot receive email, and
/// the commitments overdue or due in the next 7 days. It goes to the coordinator, so it names participants; the email's
/// ids (custom args) name only the subscription and the day. Sent with the built-in templates, like commitments' emails:
/// there is no meeting whose <c>useSendGridTemplates</c> could ask for SendGrid's.
/// </summary>
public static class DigestEmailComposer
{
    public static EmailMessage Compose(DigestReport report, ReminderMessage message)
    {
        var subscriber = report.Subscription.Subscriber;
        var language = EmailLanguage.For(subscriber.Language);
        var words = DigestText.For(language.Code);
        var zone = subscriber.TimeZone;
        var time = LocalDateTimePattern.Create(words.TimePattern, language.Culture);
        string At(DateTimeOffset instant) => time.Format(MeetingTime.InZone(instant, zone).LocalDateTime);
        var day = LocalDatePattern.Create(words.DayPattern, language.Culture).Format(new NodaTime.LocalDate(report.Day.Year, report.Day.Month, report.Day.Day));

        var meetings = report.Meetings.Select(m => (IReadOnlyDictionary<string, string>)new Dictionary<string, string>
        {
            ["title"] = m.Meeting.Title,
            ["when"] = At(m.Meeting.StartUtc),
            ["track"] = Tracks.NameOf(m.Meeting.Track, language.Code),
            ["waiting"] = m.NotAcknowledged.Count == 0 ? "" : string.Join(", ", m.NotAcknowledged.Select(u =>
                $"{u.Participant.Name} <{u.Participant.Email}>{(u.Unsubscribed ? $" ({words.Unsubscribed})" : "")}")),
            ["waiting_count"] = m.NotAcknowledged.Count.ToString(CultureInfo.InvariantCulture),
            ["everyone"] = m.NotAcknowledged.Count == 0 ? words.EveryoneAcknowledged : "",
            ["undeliverable"] = string.Join(", ", m.Undeliverable.Select(u => $"{u.Participant.Name} <{u.Participant.Email}> — {u.Reason}")),
        }).ToList();
        var commitments = report.Commitments.Select(c => (IReadOnlyDictionary<string, string>)new Dictionary<string, string>
        {
            ["title"] = c.Title,
            ["track"] = Tracks.NameOf(c.Track, language.Code),
            ["due"] = At(c.DueUtc),
            ["state"] = c.IsOverdue(report.Now) ? words.Overdue : words.DueIn(language.TimeLeft(c.DueUtc - report.Now)),
            ["overdue"] = c.IsOverdue(report.Now) ? "yes" : "",
            ["owners"] = string.Join(", ", c.Owners.Select(o => o.Name)),
        }).ToList();

        var subject = words.Subject(report.Meetings.Count, report.Commitments.Count);
        var values = new Dictionary<string, string?>
        {
            ["lang"] = language.Code,
            ["subject"] = subject,
            ["greeting"] = subscriber.Name is { } name ? language.Greeting(name) : words.Hello,
            ["headline"] = words.Headline(day),
            ["intro"] = words.Intro(zone),
            ["meetings_label"] = words.MeetingsLabel,
            ["no_meetings"] = meetings.Count == 0 ? words.NoMeetings : null,
            ["commitments_label"] = words.CommitmentsLabel,
            ["no_commitments"] = commitments.Count == 0 ? words.NoCommitments : null,
            ["when_label"] = language.When,
            ["track_label"] = language.Track,
            ["waiting_label"] = words.Waiting,
            ["undeliverable_label"] = words.Undeliverable,
            ["due_label"] = words.Due,
            ["owners_label"] = words.Owners,
            ["footer"] = words.Footer,
        };
        var lists = new Dictionary<string, IReadOnlyList<IReadOnlyDictionary<string, string>>> { ["meetings"] = meetings, ["commitments"] = commitments };
        var (html, text) = EmailTemplates.Render("digest", values, lists);

        return new EmailMessage(
            new EmailAddress(subscriber.Email, subscriber.Name),
            EmailParts.OneLine(subject), html, text, [],
            [Slots.Category(MessageKind.Digest)],
            new Dictionary<string, string>
            {
                ["reminder_id"] = message.ReminderId,
                ["meeting_id"] = message.MeetingId,
                ["plan_version"] = message.PlanVersion.ToString(CultureInfo.InvariantCulture),
            });
    }
}
