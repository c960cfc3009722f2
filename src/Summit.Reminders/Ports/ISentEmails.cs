namespace Summit.Reminders.Ports;

/// <summary>
/// Copies of sent emails the app keeps itself (the local pickup folder). SendGrid keeps its own activity history, which
/// the app cannot erase (docs/data-protection.md): its adapter has nothing to erase here.
/// </summary>
public interface ISentEmails
{
    /// <summary>Deletes the kept copies of a meeting's emails: all of them, or those to these recipient ids (participant
    /// ids, or "coordinator") and those that mention any of <paramref name="mentioning"/> (addresses, lower-case)
    /// anywhere, a calendar attachment's attendee list included. Returns how many emails went.</summary>
    Task<int> EraseAsync(string meetingId, IReadOnlySet<string>? recipientIds, IReadOnlySet<string>? mentioning, CancellationToken cancellationToken);
}
