using System.Collections;
using Amqp;
using Amqp.Framing;
using Amqp.Types;

namespace Summit.TestSupport.ServiceBus;

// The "$management" request/response node. Replies use statusCode / statusDescription (camelCase), unlike $cbs.
public sealed partial class FakeServiceBusBroker
{
    private Message HandleManagement(NodeAddress node, Message request)
    {
        var operation = request.ApplicationProperties?.Map is { } properties ? Lookup(properties, "operation")?.ToString() : null;
        var body = (request.Body as Map) ?? [];
        lock (_gate)
        {
            if (!_accepting)
            {
                return ManagementReply(503, "The broker is stopped.", null, "com.microsoft:server-busy");
            }

            var queue = GetQueueLocked(node.Queue);
            if (queue is null)
            {
                return ManagementReply(404, "Not found", null, "amqp:not-found");
            }

            var entity = node.IsDeadLetter ? queue.DeadLetter : queue.Main;
            return operation switch
            {
                "com.microsoft:renew-lock" => RenewLocksLocked(body),
                "com.microsoft:peek-message" => PeekLocked(entity, body),
                "com.microsoft:schedule-message" => ScheduleLocked(queue, body),
                "com.microsoft:cancel-scheduled-message" => CancelScheduledLocked(queue, body),
                "com.microsoft:update-disposition" => UpdateDispositionLocked(body),
                _ => ManagementReply(501, $"FakeServiceBusBroker does not support '{operation}'.", null, "amqp:not-implemented"),
            };
        }
    }

    private Message RenewLocksLocked(Map body)
    {
        var expirations = new List<DateTime>();
        foreach (var token in AsEnumerable(Lookup(body, "lock-tokens")))
        {
            if (token is not Guid lockToken || !_locks.TryGetValue(lockToken, out var stored))
            {
                return LockLostReply();
            }

            stored.LockedUntil = _time.GetUtcNow() + _options.LockDuration;
            stored.Timer?.Change(_options.LockDuration, Timeout.InfiniteTimeSpan);
            expirations.Add(stored.LockedUntil.UtcDateTime);
        }

        return expirations.Count == 0
            ? ManagementReply(400, "No lock tokens.", null, "amqp:invalid-field")
            : ManagementReply(200, "OK", new Map { ["expirations"] = expirations.ToArray() });
    }

    /// <summary>Settlement by lock token, which the client uses when the receive link no longer knows the delivery.</summary>
    private Message UpdateDispositionLocked(Map body)
    {
        var status = Lookup(body, "disposition-status")?.ToString();
        var stored = new List<StoredMessage>();
        foreach (var token in AsEnumerable(Lookup(body, "lock-tokens")))
        {
            if (token is not Guid lockToken || !_locks.TryGetValue(lockToken, out var message))
            {
                return LockLostReply();
            }

            stored.Add(message);
        }

        var propertiesToModify = Lookup(body, "properties-to-modify") as Map;
        foreach (var message in stored)
        {
            switch (status)
            {
                case "completed":
                    CompleteLocked(message);
                    break;
                case "abandoned":
                    AbandonLocked(message, propertiesToModify);
                    break;
                case "suspended":
                    DeadLetterLocked(
                        message,
                        Lookup(body, "deadletter-reason")?.ToString(),
                        Lookup(body, "deadletter-description")?.ToString(),
                        propertiesToModify);
                    break;
                default:
                    return ManagementReply(501, $"FakeServiceBusBroker does not support disposition '{status}'.", null, "amqp:not-implemented");
            }
        }

        return ManagementReply(200, "OK", new Map());
    }

    private static Message LockLostReply() => ManagementReply(
        410,
        "The lock supplied is invalid. Either the lock expired, or the message has already been removed from the queue.",
        null,
        MessageLockLostCondition);

    private static Message PeekLocked(BrokerEntity entity, Map body)
    {
        var from = Convert.ToInt64(Lookup(body, "from-sequence-number") ?? 0L, System.Globalization.CultureInfo.InvariantCulture);
        var count = Convert.ToInt32(Lookup(body, "message-count") ?? 1, System.Globalization.CultureInfo.InvariantCulture);
        var peeked = entity.Messages
            .Where(m => m.SequenceNumber >= from)
            .OrderBy(m => m.SequenceNumber)
            .Take(count)
            .ToList();
        if (peeked.Count == 0)
        {
            return ManagementReply(204, "No messages.", null);
        }

        var list = new List();
        foreach (var stored in peeked)
        {
            list.Add(new Map { ["message"] = Encode(BuildOutgoing(stored, forPeek: true)) });
        }

        return ManagementReply(200, "OK", new Map { ["messages"] = list });
    }

    private Message ScheduleLocked(BrokerQueue queue, Map body)
    {
        var sequenceNumbers = new List<long>();
        foreach (var entry in AsEnumerable(Lookup(body, "messages")))
        {
            if (Lookup(entry as Map, "message") is byte[] encoded
                && EnqueueLocked(queue, encoded, detectDuplicates: false) is { } sequenceNumber)
            {
                sequenceNumbers.Add(sequenceNumber);
            }
        }

        return sequenceNumbers.Count == 0
            ? ManagementReply(400, "No messages to schedule.", null, "amqp:invalid-field")
            : ManagementReply(200, "OK", new Map { ["sequence-numbers"] = sequenceNumbers.ToArray() });
    }

    private Message CancelScheduledLocked(BrokerQueue queue, Map body)
    {
        foreach (var sequenceNumber in AsEnumerable(Lookup(body, "sequence-numbers")))
        {
            CancelScheduledLocked(queue, Convert.ToInt64(sequenceNumber, System.Globalization.CultureInfo.InvariantCulture));
        }

        return ManagementReply(200, "OK", new Map());
    }

    private static IEnumerable<object?> AsEnumerable(object? value) => value switch
    {
        null => [],
        IEnumerable items and not string and not byte[] => items.Cast<object?>(),
        _ => [value],
    };

    private static Message ManagementReply(int statusCode, string description, Map? body, string? errorCondition = null)
    {
        var reply = new Message(body ?? new Map())
        {
            ApplicationProperties = new ApplicationProperties
            {
                Map = { ["statusCode"] = statusCode, ["statusDescription"] = description },
            },
        };
        if (errorCondition is not null)
        {
            reply.ApplicationProperties.Map["errorCondition"] = new Symbol(errorCondition);
        }

        return reply;
    }
}
