namespace Summit.TestSupport.ServiceBus;

/// <summary>Settings of a <see cref="FakeServiceBusBroker"/>; every queue shares them.</summary>
public sealed class FakeServiceBusBrokerOptions
{
    /// <summary>
    /// Clock used for lock expiry, scheduled enqueue, the duplicate-detection window and enqueued times.
    /// Pass a <c>FakeTimeProvider</c> to drive these deterministically (its timers fire on <c>Advance</c>).
    /// </summary>
    /// <remarks>
    /// Start a fake clock near the real time (e.g. <c>new FakeTimeProvider(DateTimeOffset.UtcNow)</c>):
    /// <c>ServiceBusProcessor</c> compares <c>LockedUntil</c> with the real clock, and throws when the lock ends more
    /// than ~49 days from now, or renews locks in a tight loop when it ended in the past. AMQP timestamps carry
    /// milliseconds only, so round the start time if tests compare times exactly.
    /// </remarks>
    public TimeProvider TimeProvider { get; init; } = TimeProvider.System;

    /// <summary>How long a peek-lock receive holds a message before it becomes available again.</summary>
    public TimeSpan LockDuration { get; init; } = TimeSpan.FromSeconds(60);

    /// <summary>
    /// Number of deliveries after which an abandoned (or lock-expired) message moves to the dead-letter queue
    /// with reason <c>MaxDeliveryCountExceeded</c>.
    /// </summary>
    public int MaxDeliveryCount { get; init; } = 10;

    /// <summary>
    /// Window within which a second message with the same MessageId is accepted but dropped.
    /// <see cref="TimeSpan.Zero"/> disables duplicate detection.
    /// </summary>
    public TimeSpan DuplicateDetectionWindow { get; init; } = TimeSpan.FromMinutes(10);

    /// <summary>
    /// The queues that exist. <c>null</c> (the default) creates any queue on first use; otherwise links to other
    /// names are refused with <c>amqp:not-found</c>, which the client reports as <c>MessagingEntityNotFound</c>.
    /// </summary>
    public IReadOnlyCollection<string>? Queues { get; init; }
}
