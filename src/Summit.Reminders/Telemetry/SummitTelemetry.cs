using System.Diagnostics;

namespace Summit.Reminders.Telemetry;

/// <summary>
/// The names of our traces and metrics: the <see cref="ActivitySource"/> and the meter are both called
/// <see cref="Name"/>. System.Diagnostics only; exporters and their settings live at the edge (the function app, the
/// local host). Alerts in infra/ and docs/telemetry.md use these exact names: do not rename them.
/// Attributes carry ids only, never an address, a name, a title, a body or a token.
/// </summary>
public static class SummitTelemetry
{
    public const string Name = "Summit.Reminders";

    public static readonly ActivitySource Source = new(Name, typeof(SummitTelemetry).Assembly.GetName().Version?.ToString());

    /// <summary>Span names.</summary>
    public static class Spans
    {
        public const string SchedulerTick = "SchedulerTick";
        public const string Publish = "Publish";
        public const string Deliver = "Deliver";
        public const string RegisterMeeting = "RegisterMeeting";
        public const string UpdateMeeting = "UpdateMeeting";
        public const string CancelMeeting = "CancelMeeting";
        public const string CompleteMeeting = "CompleteMeeting";
    }

    /// <summary>Attribute (tag) names.</summary>
    public static class Attributes
    {
        public const string Kind = "summit.kind";
        public const string Outcome = "summit.outcome";
        public const string LatenessSeconds = "summit.lateness_s";
        public const string MeetingId = "summit.meeting_id";
        public const string PlanVersion = "summit.plan_version";
        public const string Messages = "summit.messages";
        public const string DeliveryCount = "summit.delivery_count";
        public const string Result = "summit.result";
        public const string TickRead = "summit.tick.read";
        public const string TickPublished = "summit.tick.published";
        public const string TickFailed = "summit.tick.failed";
    }

    /// <summary>Instrument names (meter <see cref="Name"/>).</summary>
    public static class Instruments
    {
        public const string Emails = "summit.emails";
        public const string DeliveryLateness = "summit.delivery.lateness";
        public const string TickDuration = "summit.scheduler.tick.duration";
        public const string SlotsPublished = "summit.scheduler.slots_published";
        public const string QueueWaiting = "summit.queue.waiting";
        public const string CredentialsRefused = "summit.email_provider.credentials_refused";
    }

    /// <summary>The values of <see cref="Attributes.Outcome"/> on <see cref="Instruments.Emails"/>.</summary>
    public static class Outcomes
    {
        public const string Sent = "sent";
        public const string Skipped = "skipped";
        public const string Failed = "failed";
        public const string DeadLettered = "dead_lettered";
    }
}
