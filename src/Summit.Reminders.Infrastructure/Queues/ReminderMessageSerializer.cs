using System.Text.Json;
using Summit.Reminders.Delivery;
using Summit.Reminders.Notifications;

namespace Summit.Reminders.Infrastructure.Queues;

/// <summary>The wire form of a <see cref="ReminderMessage"/>: JSON, shared by every queue transport.</summary>
public static class ReminderMessageSerializer
{
    public const string ContentType = "application/json";
    public const string Subject = "reminder";
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    private sealed record Wire(int Schema, string? ReminderId, string? MeetingId, string? PlanId, int PlanVersion, string? Offset,
        string? ParticipantId, DateTimeOffset DueAt, int FailedAttempts, int Reschedules);

    public static BinaryData Serialize(ReminderMessage m) => BinaryData.FromObjectAsJson(
        new Wire(ReminderMessage.SchemaVersion, m.ReminderId, m.MeetingId, m.PlanId, m.PlanVersion, m.Offset, m.ParticipantId,
            m.DueAt, m.FailedAttempts, m.Reschedules), Json);

    /// <summary>Parses a body; a foreign or damaged one gives null and the reason.</summary>
    public static (ReminderMessage? Message, string? Error) TryParse(BinaryData body)
    {
        Wire? wire;
        try
        {
            wire = body.ToObjectFromJson<Wire>(Json);
        }
        catch (Exception ex) when (ex is JsonException or NotSupportedException or ArgumentException or InvalidOperationException)
        {
            return (null, "the body is not reminder JSON: " + ex.Message);
        }
        if (wire is null) return (null, "the body is empty");
        if (wire.Schema != ReminderMessage.SchemaVersion) return (null, $"unknown schema version {wire.Schema}");
        if (string.IsNullOrEmpty(wire.ReminderId) || string.IsNullOrEmpty(wire.MeetingId) || string.IsNullOrEmpty(wire.PlanId)
            || string.IsNullOrEmpty(wire.Offset) || string.IsNullOrEmpty(wire.ParticipantId))
            return (null, "a required field (reminderId, meetingId, planId, offset, participantId) is missing");
        if (wire.ReminderId != NotificationIds.For(wire.MeetingId, wire.PlanId, wire.Offset, wire.ParticipantId))
            return (null, "reminderId does not match the meeting, plan, offset and participant");
        return (new ReminderMessage(wire.ReminderId, wire.MeetingId, wire.PlanId, wire.PlanVersion, wire.Offset, wire.ParticipantId,
            wire.DueAt, null, wire.FailedAttempts, wire.Reschedules), null);
    }
}
