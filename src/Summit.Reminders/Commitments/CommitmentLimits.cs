namespace Summit.Reminders.Commitments;

/// <summary>The limits documented in docs/api.md ("Commitments"). Change both together.</summary>
public static class CommitmentLimits
{
    public const int DetailsMaxLength = 20_000;
    public const int NoteMaxLength = 2_000;
    public const int MaxOwners = 50;
    public const int MaxOffsets = 10;
    public const int MaxRungs = 5;
    public static readonly TimeSpan MinOffset = TimeSpan.FromMinutes(5);
    public static readonly TimeSpan MaxOffset = TimeSpan.FromDays(180);
    public static readonly TimeSpan MaxRung = TimeSpan.FromDays(90);
    /// <summary>The soonest due moment: five minutes from now.</summary>
    public static readonly TimeSpan MinLeadTime = TimeSpan.FromMinutes(5);
    /// <summary>The furthest due moment: two years ahead, as for meetings.</summary>
    public static readonly TimeSpan MaxLeadTime = TimeSpan.FromDays(730);
    public static IReadOnlyList<string> DefaultOffsets { get; } = ["P7D", "P2D", "P1D"];
    public static IReadOnlyList<string> DefaultEscalation { get; } = ["PT0M", "P2D"];
}
