namespace Summit.Reminders.Meetings;

/// <summary>The limits documented in docs/api.md. Change both together.</summary>
public static class MeetingLimits
{
    public const int TitleMaxLength = 200;
    public const int AgendaMaxLength = 20_000;
    public const int NameMaxLength = 200;
    public const int LocationMaxLength = 500;
    public const int UrlMaxLength = 2_048;
    public const int EmailMaxLength = EmailAddressRules.MaxLength;
    public const int MaxParticipants = 200;
    public const int MinOffsets = 1;
    public const int MaxOffsets = 10;
    public static readonly TimeSpan MinOffset = TimeSpan.FromMinutes(5);
    public static readonly TimeSpan MaxOffset = TimeSpan.FromDays(180);
    public static readonly TimeSpan MinLeadTime = TimeSpan.FromMinutes(5);
    /// <summary>The furthest start: two years ahead (time zone rules further out are guesses anyway).</summary>
    public static readonly TimeSpan MaxLeadTime = TimeSpan.FromDays(730);
    public static readonly TimeSpan MinDuration = TimeSpan.FromMinutes(5);
    public static readonly TimeSpan MaxDuration = TimeSpan.FromDays(14);
    public static readonly IReadOnlyList<string> Languages = ["en", "ko", "tr"];
}
