using Summit.Reminders.Meetings;

namespace Summit.Reminders.Commitments;

/// <summary>What a coordinator sends to register or change a commitment, before validation: every field optional here,
/// so a missing one is reported by name by <see cref="CommitmentValidator"/>.</summary>
public sealed record CommitmentDraft
{
    public string? Title { get; init; }
    public string? Track { get; init; }
    /// <summary>The meeting where it was agreed, if any.</summary>
    public string? MeetingId { get; init; }
    public string? Details { get; init; }
    public IReadOnlyList<ParticipantDraft?>? Owners { get; init; }
    public PersonDraft? Coordinator { get; init; }
    /// <summary>A local date (2027-01-15): due at the end of that day in <see cref="TimeZone"/>.</summary>
    public string? DueDate { get; init; }
    /// <summary>An exact instant with its offset (2027-01-15T09:00:00+09:00), instead of <see cref="DueDate"/>.</summary>
    public string? DueAt { get; init; }
    public string? TimeZone { get; init; }
    public IReadOnlyList<string?>? ReminderOffsets { get; init; }
    public IReadOnlyList<string?>? EscalateAfter { get; init; }
}

/// <summary>What the coordinator sends when a commitment is done (both optional): a note, and a link to the deliverable.</summary>
public sealed record CompletionDraft
{
    public string? Note { get; init; }
    public string? Link { get; init; }
}

/// <summary>Why a commitment was dropped (optional).</summary>
public sealed record DropDraft
{
    public string? Reason { get; init; }
}
