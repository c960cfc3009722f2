using System.Diagnostics.Metrics;
using Summit.Reminders.Notifications;

namespace Summit.Reminders.Telemetry;

/// <summary>
/// Our meter (<see cref="SummitTelemetry.Name"/>) and its instruments. One per app (a singleton); made by the host's
/// <see cref="IMeterFactory"/> when there is one, so each composition (a test's app, a second instance) has its own.
/// Tags are kinds and outcomes, never anything about a person.
/// </summary>
public sealed class SummitMetrics : IDisposable
{
    private readonly Meter _meter;

    /// <summary>For tests that listen to this app's meter alone.</summary>
    internal Meter Meter => _meter;
    private readonly bool _ownsMeter;
    private readonly Counter<long> _emails;
    private readonly Histogram<double> _lateness;
    private readonly Histogram<double> _tickDuration;
    private readonly Counter<long> _slotsPublished;
    private readonly Counter<long> _credentialsRefused;
    private long _waiting = -1;

    public SummitMetrics(IMeterFactory? meterFactory = null)
    {
        _ownsMeter = meterFactory is null;
        _meter = meterFactory?.Create(SummitTelemetry.Name) ?? new Meter(SummitTelemetry.Name);
        _emails = _meter.CreateCounter<long>(SummitTelemetry.Instruments.Emails, "{email}",
            "Emails that reached a final outcome, by kind (summit.kind) and outcome (summit.outcome: sent, skipped, failed, dead_lettered)");
        _lateness = _meter.CreateHistogram<double>(SummitTelemetry.Instruments.DeliveryLateness, "s",
            "From an email's due moment to the email provider accepting it");
        _tickDuration = _meter.CreateHistogram<double>(SummitTelemetry.Instruments.TickDuration, "s",
            "How long one scheduler tick took (one record per tick)");
        _slotsPublished = _meter.CreateCounter<long>(SummitTelemetry.Instruments.SlotsPublished, "{slot}",
            "Reminder slots the scheduler put on the queue (one slot is one message per recipient)");
        _credentialsRefused = _meter.CreateCounter<long>(SummitTelemetry.Instruments.CredentialsRefused, "{answer}",
            "The email provider refused our credentials (SendGrid 401/403): the key is wrong, nothing can be sent");
        _meter.CreateObservableGauge(SummitTelemetry.Instruments.QueueWaiting, ObserveWaiting, "{message}",
            "Messages waiting on the reminder queue, as counted after the last delivery run");
    }

    /// <summary>One email reached a final outcome (<see cref="SummitTelemetry.Outcomes"/>). A message that is not a
    /// reminder at all (malformed) has no kind and goes without the kind tag.</summary>
    public void EmailFinished(MessageKind? kind, string outcome)
    {
        if (kind is { } k) _emails.Add(1, new(SummitTelemetry.Attributes.Kind, Slots.Category(k)), new(SummitTelemetry.Attributes.Outcome, outcome));
        else _emails.Add(1, new KeyValuePair<string, object?>(SummitTelemetry.Attributes.Outcome, outcome));
    }

    public void Lateness(MessageKind kind, TimeSpan lateness) =>
        _lateness.Record(lateness.TotalSeconds, new KeyValuePair<string, object?>(SummitTelemetry.Attributes.Kind, Slots.Category(kind)));

    public void TickDuration(TimeSpan duration) => _tickDuration.Record(duration.TotalSeconds);

    public void SlotPublished(MessageKind kind) =>
        _slotsPublished.Add(1, new KeyValuePair<string, object?>(SummitTelemetry.Attributes.Kind, Slots.Category(kind)));

    public void CredentialsRefused(int status) =>
        _credentialsRefused.Add(1, new KeyValuePair<string, object?>("http.response.status_code", status));

    /// <summary>The queue's latest count; null when it could not be counted (nothing is reported then, rather than a
    /// stale or made-up number).</summary>
    public void QueueWaiting(long? count) => Interlocked.Exchange(ref _waiting, count ?? -1);

    private IEnumerable<Measurement<long>> ObserveWaiting()
    {
        var waiting = Interlocked.Read(ref _waiting);
        return waiting < 0 ? [] : [new Measurement<long>(waiting)];
    }

    public void Dispose()
    {
        if (_ownsMeter) _meter.Dispose();
    }
}
