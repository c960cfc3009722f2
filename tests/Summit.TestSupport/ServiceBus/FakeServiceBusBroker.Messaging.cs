using Amqp;
using Amqp.Framing;
using Amqp.Listener;
using Amqp.Types;

namespace Summit.TestSupport.ServiceBus;

// Queue semantics. Methods named *Locked must be called while holding the gate.
//
// Sends to receivers happen while holding the gate: AMQPNetLite's ListenerLink.SendMessage only queues the
// transfer, and the library calls our endpoints without holding its own locks, so this cannot deadlock, and it
// keeps our credit mirror in step with the link's.
public sealed partial class FakeServiceBusBroker
{
    private const uint BatchMessageFormat = 0x80013700;
    private const string MaxDeliveryCountExceeded = "MaxDeliveryCountExceeded";

    private static readonly Symbol SequenceNumberKey = new("x-opt-sequence-number");
    private static readonly Symbol EnqueueSequenceNumberKey = new("x-opt-enqueue-sequence-number");
    private static readonly Symbol EnqueuedTimeKey = new("x-opt-enqueued-time");
    private static readonly Symbol LockedUntilKey = new("x-opt-locked-until");
    private static readonly Symbol LockTokenKey = new("x-opt-lock-token");
    private static readonly Symbol MessageStateKey = new("x-opt-message-state");
    private static readonly Symbol ScheduledEnqueueTimeKey = new("x-opt-scheduled-enqueue-time");
    private static readonly Symbol DeadLetterCondition = new("com.microsoft:dead-letter");
    private static readonly Symbol MessageLockLostCondition = new("com.microsoft:message-lock-lost");

    private BrokerQueue? GetQueueLocked(string name)
    {
        if (_queues.TryGetValue(name, out var queue))
        {
            return queue;
        }

        if (_options.Queues is not null)
        {
            return null;
        }

        queue = new BrokerQueue(name);
        _queues[name] = queue;
        return queue;
    }

    /// <summary>Stores what a client sent on a sender link (a single message or a batch envelope).</summary>
    /// <returns>False when the broker is stopped.</returns>
    private bool AcceptIncoming(BrokerQueue queue, Message message)
    {
        var items = new List<byte[]>();
        if (message.Format == BatchMessageFormat)
        {
            switch (message.BodySection)
            {
                case DataList list:
                    for (var i = 0; i < list.Count; i++)
                    {
                        items.Add(list[i].Binary);
                    }

                    break;
                case Data data:
                    items.Add(data.Binary);
                    break;
            }
        }
        else
        {
            items.Add(Encode(message));
        }

        lock (_gate)
        {
            if (!_accepting)
            {
                return false;
            }

            foreach (var encoded in items)
            {
                EnqueueLocked(queue, encoded, detectDuplicates: true);
            }
        }

        return true;
    }

    /// <returns>The sequence number, or null when dropped as a duplicate.</returns>
    private long? EnqueueLocked(BrokerQueue queue, byte[] encoded, bool detectDuplicates)
    {
        var decoded = Decode(encoded);
        var now = _time.GetUtcNow();
        var messageId = decoded.Properties?.GetMessageId()?.ToString();
        if (detectDuplicates && messageId is not null && _options.DuplicateDetectionWindow > TimeSpan.Zero)
        {
            foreach (var expired in queue.RecentMessageIds.Where(e => e.Value + _options.DuplicateDetectionWindow <= now).ToList())
            {
                queue.RecentMessageIds.Remove(expired.Key);
            }

            if (queue.RecentMessageIds.ContainsKey(messageId))
            {
                queue.DuplicatesDropped++;
                return null;
            }

            queue.RecentMessageIds[messageId] = now;
        }

        var stored = new StoredMessage
        {
            SequenceNumber = ++queue.LastSequenceNumber,
            Queue = queue,
            Entity = queue.Main,
            Encoded = encoded,
            MessageId = messageId,
            EnqueuedTime = now,
        };
        queue.Main.Messages.Add(stored);

        if (decoded.MessageAnnotations?.Map is { } annotations
            && annotations.TryGetValue(ScheduledEnqueueTimeKey, out var scheduled)
            && scheduled is DateTime scheduledUtc
            && new DateTimeOffset(DateTime.SpecifyKind(scheduledUtc, DateTimeKind.Utc)) is var due
            && due > now)
        {
            stored.ScheduledUntil = due;
            stored.Timer = _time.CreateTimer(_ => OnScheduledMessageDue(stored), null, due - now, Timeout.InfiniteTimeSpan);
        }
        else
        {
            DispatchLocked(queue.Main);
        }

        return stored.SequenceNumber;
    }

    private void OnScheduledMessageDue(StoredMessage stored)
    {
        lock (_gate)
        {
            if (stored.ScheduledUntil is null || !stored.Entity.Messages.Contains(stored))
            {
                return;
            }

            stored.StopTimer();
            stored.ScheduledUntil = null;
            stored.EnqueuedTime = _time.GetUtcNow();
            DispatchLocked(stored.Entity);
        }
    }

    private bool CancelScheduledLocked(BrokerQueue queue, long sequenceNumber)
    {
        var stored = queue.Main.Messages.Find(m => m.SequenceNumber == sequenceNumber && m.ScheduledUntil is not null);
        if (stored is null)
        {
            return false;
        }

        stored.StopTimer();
        queue.Main.Messages.Remove(stored);
        return true;
    }

    /// <summary>Hands available messages to receivers that have credit, round-robin.</summary>
    /// <param name="drainingConsumer">A consumer whose drain request is being served; others that are draining are skipped.</param>
    private void DispatchLocked(BrokerEntity entity, Consumer? drainingConsumer = null)
    {
        if (!_accepting)
        {
            return;
        }

        for (var i = 0; i < entity.Messages.Count; i++)
        {
            var stored = entity.Messages[i];
            if (!stored.IsAvailable)
            {
                continue;
            }

            var consumer = NextConsumerLocked(entity, drainingConsumer);
            if (consumer is null)
            {
                return;
            }

            if (!TryDeliverLocked(consumer, stored))
            {
                i--; // the link failed; offer the same message to another receiver
                continue;
            }

            if (consumer.ReceiveAndDelete)
            {
                entity.Messages.RemoveAt(i);
                i--;
            }
        }
    }

    private static Consumer? NextConsumerLocked(BrokerEntity entity, Consumer? drainingConsumer)
    {
        var consumers = entity.Consumers;
        for (var n = 0; n < consumers.Count; n++)
        {
            var index = (entity.NextConsumer + n) % consumers.Count;
            var consumer = consumers[index];
            if (consumer.Closed || consumer.Credit <= 0 || consumer.Link.IsClosed)
            {
                continue;
            }

            if (consumer.Link.IsDraining && consumer != drainingConsumer)
            {
                continue;
            }

            entity.NextConsumer = (index + 1) % consumers.Count;
            return consumer;
        }

        return null;
    }

    private bool TryDeliverLocked(Consumer consumer, StoredMessage stored)
    {
        stored.DeliveryCount++;
        if (!consumer.ReceiveAndDelete)
        {
            var token = Guid.NewGuid();
            stored.LockToken = token;
            stored.LockedUntil = _time.GetUtcNow() + _options.LockDuration;
            stored.LockedBy = consumer;
            _locks[token] = stored;
            stored.Timer = _time.CreateTimer(_ => OnLockExpired(stored, token), null, _options.LockDuration, Timeout.InfiniteTimeSpan);
        }

        try
        {
            consumer.Link.SendMessage(BuildOutgoing(stored, forPeek: false));
            consumer.Credit--;
            return true;
        }
        catch (Exception)
        {
            Unlock(stored);
            stored.DeliveryCount--;
            consumer.Closed = true;
            return false;
        }
    }

    /// <summary>The message as a receiver sees it: the stored message plus broker annotations and header.</summary>
    private static Message BuildOutgoing(StoredMessage stored, bool forPeek)
    {
        var message = stored.Decode();
        message.Header ??= new Header();

        // The header carries earlier deliveries; the client adds one for received (not peeked) messages.
        message.Header.DeliveryCount = (uint)Math.Max(0, forPeek ? stored.DeliveryCount : stored.DeliveryCount - 1);
        message.MessageAnnotations ??= new MessageAnnotations();
        var annotations = message.MessageAnnotations.Map;
        annotations[SequenceNumberKey] = stored.SequenceNumber;
        annotations[EnqueueSequenceNumberKey] = stored.SequenceNumber;
        annotations[EnqueuedTimeKey] = stored.EnqueuedTime.UtcDateTime;
        annotations[MessageStateKey] = stored.ScheduledUntil is null ? 0 : 2;
        annotations.Remove(LockTokenKey);
        annotations.Remove(LockedUntilKey);
        if (stored.LockToken is { } token && !forPeek)
        {
            annotations[LockedUntilKey] = stored.LockedUntil.UtcDateTime;
            annotations[LockTokenKey] = token;
        }

        return message;
    }

    private void OnLockExpired(StoredMessage stored, Guid token)
    {
        lock (_gate)
        {
            if (stored.LockToken != token)
            {
                return;
            }

            Unlock(stored);
            ReturnAfterFailedDeliveryLocked(stored);
        }
    }

    private void Unlock(StoredMessage stored)
    {
        if (stored.LockToken is { } token)
        {
            _locks.Remove(token);
        }

        stored.LockToken = null;
        stored.LockedBy = null;
        stored.StopTimer();
    }

    /// <summary>After an abandon or lock expiry: back to the queue, or to the dead-letter queue when out of attempts.</summary>
    private void ReturnAfterFailedDeliveryLocked(StoredMessage stored)
    {
        if (!stored.Entity.IsDeadLetter && stored.DeliveryCount >= _options.MaxDeliveryCount)
        {
            MoveToDeadLetterLocked(
                stored,
                MaxDeliveryCountExceeded,
                $"Message could not be consumed after {_options.MaxDeliveryCount} delivery attempts.",
                propertiesToModify: null);
        }
        else
        {
            DispatchLocked(stored.Entity);
        }
    }

    private void MoveToDeadLetterLocked(StoredMessage stored, string? reason, string? description, Map? propertiesToModify)
    {
        var message = stored.Decode();
        message.ApplicationProperties ??= new ApplicationProperties();
        ApplyModifications(message, propertiesToModify);
        if (reason is not null)
        {
            message.ApplicationProperties.Map["DeadLetterReason"] = reason;
        }

        if (description is not null)
        {
            message.ApplicationProperties.Map["DeadLetterErrorDescription"] = description;
        }

        stored.Encoded = Encode(message);
        stored.DeadLetterReason = reason;
        stored.DeadLetterErrorDescription = description;
        stored.Entity.Messages.Remove(stored);
        stored.Entity = stored.Queue.DeadLetter;
        stored.Entity.Messages.Add(stored);
        DispatchLocked(stored.Entity);
    }

    private static void ApplyModifications(Message message, Map? propertiesToModify)
    {
        if (propertiesToModify is null || propertiesToModify.Count == 0)
        {
            return;
        }

        message.ApplicationProperties ??= new ApplicationProperties();
        foreach (var entry in propertiesToModify)
        {
            message.ApplicationProperties.Map[entry.Key.ToString()] = entry.Value;
        }
    }

    private void OnConsumerFlow(Consumer consumer, FlowContext flow)
    {
        lock (_gate)
        {
            // Mirror ListenerLink.OnFlow: a flow that does not raise the delivery limit leaves it with no credit.
            consumer.Credit = flow.Messages > 0 ? consumer.Credit + flow.Messages : 0;
            var link = consumer.Link;
            if (link.IsDraining)
            {
                DispatchLocked(consumer.Entity, consumer);

                // The client's receiver sends drain when it closes (and after receives); it waits for a flow with
                // zero credit. Without this answer the client's close waits for its 10 s timeout.
                consumer.Credit = 0;
                link.CompleteDrain();
            }
            else
            {
                DispatchLocked(consumer.Entity);
            }
        }
    }

    private void OnConsumerDisposition(Consumer consumer, DispositionContext context)
    {
        var message = context.Message;
        var state = context.DeliveryState;
        var tag = message.DeliveryTag;
        var token = tag is { Length: 16 } ? new Guid(tag) : Guid.Empty;
        lock (_gate)
        {
            if (!_locks.TryGetValue(token, out var stored) || stored.LockedBy != consumer)
            {
                if (state is not Released)
                {
                    consumer.Link.DisposeMessage(message, LockLost(), true);
                }

                return;
            }

            switch (state)
            {
                case Accepted:
                    CompleteLocked(stored);
                    consumer.Link.DisposeMessage(message, new Accepted(), true);
                    break;

                case Rejected rejected:
                    var info = rejected.Error?.Info;
                    DeadLetterLocked(stored, TakeInfo(info, "DeadLetterReason"), TakeInfo(info, "DeadLetterErrorDescription"), info);

                    // Answering Rejected would make the client report the dead-letter call as failed.
                    consumer.Link.DisposeMessage(message, new Accepted(), true);
                    break;

                case Modified { UndeliverableHere: true }:
                    consumer.Link.DisposeMessage(message, new Rejected { Error = DeferNotSupported() }, true);
                    break;

                case Modified modified:
                    consumer.Link.DisposeMessage(message, modified, true);
                    AbandonLocked(stored, modified.MessageAnnotations);
                    break;

                case Released:
                    // Prefetched but unused (the client closed the link): not a real delivery attempt.
                    Unlock(stored);
                    stored.DeliveryCount--;
                    DispatchLocked(stored.Entity);
                    break;
            }
        }
    }

    private void CompleteLocked(StoredMessage stored)
    {
        Unlock(stored);
        stored.Entity.Messages.Remove(stored);
    }

    private void AbandonLocked(StoredMessage stored, Map? propertiesToModify)
    {
        Unlock(stored);
        if (propertiesToModify is { Count: > 0 })
        {
            var decoded = stored.Decode();
            ApplyModifications(decoded, propertiesToModify);
            stored.Encoded = Encode(decoded);
        }

        ReturnAfterFailedDeliveryLocked(stored);
    }

    private void DeadLetterLocked(StoredMessage stored, string? reason, string? description, Map? propertiesToModify)
    {
        Unlock(stored);
        MoveToDeadLetterLocked(stored, reason, description, propertiesToModify);
    }

    private static Error DeferNotSupported() =>
        new(ErrorCode.NotImplemented) { Description = "FakeServiceBusBroker does not support deferring messages." };

    private static string? TakeInfo(Fields? info, string key)
    {
        if (info is null)
        {
            return null;
        }

        foreach (var entry in info.ToList())
        {
            if (entry.Key.ToString() == key)
            {
                info.Remove(entry.Key);
                return entry.Value?.ToString();
            }
        }

        return null;
    }

    private static Rejected LockLost() => new()
    {
        Error = new Error(MessageLockLostCondition)
        {
            Description = "The lock supplied is invalid. Either the lock expired, or the message has already been removed from the queue.",
        },
    };

    private void AddConsumer(Consumer consumer)
    {
        lock (_gate)
        {
            consumer.Entity.Consumers.Add(consumer);
        }
    }

    private void RemoveConsumer(Consumer consumer)
    {
        lock (_gate)
        {
            consumer.Closed = true;
            consumer.Entity.Consumers.Remove(consumer);
        }
    }
}
