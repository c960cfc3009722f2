using Summit.Reminders.Infrastructure.Queues;
using System.Diagnostics;
using Azure.Messaging.ServiceBus;
using Microsoft.Extensions.Options;
using Summit.Reminders.Delivery;
using Summit.Reminders.Ports;
using Summit.Reminders.Telemetry;

namespace Summit.Reminders.Infrastructure.ServiceBus;

/// <summary>
/// The reminder queue on Azure Service Bus, with the plain client (no Functions binding). MessageId is the reminder
/// id, so the queue's duplicate detection drops a second publish of the same reminder. A retry is a new, scheduled
/// copy (never an abandon), so waiting for SendGrid does not spend the queue's delivery attempts.
/// </summary>
public sealed class ServiceBusReminderQueue : IReminderQueue, IDeadLetterQueue, IDependencyProbe, IAsyncDisposable
{
    private readonly ServiceBusClient _client;
    private readonly ServiceBusSender _sender;
    private readonly ServiceBusReceiver _receiver;
    private readonly ServiceBusReceiver _deadLetters;
    private readonly TimeProvider _time;

    public ServiceBusReminderQueue(IOptions<ServiceBusQueueOptions> options, TimeProvider time)
    {
        var o = options.Value;
        _time = time;
        var clientOptions = new ServiceBusClientOptions
        {
            RetryOptions = new ServiceBusRetryOptions
            {
                Mode = ServiceBusRetryMode.Exponential,
                MaxRetries = o.MaxRetries,
                Delay = TimeSpan.FromMilliseconds(500),
                MaxDelay = TimeSpan.FromSeconds(10),
                TryTimeout = o.TryTimeout,
            },
        };
        _client = string.IsNullOrWhiteSpace(o.ConnectionString)
            ? new ServiceBusClient(o.FullyQualifiedNamespace, AzureConnection.Credential(o.Credential, o.ClientId), clientOptions)
            : new ServiceBusClient(o.ConnectionString, clientOptions);
        _sender = _client.CreateSender(o.QueueName);
        _receiver = _client.CreateReceiver(o.QueueName, new ServiceBusReceiverOptions
        {
            ReceiveMode = ServiceBusReceiveMode.PeekLock,
            PrefetchCount = o.PrefetchCount,
        });
        _deadLetters = _client.CreateReceiver(o.QueueName, new ServiceBusReceiverOptions
        {
            ReceiveMode = ServiceBusReceiveMode.PeekLock,
            SubQueue = SubQueue.DeadLetter,
        });
    }

    private const string DeadLetteredAtProperty = "deadLetteredAt";

    public Task<IReadOnlyList<DeadLetter>> ListAsync(int max, CancellationToken cancellationToken) => RunAsync<IReadOnlyList<DeadLetter>>(async () =>
    {
        var result = new List<DeadLetter>();
        long from = 0;
        while (result.Count < max)
        {
            // From an explicit sequence number each time: the receiver's own peek cursor is shared by every caller.
            var page = await _deadLetters.PeekMessagesAsync(Math.Min(250, max - result.Count), from, cancellationToken);
            if (page.Count == 0) break;
            result.AddRange(page.Select(ToDeadLetter));
            from = page[^1].SequenceNumber + 1;
        }
        return result;
    });

    public Task<DeadLetter?> FindAsync(string id, CancellationToken cancellationToken) => RunAsync<DeadLetter?>(async () =>
    {
        if (!long.TryParse(id, System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var sequence)) return null;
        var message = await _deadLetters.PeekMessageAsync(sequence, cancellationToken);
        return message is not null && message.SequenceNumber == sequence ? ToDeadLetter(message) : null;
    });

    public Task<bool> ReplayAsync(string id, ReminderMessage replacement, CancellationToken cancellationToken) => RunAsync(async () =>
    {
        if (!long.TryParse(id, System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var sequence)) return false;
        var replayed = false;
        await TakeDeadLettersAsync(async message =>
        {
            if (message.SequenceNumber != sequence) return (false, false);
            await _sender.SendMessageAsync(ToServiceBus(replacement, null), cancellationToken);
            await _deadLetters.CompleteMessageAsync(message, cancellationToken);
            replayed = true;
            return (true, true);
        }, cancellationToken);
        return replayed;
    });

    public Task<int> PurgeAsync(Func<ReminderMessage, bool> match, CancellationToken cancellationToken) => RunAsync(async () =>
    {
        bool Matches(ServiceBusReceivedMessage m) => ReminderMessageSerializer.TryParse(m.Body).Message is { } reminder && match(reminder);
        // Peeking first: an erasure with nothing dead-lettered (the usual case) costs one peek, not a receive that waits.
        var doomed = new HashSet<long>();
        for (long from = 0; doomed.Count < MaxDeadLettersScanned;)
        {
            var page = await _deadLetters.PeekMessagesAsync(250, from, cancellationToken);
            if (page.Count == 0) break;
            foreach (var m in page.Where(Matches)) doomed.Add(m.SequenceNumber);
            from = page[^1].SequenceNumber + 1;
        }
        if (doomed.Count == 0) return 0;
        var purged = 0;
        await TakeDeadLettersAsync(async message =>
        {
            if (!doomed.Remove(message.SequenceNumber)) return (false, false);
            await _deadLetters.CompleteMessageAsync(message, cancellationToken);
            purged++;
            return (true, doomed.Count == 0);
        }, cancellationToken);
        return purged;
    });

    /// <summary>The dead-letter queue can only be taken from in order: locks batch after batch, offering each message to
    /// <paramref name="take"/> (which completes the ones it takes) and holding the others (so the next receive moves on
    /// instead of getting them back) until <paramref name="take"/> says stop or the queue ends; then hands them all back.</summary>
    private async Task TakeDeadLettersAsync(Func<ServiceBusReceivedMessage, Task<(bool Taken, bool Stop)>> take, CancellationToken cancellationToken)
    {
        var held = new List<ServiceBusReceivedMessage>();
        try
        {
            for (var looked = 0; looked < MaxDeadLettersScanned;)
            {
                var batch = await _deadLetters.ReceiveMessagesAsync(100, TimeSpan.FromSeconds(1), cancellationToken);
                if (batch.Count == 0) return;
                looked += batch.Count;
                for (var i = 0; i < batch.Count; i++)
                {
                    var (taken, stop) = await take(batch[i]);
                    if (!taken) held.Add(batch[i]);
                    if (stop)
                    {
                        held.AddRange(batch.Skip(i + 1));
                        return;
                    }
                }
            }
        }
        finally
        {
            foreach (var message in held)
            {
                try { await _deadLetters.AbandonMessageAsync(message, cancellationToken: CancellationToken.None); }
                catch (ServiceBusException) { /* its lock runs out on its own */ }
            }
        }
    }

    /// <summary>How deep a replay or a purge looks into the dead-letter queue.</summary>
    private const int MaxDeadLettersScanned = 5_000;

    private static DeadLetter ToDeadLetter(ServiceBusReceivedMessage message)
    {
        var (reminder, error) = ReminderMessageSerializer.TryParse(message.Body);
        var at = message.ApplicationProperties.TryGetValue(DeadLetteredAtProperty, out var value) && value is DateTimeOffset stamp ? stamp
            : message.ApplicationProperties.TryGetValue(DeadLetteredAtProperty, out value) && value is DateTime time ? new DateTimeOffset(time, TimeSpan.Zero)
            : (DateTimeOffset?)null;
        return new DeadLetter(message.SequenceNumber.ToString(System.Globalization.CultureInfo.InvariantCulture),
            message.DeadLetterReason ?? "unknown", message.DeadLetterErrorDescription, at, message.DeliveryCount, reminder, error);
    }

    private async Task<T> RunAsync<T>(Func<Task<T>> call)
    {
        try
        {
            return await call();
        }
        catch (ServiceBusException ex) when (ex.IsTransient || ex.Reason == ServiceBusFailureReason.ServiceCommunicationProblem)
        {
            throw new DependencyUnavailableException("Service Bus", ex);
        }
    }

    public async Task PublishAsync(IReadOnlyList<ReminderMessage> messages, CancellationToken cancellationToken)
    {
        try
        {
            var pending = new Queue<ReminderMessage>(messages);
            while (pending.Count > 0)
            {
                using var batch = await _sender.CreateMessageBatchAsync(cancellationToken);
                while (pending.Count > 0 && batch.TryAddMessage(ToServiceBus(pending.Peek(), pending.Peek().NotBefore))) pending.Dequeue();
                if (batch.Count == 0) throw new InvalidOperationException("A reminder message is larger than the queue allows.");
                await _sender.SendMessagesAsync(batch, cancellationToken);
            }
        }
        catch (ServiceBusException ex) when (ex.IsTransient || ex.Reason == ServiceBusFailureReason.ServiceCommunicationProblem)
        {
            throw new DependencyUnavailableException("Service Bus", ex);
        }
    }

    public async Task<IReadOnlyList<IReceivedReminder>> ReceiveAsync(int maxMessages, TimeSpan maxWait, CancellationToken cancellationToken)
    {
        try
        {
            var received = await _receiver.ReceiveMessagesAsync(maxMessages, maxWait, cancellationToken);
            return received.Select(m => (IReceivedReminder)new Received(this, m)).ToList();
        }
        catch (ServiceBusException ex) when (ex.IsTransient || ex.Reason == ServiceBusFailureReason.ServiceCommunicationProblem)
        {
            throw new DependencyUnavailableException("Service Bus", ex);
        }
    }

    /// <summary>The queue's active messages (one management read): those a receive could take now. Scheduled messages
    /// (published ahead of their moment, retries waiting) and dead letters are not counted.</summary>
    /// <summary>The most messages one count looks at: <see cref="CountWaitingAsync"/> reports at most this many.</summary>
    public const int MaxCounted = 2_000;
    private const int PeekPage = 250;

    /// <summary>Messages that may be received now (scheduled retries and reminders not yet due are not waiting), counted by
    /// peeking from the start of the queue, up to <see cref="MaxCounted"/>. Peeking needs only the Listen right the app
    /// holds; the queue's runtime properties would need Manage, which its data roles do not give (docs/telemetry.md).</summary>
    public Task<long> CountWaitingAsync(CancellationToken cancellationToken) => RunAsync(async () =>
    {
        long waiting = 0;
        long from = 0;
        for (var looked = 0; looked < MaxCounted;)
        {
            var page = await _receiver.PeekMessagesAsync(Math.Min(PeekPage, MaxCounted - looked), from, cancellationToken);
            if (page.Count == 0) break;
            waiting += page.Count(m => m.State == ServiceBusMessageState.Active);
            looked += page.Count;
            from = page[^1].SequenceNumber + 1;
        }
        return waiting;
    });

    public string Name => "Service Bus queue";

    /// <summary>Peeks one message: it proves the namespace, the queue and the credentials without changing anything.</summary>
    public Task ProbeAsync(CancellationToken cancellationToken) => _receiver.PeekMessageAsync(cancellationToken: cancellationToken);

    private ServiceBusMessage ToServiceBus(ReminderMessage m, DateTimeOffset? notBefore)
    {
        var message = new ServiceBusMessage(ReminderMessageSerializer.Serialize(m))
        {
            MessageId = m.TransportMessageId,
            ContentType = ReminderMessageSerializer.ContentType,
            Subject = ReminderMessageSerializer.Subject,
            ApplicationProperties =
            {
                ["meetingId"] = m.MeetingId,
                ["planId"] = m.PlanId,
                ["planVersion"] = m.PlanVersion,
                ["failedAttempts"] = m.FailedAttempts,
            },
        };
        if (notBefore is { } at && at > _time.GetUtcNow()) message.ScheduledEnqueueTime = at;
        // The current span (the scheduler's publish, or the delivery that retries) as W3C trace context, so the delivery
        // span links back to it. Our own properties: the SDK's Diagnostic-Id is there only when its experimental tracing is on.
        if (TraceCarrier.Current() is { } trace)
        {
            message.ApplicationProperties[TraceCarrier.TraceParentName] = trace.TraceParent;
            if (trace.TraceState is { } state) message.ApplicationProperties[TraceCarrier.TraceStateName] = state;
        }
        return message;
    }

    public async ValueTask DisposeAsync()
    {
        await _deadLetters.DisposeAsync();
        await _receiver.DisposeAsync();
        await _sender.DisposeAsync();
        await _client.DisposeAsync();
    }

    private sealed class Received : IReceivedReminder
    {
        private readonly ServiceBusReminderQueue _queue;
        private readonly ServiceBusReceivedMessage _message;

        public Received(ServiceBusReminderQueue queue, ServiceBusReceivedMessage message)
        {
            _queue = queue;
            _message = message;
            (Reminder, ParseError) = ReminderMessageSerializer.TryParse(message.Body);
            PublishedFrom = TraceCarrier.Parse(Text(message, TraceCarrier.TraceParentName), Text(message, TraceCarrier.TraceStateName));
        }

        private static string? Text(ServiceBusReceivedMessage message, string name) =>
            message.ApplicationProperties.TryGetValue(name, out var value) ? value as string : null;

        public ActivityContext? PublishedFrom { get; }
        public string MessageId => _message.MessageId ?? _message.SequenceNumber.ToString(System.Globalization.CultureInfo.InvariantCulture);
        public ReminderMessage? Reminder { get; }
        public string? ParseError { get; }
        public int DeliveryCount => _message.DeliveryCount;

        public Task CompleteAsync(CancellationToken cancellationToken) => _queue._receiver.CompleteMessageAsync(_message, cancellationToken);

        public async Task RetryLaterAsync(ReminderMessage next, DateTimeOffset notBefore, CancellationToken cancellationToken)
        {
            await _queue._sender.SendMessageAsync(_queue.ToServiceBus(next, notBefore), cancellationToken);
            await _queue._receiver.CompleteMessageAsync(_message, cancellationToken);
        }

        public Task AbandonAsync(CancellationToken cancellationToken) => _queue._receiver.AbandonMessageAsync(_message, cancellationToken: cancellationToken);

        public Task DeadLetterAsync(string reason, string description, CancellationToken cancellationToken) =>
            _queue._receiver.DeadLetterMessageAsync(_message,
                new Dictionary<string, object> { [DeadLetteredAtProperty] = _queue._time.GetUtcNow() }, reason, Clip(description), cancellationToken);

        private static string Clip(string text) => text.Length <= 1000 ? text : text[..1000];
    }
}
