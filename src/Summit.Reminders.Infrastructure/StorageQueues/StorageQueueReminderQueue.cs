using Summit.Reminders.Infrastructure.Queues;
using System.Diagnostics;
using System.Text.Json;
using Azure;
using Azure.Storage.Queues;
using Azure.Storage.Queues.Models;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Summit.Reminders.Delivery;
using Summit.Reminders.Infrastructure.ServiceBus;
using Summit.Reminders.Ports;
using Summit.Reminders.Telemetry;

namespace Summit.Reminders.Infrastructure.StorageQueues;

/// <summary>One dead letter in the poison queue: the original body and why it is there.</summary>
public sealed record PoisonEnvelope(int Schema, string Reason, string Description, DateTimeOffset DeadLetteredAt,
    string MessageId, long DequeueCount, string Body);

/// <summary>
/// The reminder queue on Azure Storage Queues, for local runs on Azurite (Service Bus is the production transport).
/// A received message is hidden for <see cref="StorageQueueOptions.VisibilityTimeout"/> (its lock); completing deletes
/// it; a retry is a new message, hidden until its moment, so waiting does not count as a delivery; a message dequeued
/// more than <see cref="StorageQueueOptions.MaxDequeueCount"/> times, and every dead letter, goes to the poison queue
/// wrapped in a <see cref="PoisonEnvelope"/> with its reason. Storage Queues have no duplicate detection: a second
/// publish of one reminder is stopped by the delivery ledger instead.
/// </summary>
public sealed partial class StorageQueueReminderQueue : IReminderQueue, IDeadLetterQueue, IDependencyProbe
{
    /// <summary>The longest a Storage Queue message can stay invisible.</summary>
    public static readonly TimeSpan MaxVisibilityDelay = TimeSpan.FromDays(7);
    private const int MaxPerReceive = 32;
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    private readonly StorageQueueOptions _options;
    private readonly TimeProvider _time;
    private readonly ILogger<StorageQueueReminderQueue> _logger;
    private volatile bool _created;

    public StorageQueueReminderQueue(IOptions<StorageQueueOptions> options, TimeProvider time, ILogger<StorageQueueReminderQueue> logger)
    {
        _options = options.Value;
        _time = time;
        _logger = logger;
        if (_options.EffectivePoisonQueueName.Length > 63)
            throw new OptionsValidationException(StorageQueueOptions.Section, typeof(StorageQueueOptions),
                ["The poison queue name (QueueName + \"-poison\") is longer than 63 characters; set StorageQueue:PoisonQueueName."]);
        var clientOptions = new QueueClientOptions
        {
            MessageEncoding = QueueMessageEncoding.None,
            Retry = { MaxRetries = 3, Delay = TimeSpan.FromMilliseconds(200), NetworkTimeout = _options.NetworkTimeout },
        };
        if (string.IsNullOrWhiteSpace(_options.ConnectionString))
        {
            var credential = AzureConnection.Credential(_options.Credential, _options.ClientId);
            var service = _options.QueueServiceUri!.TrimEnd('/');
            Queue = new QueueClient(new Uri($"{service}/{_options.QueueName}"), credential, clientOptions);
            Poison = new QueueClient(new Uri($"{service}/{_options.EffectivePoisonQueueName}"), credential, clientOptions);
        }
        else
        {
            Queue = new QueueClient(_options.ConnectionString, _options.QueueName, clientOptions);
            Poison = new QueueClient(_options.ConnectionString, _options.EffectivePoisonQueueName, clientOptions);
        }
    }

    public QueueClient Queue { get; }
    public QueueClient Poison { get; }

    public string Name => "Storage queue";

    /// <summary>Creates the queues on first use, then reads the queue's properties: proves the account and the credentials.</summary>
    public Task ProbeAsync(CancellationToken cancellationToken) => RunAsync(async () =>
    {
        await EnsureCreatedAsync(cancellationToken);
        await Queue.GetPropertiesAsync(cancellationToken);
    });

    public Task PublishAsync(IReadOnlyList<ReminderMessage> messages, CancellationToken cancellationToken) => RunAsync(async () =>
    {
        await EnsureCreatedAsync(cancellationToken);
        await Parallel.ForEachAsync(messages, new ParallelOptions { MaxDegreeOfParallelism = 16, CancellationToken = cancellationToken },
            async (message, ct) => await SendAsync(message, message.NotBefore, ct));
    });

    /// <summary>The queue's approximate message count (one properties read): it includes messages not visible yet (a
    /// reminder published ahead of its moment, a retry waiting for its time, one being handled), not the poison queue.</summary>
    public Task<long> CountWaitingAsync(CancellationToken cancellationToken) => RunAsync<long>(async () =>
    {
        await EnsureCreatedAsync(cancellationToken);
        QueueProperties properties = await Queue.GetPropertiesAsync(cancellationToken);
        return properties.ApproximateMessagesCount;
    });

    public Task<IReadOnlyList<IReceivedReminder>> ReceiveAsync(int maxMessages, TimeSpan maxWait, CancellationToken cancellationToken) =>
        RunAsync<IReadOnlyList<IReceivedReminder>>(async () =>
        {
            await EnsureCreatedAsync(cancellationToken);
            var started = _time.GetTimestamp();
            var result = new List<IReceivedReminder>();
            while (true)
            {
                while (result.Count < maxMessages)
                {
                    var want = Math.Min(MaxPerReceive, maxMessages - result.Count);
                    QueueMessage[] page = await Queue.ReceiveMessagesAsync(want, _options.VisibilityTimeout, cancellationToken);
                    foreach (var message in page)
                    {
                        if (message.DequeueCount > _options.MaxDequeueCount)
                        {
                            await MoveToPoisonAsync(message, "MaxDequeueCountExceeded",
                                $"received {message.DequeueCount} times without being completed (limit {_options.MaxDequeueCount})", cancellationToken);
                            LogPoisoned(_logger, message.MessageId, message.DequeueCount);
                            continue;
                        }
                        result.Add(new Received(this, message));
                    }
                    if (page.Length < want) break;
                }
                var left = maxWait - _time.GetElapsedTime(started);
                if (result.Count > 0 || left <= TimeSpan.Zero) return result;
                await Task.Delay(left < _options.PollInterval ? left : _options.PollInterval, _time, cancellationToken);
            }
        });

    private async Task<SendReceipt> SendAsync(ReminderMessage message, DateTimeOffset? notBefore, CancellationToken cancellationToken)
    {
        var delay = notBefore is { } at ? at - _time.GetUtcNow() : TimeSpan.Zero;
        if (delay < TimeSpan.Zero) delay = TimeSpan.Zero;
        if (delay > MaxVisibilityDelay) delay = MaxVisibilityDelay;
        // The current span (the scheduler's publish, or the delivery that retries) travels in the body: a Storage Queue
        // message has no properties of its own.
        return await Queue.SendMessageAsync(ReminderMessageSerializer.Serialize(message, TraceCarrier.Current()), visibilityTimeout: delay,
            timeToLive: TimeSpan.FromSeconds(-1), cancellationToken: cancellationToken);
    }

    /// <summary>The message's visibility ran out before we were done with it (its pop receipt is stale): another
    /// receive may already hold it. Nothing is lost, it is delivered again and the delivery ledger recognises it.</summary>
    private static bool LockLost(RequestFailedException ex) => ex.Status == 404 || ex.ErrorCode == "PopReceiptMismatch";

    /// <summary>Deletes a received message; false when its lock was lost (then it stays for another delivery).</summary>
    private async Task<bool> DeleteReceivedAsync(QueueMessage message, string operation, CancellationToken cancellationToken)
    {
        try
        {
            await Queue.DeleteMessageAsync(message.MessageId, message.PopReceipt, cancellationToken);
            return true;
        }
        catch (RequestFailedException ex) when (LockLost(ex))
        {
            LogLockLost(_logger, message.MessageId, operation);
            return false;
        }
    }

    private async Task MoveToPoisonAsync(QueueMessage message, string reason, string description, CancellationToken cancellationToken)
    {
        var envelope = new PoisonEnvelope(1, reason, Clip(description), _time.GetUtcNow(), message.MessageId, message.DequeueCount,
            message.Body.ToString());
        SendReceipt copy = await Poison.SendMessageAsync(BinaryData.FromObjectAsJson(envelope, Json), timeToLive: TimeSpan.FromSeconds(-1),
            cancellationToken: cancellationToken);
        // Copy first, then delete: a crash in between leaves a redelivery, never a lost dead letter. If the lock was
        // lost the original stays, so the copy goes (the next receive decides again).
        if (!await DeleteReceivedAsync(message, "dead-letter", cancellationToken))
            await Poison.DeleteMessageAsync(copy.MessageId, copy.PopReceipt, cancellationToken);
    }

    /// <summary>Up to 32 dead letters (a Storage Queue peek returns at most 32), oldest first; listing changes nothing.</summary>
    public Task<IReadOnlyList<DeadLetter>> ListAsync(int max, CancellationToken cancellationToken) => RunAsync<IReadOnlyList<DeadLetter>>(async () =>
    {
        await EnsureCreatedAsync(cancellationToken);
        PeekedMessage[] page = await Poison.PeekMessagesAsync(Math.Clamp(max, 1, MaxPerReceive), cancellationToken);
        return page.Select(m => ToDeadLetter(m.MessageId, m.Body, m.DequeueCount)).ToList();
    });

    public async Task<DeadLetter?> FindAsync(string id, CancellationToken cancellationToken) =>
        await TakePoisonAsync(id, keep: false, cancellationToken) is { } found ? ToDeadLetter(found.MessageId, found.Body, found.DequeueCount) : null;

    public Task<bool> ReplayAsync(string id, ReminderMessage replacement, CancellationToken cancellationToken) => RunAsync(async () =>
    {
        if (await TakePoisonAsync(id, keep: true, cancellationToken) is not { } found) return false;
        await SendAsync(replacement, null, cancellationToken);
        await Poison.DeleteMessageAsync(found.MessageId, found.PopReceipt, cancellationToken);
        return true;
    });

    public Task<int> PurgeAsync(Func<ReminderMessage, bool> match, CancellationToken cancellationToken) => RunAsync(async () =>
    {
        await EnsureCreatedAsync(cancellationToken);
        // An empty poison queue (the usual case) costs one peek.
        if ((await Poison.PeekMessagesAsync(1, cancellationToken)).Value.Length == 0) return 0;
        var held = new List<QueueMessage>();
        var purged = 0;
        try
        {
            while (held.Count + purged < MaxPoisonScanned)
            {
                QueueMessage[] batch = await Poison.ReceiveMessagesAsync(MaxPerReceive, TimeSpan.FromSeconds(10), cancellationToken);
                if (batch.Length == 0) break;
                foreach (var message in batch)
                {
                    if (ToDeadLetter(message.MessageId, message.Body, message.DequeueCount).Reminder is { } reminder && match(reminder))
                    {
                        await Poison.DeleteMessageAsync(message.MessageId, message.PopReceipt, cancellationToken);
                        purged++;
                    }
                    else held.Add(message);
                }
            }
        }
        finally
        {
            foreach (var message in held)
            {
                try { await Poison.UpdateMessageAsync(message.MessageId, message.PopReceipt, visibilityTimeout: TimeSpan.Zero, cancellationToken: CancellationToken.None); }
                catch (RequestFailedException ex) when (LockLost(ex)) { /* visible again already */ }
            }
        }
        return purged;
    });

    private const int MaxPoisonScanned = 5_000;

    /// <summary>Finds a poison message by id by receiving the queue batch by batch (briefly hidden), handing every
    /// other message straight back. With <paramref name="keep"/> the found one stays hidden for the caller to delete.</summary>
    private Task<QueueMessage?> TakePoisonAsync(string id, bool keep, CancellationToken cancellationToken) => RunAsync<QueueMessage?>(async () =>
    {
        await EnsureCreatedAsync(cancellationToken);
        var held = new List<QueueMessage>();
        QueueMessage? found = null;
        try
        {
            while (found is null)
            {
                QueueMessage[] batch = await Poison.ReceiveMessagesAsync(MaxPerReceive, TimeSpan.FromSeconds(10), cancellationToken);
                if (batch.Length == 0) break;
                found = batch.FirstOrDefault(m => m.MessageId == id);
                held.AddRange(batch.Where(m => m != found || !keep));
            }
        }
        finally
        {
            foreach (var message in held)
            {
                try { await Poison.UpdateMessageAsync(message.MessageId, message.PopReceipt, visibilityTimeout: TimeSpan.Zero, cancellationToken: CancellationToken.None); }
                catch (RequestFailedException ex) when (LockLost(ex)) { /* visible again already */ }
            }
        }
        return found;
    });

    private static DeadLetter ToDeadLetter(string messageId, BinaryData body, long dequeueCount)
    {
        if (ReadPoison(body) is not { } envelope)
            return new DeadLetter(messageId, "unknown", "not a poison envelope", null, (int)dequeueCount, null, "the poison message is not an envelope");
        var (reminder, error) = ReminderMessageSerializer.TryParse(BinaryData.FromString(envelope.Body));
        return new DeadLetter(messageId, envelope.Reason, envelope.Description, envelope.DeadLetteredAt, (int)envelope.DequeueCount, reminder, error);
    }

    /// <summary>Reads a poison-queue message back (for the dead-letter admin endpoints and tests).</summary>
    public static PoisonEnvelope? ReadPoison(BinaryData body)
    {
        try { return body.ToObjectFromJson<PoisonEnvelope>(Json); }
        catch (JsonException) { return null; }
    }

    private static string Clip(string text) => text.Length <= 1000 ? text : text[..1000];

    /// <summary>Creates both queues on first use (and again after a failed attempt, for example while storage was down).</summary>
    private async Task EnsureCreatedAsync(CancellationToken cancellationToken)
    {
        if (_created) return;
        await Task.WhenAll(Queue.CreateIfNotExistsAsync(cancellationToken: cancellationToken), Poison.CreateIfNotExistsAsync(cancellationToken: cancellationToken));
        _created = true;
    }

    private Task RunAsync(Func<Task> call) => RunAsync<bool>(async () => { await call(); return true; });

    private static async Task<T> RunAsync<T>(Func<Task<T>> call)
    {
        try
        {
            return await call();
        }
        catch (Exception ex) when (StorageFailures.IsOutage(ex))
        {
            throw new DependencyUnavailableException("Storage Queue", ex is AggregateException { InnerException: { } inner } ? inner : ex);
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Lost the lock on message {MessageId} before {Operation}; it will be delivered again")]
    private static partial void LogLockLost(ILogger logger, string messageId, string operation);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Moved message {MessageId} to the poison queue after {DequeueCount} receives")]
    private static partial void LogPoisoned(ILogger logger, string messageId, long dequeueCount);

    private sealed class Received : IReceivedReminder
    {
        private readonly StorageQueueReminderQueue _queue;
        private readonly QueueMessage _message;

        public Received(StorageQueueReminderQueue queue, QueueMessage message)
        {
            _queue = queue;
            _message = message;
            (Reminder, ParseError, PublishedFrom) = ReminderMessageSerializer.TryParseWithTrace(message.Body);
        }

        public ActivityContext? PublishedFrom { get; }
        public string MessageId => _message.MessageId;
        public ReminderMessage? Reminder { get; }
        public string? ParseError { get; }
        public int DeliveryCount => (int)_message.DequeueCount;

        public Task CompleteAsync(CancellationToken cancellationToken) =>
            _queue.RunAsync(() => _queue.DeleteReceivedAsync(_message, "complete", cancellationToken));

        public Task RetryLaterAsync(ReminderMessage next, DateTimeOffset notBefore, CancellationToken cancellationToken) => _queue.RunAsync(async () =>
        {
            // The copy first, then the original: never zero messages for the reminder. If the lock was lost the
            // original will come back by itself, so the copy goes and there is still exactly one.
            var copy = await _queue.SendAsync(next, notBefore, cancellationToken);
            if (!await _queue.DeleteReceivedAsync(_message, "retry", cancellationToken))
                await _queue.Queue.DeleteMessageAsync(copy.MessageId, copy.PopReceipt, cancellationToken);
        });

        public Task AbandonAsync(CancellationToken cancellationToken) => _queue.RunAsync(async () =>
        {
            try
            {
                await _queue.Queue.UpdateMessageAsync(_message.MessageId, _message.PopReceipt, visibilityTimeout: TimeSpan.Zero,
                    cancellationToken: cancellationToken);
            }
            catch (RequestFailedException ex) when (LockLost(ex))
            {
                LogLockLost(_queue._logger, _message.MessageId, "abandon"); // it becomes visible again anyway
            }
        });

        public Task DeadLetterAsync(string reason, string description, CancellationToken cancellationToken) =>
            _queue.RunAsync(() => _queue.MoveToPoisonAsync(_message, reason, description, cancellationToken));
    }
}
