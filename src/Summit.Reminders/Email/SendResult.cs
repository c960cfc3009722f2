namespace Summit.Reminders.Email;

/// <summary>What the email provider said to one email.</summary>
public abstract record SendResult
{
    public sealed record Accepted(string? ProviderMessageId) : SendResult;
    /// <summary>The provider asked us to wait; not a failure of this reminder.</summary>
    public sealed record RateLimited(DateTimeOffset RetryAt) : SendResult;
    /// <summary>May succeed later (5xx, timeout, network). <see cref="MayHaveBeenAccepted"/> is true for timeouts.</summary>
    public sealed record Transient(string Reason, bool MayHaveBeenAccepted = false) : SendResult;
    /// <summary>The provider refused our credentials (SendGrid's 401 or 403): our configuration is wrong, not this email.
    /// Nothing can be sent until someone fixes the key; the email waits.</summary>
    public sealed record CredentialsRefused(string Reason, int Status) : SendResult;
    /// <summary>Will never succeed as is (invalid address, rejected content).</summary>
    public sealed record Permanent(string Reason) : SendResult;
}
