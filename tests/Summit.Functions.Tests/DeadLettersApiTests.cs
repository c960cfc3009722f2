using Microsoft.Azure.Functions.Worker;
using Summit.Reminders.Infrastructure.Queues;
using Azure.Storage.Queues;
using Summit.Functions.Operations;
using Summit.Functions.Pipeline;
using Summit.TestSupport.SendGrid;
using Summit.TestSupport.Storage;

namespace Summit.Functions.Tests;

/// <summary>Ops repair through GET /api/admin/dead-letters and POST /api/admin/dead-letters/{id}/replay, the same
/// behaviour on both queue transports.</summary>
public abstract class DeadLettersApiTests : AppTest
{
    private ReminderTimers Timers => App.Function<ReminderTimers>();
    private DeadLettersApi DeadLetters => App.Function<DeadLettersApi>();

    protected abstract Task SendForeignMessageAsync(string body);

    private Task<HttpAnswer> ListAsync(string query = "") =>
        App.CallAsync("GET", "/api/admin/dead-letters" + query, r => DeadLetters.List(r, default));

    private Task<HttpAnswer> ReplayAsync(string id) =>
        App.CallAsync("POST", $"/api/admin/dead-letters/{id}/replay", r => DeadLetters.Replay(r, id, default));

    private async Task RunBothTimersAsync()
    {
        await Timers.ScheduleDueReminders(new TimerInfo(), default);
        await Timers.DeliverReminders(new TimerInfo(), default);
    }

    [Fact]
    public async Task ARejectedReminderIsListedWithItsReasonAndSentOnceReplayedAfterTheFix()
    {
        var id = await Api.CreateIdAsync(Api.Meeting(offsets: ["P1D"]));
        App.SendGrid.Responder = body =>
            body.GetProperty("personalizations")[0].GetProperty("to")[0].GetProperty("email").GetString() == "ayse@example.org"
                ? FakeAnswer.BadRequest("Does not contain a valid address.")
                : null;
        App.Time.SetUtcNow(new DateTimeOffset(2026, 12, 9, 1, 0, 30, TimeSpan.Zero));
        await RunBothTimersAsync();

        var list = await ListAsync();
        Assert.Equal(200, list.Status);
        var dead = Assert.Single(list.Json.GetProperty("items").EnumerateArray());
        Assert.Equal("RejectedByEmailProvider", dead.GetProperty("reason").GetString());
        Assert.Contains("Does not contain a valid address.", dead.GetProperty("description").GetString());
        Assert.Equal(id, dead.GetProperty("meetingId").GetString());
        Assert.Equal("P1D", dead.GetProperty("offset").GetString());
        var reminderId = dead.GetProperty("reminderId").GetString()!;

        // The address problem is fixed on SendGrid's side; ops replay the reminder.
        App.SendGrid.Responder = null;
        var replay = await ReplayAsync(dead.GetProperty("id").GetString()!);
        Assert.Equal(202, replay.Status);
        Assert.Equal(reminderId, replay.Json.GetProperty("reminderId").GetString());
        await RunBothTimersAsync();
        await RunBothTimersAsync();

        Assert.Single(App.SendGrid.Reminders, m => m.To == "ayse@example.org");
        Assert.Single(App.SendGrid.Reminders, m => m.To == "seoyeon@example.org");
        Assert.All((await Api.GetAsync(id)).Json.GetProperty("reminders").EnumerateArray(), r => Assert.Equal("sent", r.GetProperty("state").GetString()));
        Assert.Empty((await ListAsync()).Json.GetProperty("items").EnumerateArray());
        Assert.Equal(404, (await ReplayAsync(dead.GetProperty("id").GetString()!)).Status);
    }

    [Fact]
    public async Task AForeignDeadLetterIsListedButNotReplayed()
    {
        await SendForeignMessageAsync("{\"hello\":1}");
        await RunBothTimersAsync();

        var dead = Assert.Single((await ListAsync()).Json.GetProperty("items").EnumerateArray());
        Assert.Equal("MalformedMessage", dead.GetProperty("reason").GetString());
        Assert.Contains("schema", dead.GetProperty("parseError").GetString());

        var replay = await ReplayAsync(dead.GetProperty("id").GetString()!);
        Assert.Equal(409, replay.Status);
        Assert.EndsWith("/not-a-reminder", replay.Json.GetProperty("type").GetString());
        Assert.Single((await ListAsync()).Json.GetProperty("items").EnumerateArray());
    }

    [Theory]
    [InlineData("?max=0")]
    [InlineData("?max=1001")]
    [InlineData("?max=ten")]
    public async Task ABadMaxIsRefusedNamingIt(string query)
    {
        var answer = await ListAsync(query);
        Assert.Equal(400, answer.Status);
        Assert.Equal(["max"], answer.ErrorFields);
    }

    [Fact]
    public async Task AnUnknownDeadLetterIs404()
    {
        var answer = await ReplayAsync("12345");
        Assert.Equal(404, answer.Status);
        Assert.Equal(["id"], answer.ErrorFields);
    }
}

public sealed class ServiceBusDeadLettersApiTests : DeadLettersApiTests
{
    protected override async Task SendForeignMessageAsync(string body)
    {
        await using var client = new Azure.Messaging.ServiceBus.ServiceBusClient(App.Broker.ConnectionString);
        await client.CreateSender(TestApp.QueueName).SendMessageAsync(new Azure.Messaging.ServiceBus.ServiceBusMessage(body) { MessageId = "foreign" });
    }
}

public sealed class StorageQueueDeadLettersApiTests : DeadLettersApiTests
{
    private readonly string _queue = "t" + Guid.NewGuid().ToString("N")[..16];

    protected override void Configure(Dictionary<string, string?> settings)
    {
        settings["ReminderQueue:Transport"] = "StorageQueue";
        settings["StorageQueue:ConnectionString"] = Azurite.ConnectionString;
        settings["StorageQueue:QueueName"] = _queue;
        settings["Delivery:ReceiveWait"] = "00:00:00";
    }

    [Fact]
    public async Task AReminderSentMeanwhileIsNeverReplayed()
    {
        var id = await Api.CreateIdAsync(Api.Meeting(offsets: ["P1D"], participants: [new { name = "Ayşe", email = "ayse@example.org" }]));
        App.Time.SetUtcNow(new DateTimeOffset(2026, 12, 9, 1, 0, 30, TimeSpan.Zero));
        var timers = App.Function<ReminderTimers>();
        await timers.ScheduleDueReminders(new TimerInfo(), default);
        await timers.DeliverReminders(new TimerInfo(), default);
        Assert.Single(App.SendGrid.Reminders);

        // A stale copy of the same reminder sits among the dead letters (dead-lettered by an earlier, confused run).
        var reminderId = (await Api.GetAsync(id)).Json.GetProperty("reminders")[0].GetProperty("id").GetString()!;
        var parts = reminderId.Split('.');
        var stale = new Summit.Reminders.Delivery.ReminderMessage(reminderId, parts[0], parts[1], 1, parts[2], parts[3], App.Time.GetUtcNow());
        var poison = new QueueClient(Azurite.ConnectionString, _queue + "-poison");
        await poison.CreateIfNotExistsAsync();
        await poison.SendMessageAsync(BinaryData.FromObjectAsJson(new Summit.Reminders.Infrastructure.StorageQueues.PoisonEnvelope(1, "SendFailed", "stale",
            App.Time.GetUtcNow(), "m-1", 8, Summit.Reminders.Infrastructure.Queues.ReminderMessageSerializer.Serialize(stale).ToString()),
            new System.Text.Json.JsonSerializerOptions(System.Text.Json.JsonSerializerDefaults.Web)));
        var dead = Assert.Single((await App.CallAsync("GET", "/api/admin/dead-letters", r => App.Function<DeadLettersApi>().List(r, default))).Json.GetProperty("items").EnumerateArray());
        Assert.Equal(reminderId, dead.GetProperty("reminderId").GetString());

        var deadId = dead.GetProperty("id").GetString()!;
        var replay = await App.CallAsync("POST", $"/api/admin/dead-letters/{deadId}/replay", r => App.Function<DeadLettersApi>().Replay(r, deadId, default));

        Assert.Equal(409, replay.Status);
        Assert.EndsWith("/already-final", replay.Json.GetProperty("type").GetString());
        await timers.DeliverReminders(new TimerInfo(), default);
        Assert.Single(App.SendGrid.ReminderRequests);
        Assert.Equal("sent", (await Api.GetAsync(id)).Json.GetProperty("reminders")[0].GetProperty("state").GetString());
    }

    protected override async Task SendForeignMessageAsync(string body)
    {
        var queue = new QueueClient(Azurite.ConnectionString, _queue);
        await queue.CreateIfNotExistsAsync();
        await queue.SendMessageAsync(body);
    }
}
