using System.ComponentModel.DataAnnotations;

namespace Summit.Reminders.Infrastructure.StorageQueues;

/// <summary>Settings section "StorageQueue": the reminder queue on Azure Storage Queues (local runs on Azurite).</summary>
public sealed class StorageQueueOptions : IValidatableObject
{
    public const string Section = "StorageQueue";

    /// <summary>A connection string ("UseDevelopmentStorage=true" for Azurite); or <see cref="QueueServiceUri"/> with an identity.</summary>
    public string? ConnectionString { get; set; }

    /// <summary>https://{account}.queue.core.windows.net, with <see cref="Credential"/> and <see cref="ClientId"/> (no key).</summary>
    public string? QueueServiceUri { get; set; }

    /// <summary>"managedidentity" in Azure; empty: DefaultAzureCredential.</summary>
    public string? Credential { get; set; }

    /// <summary>The client id of the user-assigned managed identity.</summary>
    public string? ClientId { get; set; }

    /// <summary>3–63 lowercase letters, digits and hyphens.</summary>
    [Required, RegularExpression("^[a-z0-9](?!.*--)[a-z0-9-]{1,61}[a-z0-9]$")]
    public string QueueName { get; set; } = "reminders";

    /// <summary>Where dead letters go, each wrapped with its reason. Empty = "{QueueName}-poison".</summary>
    [RegularExpression("^$|^[a-z0-9](?!.*--)[a-z0-9-]{1,61}[a-z0-9]$")]
    public string? PoisonQueueName { get; set; }

    /// <summary>How long a received message stays hidden from other receivers (its "lock"). It is not renewed, so it
    /// must cover a whole receive batch: batch size / concurrency × the longest send (SendGrid timeout), with margin.</summary>
    public TimeSpan VisibilityTimeout { get; set; } = TimeSpan.FromMinutes(5);

    /// <summary>A message received more often than this goes to the poison queue instead of being processed again.</summary>
    [Range(1, 100)]
    public int MaxDequeueCount { get; set; } = 10;

    /// <summary>How long one queue request may take before the SDK gives up on it (and retries, up to 3 times).</summary>
    public TimeSpan NetworkTimeout { get; set; } = TimeSpan.FromSeconds(20);

    /// <summary>The longest pause between polls while a receive waits for messages.</summary>
    public TimeSpan PollInterval { get; set; } = TimeSpan.FromSeconds(1);

    public IEnumerable<ValidationResult> Validate(ValidationContext validationContext) =>
        AzureConnection.Validate(Section, ConnectionString, nameof(QueueServiceUri), QueueServiceUri, Credential);

    public string EffectivePoisonQueueName => string.IsNullOrEmpty(PoisonQueueName) ? QueueName + "-poison" : PoisonQueueName;
}
