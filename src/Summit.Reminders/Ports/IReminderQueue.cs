using System.Diagnostics;
using Summit.Reminders.Delivery;

namespace Summit.Reminders.Ports;

/// <summary>The queue between the scheduler and delivery (Service Bus in production). At-least-once.</summary>
public interface IReminderQueue
{
    /// <summary>Publishes messages; a message whose <see cref="ReminderMessage.NotBefore"/> is in the future stays invisible until then.
    /// Publishing the same reminder again within the duplicate window is harmless.</summary>
    Task PublishAsync(IReadOnlyList<ReminderMessage> messages, CancellationToken cancellationToken);

    Task<IReadOnlyList<IReceivedReminder>> ReceiveAsync(int maxMessages, TimeSpan maxWait, CancellationToken cancellationToken);

    /// <summary>How many messages wait on the queue, as cheaply as the transport can say (one call, no receive); for the
    /// <c>summit.queue.waiting</c> gauge. Each transport says in its own words what it counts.</summary>
    Task<long> CountWaitingAsync(CancellationToken cancellationToken);
}

public interface IReceivedReminder
{
    /// <summary>The transport's id of this message (for logs).</summary>
    string MessageId { get; }

    /// <summary>The reminder, or null when the body is not one of ours (then <see cref="ParseError"/> says why).</summary>
    ReminderMessage? Reminder { get; }

    string? ParseError { get; }

    int DeliveryCount { get; }

    /// <summary>The W3C trace context of the span that published this message (its <c>traceparent</c>/<c>tracestate</c>),
    /// or null when it carried none: the delivery span links back to it.</summary>
    ActivityContext? PublishedFrom { get; }

    Task CompleteAsync(CancellationToken cancellationToken);

    /// <summary>Hands the message back to be delivered again at <paramref name="notBefore"/> as <paramref name="next"/>,
    /// without spending one of the transport's delivery attempts.</summary>
    Task RetryLaterAsync(ReminderMessage next, DateTimeOffset notBefore, CancellationToken cancellationToken);

    /// <summary>Makes the message available again at once (spends a delivery attempt). For unexpected errors.</summary>
    Task AbandonAsync(CancellationToken cancellationToken);

    Task DeadLetterAsync(string reason, string description, CancellationToken cancellationToken);
}
