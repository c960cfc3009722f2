using System.ComponentModel.DataAnnotations;

namespace Summit.Reminders.Scheduling;

/// <summary>Settings section "Scheduler".</summary>
public sealed class SchedulerOptions : IValidatableObject
{
    public const string Section = "Scheduler";

    /// <summary>Slots due this far ahead are published at once, invisible until their moment, so they are not a tick late.</summary>
    public TimeSpan LookAhead { get; set; } = TimeSpan.FromSeconds(60);

    /// <summary>How long a claimed slot stays reserved for the tick that claimed it. If that tick dies, the slot is
    /// published by the first tick after the lease ends.</summary>
    public TimeSpan ClaimLease { get; set; } = TimeSpan.FromMinutes(2);

    /// <summary>A slot whose meeting or plan is not (yet) stored may belong to a registration still being written;
    /// it is kept this long before it is discarded as an orphan.</summary>
    public TimeSpan OrphanGrace { get; set; } = TimeSpan.FromMinutes(5);

    /// <summary>Checked at start, so a wrong value stops the app with its name instead of failing the first tick.</summary>
    public IEnumerable<ValidationResult> Validate(ValidationContext validationContext)
    {
        if (LookAhead < TimeSpan.Zero) yield return new ValidationResult($"Scheduler:{nameof(LookAhead)} must not be negative.", [nameof(LookAhead)]);
        if (ClaimLease <= TimeSpan.Zero) yield return new ValidationResult($"Scheduler:{nameof(ClaimLease)} must be longer than zero.", [nameof(ClaimLease)]);
        if (OrphanGrace < TimeSpan.Zero) yield return new ValidationResult($"Scheduler:{nameof(OrphanGrace)} must not be negative.", [nameof(OrphanGrace)]);
    }
}
