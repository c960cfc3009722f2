using System.Globalization;
using System.Text;
using Summit.Reminders.Delivery;
using Summit.Reminders.Meetings;
using Summit.Reminders.Participation;
using Summit.Reminders.Notifications;

namespace Summit.Reminders.Email;

/// <summary>
/// The invitation (on registration), update (on a change participants can see), cancellation and removal (to those an
/// update took off the list) emails, each with the
/// calendar entry as it now is: METHOD:REQUEST for the first two, METHOD:CANCEL for the last, one UID for the meeting's
/// whole life and a SEQUENCE that grows with every change.
/// </summary>
public static class NoticeEmailComposer
{
    public static EmailMessage Compose(Meeting meeting, Participant participant, ReminderMessage message, DateTimeOffset now, LinkPair links)
    {
        var language = EmailLanguage.For(participant.Language);
        var words = NoticeText.For(language.Code);
        var title = EmailParts.OneLine(meeting.Title);
        var zone = participant.TimeZone ?? meeting.TimeZone;
        var kind = message.Kind;

        var values = EmailParts.Details(meeting, zone, language);
        values["greeting"] = language.Greeting(participant.Name);
        string subject, method;
        switch (kind)
        {
            case MessageKind.Invitation:
                (subject, method) = (words.InvitationSubject(title), "REQUEST");
                values["headline"] = words.InvitationHeadline(meeting.Title);
                values["note"] = language.InviteNote;
                break;
            case MessageKind.Update:
                (subject, method) = (words.UpdateSubject(title), "REQUEST");
                values["headline"] = words.UpdateHeadline(meeting.Title);
                values["note"] = words.UpdateNote;
                values["changed_label"] = words.Changed;
                values["changed"] = meeting.LastChange is { Fields.Count: > 0 } change
                    ? string.Join(", ", change.Fields.Select(f => words.FieldNames.GetValueOrDefault(f, f)))
                    : null;
                if (meeting.LastChange?.PreviousStartUtc is { } previous)
                {
                    values["previously"] = language.Describe(MeetingTime.InZone(previous, zone), zone);
                    values["previously_label"] = words.Previously;
                }
                break;
            case MessageKind.Cancellation:
                (subject, method) = (words.CancellationSubject(title), "CANCEL");
                values["headline"] = words.CancellationHeadline(meeting.Title);
                values["note"] = words.CancellationNote;
                break;
            case MessageKind.Removal:
                (subject, method) = (words.RemovalSubject(title), "CANCEL");
                values["headline"] = words.RemovalHeadline(meeting.Title);
                values["note"] = words.RemovalNote;
                break;
            default:
                throw new ArgumentOutOfRangeException(nameof(message), message.Kind, "not a participant notice");
        }
        values["subject"] = subject;
        var closing = kind is MessageKind.Cancellation or MessageKind.Removal;
        // Acknowledging from the invitation spares the participant every reminder; unsubscribing stops everything.
        if (!closing) EmailParts.AddLinks(values, links, language.Code);
        // A removal reads like a cancellation (for this one person): same template, other words.
        var (html, text) = EmailTemplates.Render(kind == MessageKind.Removal ? "cancellation" : Slots.Category(kind), values);

        // RFC 5546: a CANCEL to attendees who were removed names only them; the meeting itself goes on.
        var ics = kind == MessageKind.Removal
            ? CalendarInvite.Create(meeting, now, method, attendees: [participant])
            : CalendarInvite.Create(meeting, now, method);
        var email = new EmailMessage(
            new EmailAddress(participant.Email, participant.Name),
            subject, html, text,
            [CalendarInvite.Attachment(ics, method)],
            [Slots.Category(kind), meeting.Track],
            new Dictionary<string, string>
            {
                ["reminder_id"] = message.ReminderId,
                ["meeting_id"] = meeting.Id,
                ["plan_version"] = message.PlanVersion.ToString(CultureInfo.InvariantCulture),
            })
        {
            Template = meeting.UseSendGridTemplates ? ProviderTemplate.From(Slots.Category(kind), values) : null,
            ReplyTo = meeting.Coordinator.Email.Length == 0 ? null : new EmailAddress(meeting.Coordinator.Email, meeting.Coordinator.Name),
        };
        return closing ? email : email with { Headers = EmailParts.UnsubscribeHeaders(links) };
    }
}
