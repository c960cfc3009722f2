using System.Diagnostics;
using System.Text.Json;
using Summit.Reminders.Delivery;
using Summit.Reminders.Notifications;
using Summit.Reminders.Telemetry;

namespace Summit.Reminders.Infrastructure.Queues;

/// <summary>The wire form of a <see cref="ReminderMessage"/>: JSON, shared by every queue transport. A transport without
/// message properties (Storage Queues) carries the publishing span's W3C trace context in it too (<c>traceparent</c>,
/// <c>tracestate</c>: optional fields, ignored by a reader that does not know them, so the schema version stays).</summary>
public static class ReminderMessageSerializer
{
    public const string ContentType = "application/json";
    public const string Subject = "reminder";
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    private sealed record Wire(int Schema, string? ReminderId, string? MeetingId, string? PlanId, int PlanVersion, string? Offset,
        string? ParticipantId, DateTimeOffset DueAt, int FailedAttempts, int Reschedules)
    {
        [System.Text.Json.Serialization.JsonPropertyName(TraceCarrier.TraceParentName)]
        [System.Text.Json.Serialization.JsonIgnore(Condition = System.Text.Json.Serialization.JsonIgnoreCondition.WhenWritingNull)]
        public string? TraceParent { get; init; }

        [System.Text.Json.Serialization.JsonPropertyName(TraceCarrier.TraceStateName)]
        [System.Text.Json.Serialization.JsonIgnore(Condition = System.Text.Json.Serialization.JsonIgnoreCondition.WhenWritingNull)]
        public string? TraceState { get; init; }
    }

    public static BinaryData Serialize(ReminderMessage m, TraceCarrier? trace = null) => BinaryData.FromObjectAsJson(
        new Wire(ReminderMessage.SchemaVersion, m.ReminderId, m.MeetingId, m.PlanId, m.PlanVersion, m.Offset, m.ParticipantId,
            m.DueAt, m.FailedAttempts, m.Reschedules) { TraceParent = trace?.TraceParent, TraceState = trace?.TraceState }, Json);

    /// <summary>Parses a body; a foreign or damaged one gives null and the reason.</summary>
    public static (ReminderMessage? Message, string? Error) TryParse(BinaryData body)
    {
        var (message, error, _) = TryParseWithTrace(body);
        return (message, error);
    }

    /// <summary>Parses a body and the trace context it carries (null when none, or not a valid one).</summary>
    public static (ReminderMessage? Message, string? Error, ActivityContext? Trace) TryParseWithTrace(BinaryData body)
    {
        Wire? wire;
        try
        {
            wire = body.ToObjectFromJson<Wire>(Json);
        }
        catch (Exception ex) when (ex is JsonException or NotSupportedException or ArgumentException or InvalidOperationException)
        {
            return (null, "the body is not reminder JSON: " + ex.Message, null);
        }
        if (wire is null) return (null, "the body is empty", null);
        var trace = TraceCarrier.Parse(wire.TraceParent, wire.TraceState);
        if (wire.Schema != ReminderMessage.SchemaVersion) return (null, $"unknown schema version {wire.Schema}", trace);
        if (string.IsNullOrEmpty(wire.ReminderId) || string.IsNullOrEmpty(wire.MeetingId) || string.IsNullOrEmpty(wire.PlanId)
            || string.IsNullOrEmpty(wire.Offset) || string.IsNullOrEmpty(wire.ParticipantId))
            return (null, "a required field (reminderId, meetingId, planId, offset, participantId) is missing", trace);
        if (wire.ReminderId != NotificationIds.For(wire.MeetingId, wire.PlanId, wire.Offset, wire.ParticipantId))
            return (null, "reminderId does not match the meeting, plan, offset and participant", trace);
        return (new ReminderMessage(wire.ReminderId, wire.MeetingId, wire.PlanId, wire.PlanVersion, wire.Offset, wire.ParticipantId,
            wire.DueAt, null, wire.FailedAttempts, wire.Reschedules), null, trace);
    }
}
