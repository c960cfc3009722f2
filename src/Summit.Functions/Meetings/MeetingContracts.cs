using Summit.Reminders.Meetings;
using Summit.Reminders.Ports;

namespace Summit.Functions.Meetings;

public sealed record MeetingResponse(
    string Id, string Title, string Track, string? Agenda, string Start, string TimeZone, DateTimeOffset StartUtc,
    string Duration, string? Location, string? JoinUrl, Person Coordinator, IReadOnlyList<Participant> Participants,
    IReadOnlyList<string> ReminderOffsets, string Status, long Version, int PlanVersion,
    IReadOnlyList<ReminderResponse> Reminders, IReadOnlyList<ReminderResponse> EarlierReminders,
    DateTimeOffset CreatedAt, DateTimeOffset UpdatedAt)
{
    public static MeetingResponse From(MeetingView view)
    {
        var m = view.Meeting;
        return new MeetingResponse(m.Id, m.Title, m.Track, m.Agenda, m.StartLocal, m.TimeZone, m.StartUtc, m.Duration, m.Location,
            m.JoinUrl, m.Coordinator, m.Participants, m.ReminderOffsets, m.Status.ToString().ToLowerInvariant(), m.Version,
            m.Plan.PlanVersion,
            view.Reminders.Select(r => new ReminderResponse(r.Id, r.ParticipantId, r.Offset, r.DueAt, r.State, r.SentAt, r.Reason, r.PlanVersion)).ToList(),
            view.EarlierDeliveries.Select(d => new ReminderResponse(d.ReminderId, d.ParticipantId, d.Offset, null,
                d.State.ToString().ToLowerInvariant() is "sending" or "retrying" ? "queued" : d.State.ToString().ToLowerInvariant(),
                d.SentAt, d.Reason, null)).ToList(),
            m.CreatedAt, m.UpdatedAt);
    }
}

public sealed record ReminderResponse(
    string Id, string ParticipantId, string Offset, DateTimeOffset? DueAt, string State, DateTimeOffset? SentAt, string? Reason, int? PlanVersion);

public sealed record MeetingSummary(
    string Id, string Title, string Track, string Start, string TimeZone, DateTimeOffset StartUtc, string Status, long Version, int Participants)
{
    public static MeetingSummary From(Meeting m) =>
        new(m.Id, m.Title, m.Track, m.StartLocal, m.TimeZone, m.StartUtc, m.Status.ToString().ToLowerInvariant(), m.Version, m.Participants.Count);
}

public sealed record MeetingListResponse(IReadOnlyList<MeetingSummary> Items, string? ContinuationToken);
