using Microsoft.Azure.Functions.Worker;
using System.Text;
using Ical.Net;
using Summit.Functions.Pipeline;
using Summit.Reminders.Delivery;
using Summit.Reminders.Scheduling;
using Summit.TestSupport.SendGrid;

namespace Summit.Functions.Tests;

/// <summary>
/// Register over HTTP, move a fake clock, run both timers as the host would, and look at what SendGrid received.
/// </summary>
public sealed class PipelineEndToEndTests : AppTest
{
    private ReminderTimers Timers => App.Function<ReminderTimers>();

    private async Task RunBothTimersAsync()
    {
        await Timers.ScheduleDueReminders(new TimerInfo(), default);
        await Timers.DeliverReminders(new TimerInfo(), default);
    }

    private async Task AdvanceToAsync(DateTimeOffset at)
    {
        App.MoveClockTo(at);
    }

    [Fact]
    public async Task EachParticipantGetsEachReminderOnceAtItsMoment()
    {
        // Start 2026-12-10 10:00 Seoul = 01:00 UTC; reminders due 12-03 01:00, 12-09 01:00, 12-09 23:00 UTC.
        var id = await Api.CreateIdAsync();

        await AdvanceToAsync(new DateTimeOffset(2026, 12, 3, 0, 58, 0, TimeSpan.Zero));
        await RunBothTimersAsync();
        Assert.Empty(App.SendGrid.Reminders); // published ahead (look-ahead), invisible until due

        await AdvanceToAsync(new DateTimeOffset(2026, 12, 3, 1, 0, 30, TimeSpan.Zero));
        await RunBothTimersAsync();
        Assert.Equal(2, App.SendGrid.Reminders.Count);
        Assert.Equivalent(new[] { "ayse@example.org", "seoyeon@example.org" }, App.SendGrid.Reminders.Select(m => m.To));
        // Each in the participant's language: Seo-yeon set none (English), Ayşe Turkish.
        Assert.Equal("Reminder: Joint Economic Committee — restart session starts in 7 days", App.SendGrid.Reminders.Single(m => m.To == "seoyeon@example.org").Subject);
        Assert.Equal("Hatırlatma: Joint Economic Committee — restart session 7 gün sonra başlıyor", App.SendGrid.Reminders.Single(m => m.To == "ayse@example.org").Subject);

        // Running everything again sends nothing new.
        await RunBothTimersAsync();
        await RunBothTimersAsync();
        Assert.Equal(2, App.SendGrid.Reminders.Count);

        await AdvanceToAsync(new DateTimeOffset(2026, 12, 9, 1, 0, 30, TimeSpan.Zero));
        await RunBothTimersAsync();
        await AdvanceToAsync(new DateTimeOffset(2026, 12, 9, 23, 0, 30, TimeSpan.Zero));
        await RunBothTimersAsync();
        await RunBothTimersAsync();

        var sent = App.SendGrid.Reminders;
        Assert.Equal(6, sent.Count);
        Assert.Equal(6, sent.Select(m => m.CustomArg("reminder_id")).Distinct().Count());
        Assert.Contains(sent, m => m.Subject.EndsWith("starts in 2 hours", StringComparison.Ordinal));

        var view = await Api.GetAsync(id);
        Assert.All(view.Json.GetProperty("reminders").EnumerateArray(), r =>
        {
            Assert.Equal("sent", r.GetProperty("state").GetString());
            Assert.NotEqual(System.Text.Json.JsonValueKind.Null, r.GetProperty("sentAt").ValueKind);
        });
    }

    [Fact]
    public async Task TheEmailSaysWhatWhenInBothZonesAndCarriesTheInvitation()
    {
        var id = await Api.CreateIdAsync();
        await AdvanceToAsync(new DateTimeOffset(2026, 12, 9, 23, 0, 10, TimeSpan.Zero)); // P7D and P1D late, PT2H due
        await RunBothTimersAsync();

        var ayse = Assert.Single(App.SendGrid.Reminders, m => m.To == "ayse@example.org");
        var text = ayse.Content("text/plain");
        // Ayşe reads Turkish, in her zone, with the meeting's zone beside it.
        Assert.Contains("10 Aralık 2026 Perşembe, 04:00 (Europe/Istanbul, UTC+03:00)", text);
        Assert.Contains("10 Aralık 2026 Perşembe, 10:00 (Asia/Seoul, UTC+09:00) (toplantı saati)", text);
        Assert.EndsWith("2 saat sonra başlıyor", ayse.Subject);
        Assert.Equal("Bearer test-api-key", ayse.Authorization);
        Assert.Equal("reminders@summit-followups.example", ayse.Body.GetProperty("from").GetProperty("email").GetString());
        Assert.Equal(id, ayse.CustomArg("meeting_id"));
        Assert.Contains("joint-economic-committee", ayse.Categories);
        Assert.Contains("<h1", ayse.Content("text/html"));

        var attachment = ayse.Attachment();
        Assert.Equal("invite.ics", attachment.GetProperty("filename").GetString());
        var calendar = Ical.Net.Calendar.Load(Encoding.UTF8.GetString(Convert.FromBase64String(attachment.GetProperty("content").GetString()!)))!;
        var invite = Assert.Single(calendar.Events);
        Assert.Equal($"{id}@summit-followups", invite.Uid);
        Assert.Equal("Asia/Seoul", invite.DtStart!.TzId);
        Assert.Equal(2, invite.Attendees.Count);
        Assert.Equal(3, invite.Alarms.Count);
    }

    [Fact]
    public async Task AfterDowntimeOnlyTheLatestDueReminderIsSentAndTheOthersAreRecordedSkipped()
    {
        var id = await Api.CreateIdAsync();
        // Down from before P7D until after P1D: both fell due, only P1D still makes sense.
        await AdvanceToAsync(new DateTimeOffset(2026, 12, 9, 5, 0, 0, TimeSpan.Zero));
        await RunBothTimersAsync();

        Assert.Equal(2, App.SendGrid.Reminders.Count);
        // Wording from the real time left, in each participant's language.
        Assert.EndsWith("starts in 20 hours", App.SendGrid.Reminders.Single(m => m.To == "seoyeon@example.org").Subject);
        Assert.EndsWith("20 saat sonra başlıyor", App.SendGrid.Reminders.Single(m => m.To == "ayse@example.org").Subject);
        var reminders = (await Api.GetAsync(id)).Json.GetProperty("reminders").EnumerateArray().ToList();
        Assert.All(reminders.Where(r => r.GetProperty("offset").GetString() == "P7D"), r =>
        {
            Assert.Equal("skipped", r.GetProperty("state").GetString());
            Assert.Contains("also due", r.GetProperty("reason").GetString());
        });
        Assert.All(reminders.Where(r => r.GetProperty("offset").GetString() == "P1D"), r => Assert.Equal("sent", r.GetProperty("state").GetString()));
        Assert.All(reminders.Where(r => r.GetProperty("offset").GetString() == "PT2H"), r => Assert.Equal("pending", r.GetProperty("state").GetString()));
    }

    [Fact]
    public async Task AfterDowntimePastTheStartNothingIsSentAndEveryReminderIsRecordedSkipped()
    {
        var id = await Api.CreateIdAsync(); // starts 2026-12-10 01:00 UTC; reminders P7D, P1D, PT2H
        await App.SendInvitationsAsync();
        // Down from before the first reminder until half an hour after the start.
        await AdvanceToAsync(new DateTimeOffset(2026, 12, 10, 1, 30, 0, TimeSpan.Zero));
        await RunBothTimersAsync();
        await RunBothTimersAsync();

        Assert.Empty(App.SendGrid.ReminderRequests); // no burst of pointless reminders
        var reminders = (await Api.GetAsync(id)).Json.GetProperty("reminders").EnumerateArray().ToList();
        Assert.Equal(6, reminders.Count);
        Assert.All(reminders, r =>
        {
            Assert.Equal("skipped", r.GetProperty("state").GetString());
            Assert.Equal("the meeting had already started when this reminder could be sent", r.GetProperty("reason").GetString());
        });
        Assert.Empty(App.Broker.ActiveMessages(TestApp.QueueName));
    }

    [Fact]
    public async Task AReminderQueuedBeforeTheDowntimeIsSkippedWhenDeliveryResumesAfterTheStart()
    {
        var id = await Api.CreateIdAsync(Api.Meeting(offsets: ["PT2H"]));
        await App.SendInvitationsAsync();
        // The tick queued the 2-hour reminders, then delivery was down until after the start.
        await AdvanceToAsync(new DateTimeOffset(2026, 12, 9, 23, 0, 30, TimeSpan.Zero));
        await Timers.ScheduleDueReminders(new TimerInfo(), default);
        Assert.Equal(2, App.Broker.ActiveMessages(TestApp.QueueName).Count);

        await AdvanceToAsync(new DateTimeOffset(2026, 12, 10, 1, 5, 0, TimeSpan.Zero));
        await RunBothTimersAsync();

        Assert.Empty(App.SendGrid.ReminderRequests);
        var reminders = (await Api.GetAsync(id)).Json.GetProperty("reminders").EnumerateArray().ToList();
        Assert.Equal(2, reminders.Count);
        Assert.All(reminders, r =>
        {
            Assert.Equal("skipped", r.GetProperty("state").GetString());
            Assert.Equal("the meeting had already started", r.GetProperty("reason").GetString());
        });
        Assert.Empty(App.Broker.ActiveMessages(TestApp.QueueName));
        Assert.Empty(App.Broker.DeadLetteredMessages(TestApp.QueueName));
    }

    [Fact]
    public async Task ARescheduleAfterQueueingSendsOnlyTheNewPlan()
    {
        var id = await Api.CreateIdAsync(Api.Meeting(offsets: ["P1D"]));
        await App.SendInvitationsAsync();
        // The P1D reminder (due 12-09 01:00) is queued ahead of time ...
        await AdvanceToAsync(new DateTimeOffset(2026, 12, 9, 0, 59, 30, TimeSpan.Zero));
        await Timers.ScheduleDueReminders(new TimerInfo(), default);
        Assert.Equal(2, App.Broker.ActiveMessages(TestApp.QueueName).Count);

        // ... then the meeting moves a day later.
        var moved = await Api.UpdateAsync(id, Api.Meeting(start: "2026-12-11T10:00", offsets: ["P1D"]), "\"1\"");
        Assert.Equal(200, moved.Status);

        await AdvanceToAsync(new DateTimeOffset(2026, 12, 9, 1, 1, 0, TimeSpan.Zero));
        await RunBothTimersAsync();
        Assert.Empty(App.SendGrid.Reminders);

        await AdvanceToAsync(new DateTimeOffset(2026, 12, 10, 1, 0, 30, TimeSpan.Zero));
        await RunBothTimersAsync();
        await RunBothTimersAsync();
        var sent = App.SendGrid.Reminders;
        Assert.Equal(2, sent.Count);
        Assert.All(sent, m => Assert.Equal("2", m.CustomArg("plan_version")));

        var view = (await Api.GetAsync(id)).Json;
        Assert.Equal(2, view.GetProperty("earlierReminders").GetArrayLength());
        Assert.All(view.GetProperty("earlierReminders").EnumerateArray(), r => Assert.Equal("skipped", r.GetProperty("state").GetString()));
    }

    [Fact]
    public async Task ACancelledMeetingSendsNothingMore()
    {
        var id = await Api.CreateIdAsync();
        await AdvanceToAsync(new DateTimeOffset(2026, 12, 3, 1, 0, 30, TimeSpan.Zero));
        await RunBothTimersAsync();
        Assert.Equal(2, App.SendGrid.Reminders.Count);

        Assert.Equal(200, (await Api.CancelAsync(id)).Status);
        foreach (var at in new[] { new DateTimeOffset(2026, 12, 9, 1, 0, 30, TimeSpan.Zero), new DateTimeOffset(2026, 12, 9, 23, 0, 30, TimeSpan.Zero) })
        {
            await AdvanceToAsync(at);
            await RunBothTimersAsync();
        }
        Assert.Equal(2, App.SendGrid.Reminders.Count);
        Assert.Empty(App.Broker.ActiveMessages(TestApp.QueueName));
    }

    [Fact]
    public async Task RateLimitedSendIsRetriedAfterTheResetWithoutSpendingADelivery()
    {
        var id = await Api.CreateIdAsync(Api.Meeting(offsets: ["P1D"], participants: [new { name = "Ayşe", email = "ayse@example.org" }]));
        await App.SendInvitationsAsync();
        var due = new DateTimeOffset(2026, 12, 9, 1, 0, 30, TimeSpan.Zero);
        App.SendGrid.Script(FakeAnswer.TooManyRequests(due.AddMinutes(3)));

        await AdvanceToAsync(due);
        await RunBothTimersAsync();
        Assert.Empty(App.SendGrid.Reminders);
        var waiting = Assert.Single(App.Broker.ActiveMessages(TestApp.QueueName));
        Assert.Equal(due.AddMinutes(3), waiting.ScheduledEnqueueTime);
        Assert.Equal(0, waiting.DeliveryCount); // a fresh copy: the wait spent none of the queue's 10 deliveries
        var reminder = (await Api.GetAsync(id)).Json.GetProperty("reminders").EnumerateArray().Single();
        Assert.Equal("queued", reminder.GetProperty("state").GetString());
        Assert.Equal($"rate limited by the email provider until {due.AddMinutes(3):O}", reminder.GetProperty("reason").GetString());

        await AdvanceToAsync(due.AddMinutes(2));
        await RunBothTimersAsync();
        Assert.Empty(App.SendGrid.Reminders);
        Assert.Single(App.SendGrid.ReminderRequests); // nothing is tried before the reset

        await AdvanceToAsync(due.AddMinutes(3).AddSeconds(1));
        await RunBothTimersAsync();
        Assert.Single(App.SendGrid.Reminders);
        Assert.Equal(2, App.SendGrid.ReminderRequests.Count);
        Assert.Equal("sent", (await Api.GetAsync(id)).Json.GetProperty("reminders").EnumerateArray().Single().GetProperty("state").GetString());
        Assert.Empty(App.Broker.ActiveMessages(TestApp.QueueName));
    }

    [Fact]
    public async Task MoreRateLimitsThanTheQueuesDeliveryAttemptsNeitherDeadLetterNorGiveUpTheReminder()
    {
        // The queue dead-letters a message after 10 deliveries (Azure's default, the broker's here) and delivery gives up
        // after 8 failed sends (Delivery:MaxSendAttempts); a rate limit spends neither, however often it comes.
        var id = await Api.CreateIdAsync(Api.Meeting(offsets: ["P1D"], participants: [new { name = "Ayşe", email = "ayse@example.org" }]));
        await App.SendInvitationsAsync();
        var due = new DateTimeOffset(2026, 12, 9, 1, 0, 30, TimeSpan.Zero);
        const int limits = 12;
        App.SendGrid.Script(Enumerable.Range(1, limits).Select(k => FakeAnswer.TooManyRequests(due.AddMinutes(k))).ToArray());

        for (var k = 0; k <= limits; k++)
        {
            await AdvanceToAsync(due.AddMinutes(k).AddSeconds(1));
            await RunBothTimersAsync();
        }

        Assert.Equal(limits + 1, App.SendGrid.ReminderRequests.Count);
        Assert.Single(App.SendGrid.Reminders);
        Assert.Equal("sent", (await Api.GetAsync(id)).Json.GetProperty("reminders").EnumerateArray().Single().GetProperty("state").GetString());
        Assert.Empty(App.Broker.ActiveMessages(TestApp.QueueName));
        Assert.Empty(App.Broker.DeadLetteredMessages(TestApp.QueueName));
    }

    [Fact]
    public async Task ServerErrorsAreRetriedWithBackoffThenSent()
    {
        var id = await Api.CreateIdAsync(Api.Meeting(offsets: ["P1D"], participants: [new { name = "Ayşe", email = "ayse@example.org" }]));
        var due = new DateTimeOffset(2026, 12, 9, 1, 0, 30, TimeSpan.Zero);
        App.SendGrid.Script(FakeAnswer.ServerError(503), FakeAnswer.ServerError(500));

        await AdvanceToAsync(due);
        await RunBothTimersAsync();
        var retry = Assert.Single(App.Broker.ActiveMessages(TestApp.QueueName));
        Assert.InRange(retry.ScheduledEnqueueTime!.Value, due.AddSeconds(23), due.AddSeconds(37)); // 30 s ± 20 %

        await AdvanceToAsync(due.AddMinutes(1));
        await RunBothTimersAsync();
        retry = Assert.Single(App.Broker.ActiveMessages(TestApp.QueueName));
        Assert.InRange(retry.ScheduledEnqueueTime!.Value, due.AddMinutes(1).AddSeconds(47), due.AddMinutes(1).AddSeconds(73)); // 60 s ± 20 %

        var waiting = (await Api.GetAsync(id)).Json.GetProperty("reminders").EnumerateArray().Single();
        Assert.Equal("queued", waiting.GetProperty("state").GetString());
        Assert.StartsWith("SendGrid answered 500", waiting.GetProperty("reason").GetString());

        await AdvanceToAsync(due.AddMinutes(3));
        await RunBothTimersAsync();
        Assert.Equal(3, App.SendGrid.ReminderRequests.Count);
        Assert.Single(App.SendGrid.Reminders);
        var sent = (await Api.GetAsync(id)).Json.GetProperty("reminders").EnumerateArray().Single();
        Assert.Equal("sent", sent.GetProperty("state").GetString());
        Assert.Empty(App.Broker.ActiveMessages(TestApp.QueueName));
    }

    [Fact]
    public async Task ARejectedAddressIsDeadLetteredAsFailedAndOthersStillGetTheirs()
    {
        var id = await Api.CreateIdAsync(Api.Meeting(offsets: ["P1D"]));
        App.SendGrid.Responder = body =>
            body.GetProperty("personalizations")[0].GetProperty("to")[0].GetProperty("email").GetString() == "ayse@example.org"
                ? FakeAnswer.BadRequest("Does not contain a valid address.")
                : null;

        await AdvanceToAsync(new DateTimeOffset(2026, 12, 9, 1, 0, 30, TimeSpan.Zero));
        await RunBothTimersAsync();

        Assert.Equal("seoyeon@example.org", Assert.Single(App.SendGrid.Reminders).To);
        Assert.Single(App.SendGrid.ReminderRequests, r => r.To == "ayse@example.org"); // no retry
        var dead = Assert.Single(App.Broker.DeadLetteredMessages(TestApp.QueueName));
        Assert.Equal("RejectedByEmailProvider", dead.DeadLetterReason);
        Assert.Contains("Does not contain a valid address.", dead.DeadLetterErrorDescription);

        var reminders = (await Api.GetAsync(id)).Json.GetProperty("reminders").EnumerateArray().ToList();
        var failed = Assert.Single(reminders, r => r.GetProperty("state").GetString() == "failed");
        Assert.Contains("Does not contain a valid address.", failed.GetProperty("reason").GetString());
        Assert.Single(reminders, r => r.GetProperty("state").GetString() == "sent");
    }

    [Fact]
    public async Task AMalformedMessageIsDeadLetteredAndTheRunGoesOn()
    {
        await Api.CreateIdAsync(Api.Meeting(offsets: ["P1D"]));
        await using (var client = new Azure.Messaging.ServiceBus.ServiceBusClient(App.Broker.ConnectionString))
            await client.CreateSender(TestApp.QueueName).SendMessageAsync(new Azure.Messaging.ServiceBus.ServiceBusMessage("{\"hello\":1}") { MessageId = "foreign" });

        await AdvanceToAsync(new DateTimeOffset(2026, 12, 9, 1, 0, 30, TimeSpan.Zero));
        await RunBothTimersAsync();

        Assert.Equal(2, App.SendGrid.Reminders.Count);
        var dead = Assert.Single(App.Broker.DeadLetteredMessages(TestApp.QueueName));
        Assert.Equal("foreign", dead.MessageId);
        Assert.Equal("MalformedMessage", dead.DeadLetterReason);
    }

    [Fact]
    public async Task ARedeliveredMessageNeverSendsASecondEmail()
    {
        await Api.CreateIdAsync(Api.Meeting(offsets: ["P1D"], participants: [new { name = "Ayşe", email = "ayse@example.org" }]));
        await App.SendInvitationsAsync();
        await AdvanceToAsync(new DateTimeOffset(2026, 12, 9, 1, 0, 30, TimeSpan.Zero));
        await Timers.ScheduleDueReminders(new TimerInfo(), default);
        var original = Assert.Single(App.Broker.ActiveMessages(TestApp.QueueName));

        await Timers.DeliverReminders(new TimerInfo(), default);
        Assert.Single(App.SendGrid.Reminders);

        // The same message arrives again (as after a lost lock): the ledger says sent, so it is completed silently.
        await using (var client = new Azure.Messaging.ServiceBus.ServiceBusClient(App.Broker.ConnectionString))
            await client.CreateSender(TestApp.QueueName).SendMessageAsync(new Azure.Messaging.ServiceBus.ServiceBusMessage(original.Body) { MessageId = "redelivery" });
        var result = await App.Get<ReminderDelivery>().RunAsync(default);

        Assert.Equal(1, result.Count(DeliveryOutcome.Duplicate));
        Assert.Single(App.SendGrid.Reminders);
    }

    [Fact]
    public async Task TwoSchedulerTicksAtOnceQueueEachReminderOnce()
    {
        for (var i = 0; i < 5; i++) await Api.CreateIdAsync(Api.Meeting(offsets: ["P1D"]));
        await App.SendInvitationsAsync();
        await AdvanceToAsync(new DateTimeOffset(2026, 12, 9, 1, 0, 30, TimeSpan.Zero));

        var scheduler = App.Get<ReminderScheduler>();
        var results = await Task.WhenAll(scheduler.TickAsync(default), scheduler.TickAsync(default), scheduler.TickAsync(default));

        Assert.Equal(5, results.Sum(r => r.Published));
        Assert.Equal(10, App.Broker.ActiveMessages(TestApp.QueueName).Count);
        var deliveries = await Task.WhenAll(App.Get<ReminderDelivery>().RunAsync(default), App.Get<ReminderDelivery>().RunAsync(default));
        Assert.Equal(10, App.SendGrid.Reminders.Count);
        Assert.Equal(10, App.SendGrid.Reminders.Select(m => m.CustomArg("reminder_id")).Distinct().Count());
    }

    [Fact]
    public async Task LogsCarryIdsButNeverEmailAddressesOrBodies()
    {
        // Every path that logs, at every level (the sink takes Trace and up): registration, a refused registration, an
        // update, sends, a rejected address, a foreign message, a participant following a link, ops replaying a dead letter.
        var id = await Api.CreateIdAsync();
        var refused = await Api.CreateAsync(Api.Meeting(participants: [new { name = "Refused Person", email = "refused@@example.org" }]));
        Assert.Equal(400, refused.Status);
        App.SendGrid.Responder = body =>
            body.GetProperty("personalizations")[0].GetProperty("to")[0].GetProperty("email").GetString() == "ayse@example.org"
                ? FakeAnswer.BadRequest("Does not contain a valid address.")
                : null;
        await using (var client = new Azure.Messaging.ServiceBus.ServiceBusClient(App.Broker.ConnectionString))
            await client.CreateSender(TestApp.QueueName).SendMessageAsync(new Azure.Messaging.ServiceBus.ServiceBusMessage("{\"email\":\"stranger@example.org\"}") { MessageId = "foreign" });
        await AdvanceToAsync(new DateTimeOffset(2026, 12, 9, 23, 0, 30, TimeSpan.Zero));
        await RunBothTimersAsync();
        Assert.NotEmpty(App.SendGrid.Reminders);
        Assert.Equal(2, App.Broker.DeadLetteredMessages(TestApp.QueueName).Count);

        var reminder = App.SendGrid.Reminders.First(m => m.To == "seoyeon@example.org");
        var link = reminder.Link("/api/p/acknowledge");
        var uri = new Uri(link);
        var page = await App.CallAsync("GET", uri.PathAndQuery, r => App.Function<Participants.ParticipantLinksApi>().Show(r, "acknowledge", default));
        Assert.Equal(200, page.Status);
        Assert.Equal(200, (await Api.FollowAsync(link)).Status);
        var tampered = await App.CallAsync("GET", uri.PathAndQuery + "x", r => App.Function<Participants.ParticipantLinksApi>().Show(r, "acknowledge", default));
        Assert.Equal(400, tampered.Status);

        var listed = await App.CallAsync("GET", "/api/admin/dead-letters", r => App.Function<Operations.DeadLettersApi>().List(r, default));
        var rejected = listed.Json.GetProperty("items").EnumerateArray().Single(d => d.GetProperty("reason").GetString() == "RejectedByEmailProvider");
        var deadId = rejected.GetProperty("id").GetString()!;
        App.SendGrid.Responder = null;
        Assert.Equal(202, (await App.CallAsync("POST", $"/api/admin/dead-letters/{deadId}/replay", r => App.Function<Operations.DeadLettersApi>().Replay(r, deadId, default))).Status);
        await RunBothTimersAsync();
        Assert.Contains(App.SendGrid.Reminders, m => m.To == "ayse@example.org");

        var logs = string.Join("\n", App.Logs.Lines);
        Assert.Contains(id, logs);
        Assert.Contains("Dead-lettered malformed message foreign", logs);
        var token = System.Web.HttpUtility.ParseQueryString(uri.Query)["token"]!;
        foreach (var secret in new[]
        {
            "ayse@example.org", "seoyeon@example.org", "coordinator@example.org", "refused@@example.org", "stranger@example.org",
            "Ayşe", "Seo-yeon", "Kim Min-jun", "Refused Person", "Trade and investment", "Joint Economic Committee — restart session",
            "Ministry of Trade", "Does not contain a valid address.", "test-api-key", TestApp.LinkSigningKey, token,
        })
            Assert.DoesNotContain(secret, logs);
        Assert.DoesNotContain(reminder.Subject, logs);
        foreach (var line in reminder.Content("text/plain").Split('\n').Select(l => l.Trim()).Where(l => l.Length > 24))
            Assert.DoesNotContain(line, logs);
    }
}
