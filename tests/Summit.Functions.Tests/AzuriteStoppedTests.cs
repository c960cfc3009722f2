using Microsoft.Azure.Functions.Worker;
using Summit.Functions.Pipeline;
using Summit.TestSupport.Storage;

namespace Summit.Functions.Tests;

/// <summary>The app on tables of an Azurite of the test's own, which the test can stop, freeze and start again.</summary>
public abstract class PrivateAzuriteTest : IAsyncLifetime
{
    protected PrivateAzurite Azurite { get; private set; } = null!;
    protected TestApp App { get; private set; } = null!;

    /// <summary>Override to change settings of the app under test (the storage connection is set already).</summary>
    protected virtual void Configure(Dictionary<string, string?> settings)
    {
    }

    public async Task InitializeAsync()
    {
        Azurite = await PrivateAzurite.StartAsync();
        App = await TestApp.StartAsync(settings =>
        {
            settings["Storage:ConnectionString"] = Azurite.ConnectionString;
            Configure(settings);
        });
    }

    public async Task DisposeAsync()
    {
        await App.DisposeAsync();
        await Azurite.DisposeAsync();
    }
}

/// <summary>Fault 9 for real: the Azurite holding the tables is stopped while the app runs, then started again.</summary>
public sealed class AzuriteStoppedTests : PrivateAzuriteTest
{
    [Fact]
    public async Task RequestsGet503TicksLeaveEverythingAndNothingIsLostWhenItComesBack()
    {
        var api = new Api(App);
        var timers = App.Function<ReminderTimers>();
        var id = await api.CreateIdAsync(Api.Meeting(offsets: ["P1D"])); // due 2026-12-09 01:00 UTC, two participants

        await Azurite.StopAsync();

        var create = await api.CreateAsync(Api.Meeting(title: "Registered during the outage"));
        Assert.Equal(503, create.Status);
        Assert.EndsWith("/dependency-unavailable", create.Json.GetProperty("type").GetString());
        Assert.Equal("30", create.Header("Retry-After"));
        Assert.Equal(503, (await api.GetAsync(id)).Status);
        Assert.Equal(503, (await api.HealthAsync()).Status);

        App.Time.SetUtcNow(new DateTimeOffset(2026, 12, 9, 1, 0, 30, TimeSpan.Zero));
        await timers.ScheduleDueReminders(new TimerInfo(), default); // logs and returns: nothing to lose, nothing half-done
        await timers.DeliverReminders(new TimerInfo(), default);
        Assert.Empty(App.SendGrid.ReminderRequests);
        Assert.Contains(App.Logs.Lines, l => l.Contains("ScheduleDueReminders skipped this run: Table Storage is unavailable", StringComparison.Ordinal));

        await Azurite.StartAgainAsync();

        await timers.ScheduleDueReminders(new TimerInfo(), default);
        await timers.DeliverReminders(new TimerInfo(), default);
        Assert.Equal(2, App.SendGrid.Reminders.Count);
        Assert.All((await api.GetAsync(id)).Json.GetProperty("reminders").EnumerateArray(), r => Assert.Equal("sent", r.GetProperty("state").GetString()));
        var list = (await api.ListAsync()).Json.GetProperty("items").EnumerateArray().ToList();
        Assert.Equal([id], list.Select(m => m.GetProperty("id").GetString()));
    }

    [Fact]
    public async Task RemindersAlreadyQueuedWaitOutAnOutageWithoutSpendingDeliveriesAndAreSentOnce()
    {
        var api = new Api(App);
        var timers = App.Function<ReminderTimers>();
        var id = await api.CreateIdAsync(Api.Meeting(offsets: ["P1D"]));
        await App.SendInvitationsAsync();
        var at = new DateTimeOffset(2026, 12, 9, 1, 0, 30, TimeSpan.Zero);
        App.Time.SetUtcNow(at);
        await timers.ScheduleDueReminders(new TimerInfo(), default);
        Assert.Equal(2, App.Broker.ActiveMessages(TestApp.QueueName).Count);

        await Azurite.StopAsync();
        // More delivery runs than the queue allows deliveries (10): each run hands the messages back for a minute.
        for (var run = 0; run < 11; run++)
        {
            at = at.AddMinutes(1).AddSeconds(1);
            App.MoveClockTo(at);
            await timers.DeliverReminders(new TimerInfo(), default);
        }
        Assert.Empty(App.SendGrid.ReminderRequests);
        Assert.Empty(App.Broker.DeadLetteredMessages(TestApp.QueueName));
        Assert.All(App.Broker.ActiveMessages(TestApp.QueueName), m => Assert.True(m.DeliveryCount <= 1, $"delivery count {m.DeliveryCount}"));

        await Azurite.StartAgainAsync();
        App.MoveClockTo(at.AddMinutes(2));
        await timers.DeliverReminders(new TimerInfo(), default);

        Assert.Equal(2, App.SendGrid.Reminders.Count);
        Assert.Empty(App.Broker.DeadLetteredMessages(TestApp.QueueName));
        Assert.All((await api.GetAsync(id)).Json.GetProperty("reminders").EnumerateArray(), r => Assert.Equal("sent", r.GetProperty("state").GetString()));
    }
}

/// <summary>Storage that hangs instead of refusing: requests and runs give up after the network timeout and treat it as
/// an outage (found by the soak run, where an overloaded Azurite once answered nothing for over 20 s).</summary>
public sealed class AzuriteStalledTests : PrivateAzuriteTest
{
    protected override void Configure(Dictionary<string, string?> settings) => settings["Storage:NetworkTimeout"] = "00:00:02";

    [Fact]
    public async Task AHangingStoreIsAnOutageNotACrashAndNothingIsLost()
    {
        var api = new Api(App);
        var timers = App.Function<ReminderTimers>();
        var id = await api.CreateIdAsync(Api.Meeting(offsets: ["P1D"]));
        var at = new DateTimeOffset(2026, 12, 9, 1, 0, 30, TimeSpan.Zero);
        App.Time.SetUtcNow(at);
        await timers.ScheduleDueReminders(new TimerInfo(), default);

        await Azurite.PauseAsync();
        Assert.Equal(503, (await api.CreateAsync(Api.Meeting(title: "Registered while storage hangs"))).Status);
        await timers.DeliverReminders(new TimerInfo(), default); // logs and returns instead of failing the run
        Assert.Empty(App.SendGrid.ReminderRequests);
        Assert.Contains(App.Logs.Lines, l => l.Contains("DeliverReminders skipped this run: Table Storage is unavailable", StringComparison.Ordinal));

        await Azurite.ResumeAsync();
        App.MoveClockTo(at.AddMinutes(2));
        await timers.DeliverReminders(new TimerInfo(), default);
        Assert.Equal(2, App.SendGrid.Reminders.Count);
        Assert.Empty(App.Broker.DeadLetteredMessages(TestApp.QueueName));
        Assert.Equal([id], (await api.ListAsync()).Json.GetProperty("items").EnumerateArray().Select(m => m.GetProperty("id").GetString()));
    }
}
