using Summit.Functions.Pipeline;
using Summit.TestSupport.Storage;

namespace Summit.Functions.Tests;

/// <summary>Fault 9 for real: the Azurite holding the tables is stopped while the app runs, then started again.</summary>
public sealed class AzuriteStoppedTests : IAsyncLifetime
{
    private PrivateAzurite _azurite = null!;
    private TestApp _app = null!;

    public async Task InitializeAsync()
    {
        _azurite = await PrivateAzurite.StartAsync();
        _app = await TestApp.StartAsync(settings => settings["Storage:ConnectionString"] = _azurite.ConnectionString);
    }

    public async Task DisposeAsync()
    {
        await _app.DisposeAsync();
        await _azurite.DisposeAsync();
    }

    [Fact]
    public async Task RequestsGet503TicksLeaveEverythingAndNothingIsLostWhenItComesBack()
    {
        var api = new Api(_app);
        var timers = _app.Function<ReminderTimers>();
        var id = await api.CreateIdAsync(Api.Meeting(offsets: ["P1D"])); // due 2026-12-09 01:00 UTC, two participants

        await _azurite.StopAsync();

        var create = await api.CreateAsync(Api.Meeting(title: "Registered during the outage"));
        Assert.Equal(503, create.Status);
        Assert.EndsWith("/dependency-unavailable", create.Json.GetProperty("type").GetString());
        Assert.Equal("30", create.Header("Retry-After"));
        Assert.Equal(503, (await api.GetAsync(id)).Status);
        Assert.Equal(503, (await api.HealthAsync()).Status);

        _app.Time.SetUtcNow(new DateTimeOffset(2026, 12, 9, 1, 0, 30, TimeSpan.Zero));
        await timers.ScheduleDueReminders(null!, default); // logs and returns: nothing to lose, nothing half-done
        await timers.DeliverReminders(null!, default);
        Assert.Empty(_app.SendGrid.Requests);
        Assert.Contains(_app.Logs.Lines, l => l.Contains("ScheduleDueReminders skipped this run: Table Storage is unavailable", StringComparison.Ordinal));

        await _azurite.StartAgainAsync();

        await timers.ScheduleDueReminders(null!, default);
        await Task.Delay(50);
        await timers.DeliverReminders(null!, default);
        Assert.Equal(2, _app.SendGrid.Accepted.Count);
        Assert.All((await api.GetAsync(id)).Json.GetProperty("reminders").EnumerateArray(), r => Assert.Equal("sent", r.GetProperty("state").GetString()));
        var list = (await api.ListAsync()).Json.GetProperty("items").EnumerateArray().ToList();
        Assert.Equal([id], list.Select(m => m.GetProperty("id").GetString()));
    }

    [Fact]
    public async Task RemindersAlreadyQueuedWaitOutAnOutageWithoutSpendingDeliveriesAndAreSentOnce()
    {
        var api = new Api(_app);
        var timers = _app.Function<ReminderTimers>();
        var id = await api.CreateIdAsync(Api.Meeting(offsets: ["P1D"]));
        var at = new DateTimeOffset(2026, 12, 9, 1, 0, 30, TimeSpan.Zero);
        _app.Time.SetUtcNow(at);
        await timers.ScheduleDueReminders(null!, default);
        Assert.Equal(2, _app.Broker.ActiveMessages(TestApp.QueueName).Count);

        await _azurite.StopAsync();
        // More delivery runs than the queue allows deliveries (10): each run hands the messages back for a minute.
        for (var run = 0; run < 11; run++)
        {
            at = at.AddMinutes(1).AddSeconds(1);
            _app.Time.SetUtcNow(at);
            await Task.Delay(50);
            await timers.DeliverReminders(null!, default);
        }
        Assert.Empty(_app.SendGrid.Requests);
        Assert.Empty(_app.Broker.DeadLetteredMessages(TestApp.QueueName));
        Assert.All(_app.Broker.ActiveMessages(TestApp.QueueName), m => Assert.True(m.DeliveryCount <= 1, $"delivery count {m.DeliveryCount}"));

        await _azurite.StartAgainAsync();
        _app.Time.SetUtcNow(at.AddMinutes(2));
        await Task.Delay(50);
        await timers.DeliverReminders(null!, default);

        Assert.Equal(2, _app.SendGrid.Accepted.Count);
        Assert.Empty(_app.Broker.DeadLetteredMessages(TestApp.QueueName));
        Assert.All((await api.GetAsync(id)).Json.GetProperty("reminders").EnumerateArray(), r => Assert.Equal("sent", r.GetProperty("state").GetString()));
    }
}

/// <summary>Storage that hangs instead of refusing: requests and runs give up after the network timeout and treat it as
/// an outage (found by the soak run, where an overloaded Azurite once answered nothing for over 20 s).</summary>
public sealed class AzuriteStalledTests : IAsyncLifetime
{
    private PrivateAzurite _azurite = null!;
    private TestApp _app = null!;

    public async Task InitializeAsync()
    {
        _azurite = await PrivateAzurite.StartAsync();
        _app = await TestApp.StartAsync(settings =>
        {
            settings["Storage:ConnectionString"] = _azurite.ConnectionString;
            settings["Storage:NetworkTimeout"] = "00:00:02";
        });
    }

    public async Task DisposeAsync()
    {
        await _app.DisposeAsync();
        await _azurite.DisposeAsync();
    }

    [Fact]
    public async Task AHangingStoreIsAnOutageNotACrashAndNothingIsLost()
    {
        var api = new Api(_app);
        var timers = _app.Function<ReminderTimers>();
        var id = await api.CreateIdAsync(Api.Meeting(offsets: ["P1D"]));
        var at = new DateTimeOffset(2026, 12, 9, 1, 0, 30, TimeSpan.Zero);
        _app.Time.SetUtcNow(at);
        await timers.ScheduleDueReminders(null!, default);

        await _azurite.PauseAsync();
        Assert.Equal(503, (await api.CreateAsync(Api.Meeting(title: "Registered while storage hangs"))).Status);
        await timers.DeliverReminders(null!, default); // logs and returns instead of failing the run
        Assert.Empty(_app.SendGrid.Requests);
        Assert.Contains(_app.Logs.Lines, l => l.Contains("DeliverReminders skipped this run: Table Storage is unavailable", StringComparison.Ordinal));

        await _azurite.ResumeAsync();
        _app.Time.SetUtcNow(at.AddMinutes(2));
        await Task.Delay(50);
        await timers.DeliverReminders(null!, default);
        Assert.Equal(2, _app.SendGrid.Accepted.Count);
        Assert.Empty(_app.Broker.DeadLetteredMessages(TestApp.QueueName));
        Assert.Equal([id], (await api.ListAsync()).Json.GetProperty("items").EnumerateArray().Select(m => m.GetProperty("id").GetString()));
    }
}
