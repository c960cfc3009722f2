using System.Globalization;
using System.Text;
using Summit.Reminders.Delivery;
using Summit.Reminders.Meetings;
using Summit.Reminders.Participation;
using Summit.Reminders.Notifications;

namespace Summit.Reminders.Email;

/// <summary>
/// The invitation (on registration, or when calendar invitations are switched on), update (on a change participants can
/// see), cancellation and removal (to those an update took off the list) emails, each with the
/// calendar entry as it now is: METHOD:REQUEST for the first two, METHOD:CANCEL for the last, one UID for the meeting's
/// whole life and a SEQUENCE that grows with every change. A meeting without calendar invitations sends the same emails
/// without an attachment, saying so in words (<see cref="NoCalendarText"/>).
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
        // Without calendar invitations the words say what an attachment would have done. Once they were switched off, every
        // update, cancellation and removal still carries one, a CANCEL for the entry our earlier emails added: the update
        // of that change may have been overtaken by a later change or a cancellation before it went (a CANCEL for an entry
        // already gone changes nothing).
        var calendar = meeting.CalendarInvitations;
        var withdrawal = kind is MessageKind.Update or MessageKind.Removal or MessageKind.Cancellation && meeting.WithdrawsCalendarEntry;
        var plain = NoCalendarText.For(language.Code);
        string subject, method;
        switch (kind)
        {
            case MessageKind.Invitation:
                (subject, method) = (calendar ? words.InvitationSubject(title) : plain.InvitationSubject(title), "REQUEST");
                values["headline"] = calendar ? words.InvitationHeadline(meeting.Title) : plain.InvitationHeadline(meeting.Title);
                values["note"] = calendar ? language.InviteNote : plain.InvitationNote;
                // Calendar invitations switched on by an update: the invitation stands for that update too.
                AddChanges(values, meeting, words, language, zone, without: Meeting.CalendarInvitationsField);
                break;
            case MessageKind.Update:
                (subject, method) = (words.UpdateSubject(title), withdrawal ? "CANCEL" : "REQUEST");
                values["headline"] = words.UpdateHeadline(meeting.Title);
                values["note"] = withdrawal ? plain.WithdrawalNote : calendar ? words.UpdateNote : plain.UpdateNote;
                values["changed_label"] = words.Changed;
                AddChanges(values, meeting, words, language, zone, without: null);
                break;
            case MessageKind.Cancellation:
                (subject, method) = (words.CancellationSubject(title), "CANCEL");
                values["headline"] = words.CancellationHeadline(meeting.Title);
                values["note"] = calendar || withdrawal ? words.CancellationNote : plain.CancellationNote;
                break;
            case MessageKind.Removal:
                (subject, method) = (words.RemovalSubject(title), "CANCEL");
                values["headline"] = words.RemovalHeadline(meeting.Title);
                values["note"] = calendar || withdrawal ? words.RemovalNote : plain.RemovalNote;
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
        IReadOnlyList<EmailAttachment> attachments = !calendar && !withdrawal ? []
            : [CalendarInvite.Attachment(kind == MessageKind.Removal
                ? CalendarInvite.Create(meeting, now, method, attendees: [participant])
                : CalendarInvite.Create(meeting, now, method), method)];
        var email = new EmailMessage(
            new EmailAddress(participant.Email, participant.Name),
            subject, html, text,
            attachments,
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

    /// <summary>What the meeting's last update changed (leaving out <paramref name="without"/>), and the start before it
    /// when it moved, in the participant's words and zone.</summary>
    private static void AddChanges(Dictionary<string, string?> values, Meeting meeting, NoticeText words, EmailLanguage language, string zone, string? without)
    {
        var fields = meeting.LastChange?.Fields.Where(f => f != without).ToList() ?? [];
        if (fields.Count == 0) return;
        values["changed_label"] = words.Changed;
        values["changed"] = string.Join(", ", fields.Select(f => words.FieldNames.GetValueOrDefault(f, f)));
        if (meeting.LastChange?.PreviousStartUtc is { } previous)
        {
            values["previously"] = language.Describe(MeetingTime.InZone(previous, zone), zone);
            values["previously_label"] = words.Previously;
        }
    }
}
