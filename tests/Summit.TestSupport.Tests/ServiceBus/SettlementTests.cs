using Azure.Messaging.ServiceBus;
using Summit.TestSupport.ServiceBus;

namespace Summit.TestSupport.Tests.ServiceBus;

public sealed class SettlementTests : BrokerTestBase
{
    protected override FakeServiceBusBrokerOptions CreateOptions() => new() { TimeProvider = Time, MaxDeliveryCount = 3 };

    [Fact]
    public async Task Abandon_redelivers_with_growing_delivery_count_until_max_then_dead_letters()
    {
        await using var sender = Client.CreateSender(Queue);
        await sender.SendMessageAsync(Text("flaky", "f-1"));
        await using var receiver = Client.CreateReceiver(Queue);

        for (var attempt = 1; attempt <= 3; attempt++)
        {
            var received = await ReceiveOneAsync(receiver);
            Assert.Equal(attempt, received.DeliveryCount);
            await receiver.AbandonMessageAsync(received);
        }

        Assert.Empty(Broker.ActiveMessages(Queue));
        var dead = Assert.Single(Broker.DeadLetteredMessages(Queue));
        Assert.Equal("f-1", dead.MessageId);
        Assert.Equal("MaxDeliveryCountExceeded", dead.DeadLetterReason);
        Assert.Equal(3, dead.DeliveryCount);

        await using var dlqReceiver = Client.CreateReceiver(Queue, new ServiceBusReceiverOptions { SubQueue = SubQueue.DeadLetter });
        var fromDlq = await ReceiveOneAsync(dlqReceiver);
        Assert.Equal("f-1", fromDlq.MessageId);
        Assert.Equal("MaxDeliveryCountExceeded", fromDlq.DeadLetterReason);
    }

    [Fact]
    public async Task Abandon_can_modify_application_properties()
    {
        await using var sender = Client.CreateSender(Queue);
        await sender.SendMessageAsync(Text("x"));
        await using var receiver = Client.CreateReceiver(Queue);

        await receiver.AbandonMessageAsync(await ReceiveOneAsync(receiver), new Dictionary<string, object> { ["lastError"] = "timeout" });

        var again = await ReceiveOneAsync(receiver);
        Assert.Equal("timeout", again.ApplicationProperties["lastError"]);
        Assert.Equal(2, again.DeliveryCount);
    }

    [Fact]
    public async Task Dead_letter_with_reason_lands_in_dead_letter_queue_and_can_be_completed_there()
    {
        await using var sender = Client.CreateSender(Queue);
        await sender.SendMessageAsync(new ServiceBusMessage("poison") { MessageId = "p-1", ApplicationProperties = { ["kind"] = "test" } });
        await using var receiver = Client.CreateReceiver(Queue);

        await receiver.DeadLetterMessageAsync(await ReceiveOneAsync(receiver), "BadFormat", "Body is not JSON");

        Assert.Empty(Broker.ActiveMessages(Queue));
        var snapshot = Assert.Single(Broker.DeadLetteredMessages(Queue));
        Assert.Equal(("BadFormat", "Body is not JSON"), (snapshot.DeadLetterReason, snapshot.DeadLetterErrorDescription));
        Assert.Equal("test", snapshot.ApplicationProperties["kind"]);

        await using var dlqReceiver = Client.CreateReceiver(Queue, new ServiceBusReceiverOptions { SubQueue = SubQueue.DeadLetter });
        var dead = await ReceiveOneAsync(dlqReceiver);
        Assert.Equal("p-1", dead.MessageId);
        Assert.Equal("poison", dead.Body.ToString());
        Assert.Equal("BadFormat", dead.DeadLetterReason);
        Assert.Equal("Body is not JSON", dead.DeadLetterErrorDescription);

        await dlqReceiver.CompleteMessageAsync(dead);

        Assert.Empty(Broker.DeadLetteredMessages(Queue));
    }

    [Fact]
    public async Task Dead_letter_without_reason_is_accepted()
    {
        await using var sender = Client.CreateSender(Queue);
        await sender.SendMessageAsync(Text("x", "x-1"));
        await using var receiver = Client.CreateReceiver(Queue);

        await receiver.DeadLetterMessageAsync(await ReceiveOneAsync(receiver));

        var dead = Assert.Single(Broker.DeadLetteredMessages(Queue));
        Assert.Equal("x-1", dead.MessageId);
        Assert.Null(dead.DeadLetterReason);
    }

    [Fact]
    public async Task Settling_twice_reports_lock_lost()
    {
        await using var sender = Client.CreateSender(Queue);
        await sender.SendMessageAsync(Text("x"));
        await using var receiver = Client.CreateReceiver(Queue);
        var received = await ReceiveOneAsync(receiver);
        await receiver.CompleteMessageAsync(received);

        var error = await Assert.ThrowsAsync<ServiceBusException>(() => receiver.CompleteMessageAsync(received));

        Assert.Equal(ServiceBusFailureReason.MessageLockLost, error.Reason);
    }
}
