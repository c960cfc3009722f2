using System.ComponentModel.DataAnnotations;

namespace Summit.Reminders.Infrastructure.ServiceBus;

/// <summary>Settings section "ServiceBus". The queue needs duplicate detection on (see infra/).</summary>
public sealed class ServiceBusQueueOptions : IValidatableObject
{
    public const string Section = "ServiceBus";

    /// <summary>Local runs and tests only; Azure uses <see cref="FullyQualifiedNamespace"/> with an identity.</summary>
    public string? ConnectionString { get; set; }

    /// <summary>{namespace}.servicebus.windows.net, with <see cref="Credential"/> and <see cref="ClientId"/> (no key).</summary>
    public string? FullyQualifiedNamespace { get; set; }

    /// <summary>"managedidentity" in Azure; empty: DefaultAzureCredential.</summary>
    public string? Credential { get; set; }

    /// <summary>The client id of the user-assigned managed identity.</summary>
    public string? ClientId { get; set; }

    [Required]
    public string QueueName { get; set; } = "reminders";

    /// <summary>Messages fetched ahead of the receive calls. 0 keeps locks from ticking away unused.</summary>
    [Range(0, 1000)]
    public int PrefetchCount { get; set; }

    [Range(0, 10)]
    public int MaxRetries { get; set; } = 3;

    public TimeSpan TryTimeout { get; set; } = TimeSpan.FromSeconds(30);

    public IEnumerable<ValidationResult> Validate(ValidationContext validationContext) =>
        AzureConnection.Validate(Section, ConnectionString, nameof(FullyQualifiedNamespace), FullyQualifiedNamespace, Credential);
}
