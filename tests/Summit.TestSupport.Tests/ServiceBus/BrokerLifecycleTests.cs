using System.Diagnostics;
using Azure.Messaging.ServiceBus;
using Summit.TestSupport.ServiceBus;

namespace Summit.TestSupport.Tests.ServiceBus;

public sealed class BrokerLifecycleTests
{
    private static ServiceBusClient CreateClient(FakeServiceBusBroker broker) => new(broker.ConnectionString, new ServiceBusClientOptions
    {
        RetryOptions = new ServiceBusRetryOptions
        {
            MaxRetries = 1,
            Delay = TimeSpan.FromMilliseconds(100),
            MaxDelay = TimeSpan.FromMilliseconds(200),
            TryTimeout = TimeSpan.FromSeconds(2),
        },
    });

    [Fact]
    public async Task Connection_string_uses_the_emulator_form_with_the_listening_port()
    {
        await using var broker = await FakeServiceBusBroker.StartAsync();

        Assert.Equal(
            $"Endpoint=sb://localhost:{broker.Port};SharedAccessKeyName=RootManageSharedAccessKey;SharedAccessKey=SAS_KEY_VALUE;UseDevelopmentEmulator=true;",
            broker.ConnectionString);
        Assert.True(broker.IsRunning);
    }

    [Fact]
    public async Task Unknown_queue_is_reported_as_entity_not_found_when_queues_are_declared()
    {
        await using var broker = await FakeServiceBusBroker.StartAsync(new FakeServiceBusBrokerOptions { Queues = ["known"] });
        await using var client = CreateClient(broker);

        await using var known = client.CreateSender("known");
        await known.SendMessageAsync(new ServiceBusMessage("ok"));
        Assert.Single(broker.ActiveMessages("known"));

        await using var unknown = client.CreateSender("unknown");
        var error = await Assert.ThrowsAsync<ServiceBusException>(() => unknown.SendMessageAsync(new ServiceBusMessage("lost")));
        Assert.Equal(ServiceBusFailureReason.MessagingEntityNotFound, error.Reason);
    }

    [Fact]
    public async Task Stopped_broker_fails_operations_and_restart_recovers_with_messages_kept()
    {
        await using var broker = await FakeServiceBusBroker.StartAsync();
        await using var client = CreateClient(broker);
        await using var sender = client.CreateSender("q");
        await sender.SendMessageAsync(new ServiceBusMessage("before") { MessageId = "before" });

        broker.Stop();
        Assert.False(broker.IsRunning);
        var watch = Stopwatch.StartNew();
        var failure = await Assert.ThrowsAsync<ServiceBusException>(() => sender.SendMessageAsync(new ServiceBusMessage("during")));
        Assert.Equal(ServiceBusFailureReason.ServiceCommunicationProblem, failure.Reason);
        Assert.True(watch.Elapsed < TimeSpan.FromSeconds(10), $"failing took {watch.Elapsed}");

        broker.Restart();
        await sender.SendMessageAsync(new ServiceBusMessage("after") { MessageId = "after" });

        await using var receiver = client.CreateReceiver("q", new ServiceBusReceiverOptions { ReceiveMode = ServiceBusReceiveMode.ReceiveAndDelete });
        var received = new List<string>();
        while (received.Count < 2)
        {
            var batch = await receiver.ReceiveMessagesAsync(10, TimeSpan.FromSeconds(5));
            Assert.NotEmpty(batch);
            received.AddRange(batch.Select(m => m.MessageId));
        }

        Assert.Equal(["before", "after"], received);
    }
}
