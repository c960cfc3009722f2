using Summit.Reminders.Delivery;
using Summit.Reminders.Meetings;
using Summit.Reminders.Ports;
using Summit.Reminders.Participation;
using Summit.Reminders.Notifications;
using Summit.Reminders.SendWindows;

namespace Summit.Functions.Meetings;

public sealed record MeetingResponse(
    string Id, string Title, string Track, string? Agenda, string Start, string TimeZone, DateTimeOffset StartUtc,
    string Duration, string? Location, string? JoinUrl, Person Coordinator, IReadOnlyList<Participant> Participants,
    IReadOnlyList<string> ReminderOffsets, string? EscalateBefore, bool UseSendGridTemplates, SendWindow? SendWindow, bool CalendarInvitations, string Status, long Version, int PlanVersion,
    IReadOnlyList<ReminderResponse> Reminders, IReadOnlyList<ReminderResponse> EarlierReminders,
    IReadOnlyList<ParticipantAnswer> Responses, IReadOnlyList<NoticeResponse> Notices, DateTimeOffset CreatedAt, DateTimeOffset UpdatedAt)
{
    public static MeetingResponse From(MeetingView view)
    {
        var m = view.Meeting;
        return new MeetingResponse(m.Id, m.Title, m.Track, m.Agenda, m.StartLocal, m.TimeZone, m.StartUtc, m.Duration, m.Location,
            m.JoinUrl, m.Coordinator, m.Participants, m.ReminderOffsets, m.EscalateBefore, m.UseSendGridTemplates, m.SendWindow, m.CalendarInvitations, m.Status.ToString().ToLowerInvariant(), m.Version,
            m.Plan.PlanVersion,
            view.Reminders.Select(r => new ReminderResponse(r.Id, r.ParticipantId, r.Offset, r.DueAt, r.State, r.SentAt, r.Reason, r.PlanVersion,
                DeliveryReport.From(r.Delivery)) { SendAt = r.SendAt, SendReason = r.SendReason }).ToList(),
            view.EarlierDeliveries.Select(d => new ReminderResponse(d.ReminderId, d.ParticipantId, d.Offset, null,
                DeliveryRules.Display(d.State),
                d.SentAt, d.Reason, null, DeliveryReport.From(d.Provider))).ToList(),
            m.Participants.Select(p => ParticipantAnswer.From(m, p, view.Responses.FirstOrDefault(r => r.ParticipantId == p.Id))).ToList(),
            view.Notices.Select(NoticeResponse.From).ToList(),
            m.CreatedAt, m.UpdatedAt)
        {
            Warnings = MeetingWarnings.For(m),
        };
    }

    /// <summary>Not errors: the meeting falls on a weekend, a public holiday or a half day's afternoon for some of its
    /// people (docs/api.md, "Warnings").</summary>
    public IReadOnlyList<MeetingWarning> Warnings { get; init; } = [];
}

/// <summary>One participant's answer through their links. <see cref="Acknowledged"/> is true while the acknowledgement
/// covers the meeting's current start (a reschedule needs a new one); <see cref="AcknowledgedAt"/> keeps the last one given.
/// <see cref="Undeliverable"/>: the provider reported the address as undeliverable (a hard bounce or a drop), so no more
/// emails go to it for this meeting.</summary>
public sealed record ParticipantAnswer(string ParticipantId, string Email, bool Acknowledged, DateTimeOffset? AcknowledgedAt, bool Unsubscribed, DateTimeOffset? UnsubscribedAt,
    bool Undeliverable, DateTimeOffset? UndeliverableAt, string? UndeliverableReason)
{
    public static ParticipantAnswer From(Meeting meeting, Participant participant, ParticipantResponse? response) =>
        new(participant.Id, participant.Email, response?.HasAcknowledged(meeting) == true, response?.AcknowledgedAt,
            response?.HasUnsubscribed == true, response?.UnsubscribedAt,
            response?.IsUndeliverable == true, response?.UndeliverableAt, response?.UndeliverableReason);
}

/// <summary>An invitation, update, cancellation or escalation email and what became of it.</summary>
/// <summary>What the provider reported about an email after accepting it: <see cref="Status"/> is processed, deferred,
/// delivered, bounce, dropped or spamreport; <see cref="Detail"/> its reason (a bounce's or a drop's).</summary>
public sealed record DeliveryReport(string Status, DateTimeOffset At, string? Detail)
{
    public static DeliveryReport? From(Summit.Reminders.DeliveryStatus.ProviderStatus? status) =>
        status?.Status is { } name ? new DeliveryReport(name, status.At, status.Detail) : null;
}

public sealed record NoticeResponse(string Id, string Kind, string RecipientId, string State, DateTimeOffset? SentAt, string? Reason, DeliveryReport? Delivery)
{
    public static NoticeResponse From(DeliveryRecord d) => new(d.ReminderId, Slots.Category(Slots.KindOf(d.Offset)), d.ParticipantId,
        DeliveryRules.Display(d.State), d.SentAt, d.Reason, DeliveryReport.From(d.Provider));
}

/// <summary>One reminder to one participant. <see cref="SendAt"/> and <see cref="SendReason"/> are there when it goes at
/// another moment than <see cref="DueAt"/> (the participant's send window or working days moved it).</summary>
public sealed record ReminderResponse(
    string Id, string ParticipantId, string Offset, DateTimeOffset? DueAt, string State, DateTimeOffset? SentAt, string? Reason, int? PlanVersion,
    DeliveryReport? Delivery)
{
    public DateTimeOffset? SendAt { get; init; }
    public string? SendReason { get; init; }
}

public sealed record MeetingSummary(
    string Id, string Title, string Track, string Start, string TimeZone, DateTimeOffset StartUtc, string Status, long Version, int Participants,
    bool CalendarInvitations)
{
    public static MeetingSummary From(Meeting m) =>
        new(m.Id, m.Title, m.Track, m.StartLocal, m.TimeZone, m.StartUtc, m.Status.ToString().ToLowerInvariant(), m.Version, m.Participants.Count,
            m.CalendarInvitations);
}

public sealed record MeetingListResponse(IReadOnlyList<MeetingSummary> Items, string? ContinuationToken);
