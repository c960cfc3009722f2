using Microsoft.Azure.Functions.Worker;
using Summit.Reminders.Infrastructure.Queues;
using Azure.Storage.Queues;
using MimeKit;
using Summit.Functions.Pipeline;
using Summit.Reminders.Infrastructure.Mail;
using Summit.Reminders.Infrastructure.StorageQueues;
using Summit.Reminders.Ports;
using Summit.TestSupport.Storage;
using Summit.Reminders.Notifications;

namespace Summit.Functions.Tests;

/// <summary>The local composition end to end: the same functions with the Storage Queue transport (Azurite) and the
/// pickup-folder email transport, chosen by settings alone.</summary>
public sealed class LocalTransportsEndToEndTests : IAsyncLifetime
{
    private readonly string _queueName = "t" + Guid.NewGuid().ToString("N")[..16];
    private readonly string _outbox = Path.Combine(Path.GetTempPath(), "summit-outbox-" + Guid.NewGuid().ToString("N"));
    private TestApp _app = null!;

    public async Task InitializeAsync() => _app = await TestApp.StartAsync(settings =>
    {
        settings["ReminderQueue:Transport"] = "StorageQueue";
        settings["StorageQueue:ConnectionString"] = Azurite.ConnectionString;
        settings["StorageQueue:QueueName"] = _queueName;
        settings["Email:Transport"] = "PickupFolder";
        settings["Email:PickupFolder"] = _outbox;
        settings["SendGrid:ApiKey"] = null;
        // The fake clock does not move while a receive polls, so a run takes what is visible and stops.
        settings["Delivery:ReceiveWait"] = "00:00:00";
    });

    public async Task DisposeAsync()
    {
        await _app.DisposeAsync();
        await new QueueClient(Azurite.ConnectionString, _queueName).DeleteIfExistsAsync();
        await new QueueClient(Azurite.ConnectionString, _queueName + "-poison").DeleteIfExistsAsync();
        if (Directory.Exists(_outbox)) Directory.Delete(_outbox, recursive: true);
    }

    [Fact]
    public async Task TheSettingsChooseTheLocalTransports()
    {
        Assert.IsType<StorageQueueReminderQueue>(_app.Get<IReminderQueue>());
        Assert.IsType<PickupFolderEmailSender>(_app.Get<IEmailSender>());
        var health = await new Api(_app).HealthAsync();
        Assert.Equal(200, health.Status);
        Assert.Equivalent(new[] { "Table Storage", "Storage queue", "Email pickup folder" },
            health.Json.GetProperty("dependencies").EnumerateArray().Select(d => d.GetProperty("name").GetString()));
    }

    [Fact]
    public async Task AReminderTravelsThroughTheStorageQueueIntoThePickupFolderOnce()
    {
        var api = new Api(_app);
        await api.CreateIdAsync(); // Seoul 2026-12-10 10:00; the 7-day reminder is due 2026-12-03 01:00 UTC
        var timers = _app.Function<ReminderTimers>();

        _app.Time.SetUtcNow(new DateTimeOffset(2026, 12, 3, 1, 0, 30, TimeSpan.Zero));
        await timers.ScheduleDueReminders(new TimerInfo(), default);
        await timers.DeliverReminders(new TimerInfo(), default);
        await timers.ScheduleDueReminders(new TimerInfo(), default);
        await timers.DeliverReminders(new TimerInfo(), default);

        var all = Directory.GetFiles(_outbox, "*.eml").Select(f => MimeMessage.Load(f)).ToList();
        Assert.Equal(4, all.Count); // the invitations (sent with the first tick) and the reminders
        var emails = all.Where(e => (e.Headers["X-Summit-Categories"] ?? "").StartsWith("reminder", StringComparison.Ordinal)).ToList();
        Assert.Equal(2, emails.Count);
        Assert.Equivalent(new[] { "ayse@example.org", "seoyeon@example.org" }, emails.Select(e => e.To.Mailboxes.Single().Address));
        Assert.Equal("Reminder: Joint Economic Committee — restart session starts in 7 days", emails.Single(e => e.To.Mailboxes.Single().Address == "seoyeon@example.org").Subject);
        Assert.Equal("Hatırlatma: Joint Economic Committee — restart session 7 gün sonra başlıyor", emails.Single(e => e.To.Mailboxes.Single().Address == "ayse@example.org").Subject);
        Assert.True(File.Exists(Path.Combine(_outbox, PickupFolderEmailSender.IndexFileName)));
        Assert.Empty((await new QueueClient(Azurite.ConnectionString, _queueName).PeekMessagesAsync(32)).Value);
    }

    [Fact]
    public async Task ForeignDamagedAndOrphanedMessagesGoToThePoisonQueueWithAReasonAndTheRemindersStillGoOut()
    {
        var api = new Api(_app);
        await api.CreateIdAsync();
        var timers = _app.Function<ReminderTimers>();
        await timers.ScheduleDueReminders(new TimerInfo(), default); // the invitations
        await timers.DeliverReminders(new TimerInfo(), default);

        // Three messages that are not ours to send, in the queue beside the reminders: not JSON, JSON of another
        // system, and a well-formed reminder of a meeting that does not exist.
        var queue = new QueueClient(Azurite.ConnectionString, _queueName);
        await queue.SendMessageAsync("this is not json");
        await queue.SendMessageAsync("{\"orderId\":42,\"kind\":\"invoice\"}");
        var orphan = new Summit.Reminders.Delivery.ReminderMessage(
            NotificationIds.For("m000000000000000000000000", "p1", "P1D", "x1"), "m000000000000000000000000", "p1", 1, "P1D", "x1",
            new DateTimeOffset(2026, 12, 3, 1, 0, 0, TimeSpan.Zero));
        await queue.SendMessageAsync(Summit.Reminders.Infrastructure.Queues.ReminderMessageSerializer.Serialize(orphan).ToString());

        _app.Time.SetUtcNow(new DateTimeOffset(2026, 12, 3, 1, 0, 30, TimeSpan.Zero));
        await timers.ScheduleDueReminders(new TimerInfo(), default);
        await timers.DeliverReminders(new TimerInfo(), default);

        var reminders = Directory.GetFiles(_outbox, "*.eml").Select(f => MimeMessage.Load(f))
            .Where(e => (e.Headers["X-Summit-Categories"] ?? "").StartsWith("reminder", StringComparison.Ordinal)).ToList();
        Assert.Equal(2, reminders.Count); // the run went on past the three
        Assert.Empty((await queue.PeekMessagesAsync(32)).Value);

        var poison = (await new QueueClient(Azurite.ConnectionString, _queueName + "-poison").PeekMessagesAsync(32)).Value
            .Select(m => StorageQueueReminderQueue.ReadPoison(m.Body)!).ToList();
        Assert.Equal(3, poison.Count);
        Assert.Equal(2, poison.Count(p => p.Reason == "MalformedMessage"));
        Assert.Contains(poison, p => p.Body == "this is not json" && p.Description.StartsWith("the body is not reminder JSON", StringComparison.Ordinal));
        Assert.Contains(poison, p => p.Body.Contains("invoice", StringComparison.Ordinal) && p.Description == "unknown schema version 0");
        var orphaned = Assert.Single(poison, p => p.Reason == "MeetingNotFound");
        Assert.Equal("meeting m000000000000000000000000 does not exist", orphaned.Description);

        // The dead-letter list of the admin endpoint shows all three with their reasons.
        var listed = await _app.Get<IDeadLetterQueue>().ListAsync(100, default);
        Assert.Equal(3, listed.Count);
    }
}
