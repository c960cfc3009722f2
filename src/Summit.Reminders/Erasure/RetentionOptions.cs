using System.ComponentModel.DataAnnotations;

namespace Summit.Reminders.Erasure;

/// <summary>How long personal data is kept (section "Retention"), read by the retention timer (<c>%RetentionCron%</c>).</summary>
public sealed class RetentionOptions
{
    public const string Section = "Retention";

    /// <summary>A meeting is erased this many days after it ends (cancelled meetings: after their planned end). 0 keeps
    /// meetings until a coordinator deletes them.</summary>
    [Range(0, 3650)]
    public int AfterMeetingEndDays { get; set; } = 90;

    /// <summary>A data-subject erasure runs once more this long after the request, for emails that were already on their
    /// way when it ran (a queued reminder is skipped, and its skip leaves a ledger row the second run removes).</summary>
    [Range(typeof(TimeSpan), "00:00:00", "7.00:00:00")]
    public TimeSpan PersonFollowUp { get; set; } = TimeSpan.FromHours(1);

    /// <summary>At most this many meetings are erased per run; the rest wait for the next run.</summary>
    [Range(1, 100_000)]
    public int MaxMeetingsPerRun { get; set; } = 500;
}
