using System.ComponentModel.DataAnnotations;

namespace Summit.Reminders.Infrastructure.SendGrid;

/// <summary>Settings section "SendGrid" (the sender address is in section "Email").</summary>
public sealed class SendGridOptions
{
    public const string Section = "SendGrid";

    /// <summary>The API key (a Key Vault reference in Azure; never in the repository).</summary>
    [Required]
    public string? ApiKey { get; set; }

    /// <summary>Another API host, for tests and local recording endpoints. Empty = https://api.sendgrid.com.</summary>
    public string? Host { get; set; }

    /// <summary>A request that takes longer is abandoned and retried later (it may have been accepted: see docs/reliability.md).</summary>
    public TimeSpan Timeout { get; set; } = TimeSpan.FromSeconds(30);
}
