using System.Diagnostics;

namespace Summit.Reminders.Telemetry;

/// <summary>
/// W3C trace context as a queue message carries it (<c>traceparent</c>, <c>tracestate</c>): the publishing span's
/// context goes out with the message, and the delivery span links back to it. System.Diagnostics only, so it works the
/// same whether or not an OpenTelemetry SDK listens.
/// </summary>
public readonly record struct TraceCarrier(string TraceParent, string? TraceState)
{
    public const string TraceParentName = "traceparent";
    public const string TraceStateName = "tracestate";

    /// <summary>The context of the current span, or null when nothing is being traced (no listener, no span).</summary>
    public static TraceCarrier? Current() => From(Activity.Current);

    public static TraceCarrier? From(Activity? activity)
    {
        if (activity is null || activity.IdFormat != ActivityIdFormat.W3C) return null;
        var flags = (activity.ActivityTraceFlags & ActivityTraceFlags.Recorded) != 0 ? "01" : "00";
        return new TraceCarrier($"00-{activity.TraceId.ToHexString()}-{activity.SpanId.ToHexString()}-{flags}",
            string.IsNullOrEmpty(activity.TraceStateString) ? null : activity.TraceStateString);
    }

    /// <summary>The remote context a message carried; null when it carried none or a malformed one (never an error:
    /// a message without context is delivered like any other).</summary>
    public static ActivityContext? Parse(string? traceParent, string? traceState) =>
        !string.IsNullOrEmpty(traceParent) && ActivityContext.TryParse(traceParent, traceState, isRemote: true, out var context) ? context : null;
}
