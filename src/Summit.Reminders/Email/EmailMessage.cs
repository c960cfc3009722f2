namespace Summit.Reminders.Email;

public sealed record EmailAddress(string Email, string? Name = null);

public sealed record EmailAttachment(string FileName, string ContentType, byte[] Content);

/// <summary>An email ready to send. <see cref="CustomArgs"/> come back in the provider's event webhooks.</summary>
public sealed record EmailMessage(
    EmailAddress To, string Subject, string Html, string Text,
    IReadOnlyList<EmailAttachment> Attachments,
    IReadOnlyList<string> Categories,
    IReadOnlyDictionary<string, string> CustomArgs)
{
    /// <summary>Extra headers (List-Unsubscribe); names and values are ours, never user input.</summary>
    public IReadOnlyDictionary<string, string> Headers { get; init; } = new Dictionary<string, string>();
}
