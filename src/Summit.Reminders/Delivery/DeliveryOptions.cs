using System.ComponentModel.DataAnnotations;

namespace Summit.Reminders.Delivery;

/// <summary>Settings section "Delivery": how much one "DeliverReminders" run drains, and how sends are retried.</summary>
public sealed class DeliveryOptions : IValidatableObject
{
    public const string Section = "Delivery";

    /// <summary>A safety bound only: a run is limited by <see cref="MaxRunDuration"/>. (At 2,000, a burst of 6,000 due
    /// reminders took three runs, so three minutes; see docs/benchmarks.md.)</summary>
    public int MaxMessagesPerRun { get; set; } = 50_000;
    /// <summary>Keep it below the timer period so runs do not pile up.</summary>
    public TimeSpan MaxRunDuration { get; set; } = TimeSpan.FromSeconds(50);
    /// <summary>Messages per receive; they wait in memory (their lock running) until a send slot is free.</summary>
    public int ReceiveBatchSize { get; set; } = 100;
    /// <summary>A run ends when a receive waits this long and gets nothing.</summary>
    public TimeSpan ReceiveWait { get; set; } = TimeSpan.FromSeconds(2);
    /// <summary>Sends in flight at once. Throughput is about this divided by SendGrid's answer time: 128 at 200 ms is
    /// 640 emails/s, at the 50 ms of the benchmark the machine is the limit (docs/benchmarks.md).</summary>
    public int MaxConcurrency { get; set; } = 128;
    /// <summary>How long a claimed ledger row is reserved for the worker sending it.</summary>
    public TimeSpan SendLease { get; set; } = TimeSpan.FromMinutes(2);
    /// <summary>Transient failures (5xx, timeouts) before a reminder is dead-lettered as failed.</summary>
    public int MaxSendAttempts { get; set; } = 8;
    public TimeSpan RetryBaseDelay { get; set; } = TimeSpan.FromSeconds(30);
    public TimeSpan RetryMaxDelay { get; set; } = TimeSpan.FromMinutes(15);
    /// <summary>When Table Storage is down, messages are handed back for this long (no delivery attempt spent).</summary>
    public TimeSpan OutageRetryDelay { get; set; } = TimeSpan.FromMinutes(1);

    /// <summary>Checked at start, so a wrong value stops the app with its name instead of failing the first run.</summary>
    public IEnumerable<ValidationResult> Validate(ValidationContext validationContext)
    {
        foreach (var (name, value) in new[] { (nameof(MaxMessagesPerRun), MaxMessagesPerRun), (nameof(ReceiveBatchSize), ReceiveBatchSize),
                     (nameof(MaxConcurrency), MaxConcurrency), (nameof(MaxSendAttempts), MaxSendAttempts) })
            if (value < 1) yield return new ValidationResult($"Delivery:{name} must be at least 1 (it is {value}).", [name]);
        foreach (var (name, value) in new[] { (nameof(MaxRunDuration), MaxRunDuration), (nameof(SendLease), SendLease),
                     (nameof(RetryBaseDelay), RetryBaseDelay), (nameof(OutageRetryDelay), OutageRetryDelay) })
            if (value <= TimeSpan.Zero) yield return new ValidationResult($"Delivery:{name} must be longer than zero (it is {value}).", [name]);
        if (ReceiveWait < TimeSpan.Zero) yield return new ValidationResult($"Delivery:{nameof(ReceiveWait)} must not be negative.", [nameof(ReceiveWait)]);
        if (RetryMaxDelay < RetryBaseDelay)
            yield return new ValidationResult($"Delivery:{nameof(RetryMaxDelay)} must be at least Delivery:{nameof(RetryBaseDelay)}.", [nameof(RetryMaxDelay)]);
    }

    /// <summary>Exponential back-off with ±20 % jitter: 30 s, 1 min, 2 min, ... capped at <see cref="RetryMaxDelay"/>.</summary>
    public TimeSpan Backoff(int failedAttempts)
    {
        var exponential = RetryBaseDelay.TotalSeconds * Math.Pow(2, Math.Max(0, failedAttempts - 1));
        var capped = Math.Min(exponential, RetryMaxDelay.TotalSeconds);
        return TimeSpan.FromSeconds(capped * (0.8 + Random.Shared.NextDouble() * 0.4));
    }
}
