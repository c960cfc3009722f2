using System.Net;
using System.Net.Sockets;
using System.Text;
using Amqp;
using Amqp.Framing;
using Amqp.Listener;
using Amqp.Sasl;
using Amqp.Types;

namespace Summit.TestSupport.ServiceBus;

/// <summary>
/// An in-process Azure Service Bus stand-in that speaks AMQP 1.0 (plain TCP on 127.0.0.1), so the real
/// <c>Azure.Messaging.ServiceBus</c> client can be used in tests through <see cref="ConnectionString"/>.
/// </summary>
/// <remarks>
/// Supported: queues (auto-created unless <see cref="FakeServiceBusBrokerOptions.Queues"/> is set), single and
/// batch sends, peek-lock and receive-and-delete receives, complete / abandon / dead-letter, the dead-letter
/// sub-queue, max delivery count, lock expiry and lock renewal, duplicate detection, scheduled messages
/// (send with <c>ScheduledEnqueueTime</c>, <c>ScheduleMessageAsync</c>, <c>CancelScheduledMessageAsync</c>) and
/// <c>PeekMessagesAsync</c>. Not supported: topics and subscriptions, sessions, defer, transactions, message
/// expiry (TTL) and auto-forwarding. The SAS key is not checked.
/// </remarks>
public sealed partial class FakeServiceBusBroker : IAsyncDisposable
{
    internal const int MaxMessageSize = 256 * 1024;

    private readonly object _gate = new();
    private readonly FakeServiceBusBrokerOptions _options;
    private readonly TimeProvider _time;
    private readonly Dictionary<string, BrokerQueue> _queues = new(StringComparer.OrdinalIgnoreCase);
    private readonly Dictionary<Guid, StoredMessage> _locks = [];
    private readonly Dictionary<(Connection Connection, string Address), ListenerLink> _replyLinks = [];
    private ContainerHost? _host;

    // False from Stop until Restart: connections that are still closing must not store or deliver anything.
    private bool _accepting;
    private bool _disposed;

    private FakeServiceBusBroker(FakeServiceBusBrokerOptions options, int port)
    {
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(options.LockDuration, TimeSpan.Zero, nameof(options.LockDuration));
        ArgumentOutOfRangeException.ThrowIfLessThan(options.MaxDeliveryCount, 1, nameof(options.MaxDeliveryCount));
        ArgumentOutOfRangeException.ThrowIfLessThan(options.DuplicateDetectionWindow, TimeSpan.Zero, nameof(options.DuplicateDetectionWindow));
        ArgumentNullException.ThrowIfNull(options.TimeProvider, nameof(options.TimeProvider));
        _options = options;
        _time = options.TimeProvider;
        Port = port;
        foreach (var name in options.Queues ?? [])
        {
            _queues[name] = new BrokerQueue(name);
        }
    }

    /// <summary>The TCP port the broker listens on (127.0.0.1). It stays the same across <see cref="Stop"/> / <see cref="Restart"/>.</summary>
    public int Port { get; }

    /// <summary>A Service Bus connection string for this broker, in the development-emulator form (no TLS).</summary>
    public string ConnectionString =>
        $"Endpoint=sb://localhost:{Port};SharedAccessKeyName=RootManageSharedAccessKey;SharedAccessKey=SAS_KEY_VALUE;UseDevelopmentEmulator=true;";

    /// <summary>True while the broker accepts connections (between start or <see cref="Restart"/> and <see cref="Stop"/>).</summary>
    public bool IsRunning
    {
        get
        {
            lock (_gate)
            {
                return _host is not null;
            }
        }
    }

    /// <summary>Starts a broker listening on 127.0.0.1 on a free port.</summary>
    /// <param name="options">Broker settings; defaults when null.</param>
    public static Task<FakeServiceBusBroker> StartAsync(FakeServiceBusBrokerOptions? options = null)
    {
        options ??= new FakeServiceBusBrokerOptions();

        // The free port is found by probing, so another process can take it before we bind; try a few.
        for (var attempt = 1; ; attempt++)
        {
            var broker = new FakeServiceBusBroker(options, FindFreePort());
            try
            {
                broker.Listen();
                return Task.FromResult(broker);
            }
            catch (SocketException) when (attempt < 5)
            {
            }
        }
    }

    /// <summary>
    /// Closes the listener and every client connection, to simulate the broker being unavailable. Messages are kept;
    /// locks held by receivers are released. Call <see cref="Restart"/> to accept connections again on the same port.
    /// </summary>
    public void Stop()
    {
        ContainerHost? closing;
        lock (_gate)
        {
            closing = _host;
            _host = null;
            _accepting = false;
        }

        closing?.Close();

        lock (_gate)
        {
            foreach (var message in _locks.Values.ToList())
            {
                Unlock(message);
            }

            foreach (var queue in _queues.Values)
            {
                queue.Main.Consumers.Clear();
                queue.DeadLetter.Consumers.Clear();
            }

            _replyLinks.Clear();
        }
    }

    /// <summary>Accepts connections again on the same port after <see cref="Stop"/>. Queue contents are preserved.</summary>
    public void Restart()
    {
        lock (_gate)
        {
            ObjectDisposedException.ThrowIf(_disposed, this);
            if (_host is not null)
            {
                throw new InvalidOperationException("The broker is already running.");
            }
        }

        Listen();
    }

    /// <summary>
    /// Messages in the queue itself (not the dead-letter queue), in sequence order: available, locked and
    /// scheduled ones (the latter have <see cref="BrokerMessageSnapshot.ScheduledEnqueueTime"/> set).
    /// </summary>
    /// <param name="queue">Queue name (case-insensitive).</param>
    public IReadOnlyList<BrokerMessageSnapshot> ActiveMessages(string queue) => Snapshot(queue, deadLetter: false);

    /// <summary>Messages in the queue's dead-letter sub-queue, in the order they were dead-lettered.</summary>
    /// <param name="queue">Queue name (case-insensitive).</param>
    public IReadOnlyList<BrokerMessageSnapshot> DeadLetteredMessages(string queue) => Snapshot(queue, deadLetter: true);

    /// <summary>Whether a receiver of the queue is waiting with credit (a receive in progress): the hook a test waits on
    /// before it moves the clock, instead of sleeping until the receive reaches the broker.</summary>
    /// <param name="queue">Queue name (case-insensitive).</param>
    public bool HasWaitingReceiver(string queue)
    {
        lock (_gate)
        {
            return _queues.TryGetValue(queue, out var q) && q.Main.Consumers.Any(c => !c.Closed && c.Credit > 0);
        }
    }

    /// <summary>How many messages the queue's duplicate detection has accepted and dropped.</summary>
    /// <param name="queue">Queue name (case-insensitive).</param>
    public int DuplicatesDropped(string queue)
    {
        lock (_gate)
        {
            return _queues.TryGetValue(queue, out var q) ? q.DuplicatesDropped : 0;
        }
    }

    /// <summary>Stops the broker and releases its timers.</summary>
    public ValueTask DisposeAsync()
    {
        lock (_gate)
        {
            if (_disposed)
            {
                return ValueTask.CompletedTask;
            }

            _disposed = true;
        }

        Stop();
        lock (_gate)
        {
            foreach (var queue in _queues.Values)
            {
                foreach (var message in queue.Main.Messages.Concat(queue.DeadLetter.Messages))
                {
                    message.StopTimer();
                }
            }
        }

        return ValueTask.CompletedTask;
    }

    private static int FindFreePort()
    {
        var probe = new TcpListener(IPAddress.Loopback, 0);
        probe.Start();
        var port = ((IPEndPoint)probe.LocalEndpoint).Port;
        probe.Stop();
        return port;
    }

    private void Listen()
    {
        var container = new ContainerHost(new Address($"amqp://127.0.0.1:{Port}"));
        var listener = container.Listeners[0];

        // The official client offers only MSSBCBS; it carries no credentials (tokens come later over $cbs).
        listener.SASL.EnableMechanism(new Symbol("MSSBCBS"), SaslProfile.Anonymous);
        listener.SASL.EnableAnonymousMechanism = true;
        listener.HandlerFactory = _ => LockTokenDeliveryTagHandler.Instance;
        container.RegisterLinkProcessor(new LinkProcessor(this));
        lock (_gate)
        {
            _host = container;
            _accepting = true;
        }

        try
        {
            container.Open();
        }
        catch
        {
            lock (_gate)
            {
                _host = null;
                _accepting = false;
            }

            container.Close();
            throw;
        }
    }

    private IReadOnlyList<BrokerMessageSnapshot> Snapshot(string queue, bool deadLetter)
    {
        ArgumentNullException.ThrowIfNull(queue);
        lock (_gate)
        {
            if (!_queues.TryGetValue(queue, out var q))
            {
                return [];
            }

            return (deadLetter ? q.DeadLetter : q.Main).Messages.Select(ToSnapshot).ToList();
        }
    }

    private static BrokerMessageSnapshot ToSnapshot(StoredMessage stored)
    {
        var message = stored.Decode();
        var applicationProperties = new Dictionary<string, object?>(StringComparer.Ordinal);
        if (message.ApplicationProperties is { } ap)
        {
            foreach (var entry in ap.Map)
            {
                applicationProperties[entry.Key.ToString()!] = entry.Value;
            }
        }

        return new BrokerMessageSnapshot(
            stored.MessageId,
            stored.SequenceNumber,
            stored.DeliveryCount,
            stored.EnqueuedTime,
            stored.ScheduledUntil,
            stored.LockToken is not null,
            message.Properties?.Subject,
            message.Properties?.ContentType?.ToString(),
            message.Properties?.GetCorrelationId()?.ToString(),
            stored.DeadLetterReason,
            stored.DeadLetterErrorDescription,
            applicationProperties,
            BodyBytes(message));
    }

    private static byte[] BodyBytes(Message message) => message.BodySection switch
    {
        DataList list => Enumerable.Range(0, list.Count).SelectMany(i => list[i].Binary).ToArray(),
        Data data => data.Binary ?? [],
        AmqpValue { Value: byte[] bytes } => bytes,
        AmqpValue { Value: string text } => Encoding.UTF8.GetBytes(text),
        _ => [],
    };

    private static byte[] Encode(Message message)
    {
        var buffer = message.Encode();
        var bytes = new byte[buffer.Length];
        Buffer.BlockCopy(buffer.Buffer, buffer.Offset, bytes, 0, buffer.Length);
        return bytes;
    }

    private static Message Decode(byte[] bytes) => Message.Decode(new ByteBuffer(bytes, 0, bytes.Length, bytes.Length));

    /// <summary>Finds a map entry whose key (string or symbol) has the given text.</summary>
    private static object? Lookup(Map? map, string key)
    {
        if (map is null)
        {
            return null;
        }

        foreach (var entry in map)
        {
            if (entry.Key?.ToString() == key)
            {
                return entry.Value;
            }
        }

        return null;
    }
}
