using System.Collections.Concurrent;
using System.Diagnostics;
using Azure.Messaging.ServiceBus;

namespace Summit.TestSupport.Tests.ServiceBus;

public sealed class ReceiverBehaviourTests : BrokerTestBase
{
    [Fact]
    public async Task ReceiveMessagesAsync_returns_promptly_when_messages_exist_and_empty_after_max_wait_otherwise()
    {
        await using var sender = Client.CreateSender(Queue);
        await using var receiver = Client.CreateReceiver(Queue);

        var watch = Stopwatch.StartNew();
        var none = await receiver.ReceiveMessagesAsync(5, TimeSpan.FromMilliseconds(500));
        Assert.Empty(none);
        Assert.InRange(watch.Elapsed, TimeSpan.FromMilliseconds(400), TimeSpan.FromSeconds(3));

        await sender.SendMessagesAsync([Text("a"), Text("b")]);
        watch.Restart();
        var some = await receiver.ReceiveMessagesAsync(5, TimeSpan.FromSeconds(10));
        Assert.NotEmpty(some);
        Assert.True(watch.Elapsed < TimeSpan.FromSeconds(2), $"took {watch.Elapsed}");
    }

    [Fact]
    public async Task Closing_receivers_and_client_does_not_hang()
    {
        var client = CreateClient();
        await using (var sender = client.CreateSender(Queue))
        {
            await sender.SendMessageAsync(Text("x"));
        }

        var receiver = client.CreateReceiver(Queue);
        var message = await ReceiveOneAsync(receiver);
        await receiver.CompleteMessageAsync(message);
        Assert.Empty(await receiver.ReceiveMessagesAsync(10, TimeSpan.FromMilliseconds(200)));

        var prefetching = client.CreateReceiver(Queue, new ServiceBusReceiverOptions { PrefetchCount = 20 });
        Assert.Null(await prefetching.ReceiveMessageAsync(TimeSpan.FromMilliseconds(200)));

        var dlq = client.CreateReceiver(Queue, new ServiceBusReceiverOptions { SubQueue = SubQueue.DeadLetter });
        Assert.Null(await dlq.ReceiveMessageAsync(TimeSpan.FromMilliseconds(200)));

        var watch = Stopwatch.StartNew();
        await receiver.DisposeAsync();
        await prefetching.DisposeAsync();
        await dlq.DisposeAsync();
        await client.DisposeAsync();

        Assert.True(watch.Elapsed < TimeSpan.FromSeconds(3), $"closing took {watch.Elapsed}");
    }

    [Fact]
    public async Task Prefetched_but_unused_messages_are_released_when_the_receiver_closes()
    {
        await using var sender = Client.CreateSender(Queue);
        await sender.SendMessagesAsync(Enumerable.Range(0, 5).Select(i => Text($"m{i}")));

        var prefetching = Client.CreateReceiver(Queue, new ServiceBusReceiverOptions { PrefetchCount = 10 });
        var first = await ReceiveOneAsync(prefetching);
        await prefetching.CompleteMessageAsync(first);
        var watch = Stopwatch.StartNew();
        await prefetching.DisposeAsync();
        Assert.True(watch.Elapsed < TimeSpan.FromSeconds(3), $"closing took {watch.Elapsed}");

        await using var receiver = Client.CreateReceiver(Queue);
        var rest = new List<ServiceBusReceivedMessage>();
        while (rest.Count < 4)
        {
            var batch = await receiver.ReceiveMessagesAsync(10, TimeSpan.FromSeconds(5));
            Assert.NotEmpty(batch);
            rest.AddRange(batch);
        }

        Assert.All(rest, m => Assert.Equal(1, m.DeliveryCount));
    }

    [Fact]
    public async Task Competing_receivers_never_hold_the_same_message()
    {
        const int total = 40;
        await using var sender = Client.CreateSender(Queue);
        await sender.SendMessagesAsync(Enumerable.Range(0, total).Select(i => Text($"m{i}", $"id-{i}")));

        var seen = new ConcurrentBag<(int Receiver, string Id)>();
        async Task Consume(int index)
        {
            await using var receiver = Client.CreateReceiver(Queue);
            while (true)
            {
                var batch = await receiver.ReceiveMessagesAsync(3, TimeSpan.FromMilliseconds(500));
                if (batch.Count == 0)
                {
                    return;
                }

                foreach (var message in batch)
                {
                    seen.Add((index, message.MessageId));
                }

                await Task.Delay(10); // hold the locks a little while the other receiver works
                foreach (var message in batch)
                {
                    await receiver.CompleteMessageAsync(message);
                }
            }
        }

        await Task.WhenAll(Consume(1), Consume(2));

        Assert.Equal(total, seen.Count);
        Assert.Equal(total, seen.Select(s => s.Id).Distinct().Count());
        Assert.Equal(2, seen.Select(s => s.Receiver).Distinct().Count());
        Assert.Empty(Broker.ActiveMessages(Queue));
    }

    [Fact]
    public async Task PeekMessagesAsync_returns_messages_without_locking_them()
    {
        await using var sender = Client.CreateSender(Queue);
        await sender.SendMessagesAsync([Text("a", "a"), Text("b", "b"), Text("c", "c")]);
        await using var receiver = Client.CreateReceiver(Queue);

        var peeked = await receiver.PeekMessagesAsync(2);
        Assert.Equal(["a", "b"], peeked.Select(m => m.MessageId));
        Assert.Equal(0, peeked[0].DeliveryCount);
        var next = await receiver.PeekMessagesAsync(5);
        Assert.Equal(["c"], next.Select(m => m.MessageId));
        Assert.Empty(await receiver.PeekMessagesAsync(5));
        Assert.All(Broker.ActiveMessages(Queue), m => Assert.False(m.IsLocked));

        var fromStart = await receiver.PeekMessagesAsync(10, fromSequenceNumber: 1);
        Assert.Equal(3, fromStart.Count);
    }

    [Fact]
    public async Task ServiceBusProcessor_processes_and_stops_quickly()
    {
        await using var sender = Client.CreateSender(Queue);
        await sender.SendMessagesAsync(Enumerable.Range(0, 10).Select(i => Text($"m{i}")));

        var processed = new ConcurrentBag<string>();
        var done = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        await using var processor = Client.CreateProcessor(Queue, new ServiceBusProcessorOptions { MaxConcurrentCalls = 4 });
        processor.ProcessMessageAsync += args =>
        {
            processed.Add(args.Message.Body.ToString());
            if (processed.Count == 10)
            {
                done.TrySetResult();
            }

            return Task.CompletedTask;
        };
        processor.ProcessErrorAsync += args =>
        {
            done.TrySetException(args.Exception);
            return Task.CompletedTask;
        };

        await processor.StartProcessingAsync();
        await done.Task.WaitAsync(TimeSpan.FromSeconds(10));
        var watch = Stopwatch.StartNew();
        await processor.StopProcessingAsync();

        Assert.True(watch.Elapsed < TimeSpan.FromSeconds(3), $"stopping took {watch.Elapsed}");
        Assert.Equal(10, processed.Distinct().Count());
        await WaitUntil(() => Broker.ActiveMessages(Queue).Count == 0);
    }

    private static async Task WaitUntil(Func<bool> condition)
    {
        var deadline = DateTime.UtcNow.AddSeconds(5);
        while (!condition())
        {
            Assert.True(DateTime.UtcNow < deadline, "condition not met in time");
            await Task.Delay(20);
        }
    }
}
