using System.Globalization;
using System.Text;
using Summit.Reminders.Delivery;
using Summit.Reminders.Meetings;
using Summit.Reminders.Participation;

namespace Summit.Reminders.Email;

/// <summary>
/// Writes the reminder email for one participant. Everything time-related is computed at send time: the wording says
/// how long is really left, even when the reminder is late.
/// </summary>
public static class ReminderEmailComposer
{
    public static EmailMessage Compose(Meeting meeting, Participant participant, ReminderMessage reminder, DateTimeOffset now, LinkPair links)
    {
        var language = EmailLanguage.For(participant.Language);
        var title = EmailParts.OneLine(meeting.Title);
        var left = language.TimeLeft(meeting.StartUtc - now);
        var participantZone = participant.TimeZone ?? meeting.TimeZone;
        var subject = language.Subject(title, left);

        var values = EmailParts.Details(meeting, participantZone, language);
        values["subject"] = subject;
        values["greeting"] = language.Greeting(participant.Name);
        values["headline"] = language.Headline(meeting.Title, left);
        // Without calendar invitations a reminder is only a reminder: no attachment, and no words about one.
        values["invite_note"] = meeting.CalendarInvitations ? language.InviteNote : null;
        EmailParts.AddLinks(values, links, language.Code);
        var (html, text) = EmailTemplates.Render("reminder", values);

        return new EmailMessage(
            new EmailAddress(participant.Email, participant.Name),
            subject, html, text,
            meeting.CalendarInvitations ? [CalendarInvite.Attachment(CalendarInvite.Create(meeting, now), "REQUEST")] : [],
            ["reminder", meeting.Track],
            new Dictionary<string, string>
            {
                ["reminder_id"] = reminder.ReminderId,
                ["meeting_id"] = meeting.Id,
                ["plan_version"] = reminder.PlanVersion.ToString(CultureInfo.InvariantCulture),
            })
        {
            Template = meeting.UseSendGridTemplates ? ProviderTemplate.From("reminder", values) : null,
            Headers = EmailParts.UnsubscribeHeaders(links),
            ReplyTo = meeting.Coordinator.Email.Length == 0 ? null : new EmailAddress(meeting.Coordinator.Email, meeting.Coordinator.Name),
        };
    }
}
