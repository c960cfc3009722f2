using Summit.Reminders.Infrastructure.Queues;
using Azure.Storage.Queues;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Summit.Reminders.Delivery;
using Summit.Reminders.Infrastructure.StorageQueues;
using Summit.Reminders.Ports;
using Summit.TestSupport.Storage;
using Summit.Reminders;
using Summit.Reminders.Notifications;

namespace Summit.Functions.Tests;

/// <summary>The Storage Queue transport against Azurite, on the real clock (Azurite hides and reveals messages on its
/// own clock): publish, receive, complete, retry later, abandon, dead-letter, poison after the dequeue limit.</summary>
public sealed class StorageQueueReminderQueueTests : IAsyncLifetime
{
    private readonly string _name = "t" + Guid.NewGuid().ToString("N")[..16];
    private StorageQueueReminderQueue _queue = null!;

    private StorageQueueReminderQueue Create(int maxDequeueCount = 10, TimeSpan? visibility = null) => new(
        Options.Create(new StorageQueueOptions
        {
            ConnectionString = Azurite.ConnectionString,
            QueueName = _name,
            MaxDequeueCount = maxDequeueCount,
            VisibilityTimeout = visibility ?? TimeSpan.FromSeconds(30),
            PollInterval = TimeSpan.FromMilliseconds(200),
        }),
        TimeProvider.System, NullLogger<StorageQueueReminderQueue>.Instance);

    public async Task InitializeAsync()
    {
        await Azurite.EnsureRunningAsync();
        _queue = Create();
    }

    public async Task DisposeAsync()
    {
        await _queue.Queue.DeleteIfExistsAsync();
        await _queue.Poison.DeleteIfExistsAsync();
    }

    private static ReminderMessage Reminder(string participant = "p1", DateTimeOffset? notBefore = null) =>
        new(NotificationIds.For("m1", "plan0001", "PT2H", participant), "m1", "plan0001", 1, "PT2H", participant,
            new DateTimeOffset(2026, 12, 10, 8, 0, 0, TimeSpan.Zero), notBefore);

    private async Task<int> VisibleCountAsync(QueueClient queue) => (await queue.PeekMessagesAsync(32)).Value.Length;

    [Fact]
    public async Task APublishedReminderIsReceivedIntactAndGoneOnceCompleted()
    {
        await _queue.PublishAsync([Reminder("p1"), Reminder("p2")], default);

        var received = await _queue.ReceiveAsync(10, TimeSpan.FromSeconds(5), default);

        Assert.Equal(2, received.Count);
        var first = received.Single(r => r.Reminder!.ParticipantId == "p1");
        Assert.Equal(Reminder("p1") with { NotBefore = null }, first.Reminder);
        Assert.Null(first.ParseError);
        Assert.Equal(1, first.DeliveryCount);
        // Received messages are locked: nobody else sees them.
        Assert.Empty(await _queue.ReceiveAsync(10, TimeSpan.Zero, default));
        foreach (var r in received) await r.CompleteAsync(default);
        Assert.Equal(0, await VisibleCountAsync(_queue.Queue));
        Assert.Equal(0, await VisibleCountAsync(_queue.Poison));
    }

    [Fact]
    public async Task AReminderPublishedForLaterStaysInvisibleUntilThen()
    {
        await _queue.PublishAsync([Reminder(notBefore: DateTimeOffset.UtcNow.AddSeconds(3))], default);

        Assert.Empty(await _queue.ReceiveAsync(10, TimeSpan.Zero, default));
        var received = await _queue.ReceiveAsync(10, TimeSpan.FromSeconds(10), default);
        Assert.Single(received);
    }

    [Fact]
    public async Task RetryLaterReplacesTheMessageWithoutSpendingADeliveryAttempt()
    {
        await _queue.PublishAsync([Reminder()], default);
        var first = Assert.Single(await _queue.ReceiveAsync(1, TimeSpan.FromSeconds(5), default));

        await first.RetryLaterAsync(first.Reminder! with { FailedAttempts = 1, Reschedules = 1 }, DateTimeOffset.UtcNow.AddSeconds(2), default);

        Assert.Empty(await _queue.ReceiveAsync(1, TimeSpan.Zero, default));
        var again = Assert.Single(await _queue.ReceiveAsync(1, TimeSpan.FromSeconds(10), default));
        Assert.Equal(1, again.DeliveryCount);
        Assert.Equal(1, again.Reminder!.FailedAttempts);
        Assert.Equal(1, again.Reminder.Reschedules);
        await again.CompleteAsync(default);
        Assert.Equal(0, await VisibleCountAsync(_queue.Queue));
    }

    [Fact]
    public async Task AnAbandonedMessageComesBackAtOnceAndCountsTheDelivery()
    {
        await _queue.PublishAsync([Reminder()], default);
        var first = Assert.Single(await _queue.ReceiveAsync(1, TimeSpan.FromSeconds(5), default));

        await first.AbandonAsync(default);

        var again = Assert.Single(await _queue.ReceiveAsync(1, TimeSpan.FromSeconds(5), default));
        Assert.Equal(2, again.DeliveryCount);
    }

    [Fact]
    public async Task ADeadLetterGoesToThePoisonQueueWithItsReasonAndTheOriginalBody()
    {
        await _queue.PublishAsync([Reminder()], default);
        var message = Assert.Single(await _queue.ReceiveAsync(1, TimeSpan.FromSeconds(5), default));

        await message.DeadLetterAsync("RejectedByEmailProvider", "SendGrid answered 400: invalid email", default);

        Assert.Equal(0, await VisibleCountAsync(_queue.Queue));
        var poison = Assert.Single((await _queue.Poison.ReceiveMessagesAsync(10)).Value);
        var envelope = StorageQueueReminderQueue.ReadPoison(poison.Body)!;
        Assert.Equal("RejectedByEmailProvider", envelope.Reason);
        Assert.Equal("SendGrid answered 400: invalid email", envelope.Description);
        Assert.Equal(message.MessageId, envelope.MessageId);
        Assert.Equal(Reminder().ReminderId, Summit.Reminders.Infrastructure.Queues.ReminderMessageSerializer.TryParse(BinaryData.FromString(envelope.Body)).Message!.ReminderId);
    }

    [Fact]
    public async Task APurgeDeletesTheDeadLettersItPicksAndHandsTheOthersBack()
    {
        Assert.Equal(0, await _queue.PurgeAsync(_ => true, default)); // nothing parked: one peek
        await _queue.PublishAsync([Reminder("p1"), Reminder("p2"), Reminder("p3")], default);
        foreach (var message in await _queue.ReceiveAsync(3, TimeSpan.FromSeconds(5), default))
            await message.DeadLetterAsync("RejectedByEmailProvider", "SendGrid answered 400", default);

        Assert.Equal(2, await _queue.PurgeAsync(r => r.ParticipantId != "p2", default));

        var left = Assert.Single(await _queue.ListAsync(32, default));
        Assert.Equal("p2", left.Reminder!.ParticipantId);
    }

    [Fact]
    public async Task AMessageReceivedMoreOftenThanTheLimitIsMovedToThePoisonQueueInsteadOfDelivered()
    {
        var queue = Create(maxDequeueCount: 2, visibility: TimeSpan.FromSeconds(1));
        await queue.PublishAsync([Reminder()], default);

        // Two receives whose processing never completes (the process died, say): the lock runs out each time.
        Assert.Equal(1, Assert.Single(await queue.ReceiveAsync(1, TimeSpan.FromSeconds(5), default)).DeliveryCount);
        Assert.Equal(2, Assert.Single(await queue.ReceiveAsync(1, TimeSpan.FromSeconds(5), default)).DeliveryCount);

        // The third receive finds it over the limit: it is poisoned, not handed out.
        Assert.Empty(await queue.ReceiveAsync(1, TimeSpan.FromSeconds(3), default));
        var poison = Assert.Single((await queue.Poison.ReceiveMessagesAsync(10)).Value);
        var envelope = StorageQueueReminderQueue.ReadPoison(poison.Body)!;
        Assert.Equal("MaxDequeueCountExceeded", envelope.Reason);
        Assert.Equal(3, envelope.DequeueCount);
        Assert.Equal(0, await VisibleCountAsync(queue.Queue));
    }

    [Fact]
    public async Task AfterItsLockRanOutAMessageIsNeitherLostNorDoubledByTheLateHolder()
    {
        var queue = Create(visibility: TimeSpan.FromSeconds(1));
        await queue.PublishAsync([Reminder("p1"), Reminder("p2"), Reminder("p3")], default);
        var late = await queue.ReceiveAsync(3, TimeSpan.FromSeconds(5), default);
        Assert.Equal(3, late.Count);

        // The locks run out and another receiver takes all three before the first one is done with them.
        await Task.Delay(1500);
        var current = await Create(visibility: TimeSpan.FromSeconds(30)).ReceiveAsync(3, TimeSpan.FromSeconds(5), default);
        Assert.Equal(3, current.Count);

        // The late holder's complete, retry and dead-letter change nothing (and do not throw).
        await late.Single(m => m.Reminder!.ParticipantId == "p1").CompleteAsync(default);
        var p2 = late.Single(m => m.Reminder!.ParticipantId == "p2");
        await p2.RetryLaterAsync(p2.Reminder! with { Reschedules = 1 }, DateTimeOffset.UtcNow, default);
        await late.Single(m => m.Reminder!.ParticipantId == "p3").DeadLetterAsync("Test", "late dead letter", default);
        await late.Single(m => m.Reminder!.ParticipantId == "p1").AbandonAsync(default);

        Assert.Empty((await queue.Poison.PeekMessagesAsync(32)).Value);
        Assert.Empty((await queue.Queue.PeekMessagesAsync(32)).Value); // no copy appeared: the three are held by the current receiver
        foreach (var message in current) await message.CompleteAsync(default);
        Assert.Empty(await queue.ReceiveAsync(10, TimeSpan.FromSeconds(2), default));
    }

    [Fact]
    public async Task AForeignMessageIsHandedOverWithTheReasonItCannotBeRead()
    {
        await _queue.Queue.CreateIfNotExistsAsync();
        await _queue.Queue.SendMessageAsync("{\"hello\":\"world\"}");

        var message = Assert.Single(await _queue.ReceiveAsync(1, TimeSpan.FromSeconds(5), default));

        Assert.Null(message.Reminder);
        Assert.Contains("unknown schema version", message.ParseError);
    }

    [Fact]
    public async Task UnreachableStorageIsReportedAsADependencyOutage()
    {
        var queue = new StorageQueueReminderQueue(
            Options.Create(new StorageQueueOptions
            {
                ConnectionString = "DefaultEndpointsProtocol=http;AccountName=devstoreaccount1;AccountKey=Eby8vdM02xNOcqFlqUwJPLlmEtlCDXJ1OUzFT50uSRZ6IFsuFq2UVErCz4I6tq/K1SZFPTOtr/KBHBeksoGMGw==;QueueEndpoint=http://127.0.0.1:1/devstoreaccount1;",
                QueueName = _name,
            }),
            TimeProvider.System, NullLogger<StorageQueueReminderQueue>.Instance);

        var publish = await Assert.ThrowsAsync<DependencyUnavailableException>(() => queue.PublishAsync([Reminder()], default));
        Assert.Equal("Storage Queue", publish.Dependency);
        await Assert.ThrowsAsync<DependencyUnavailableException>(() => queue.ReceiveAsync(1, TimeSpan.Zero, default));
    }
}
