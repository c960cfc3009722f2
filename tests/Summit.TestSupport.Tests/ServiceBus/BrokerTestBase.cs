using Azure.Messaging.ServiceBus;
using Microsoft.Extensions.Time.Testing;
using Summit.TestSupport.ServiceBus;

namespace Summit.TestSupport.Tests.ServiceBus;

/// <summary>Starts a broker and a real ServiceBusClient per test, with fast-failing retry settings.</summary>
public abstract class BrokerTestBase : IAsyncLifetime
{
    protected const string Queue = "orders";

    // Near the real clock: ServiceBusProcessor compares LockedUntil with DateTimeOffset.UtcNow. Whole seconds,
    // because AMQP timestamps carry milliseconds only.
    protected FakeTimeProvider Time { get; } = new(DateTimeOffset.FromUnixTimeSeconds(DateTimeOffset.UtcNow.ToUnixTimeSeconds()));

    protected FakeServiceBusBroker Broker { get; private set; } = null!;

    protected ServiceBusClient Client { get; private set; } = null!;

    protected virtual FakeServiceBusBrokerOptions CreateOptions() => new() { TimeProvider = Time };

    public async Task InitializeAsync()
    {
        Broker = await FakeServiceBusBroker.StartAsync(CreateOptions());
        Client = CreateClient();
    }

    public async Task DisposeAsync()
    {
        await Client.DisposeAsync();
        await Broker.DisposeAsync();
    }

    protected ServiceBusClient CreateClient() => new(Broker.ConnectionString, new ServiceBusClientOptions
    {
        RetryOptions = new ServiceBusRetryOptions
        {
            MaxRetries = 1,
            Delay = TimeSpan.FromMilliseconds(100),
            MaxDelay = TimeSpan.FromMilliseconds(200),
            TryTimeout = TimeSpan.FromSeconds(5),
        },
    });

    protected static ServiceBusMessage Text(string body, string? messageId = null) =>
        new(BinaryData.FromString(body)) { MessageId = messageId ?? Guid.NewGuid().ToString("N") };

    protected static async Task<ServiceBusReceivedMessage> ReceiveOneAsync(ServiceBusReceiver receiver, double seconds = 5)
    {
        var message = await receiver.ReceiveMessageAsync(TimeSpan.FromSeconds(seconds));
        Assert.NotNull(message);
        return message;
    }
}
