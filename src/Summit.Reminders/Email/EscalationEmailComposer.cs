using System.Globalization;
using Summit.Reminders.Delivery;
using Summit.Reminders.Meetings;
using Summit.Reminders.Ports;
using Summit.Reminders.Participation;
using Summit.Reminders.Notifications;

namespace Summit.Reminders.Email;

/// <summary>
/// The coordinator's one email before the start (<see cref="Meeting.EscalateBefore"/>): who has not acknowledged, and
/// what became of their reminders, so the coordinator can call the right people.
/// </summary>
public static class EscalationEmailComposer
{
    public static EmailMessage Compose(Meeting meeting, ReminderMessage message, IReadOnlyList<DeliveryRecord> deliveries,
        IReadOnlyList<ParticipantResponse> responses, DateTimeOffset now)
    {
        var language = EmailLanguage.For(meeting.Coordinator.Language);
        var words = NoticeText.For(language.Code);
        var title = EmailParts.OneLine(meeting.Title);
        var zone = meeting.TimeZone;

        var open = meeting.Participants
            .Select(p => (Participant: p, Response: responses.FirstOrDefault(r => r.ParticipantId == p.Id)))
            .Where(x => x.Response?.HasAcknowledged(meeting) != true)
            .ToList();
        var people = open.Select(x => (IReadOnlyDictionary<string, string>)new Dictionary<string, string>
        {
            ["name"] = x.Participant.Name,
            ["email"] = x.Participant.Email,
            ["state"] = State(meeting, x.Participant, x.Response, deliveries, words, language, zone),
        }).ToList();

        var subject = words.EscalationSubject(title, open.Count, meeting.Participants.Count);
        var values = EmailParts.Details(meeting, zone, language);
        values["subject"] = subject;
        values["greeting"] = language.Greeting(meeting.Coordinator.Name);
        values["headline"] = words.EscalationHeadline(meeting.Title, open.Count);
        values["note"] = words.EscalationNote;
        values["list_label"] = $"{words.Participant} — {words.State}";
        values["footer"] = words.EscalationFooter;
        var lists = new Dictionary<string, IReadOnlyList<IReadOnlyDictionary<string, string>>> { ["people"] = people };
        var (html, text) = EmailTemplates.Render("escalation", values, lists);

        return new EmailMessage(
            new EmailAddress(meeting.Coordinator.Email, meeting.Coordinator.Name),
            subject, html, text, [],
            ["escalation", meeting.Track],
            new Dictionary<string, string>
            {
                ["reminder_id"] = message.ReminderId,
                ["meeting_id"] = meeting.Id,
                ["plan_version"] = message.PlanVersion.ToString(CultureInfo.InvariantCulture),
            })
        {
            Template = meeting.UseSendGridTemplates ? ProviderTemplate.From("escalation", values, lists) : null,
        };
    }

    /// <summary>The participant's most telling delivery state among the current plan's reminders.</summary>
    private static string State(Meeting meeting, Participant participant, ParticipantResponse? response, IReadOnlyList<DeliveryRecord> deliveries,
        NoticeText words, EmailLanguage language, string zone)
    {
        // What SendGrid reported first: a coordinator can only reach this person another way.
        if (response?.IsUndeliverable == true) return $"{words.StateUndeliverable} ({response.UndeliverableReason})";
        if (response?.HasUnsubscribed == true) return words.StateUnsubscribed;
        var mine = deliveries
            .Where(d => d.ParticipantId == participant.Id && d.PlanId == meeting.Plan.PlanId && Slots.KindOf(d.Offset) == MessageKind.Reminder)
            .ToList();
        if (mine.Where(d => d.State == DeliveryState.Sent).MaxBy(d => d.SentAt) is { SentAt: { } sentAt })
            return words.StateSent(language.Describe(MeetingTime.InZone(sentAt, zone), zone));
        if (mine.FirstOrDefault(d => d.State == DeliveryState.Failed) is { } failed)
            return failed.Reason is { Length: > 0 } reason ? $"{words.StateFailed} ({reason})" : words.StateFailed;
        if (mine.Any(d => d.State is DeliveryState.Sending or DeliveryState.Retrying)) return words.StateQueued;
        if (mine.Any(d => d.State == DeliveryState.Skipped)) return words.StateSkipped;
        return words.StatePending;
    }
}
