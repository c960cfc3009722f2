using System.ComponentModel.DataAnnotations;

namespace Summit.Reminders.Infrastructure.ServiceBus;

/// <summary>Settings section "ServiceBus". The queue needs duplicate detection on (see infra/).</summary>
public sealed class ServiceBusQueueOptions
{
    public const string Section = "ServiceBus";

    [Required]
    public string? ConnectionString { get; set; }

    [Required]
    public string QueueName { get; set; } = "reminders";

    /// <summary>Messages fetched ahead of the receive calls. 0 keeps locks from ticking away unused.</summary>
    [Range(0, 1000)]
    public int PrefetchCount { get; set; }

    [Range(0, 10)]
    public int MaxRetries { get; set; } = 3;

    public TimeSpan TryTimeout { get; set; } = TimeSpan.FromSeconds(30);
}
