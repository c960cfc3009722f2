using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;
using Summit.Reminders.Delivery;
using Summit.Reminders.Infrastructure.ServiceBus;
using Summit.TestSupport.ServiceBus;
using Summit.Reminders.Notifications;

namespace Summit.Functions.Tests;

/// <summary>The Service Bus adapter with the real Azure.Messaging.ServiceBus client against the in-process AMQP broker.</summary>
public sealed class ServiceBusReminderQueueTests : IAsyncLifetime
{
    private readonly FakeTimeProvider _time = new(new DateTimeOffset(2026, 11, 27, 12, 0, 0, TimeSpan.Zero));
    private FakeServiceBusBroker _broker = null!;
    private ServiceBusReminderQueue _queue = null!;

    public async Task InitializeAsync()
    {
        _broker = await FakeServiceBusBroker.StartAsync(new FakeServiceBusBrokerOptions { TimeProvider = _time, MaxDeliveryCount = 3 });
        _queue = new ServiceBusReminderQueue(Options.Create(new ServiceBusQueueOptions
        {
            ConnectionString = _broker.ConnectionString,
            QueueName = "reminders",
            MaxRetries = 1,
            TryTimeout = TimeSpan.FromSeconds(5),
        }), _time);
    }

    public async Task DisposeAsync()
    {
        await _queue.DisposeAsync();
        await _broker.DisposeAsync();
    }

    private static ReminderMessage Reminder(string participant = "p1") =>
        new(NotificationIds.For("m1", "plan1", "P1D", participant), "m1", "plan1", 1, "P1D", participant, new DateTimeOffset(2026, 11, 27, 12, 0, 0, TimeSpan.Zero));

    [Fact]
    public async Task PublishesWithTheReminderIdAsMessageIdAndReceivesItBack()
    {
        await _queue.PublishAsync([Reminder("p1"), Reminder("p2")], default);

        var snapshot = _broker.ActiveMessages("reminders");
        Assert.Equal([Reminder("p1").ReminderId, Reminder("p2").ReminderId], snapshot.Select(m => m.MessageId));
        Assert.All(snapshot, m => Assert.Equal(1, Convert.ToInt32(m.ApplicationProperties["planVersion"], System.Globalization.CultureInfo.InvariantCulture)));

        var received = await _queue.ReceiveAsync(10, TimeSpan.FromSeconds(2), default);
        Assert.Equal(2, received.Count);
        Assert.Equal(Reminder("p1"), received[0].Reminder);
        foreach (var m in received) await m.CompleteAsync(default);
        Assert.Empty(_broker.ActiveMessages("reminders"));
    }

    [Fact]
    public async Task CountsTheMessagesWaitingByPeekingWithoutTheScheduledOnesOrChangingAnything()
    {
        Assert.Equal(0, await _queue.CountWaitingAsync(default));
        var now = _time.GetUtcNow();
        await _queue.PublishAsync([Reminder("p1"), Reminder("p2"), Reminder("p3") with { NotBefore = now.AddMinutes(10) }], default);

        Assert.Equal(2, await _queue.CountWaitingAsync(default));
        Assert.Equal(2, await _queue.CountWaitingAsync(default)); // peeking locks and consumes nothing

        // A message a receiver holds still counts (it comes back if that receiver dies); a completed one does not.
        var received = await _queue.ReceiveAsync(10, TimeSpan.FromSeconds(2), default);
        Assert.Equal(2, received.Count);
        await received[0].CompleteAsync(default);
        Assert.Equal(1, await _queue.CountWaitingAsync(default));
    }

    [Fact]
    public async Task CountsPastOnePageOfPeekedMessages()
    {
        await _queue.PublishAsync(Enumerable.Range(0, 300).Select(i => Reminder($"p{i}")).ToList(), default);

        Assert.Equal(300, await _queue.CountWaitingAsync(default));
    }

    [Fact]
    public async Task APurgeDeletesTheDeadLettersItPicksAndHandsTheOthersBack()
    {
        Assert.Equal(0, await _queue.PurgeAsync(_ => true, default));
        await _queue.PublishAsync([Reminder("p1"), Reminder("p2"), Reminder("p3")], default);
        foreach (var message in await _queue.ReceiveAsync(3, TimeSpan.FromSeconds(2), default))
            await message.DeadLetterAsync("RejectedByEmailProvider", "SendGrid answered 400", default);

        Assert.Equal(2, await _queue.PurgeAsync(r => r.ParticipantId != "p2", default));

        var left = Assert.Single(await _queue.ListAsync(100, default));
        Assert.Equal("p2", left.Reminder!.ParticipantId);
        Assert.Equal(0, await _queue.PurgeAsync(r => r.ParticipantId == "p9", default));
        Assert.Single(await _queue.ListAsync(100, default)); // handed back, not lost
    }

    [Fact]
    public async Task ASecondPublishOfTheSameReminderIsDroppedByDuplicateDetection()
    {
        await _queue.PublishAsync([Reminder()], default);
        await _queue.PublishAsync([Reminder()], default);

        Assert.Single(_broker.ActiveMessages("reminders"));
        Assert.Equal(1, _broker.DuplicatesDropped("reminders"));
    }

    [Fact]
    public async Task AFutureNotBeforeStaysInvisibleUntilItsMoment()
    {
        await _queue.PublishAsync([Reminder() with { NotBefore = _time.GetUtcNow().AddSeconds(30) }], default);

        Assert.Empty(await _queue.ReceiveAsync(1, TimeSpan.FromMilliseconds(300), default));
        _time.Advance(TimeSpan.FromSeconds(31));
        Assert.Single(await _queue.ReceiveAsync(1, TimeSpan.FromSeconds(2), default));
    }

    [Fact]
    public async Task RetryLaterSchedulesACopyAndCompletesTheOriginalWithoutSpendingADelivery()
    {
        await _queue.PublishAsync([Reminder()], default);
        var first = Assert.Single(await _queue.ReceiveAsync(1, TimeSpan.FromSeconds(2), default));

        await first.RetryLaterAsync(first.Reminder! with { Reschedules = 1, FailedAttempts = 1 }, _time.GetUtcNow().AddMinutes(1), default);

        var waiting = Assert.Single(_broker.ActiveMessages("reminders"));
        Assert.Equal(Reminder().ReminderId + "~1", waiting.MessageId);
        Assert.Equal(_time.GetUtcNow().AddMinutes(1), waiting.ScheduledEnqueueTime);
        _time.Advance(TimeSpan.FromMinutes(1));
        var again = Assert.Single(await _queue.ReceiveAsync(1, TimeSpan.FromSeconds(2), default));
        Assert.Equal(1, again.DeliveryCount);
        Assert.Equal(1, again.Reminder!.FailedAttempts);
    }

    [Fact]
    public async Task AbandonRedeliversAndDeadLetterKeepsTheReason()
    {
        await _queue.PublishAsync([Reminder()], default);
        var first = Assert.Single(await _queue.ReceiveAsync(1, TimeSpan.FromSeconds(2), default));
        await first.AbandonAsync(default);

        var second = Assert.Single(await _queue.ReceiveAsync(1, TimeSpan.FromSeconds(2), default));
        Assert.Equal(2, second.DeliveryCount);
        await second.DeadLetterAsync("RejectedByEmailProvider", "SendGrid answered 400: invalid address", default);

        var dead = Assert.Single(_broker.DeadLetteredMessages("reminders"));
        Assert.Equal("RejectedByEmailProvider", dead.DeadLetterReason);
        Assert.Equal("SendGrid answered 400: invalid address", dead.DeadLetterErrorDescription);
        Assert.Empty(_broker.ActiveMessages("reminders"));
    }

    [Theory]
    [InlineData("not json at all")]
    [InlineData("{\"schema\":1,\"reminderId\":\"x\",\"meetingId\":\"m1\",\"planId\":\"p\",\"offset\":\"P1D\",\"participantId\":\"a\"}")]
    [InlineData("{\"schema\":9}")]
    public async Task AForeignBodyIsReportedNotThrown(string body)
    {
        await using (var client = new Azure.Messaging.ServiceBus.ServiceBusClient(_broker.ConnectionString))
            await client.CreateSender("reminders").SendMessageAsync(new Azure.Messaging.ServiceBus.ServiceBusMessage(body));

        var received = Assert.Single(await _queue.ReceiveAsync(1, TimeSpan.FromSeconds(2), default));
        Assert.Null(received.Reminder);
        Assert.False(string.IsNullOrEmpty(received.ParseError));
    }

    [Fact]
    public async Task AnUnreachableBrokerIsReportedAsUnavailable()
    {
        _broker.Stop();
        await Assert.ThrowsAsync<Summit.Reminders.DependencyUnavailableException>(() => _queue.PublishAsync([Reminder()], default));
    }
}
