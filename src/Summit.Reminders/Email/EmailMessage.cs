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

    /// <summary>Where a reply goes: the meeting's coordinator, for emails to participants.</summary>
    public EmailAddress? ReplyTo { get; init; }

    /// <summary>Set when the meeting asked for the email provider's own templates (SendGrid dynamic templates): the
    /// kind picks the template id from the settings, and the data is what the built-in template was rendered from.</summary>
    public ProviderTemplate? Template { get; init; }
}

/// <summary>The data of one email for a provider-side template: the same values the Liquid templates get (text, not
/// HTML-encoded; the provider's Handlebars escapes them), lists as arrays of objects.</summary>
public sealed record ProviderTemplate(string Kind, IReadOnlyDictionary<string, object> Data)
{
    public static ProviderTemplate From(string kind, IReadOnlyDictionary<string, string?> values,
        IReadOnlyDictionary<string, IReadOnlyList<IReadOnlyDictionary<string, string>>>? lists = null)
    {
        var data = new Dictionary<string, object>();
        foreach (var (key, value) in values)
            if (value is not null) data[key] = value;
        foreach (var (key, items) in lists ?? new Dictionary<string, IReadOnlyList<IReadOnlyDictionary<string, string>>>())
            data[key] = items;
        return new ProviderTemplate(kind, data);
    }
}
