using System.ComponentModel.DataAnnotations;

namespace Summit.Reminders.Infrastructure.SendGrid;

/// <summary>Settings section "SendGrid" (the sender address is in section "Email").</summary>
public sealed class SendGridOptions : IValidatableObject
{
    public const string Section = "SendGrid";

    /// <summary>The API key (a Key Vault reference in Azure; never in the repository).</summary>
    [Required]
    public string? ApiKey { get; set; }

    /// <summary>Another API host, for tests and local recording endpoints. Empty = https://api.sendgrid.com.</summary>
    public string? Host { get; set; }

    /// <summary>A request that takes longer is abandoned and retried later (it may have been accepted: see docs/reliability.md).</summary>
    public TimeSpan Timeout { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>SendGrid's open tracking (a pixel in the HTML). Off: participants are not tracked unless ops decide so.</summary>
    public bool OpenTracking { get; set; }

    /// <summary>SendGrid's own unsubscribe footer. Off: every email already carries our signed unsubscribe link and the
    /// RFC 8058 one-click header.</summary>
    public bool SubscriptionTracking { get; set; }

    /// <summary>Dynamic template ids (d-...) by email kind: reminder, invitation, update, cancellation, removal, escalation
    /// (settings SendGrid__DynamicTemplates__reminder and so on). Used for meetings that ask for them
    /// (useSendGridTemplates); a kind without an id is sent with the built-in template.</summary>
    public Dictionary<string, string> DynamicTemplates { get; set; } = new(StringComparer.OrdinalIgnoreCase);

    public static readonly IReadOnlyList<string> TemplateKinds = ["reminder", "invitation", "update", "cancellation", "removal", "escalation", "undeliverable"];

    public IEnumerable<ValidationResult> Validate(ValidationContext validationContext)
    {
        if (Participation.LinkOptions.IsUnresolvedReference(ApiKey))
            yield return new ValidationResult("SendGrid:ApiKey is a Key Vault reference that was not resolved: set the secret sendgrid-api-key (docs/deploy.md).");
        foreach (var (kind, id) in DynamicTemplates)
        {
            if (!TemplateKinds.Contains(kind, StringComparer.OrdinalIgnoreCase))
                yield return new ValidationResult($"SendGrid:DynamicTemplates:{kind} is not an email kind ({string.Join(", ", TemplateKinds)}).");
            else if (!string.IsNullOrEmpty(id) && !id.StartsWith("d-", StringComparison.Ordinal))
                yield return new ValidationResult($"SendGrid:DynamicTemplates:{kind} must be a dynamic template id (d-...).");
        }
    }
}
