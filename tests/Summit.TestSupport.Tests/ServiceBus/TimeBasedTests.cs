using Summit.TestSupport;
using Azure.Messaging.ServiceBus;
using Summit.TestSupport.ServiceBus;

namespace Summit.TestSupport.Tests.ServiceBus;

/// <summary>Behaviour driven by the broker's clock (a FakeTimeProvider here).</summary>
public sealed class TimeBasedTests : BrokerTestBase
{
    protected override FakeServiceBusBrokerOptions CreateOptions() => new()
    {
        TimeProvider = Time,
        LockDuration = TimeSpan.FromSeconds(30),
        DuplicateDetectionWindow = TimeSpan.FromMinutes(10),
    };

    [Fact]
    public async Task Duplicate_message_id_within_window_is_accepted_but_dropped()
    {
        await using var sender = Client.CreateSender(Queue);
        await sender.SendMessageAsync(Text("first", "same-id"));
        await sender.SendMessageAsync(Text("second", "same-id"));
        await sender.SendMessagesAsync([Text("third", "same-id"), Text("other", "other-id")]);

        Assert.Equal(2, Broker.DuplicatesDropped(Queue));
        Assert.Equal(["first", "other"], Broker.ActiveMessages(Queue).Select(m => System.Text.Encoding.UTF8.GetString(m.Body)));

        Time.Advance(TimeSpan.FromMinutes(10));
        await sender.SendMessageAsync(Text("after window", "same-id"));

        Assert.Equal(3, Broker.ActiveMessages(Queue).Count);
        Assert.Equal(2, Broker.DuplicatesDropped(Queue));
    }

    [Fact]
    public async Task Scheduled_message_is_delivered_to_a_waiting_receiver_when_time_advances()
    {
        await using var sender = Client.CreateSender(Queue);
        var due = Time.GetUtcNow().AddMinutes(5);
        await sender.SendMessageAsync(new ServiceBusMessage("later") { MessageId = "s-1", ScheduledEnqueueTime = due });

        var pending = Assert.Single(Broker.ActiveMessages(Queue));
        Assert.Equal(due, pending.ScheduledEnqueueTime);

        await using var receiver = Client.CreateReceiver(Queue);
        Assert.Null(await receiver.ReceiveMessageAsync(TimeSpan.FromMilliseconds(300)));

        var waiting = receiver.ReceiveMessageAsync(TimeSpan.FromSeconds(10));
        await Poll.UntilAsync(() => Broker.HasWaitingReceiver(Queue), TimeSpan.FromSeconds(5), "the receive never reached the broker");
        Time.Advance(TimeSpan.FromMinutes(4));
        Assert.True(Broker.HasWaitingReceiver(Queue), "the receiver got something before the scheduled time");
        Assert.False(waiting.IsCompleted);

        Time.Advance(TimeSpan.FromMinutes(1));
        var received = await waiting;

        Assert.NotNull(received);
        Assert.Equal("s-1", received.MessageId);
        Assert.Equal(due, received.ScheduledEnqueueTime);
        Assert.Equal(due, received.EnqueuedTime);
        Assert.Null(Assert.Single(Broker.ActiveMessages(Queue)).ScheduledEnqueueTime);
        await receiver.CompleteMessageAsync(received);
    }

    [Fact]
    public async Task Batch_items_can_be_scheduled_individually_and_received_messages_can_be_resent_later()
    {
        await using var sender = Client.CreateSender(Queue);
        using (var batch = await sender.CreateMessageBatchAsync())
        {
            Assert.True(batch.TryAddMessage(Text("now", "now")));
            Assert.True(batch.TryAddMessage(new ServiceBusMessage("later") { MessageId = "later", ScheduledEnqueueTime = Time.GetUtcNow().AddMinutes(1) }));
            await sender.SendMessagesAsync(batch);
        }

        await using var receiver = Client.CreateReceiver(Queue);
        var now = await ReceiveOneAsync(receiver);
        Assert.Equal("now", now.MessageId);

        // Postpone by re-sending a copy with a schedule, then completing the original.
        await sender.SendMessageAsync(new ServiceBusMessage(now) { MessageId = "now-again", ScheduledEnqueueTime = Time.GetUtcNow().AddMinutes(2) });
        await receiver.CompleteMessageAsync(now);
        Assert.Equal([true, true], Broker.ActiveMessages(Queue).Select(m => m.ScheduledEnqueueTime is not null));

        Time.Advance(TimeSpan.FromMinutes(2));
        var received = (await receiver.ReceiveMessagesAsync(10, TimeSpan.FromSeconds(2))).ToList();
        while (received.Count < 2)
        {
            received.Add(await ReceiveOneAsync(receiver));
        }

        Assert.Equal(["later", "now-again"], received.Select(m => m.MessageId).Order());
        Assert.All(received, m => Assert.Equal(1, m.DeliveryCount));
    }

    [Fact]
    public async Task ScheduleMessageAsync_and_CancelScheduledMessageAsync_work()
    {
        await using var sender = Client.CreateSender(Queue);
        var due = Time.GetUtcNow().AddHours(1);
        var kept = await sender.ScheduleMessageAsync(Text("kept", "k"), due);
        var cancelled = await sender.ScheduleMessageAsync(Text("cancelled", "c"), due);

        Assert.NotEqual(kept, cancelled);
        Assert.Equal(2, Broker.ActiveMessages(Queue).Count);

        await sender.CancelScheduledMessageAsync(cancelled);

        var remaining = Assert.Single(Broker.ActiveMessages(Queue));
        Assert.Equal((kept, "k"), (remaining.SequenceNumber, remaining.MessageId));

        await using var receiver = Client.CreateReceiver(Queue);
        Time.Advance(TimeSpan.FromHours(1));
        var received = await ReceiveOneAsync(receiver);
        Assert.Equal("k", received.MessageId);
        Assert.Equal(kept, received.SequenceNumber);
    }

    [Fact]
    public async Task Expired_lock_makes_the_message_available_again_and_late_settlement_fails()
    {
        await using var sender = Client.CreateSender(Queue);
        await sender.SendMessageAsync(Text("slow", "slow-1"));
        await using var receiver = Client.CreateReceiver(Queue);
        var first = await ReceiveOneAsync(receiver);

        Time.Advance(TimeSpan.FromSeconds(29));
        Assert.Null(await receiver.ReceiveMessageAsync(TimeSpan.FromMilliseconds(300)));

        Time.Advance(TimeSpan.FromSeconds(1));
        var second = await ReceiveOneAsync(receiver);
        Assert.Equal("slow-1", second.MessageId);
        Assert.Equal(2, second.DeliveryCount);
        Assert.NotEqual(first.LockToken, second.LockToken);

        var error = await Assert.ThrowsAsync<ServiceBusException>(() => receiver.CompleteMessageAsync(first));
        Assert.Equal(ServiceBusFailureReason.MessageLockLost, error.Reason);

        await receiver.CompleteMessageAsync(second);
        Assert.Empty(Broker.ActiveMessages(Queue));
    }

    [Fact]
    public async Task RenewMessageLockAsync_extends_the_lock()
    {
        await using var sender = Client.CreateSender(Queue);
        await sender.SendMessageAsync(Text("long job"));
        await using var receiver = Client.CreateReceiver(Queue);
        var message = await ReceiveOneAsync(receiver);

        Time.Advance(TimeSpan.FromSeconds(20));
        await receiver.RenewMessageLockAsync(message);
        Assert.Equal(Time.GetUtcNow().AddSeconds(30), message.LockedUntil);

        Time.Advance(TimeSpan.FromSeconds(20));
        Assert.True(Assert.Single(Broker.ActiveMessages(Queue)).IsLocked);
        await receiver.CompleteMessageAsync(message);

        Assert.Empty(Broker.ActiveMessages(Queue));
    }

    [Fact]
    public async Task Renewing_an_expired_lock_reports_lock_lost()
    {
        await using var sender = Client.CreateSender(Queue);
        await sender.SendMessageAsync(Text("x"));
        await using var receiver = Client.CreateReceiver(Queue);
        var message = await ReceiveOneAsync(receiver);

        Time.Advance(TimeSpan.FromSeconds(31));
        var error = await Assert.ThrowsAsync<ServiceBusException>(() => receiver.RenewMessageLockAsync(message));

        Assert.Equal(ServiceBusFailureReason.MessageLockLost, error.Reason);
    }
}
