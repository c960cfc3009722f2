using Azure.Messaging.ServiceBus;

namespace Summit.TestSupport.Tests.ServiceBus;

public sealed class SendReceiveTests : BrokerTestBase
{
    [Fact]
    public async Task Single_message_round_trips_and_complete_removes_it()
    {
        await using var sender = Client.CreateSender(Queue);
        var sent = new ServiceBusMessage(BinaryData.FromString("hello"))
        {
            MessageId = "m-1",
            ContentType = "application/json",
            Subject = "order-created",
            CorrelationId = "corr-1",
            ApplicationProperties = { ["tenant"] = "acme", ["attempt"] = 3, ["big"] = 5_000_000_000L },
        };
        await sender.SendMessageAsync(sent);

        await using var receiver = Client.CreateReceiver(Queue);
        var received = await ReceiveOneAsync(receiver);

        Assert.Equal("hello", received.Body.ToString());
        Assert.Equal("m-1", received.MessageId);
        Assert.Equal("application/json", received.ContentType);
        Assert.Equal("order-created", received.Subject);
        Assert.Equal("corr-1", received.CorrelationId);
        Assert.Equal("acme", received.ApplicationProperties["tenant"]);
        Assert.Equal(3, received.ApplicationProperties["attempt"]);
        Assert.Equal(5_000_000_000L, received.ApplicationProperties["big"]);
        Assert.Equal(1, received.DeliveryCount);
        Assert.Equal(1, received.SequenceNumber);
        Assert.Equal(ServiceBusMessageState.Active, received.State);
        Assert.Equal(Time.GetUtcNow(), received.EnqueuedTime);
        Assert.Equal(Time.GetUtcNow() + TimeSpan.FromSeconds(60), received.LockedUntil);
        Assert.NotEqual(Guid.Empty.ToString(), received.LockToken);

        var snapshot = Assert.Single(Broker.ActiveMessages(Queue));
        Assert.True(snapshot.IsLocked);
        Assert.Equal("hello", System.Text.Encoding.UTF8.GetString(snapshot.Body));
        Assert.Equal("order-created", snapshot.Subject);
        Assert.Equal("acme", snapshot.ApplicationProperties["tenant"]);

        await receiver.CompleteMessageAsync(received);

        Assert.Empty(Broker.ActiveMessages(Queue));
        Assert.Null(await receiver.ReceiveMessageAsync(TimeSpan.FromMilliseconds(200)));
    }

    [Fact]
    public async Task Batches_and_message_lists_are_split_into_individual_messages()
    {
        await using var sender = Client.CreateSender(Queue);
        using (var batch = await sender.CreateMessageBatchAsync())
        {
            for (var i = 0; i < 3; i++)
            {
                Assert.True(batch.TryAddMessage(Text($"batch-{i}", $"b-{i}")));
            }

            await sender.SendMessagesAsync(batch);
        }

        await sender.SendMessagesAsync([Text("list-0", "l-0"), Text("list-1", "l-1")]);

        await using var receiver = Client.CreateReceiver(Queue);
        var received = new List<ServiceBusReceivedMessage>();
        while (received.Count < 5)
        {
            var messages = await receiver.ReceiveMessagesAsync(10, TimeSpan.FromSeconds(5));
            Assert.NotEmpty(messages);
            received.AddRange(messages);
        }

        Assert.Equal(["b-0", "b-1", "b-2", "l-0", "l-1"], received.Select(m => m.MessageId));
        Assert.Equal(["batch-0", "batch-1", "batch-2", "list-0", "list-1"], received.Select(m => m.Body.ToString()));
        Assert.Equal([1L, 2, 3, 4, 5], received.Select(m => m.SequenceNumber));
        foreach (var message in received)
        {
            await receiver.CompleteMessageAsync(message);
        }

        Assert.Empty(Broker.ActiveMessages(Queue));
    }

    [Fact]
    public async Task Receive_and_delete_removes_on_delivery()
    {
        await using var sender = Client.CreateSender(Queue);
        await sender.SendMessageAsync(Text("gone"));

        await using var receiver = Client.CreateReceiver(Queue, new ServiceBusReceiverOptions { ReceiveMode = ServiceBusReceiveMode.ReceiveAndDelete });
        var received = await ReceiveOneAsync(receiver);

        Assert.Equal("gone", received.Body.ToString());
        Assert.Empty(Broker.ActiveMessages(Queue));
    }
}
