namespace Summit.TestSupport.ServiceBus;

/// <summary>A copy of one message as the broker holds it, for assertions in tests.</summary>
/// <param name="MessageId">The AMQP message-id (ServiceBusMessage.MessageId), as a string.</param>
/// <param name="SequenceNumber">Sequence number assigned by the broker (per queue, from 1).</param>
/// <param name="DeliveryCount">How many times the message has been delivered to a receiver so far.</param>
/// <param name="EnqueuedTime">When the broker accepted the message (per the broker's TimeProvider).</param>
/// <param name="ScheduledEnqueueTime">Set only while the message is scheduled and not yet visible to receivers.</param>
/// <param name="IsLocked">True while a peek-lock receiver holds the message.</param>
/// <param name="Subject">ServiceBusMessage.Subject (AMQP subject).</param>
/// <param name="ContentType">ServiceBusMessage.ContentType.</param>
/// <param name="CorrelationId">ServiceBusMessage.CorrelationId, as a string.</param>
/// <param name="DeadLetterReason">Dead-letter reason, for dead-lettered messages.</param>
/// <param name="DeadLetterErrorDescription">Dead-letter description, for dead-lettered messages.</param>
/// <param name="ApplicationProperties">Application properties as decoded by AMQPNetLite (strings, numbers, DateTime, Guid, ...).</param>
/// <param name="Body">The body bytes (data sections concatenated; a binary or string AMQP value is converted).</param>
public sealed record BrokerMessageSnapshot(
    string? MessageId,
    long SequenceNumber,
    int DeliveryCount,
    DateTimeOffset EnqueuedTime,
    DateTimeOffset? ScheduledEnqueueTime,
    bool IsLocked,
    string? Subject,
    string? ContentType,
    string? CorrelationId,
    string? DeadLetterReason,
    string? DeadLetterErrorDescription,
    IReadOnlyDictionary<string, object?> ApplicationProperties,
    byte[] Body);
