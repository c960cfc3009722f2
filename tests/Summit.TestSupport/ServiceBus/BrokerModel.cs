using Amqp;
using Amqp.Listener;

namespace Summit.TestSupport.ServiceBus;

// Broker state. Every member is guarded by FakeServiceBusBroker's gate lock.

internal sealed class BrokerQueue(string name)
{
    public string Name { get; } = name;
    public BrokerEntity Main { get; } = new(name, isDeadLetter: false);
    public BrokerEntity DeadLetter { get; } = new(name, isDeadLetter: true);
    public long LastSequenceNumber { get; set; }
    public Dictionary<string, DateTimeOffset> RecentMessageIds { get; } = new(StringComparer.Ordinal);
    public int DuplicatesDropped { get; set; }
}

internal sealed class BrokerEntity(string queueName, bool isDeadLetter)
{
    public string QueueName { get; } = queueName;
    public bool IsDeadLetter { get; } = isDeadLetter;

    /// <summary>Messages in arrival order (sequence order for the main queue), including locked and scheduled ones.</summary>
    public List<StoredMessage> Messages { get; } = [];
    public List<Consumer> Consumers { get; } = [];
    public int NextConsumer { get; set; }
}

internal sealed class StoredMessage
{
    public required long SequenceNumber { get; init; }
    public required BrokerQueue Queue { get; init; }

    /// <summary>The main queue or its dead-letter sub-queue, whichever currently holds the message.</summary>
    public required BrokerEntity Entity { get; set; }

    /// <summary>The AMQP encoding of the message as sent, plus broker edits (dead-letter properties, modified properties).</summary>
    public required byte[] Encoded { get; set; }
    public string? MessageId { get; init; }
    public DateTimeOffset EnqueuedTime { get; set; }
    public DateTimeOffset? ScheduledUntil { get; set; }
    public int DeliveryCount { get; set; }
    public Guid? LockToken { get; set; }
    public DateTimeOffset LockedUntil { get; set; }
    public Consumer? LockedBy { get; set; }

    /// <summary>Lock-expiry timer while locked, activation timer while scheduled.</summary>
    public ITimer? Timer { get; set; }
    public string? DeadLetterReason { get; set; }
    public string? DeadLetterErrorDescription { get; set; }

    public bool IsAvailable => LockToken is null && ScheduledUntil is null;

    public Message Decode() => Message.Decode(new ByteBuffer(Encoded, 0, Encoded.Length, Encoded.Length));

    public void StopTimer()
    {
        Timer?.Dispose();
        Timer = null;
    }
}

internal sealed class Consumer(ListenerLink link, BrokerEntity entity, bool receiveAndDelete)
{
    public ListenerLink Link { get; } = link;
    public BrokerEntity Entity { get; } = entity;
    public bool ReceiveAndDelete { get; } = receiveAndDelete;

    /// <summary>Our mirror of the link credit (AMQPNetLite does not expose it).</summary>
    public int Credit { get; set; }
    public bool Closed { get; set; }
}
