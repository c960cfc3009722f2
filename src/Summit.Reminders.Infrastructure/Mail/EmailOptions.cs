using System.ComponentModel.DataAnnotations;

namespace Summit.Reminders.Infrastructure.Mail;

/// <summary>How reminder emails leave the app.</summary>
public enum EmailTransport
{
    /// <summary>SendGrid v3 mail send (section "SendGrid"); the production transport.</summary>
    SendGrid,

    /// <summary>Each email is written as an .eml file into <see cref="EmailOptions.PickupFolder"/>; for local runs.</summary>
    PickupFolder,
}

/// <summary>Settings section "Email": the sender address and the transport, whatever the transport is.</summary>
public sealed class EmailOptions
{
    public const string Section = "Email";

    /// <summary>Empty means: SendGrid when an API key is set, otherwise the pickup folder in a Development
    /// environment (and a start-up error anywhere else, so production never writes mail to a disk by accident).</summary>
    public EmailTransport? Transport { get; set; }

    [Required, EmailAddress]
    public string FromEmail { get; set; } = "";

    public string FromName { get; set; } = "Summit follow-up reminders";

    /// <summary>Where the pickup-folder transport writes; relative paths are relative to the working directory.</summary>
    public string PickupFolder { get; set; } = ".local/outbox";
}
