namespace Summit.Reminders.Meetings;

/// <summary>What a coordinator sends to register or change a meeting, before validation. Every field is optional here
/// so that a missing one is reported by name by <see cref="MeetingValidator"/> rather than as a parse error.</summary>
public sealed record MeetingDraft
{
    public string? Title { get; init; }
    public string? Track { get; init; }
    public string? Agenda { get; init; }
    public string? Start { get; init; }
    public string? TimeZone { get; init; }
    public string? Duration { get; init; }
    public string? Location { get; init; }
    public string? JoinUrl { get; init; }
    public PersonDraft? Coordinator { get; init; }
    public IReadOnlyList<ParticipantDraft?>? Participants { get; init; }
    public IReadOnlyList<string?>? ReminderOffsets { get; init; }
    public string? EscalateBefore { get; init; }
    public SendWindows.SendWindowDraft? SendWindow { get; init; }
    public bool? UseSendGridTemplates { get; init; }
    public bool? CalendarInvitations { get; init; }
}

public sealed record PersonDraft
{
    public string? Name { get; init; }
    public string? Email { get; init; }
    public string? Language { get; init; }
    public string? TimeZone { get; init; }
    public string? Country { get; init; }
}

public sealed record ParticipantDraft
{
    public string? Name { get; init; }
    public string? Email { get; init; }
    public string? TimeZone { get; init; }
    public string? Language { get; init; }
    public string? Country { get; init; }
    public SendWindows.SendWindowDraft? SendWindow { get; init; }
}

/// <summary>One problem with one field, named by its JSON path (for example <c>participants[2].email</c>).</summary>
public sealed record FieldError(string Field, string Message);
