using System.ComponentModel.DataAnnotations;

namespace Summit.Reminders.Infrastructure.Tables;

/// <summary>Settings section "Storage" (Azure Table Storage; Azurite locally).</summary>
public sealed class StorageOptions : IValidatableObject
{
    public const string Section = "Storage";

    /// <summary>A connection string ("UseDevelopmentStorage=true" for Azurite). Local runs only; Azure uses <see cref="TableServiceUri"/>.</summary>
    public string? ConnectionString { get; set; }

    /// <summary>https://{account}.table.core.windows.net, with <see cref="Credential"/> and <see cref="ClientId"/> (no key).</summary>
    public string? TableServiceUri { get; set; }

    /// <summary>"managedidentity" in Azure; empty: DefaultAzureCredential.</summary>
    public string? Credential { get; set; }

    /// <summary>The client id of the user-assigned managed identity.</summary>
    public string? ClientId { get; set; }

    /// <summary>Prefix of every table name, so several environments (or test runs) can share an account.</summary>
    [RegularExpression("^[A-Za-z][A-Za-z0-9]{0,30}$")]
    public string TablePrefix { get; set; } = "summit";

    /// <summary>Partitions per hour of the due index. More shards spread registration bursts; each costs one query per tick.</summary>
    [Range(1, 64)]
    public int DueIndexShards { get; set; } = 8;

    /// <summary>The watermark stays this far behind now, so an entry written by a slightly slow or skewed writer is never passed over.</summary>
    public TimeSpan WatermarkSafetyMargin { get; set; } = TimeSpan.FromMinutes(5);

    /// <summary>How long one storage request may take before the SDK gives up on it (and retries, up to 3 times).</summary>
    public TimeSpan NetworkTimeout { get; set; } = TimeSpan.FromSeconds(20);

    /// <summary>How many due entries one tick reads at most (catching up after downtime continues on the next tick).</summary>
    [Range(1, 1_000_000)]
    public int MaxEntriesPerTick { get; set; } = 10_000;

    public IEnumerable<ValidationResult> Validate(ValidationContext validationContext) =>
        AzureConnection.Validate(Section, ConnectionString, nameof(TableServiceUri), TableServiceUri, Credential);
}
