using System.Text.Json;
using Microsoft.Azure.Functions.Worker;
using Summit.Reminders.Infrastructure.Queues;
using Microsoft.Extensions.DependencyInjection;
using Summit.Functions.Pipeline;
using Summit.Reminders.Delivery;
using Summit.Reminders.Email;
using Summit.Reminders.Ports;
using Summit.TestSupport.SendGrid;
using Summit.Reminders.Notifications;

namespace Summit.Functions.Tests;

/// <summary>A point where a test makes the process "die": the call blocks until the run is cancelled, as if the process
/// were killed right there (nothing after it happens; locks and leases are left behind).</summary>
public sealed class DeathPoint
{
    private int _armed;
    public TaskCompletionSource Reached { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public void Arm() => Volatile.Write(ref _armed, 1);

    public async Task HitAsync(CancellationToken cancellationToken)
    {
        if (Interlocked.Exchange(ref _armed, 0) == 0) return;
        Reached.TrySetResult();
        await Task.Delay(Timeout.Infinite, cancellationToken);
    }
}

public sealed class DeathPoints
{
    /// <summary>Reminder messages handed to the queue, counted before the transport's duplicate detection.</summary>
    public int Published;

    public DeathPoint BeforeSend { get; } = new();
    public DeathPoint AfterSendGridAccepted { get; } = new();
    public DeathPoint AfterLedgerSent { get; } = new();
    public DeathPoint BeforePublish { get; } = new();
}

internal sealed class DyingSender(IEmailSender inner, DeathPoints death) : IEmailSender
{
    public async Task<SendResult> SendAsync(EmailMessage message, CancellationToken cancellationToken)
    {
        await death.BeforeSend.HitAsync(cancellationToken);
        var result = await inner.SendAsync(message, cancellationToken);
        if (result is SendResult.Accepted) await death.AfterSendGridAccepted.HitAsync(cancellationToken);
        return result;
    }
}

internal sealed class DyingLedger(IDeliveryLedger inner, DeathPoints death) : IDeliveryLedger
{
    public Task<LedgerClaim> TryClaimAsync(string meetingId, DeliveryRecord sending, CancellationToken cancellationToken) => inner.TryClaimAsync(meetingId, sending, cancellationToken);

    public async Task FinishAsync(string meetingId, string token, DeliveryRecord outcome, CancellationToken cancellationToken)
    {
        await inner.FinishAsync(meetingId, token, outcome, cancellationToken);
        if (outcome.State == DeliveryState.Sent) await death.AfterLedgerSent.HitAsync(cancellationToken);
    }

    public Task RecordSkippedAsync(string meetingId, DeliveryRecord skipped, CancellationToken cancellationToken) => inner.RecordSkippedAsync(meetingId, skipped, cancellationToken);
    public Task<Summit.Reminders.Erasure.LedgerErasure> EraseAsync(string meetingId, IReadOnlySet<string>? participantIds, CancellationToken cancellationToken) => inner.EraseAsync(meetingId, participantIds, cancellationToken);
    public Task<DeliveryState?> ReopenAsync(string meetingId, string reminderId, string reason, DateTimeOffset at, CancellationToken cancellationToken) => inner.ReopenAsync(meetingId, reminderId, reason, at, cancellationToken);
    public Task MarkQueuedAsync(string meetingId, QueuedSlot slot, CancellationToken cancellationToken) => inner.MarkQueuedAsync(meetingId, slot, cancellationToken);
    public Task<(IReadOnlyList<QueuedSlot> Slots, IReadOnlyList<DeliveryRecord> Deliveries)> ListAsync(string meetingId, CancellationToken cancellationToken) => inner.ListAsync(meetingId, cancellationToken);
    public Task<IReadOnlyList<Summit.Reminders.DeliveryStatus.TrackedEmail>> FindTrackedAsync(string meetingId, IReadOnlySet<string> reminderIds, CancellationToken cancellationToken) => inner.FindTrackedAsync(meetingId, reminderIds, cancellationToken);
    public Task SaveStatusesAsync(string meetingId, IReadOnlyList<(Summit.Reminders.DeliveryStatus.ProviderStatus Status, string? Token)> statuses, CancellationToken cancellationToken) => inner.SaveStatusesAsync(meetingId, statuses, cancellationToken);
}

internal sealed class DyingQueue(IReminderQueue inner, DeathPoints death) : IReminderQueue
{
    public async Task PublishAsync(IReadOnlyList<ReminderMessage> messages, CancellationToken cancellationToken)
    {
        await death.BeforePublish.HitAsync(cancellationToken);
        await inner.PublishAsync(messages, cancellationToken);
        Interlocked.Add(ref death.Published, messages.Count);
    }

    public Task<IReadOnlyList<IReceivedReminder>> ReceiveAsync(int maxMessages, TimeSpan maxWait, CancellationToken cancellationToken) =>
        inner.ReceiveAsync(maxMessages, maxWait, cancellationToken);

    public Task<long> CountWaitingAsync(CancellationToken cancellationToken) => inner.CountWaitingAsync(cancellationToken);
}

/// <summary>
/// The fault matrix, end to end with the real adapters (Azurite, the AMQP broker, the SendGrid endpoint): each test
/// injects one fault for real and then checks the ledger (GET /api/meetings/{id}), the queue and the emails.
/// </summary>
public sealed class FaultMatrixTests : AppTest
{
    private readonly DeathPoints _death = new();
    private static readonly DateTimeOffset Due = new(2026, 12, 9, 1, 0, 0, TimeSpan.Zero); // the P1D reminder of Api.Meeting()

    // Short, so the timeout test is quick; only that test's SendGrid answers slowly on purpose.
    protected override void Configure(Dictionary<string, string?> settings) => settings["SendGrid:Timeout"] = "00:00:02";

    protected override void Decorate(IServiceCollection services)
    {
        services.AddSingleton(_death);
        Wrap<IEmailSender>(services, (inner, sp) => new DyingSender(inner, _death));
        Wrap<IDeliveryLedger>(services, (inner, sp) => new DyingLedger(inner, _death));
        Wrap<IReminderQueue>(services, (inner, sp) => new DyingQueue(inner, _death));
    }

    private ReminderTimers Timers => App.Function<ReminderTimers>();

    private async Task AdvanceToAsync(DateTimeOffset at)
    {
        App.MoveClockTo(at);
    }

    private Task RunBothTimersAsync() => RunBothTimersAsync(App);

    private static async Task RunBothTimersAsync(TestApp app)
    {
        var timers = app.Function<ReminderTimers>();
        await timers.ScheduleDueReminders(new TimerInfo(), default);
        await timers.DeliverReminders(new TimerInfo(), default);
    }

    /// <summary>The process after a restart: a new composition of the app (new clients, caches, singletons) on the same
    /// tables, broker and SendGrid endpoint, with no fault injected. The dead one's run was cancelled where it died.</summary>
    private TestApp Restarted() => App.StartInstance(_ => { });

    /// <summary>Runs a timer until the armed death point is reached, then kills the run there.</summary>
    private static async Task DieAtAsync(DeathPoint point, Func<CancellationToken, Task> run)
    {
        using var kill = new CancellationTokenSource();
        var running = run(kill.Token);
        await point.Reached.Task.WaitAsync(TimeSpan.FromSeconds(20));
        await kill.CancelAsync();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => running);
    }

    private async Task<List<string>> StatesAsync(string id) =>
        (await Api.GetAsync(id)).Json.GetProperty("reminders").EnumerateArray().Select(r => r.GetProperty("state").GetString()!).ToList();

    private static object OneParticipant() => Api.Meeting(offsets: ["P1D"], participants: [new { name = "Ayşe", email = "ayse@example.org" }]);

    [Fact]
    public async Task DeathAfterClaimingTheLedgerRowBeforeSendingSendsOnceAfterTheLeaseRunsOut()
    {
        var id = await Api.CreateIdAsync(OneParticipant());
        await App.SendInvitationsAsync(); // the death below must hit the reminder, not the invitation
        await AdvanceToAsync(Due.AddSeconds(30));
        await Timers.ScheduleDueReminders(new TimerInfo(), default);
        _death.BeforeSend.Arm();

        await DieAtAsync(_death.BeforeSend, ct => Timers.DeliverReminders(new TimerInfo(), ct));
        Assert.Empty(App.SendGrid.ReminderRequests);
        Assert.Equal(["queued"], await StatesAsync(id));

        // Restarted: the message comes back when its lock runs out; the ledger row is still leased to the dead worker.
        await using var restarted = Restarted();
        await AdvanceToAsync(Due.AddSeconds(30 + 61));
        await RunBothTimersAsync(restarted);
        Assert.Empty(App.SendGrid.ReminderRequests);

        // After the lease (2 min from the claim) the row is taken over and the reminder goes out, once.
        await AdvanceToAsync(Due.AddSeconds(30 + 125));
        await RunBothTimersAsync(restarted);
        await RunBothTimersAsync(restarted);
        Assert.Single(App.SendGrid.ReminderRequests);
        Assert.Equal(["sent"], await StatesAsync(id));
        Assert.Empty(App.Broker.ActiveMessages(TestApp.QueueName));
    }

    [Fact]
    public async Task DeathAfterTheLedgerSaysSentBeforeCompletingTheMessageNeverSendsTwice()
    {
        var id = await Api.CreateIdAsync(OneParticipant());
        await App.SendInvitationsAsync(); // the death below must hit the reminder, not the invitation
        await AdvanceToAsync(Due.AddSeconds(30));
        await Timers.ScheduleDueReminders(new TimerInfo(), default);
        _death.AfterLedgerSent.Arm();

        await DieAtAsync(_death.AfterLedgerSent, ct => Timers.DeliverReminders(new TimerInfo(), ct));
        Assert.Single(App.SendGrid.Reminders);

        // Restarted: the message comes back when its lock runs out, finds the reminder sent and is completed.
        await using var restarted = Restarted();
        await AdvanceToAsync(Due.AddSeconds(30 + 61));
        await RunBothTimersAsync(restarted);
        await AdvanceToAsync(Due.AddMinutes(10));
        await RunBothTimersAsync(restarted);

        Assert.Single(App.SendGrid.ReminderRequests);
        Assert.Equal(["sent"], await StatesAsync(id));
        Assert.Empty(App.Broker.ActiveMessages(TestApp.QueueName));
        Assert.Empty(App.Broker.DeadLetteredMessages(TestApp.QueueName));
    }

    [Fact]
    public async Task DeathBetweenClaimingADueSlotAndPublishingItPublishesOnALaterTick()
    {
        var id = await Api.CreateIdAsync(OneParticipant());
        await App.SendInvitationsAsync();
        await AdvanceToAsync(Due.AddSeconds(30));
        _death.BeforePublish.Arm();

        await DieAtAsync(_death.BeforePublish, ct => Timers.ScheduleDueReminders(new TimerInfo(), ct));
        Assert.Empty(App.Broker.ActiveMessages(TestApp.QueueName));
        Assert.Equal(["pending"], await StatesAsync(id));

        // The next tick (after a restart) sees the slot still claimed by the dead tick and leaves it ...
        await using var restarted = Restarted();
        await RunBothTimersAsync(restarted);
        Assert.Empty(App.SendGrid.ReminderRequests);

        // ... until the claim's lease (2 min) runs out; then it is published and sent, once.
        await AdvanceToAsync(Due.AddSeconds(30 + 125));
        await RunBothTimersAsync(restarted);
        await RunBothTimersAsync(restarted);
        Assert.Single(App.SendGrid.ReminderRequests);
        Assert.Equal(["sent"], await StatesAsync(id));
        Assert.Empty(App.Broker.ActiveMessages(TestApp.QueueName));
    }

    [Fact]
    public async Task TwoInstancesTickingAndDeliveringAtOnceOverDuplicateMessagesSendEachReminderOnce()
    {
        // Two instances of the app, as two workers in Azure: each its own composition, clients and caches.
        await using var other = App.StartInstance();
        var timersOfOther = other.Function<ReminderTimers>();
        var ids = new List<string>();
        for (var i = 0; i < 3; i++) ids.Add(await Api.CreateIdAsync(Api.Meeting(offsets: ["P1D"])));
        await App.SendInvitationsAsync();
        var invitations = _death.Published;
        await AdvanceToAsync(Due.AddSeconds(30));

        await Task.WhenAll(Timers.ScheduleDueReminders(new TimerInfo(), default), timersOfOther.ScheduleDueReminders(new TimerInfo(), default));
        Assert.Equal(6, _death.Published - invitations); // queued once by the two ticks together, not once by each
        var queued = App.Broker.ActiveMessages(TestApp.QueueName);
        Assert.Equal(6, queued.Count);

        // Every reminder once more, as a republish outside the duplicate-detection window would put it there.
        var copies = queued.Select(m => Summit.Reminders.Infrastructure.Queues.ReminderMessageSerializer.TryParse(new BinaryData(m.Body)).Message!
            with { Reschedules = 1 }).ToList();
        await App.Get<IReminderQueue>().PublishAsync(copies, default);
        Assert.Equal(12, App.Broker.ActiveMessages(TestApp.QueueName).Count);

        await Task.WhenAll(Timers.DeliverReminders(new TimerInfo(), default), timersOfOther.DeliverReminders(new TimerInfo(), default));
        await AdvanceToAsync(Due.AddMinutes(5)); // copies deferred behind another worker's lease come back
        await Task.WhenAll(Timers.DeliverReminders(new TimerInfo(), default), timersOfOther.DeliverReminders(new TimerInfo(), default));

        var sent = App.SendGrid.Reminders;
        Assert.Equal(6, sent.Count);
        Assert.Equal(6, sent.Select(m => m.CustomArg("reminder_id")).Distinct().Count());
        foreach (var id in ids) Assert.Equal(["sent", "sent"], await StatesAsync(id));
        Assert.Empty(App.Broker.ActiveMessages(TestApp.QueueName));
    }

    [Fact]
    public async Task ASendGridTimeoutIsRetriedWithBackoffAndRecordedAsPossiblyAccepted()
    {
        var id = await Api.CreateIdAsync(OneParticipant());
        // SendGrid answers after 5 s; our timeout here is 2 s: the first attempt times out, the second is accepted.
        App.SendGrid.Script(FakeAnswer.Accepted with { Delay = TimeSpan.FromSeconds(5) });
        await AdvanceToAsync(Due.AddSeconds(30));

        await RunBothTimersAsync();
        var states = (await Api.GetAsync(id)).Json.GetProperty("reminders").EnumerateArray().Single();
        Assert.Equal("queued", states.GetProperty("state").GetString());
        Assert.Equal("no answer from SendGrid within 2 s; SendGrid may have accepted it, so the participant can get this email twice", states.GetProperty("reason").GetString());
        var retry = Assert.Single(App.Broker.ActiveMessages(TestApp.QueueName));
        Assert.InRange(retry.ScheduledEnqueueTime!.Value, Due.AddSeconds(30 + 23), Due.AddSeconds(30 + 40)); // 30 s ± 20 %

        await AdvanceToAsync(Due.AddSeconds(30 + 45));
        await RunBothTimersAsync();
        // Sent by the retry. (Had SendGrid taken the timed-out request after all, the participant would have two: the
        // duplicate window written up in docs/reliability.md.)
        Assert.Single(App.SendGrid.Reminders);
        Assert.Equal(["sent"], await StatesAsync(id));
        Assert.Empty(App.Broker.ActiveMessages(TestApp.QueueName));
    }

    [Fact]
    public async Task AReminderWaitingForARetryWhenItsMeetingIsCancelledEndsAsSkipped()
    {
        var id = await Api.CreateIdAsync(OneParticipant());
        App.SendGrid.Script(FakeAnswer.ServerError(503));
        await AdvanceToAsync(Due.AddSeconds(30));
        await RunBothTimersAsync();
        Assert.Equal(["queued"], await StatesAsync(id)); // waiting for its retry

        Assert.Equal(200, (await Api.CancelAsync(id)).Status);
        await AdvanceToAsync(Due.AddMinutes(2));
        await RunBothTimersAsync();

        Assert.Empty(App.SendGrid.Reminders);
        var reminder = (await Api.GetAsync(id)).Json.GetProperty("reminders").EnumerateArray().Single();
        Assert.Equal("skipped", reminder.GetProperty("state").GetString());
        Assert.Equal("the meeting was cancelled", reminder.GetProperty("reason").GetString());
        Assert.Empty(App.Broker.ActiveMessages(TestApp.QueueName));
    }

    [Fact]
    public async Task DeathAfterSendGridAcceptedBeforeTheLedgerWriteIsTheOneWindowWithASecondEmail()
    {
        // The one point of fault 4 that cannot be made exactly-once: SendGrid has accepted the email, and the process dies
        // before the ledger says so. SendGrid takes no idempotency key, so after the lease the reminder is sent again:
        // at most one extra email, never none. docs/reliability.md ("Where a duplicate is still possible") says so.
        var id = await Api.CreateIdAsync(OneParticipant());
        await App.SendInvitationsAsync();
        await AdvanceToAsync(Due.AddSeconds(30));
        await Timers.ScheduleDueReminders(new TimerInfo(), default);
        _death.AfterSendGridAccepted.Arm();

        await DieAtAsync(_death.AfterSendGridAccepted, ct => Timers.DeliverReminders(new TimerInfo(), ct));
        Assert.Single(App.SendGrid.Reminders);
        Assert.Equal(["queued"], await StatesAsync(id)); // the ledger never heard of the 202

        await using var restarted = Restarted();
        await AdvanceToAsync(Due.AddSeconds(30 + 61));
        await RunBothTimersAsync(restarted);
        Assert.Single(App.SendGrid.Reminders); // still leased to the dead worker
        await AdvanceToAsync(Due.AddSeconds(30 + 125));
        await RunBothTimersAsync(restarted);
        await AdvanceToAsync(Due.AddMinutes(10));
        await RunBothTimersAsync(restarted);

        Assert.Equal(2, App.SendGrid.Reminders.Count);
        Assert.Single(App.SendGrid.Reminders.Select(m => m.CustomArg("reminder_id")).Distinct());
        Assert.Equal(["sent"], await StatesAsync(id));
        Assert.Empty(App.Broker.ActiveMessages(TestApp.QueueName));
        Assert.Empty(App.Broker.DeadLetteredMessages(TestApp.QueueName));
    }

    private static readonly DateTimeOffset CommitmentDue = new(2027, 1, 15, 15, 0, 0, TimeSpan.Zero); // Api.Commitment()

    private async Task<Dictionary<string, JsonElement>> CommitmentEmailsAsync(string id) =>
        (await Api.GetCommitmentAsync(id)).Json.GetProperty("emails").EnumerateArray()
            .ToDictionary(e => $"{e.GetProperty("offset").GetString()}/{e.GetProperty("recipientId").GetString()}");

    [Fact]
    public async Task ACommitmentMarkedDoneWhileItsReminderIsQueuedIsNotEmailedAndNothingLaterGoes()
    {
        var id = await Api.CreateCommitmentIdAsync();
        await AdvanceToAsync(CommitmentDue.AddDays(-7).AddSeconds(30));
        await Timers.ScheduleDueReminders(new TimerInfo(), default);
        Assert.Equal(2, App.Broker.ActiveMessages(TestApp.QueueName).Count); // one per owner, queued, not yet delivered

        Assert.Equal(200, (await Api.CommitmentActionAsync(id, "done")).Status);
        await Timers.DeliverReminders(new TimerInfo(), default);
        foreach (var at in new[] { CommitmentDue.AddDays(-2), CommitmentDue.AddDays(-1), CommitmentDue, CommitmentDue.AddDays(2) })
        {
            await AdvanceToAsync(at.AddSeconds(30));
            await RunBothTimersAsync();
        }

        Assert.Empty(App.SendGrid.Accepted);
        var emails = (await Api.GetCommitmentAsync(id)).Json.GetProperty("emails").EnumerateArray().ToList();
        Assert.All(emails, e => Assert.Equal("skipped", e.GetProperty("state").GetString()));
        Assert.Equal(2, emails.Count(e => e.GetProperty("reason").GetString() == "the commitment is done" && e.GetProperty("offset").GetString() == "P7D"));
        Assert.Empty(App.Broker.ActiveMessages(TestApp.QueueName));
        Assert.Empty(App.Broker.DeadLetteredMessages(TestApp.QueueName));
    }

    [Fact]
    public async Task TwoInstancesTickingAndDeliveringACommitmentsRungsAtOnceSendEachOnce()
    {
        await using var other = App.StartInstance();
        var timersOfOther = other.Function<ReminderTimers>();
        var id = await Api.CreateCommitmentIdAsync(Api.Commitment(offsets: [], escalateAfter: ["PT0M", "P1D"]));

        foreach (var at in new[] { CommitmentDue, CommitmentDue.AddDays(1) })
        {
            await AdvanceToAsync(at.AddSeconds(30));
            await Task.WhenAll(Timers.ScheduleDueReminders(new TimerInfo(), default), timersOfOther.ScheduleDueReminders(new TimerInfo(), default));
            await Task.WhenAll(Timers.DeliverReminders(new TimerInfo(), default), timersOfOther.DeliverReminders(new TimerInfo(), default));
        }

        var rungs = App.SendGrid.AcceptedOf("commitment-escalation");
        Assert.Equal(2, rungs.Count);
        Assert.Equal(2, rungs.Select(m => m.CustomArg("reminder_id")).Distinct().Count());
        Assert.All(rungs, m => Assert.Equal("coordinator@example.org", m.To));
        var emails = await CommitmentEmailsAsync(id);
        Assert.Equal("sent", emails["PT0M/coordinator"].GetProperty("state").GetString());
        Assert.Equal("sent", emails["P1D/coordinator"].GetProperty("state").GetString());
    }

    [Fact]
    public async Task AReopenedCommitmentsLadderResumesFromNowWithoutSendingAPastRungAgain()
    {
        var id = await Api.CreateCommitmentIdAsync(Api.Commitment(offsets: ["P1D"]));
        await AdvanceToAsync(CommitmentDue.AddDays(-1).AddSeconds(30));
        await RunBothTimersAsync();
        await AdvanceToAsync(CommitmentDue.AddSeconds(30));
        await RunBothTimersAsync();
        Assert.Equal(2, App.SendGrid.AcceptedOf("commitment-reminder").Count);
        Assert.Single(App.SendGrid.AcceptedOf("commitment-escalation"));

        Assert.Equal(200, (await Api.CommitmentActionAsync(id, "done")).Status);
        await AdvanceToAsync(CommitmentDue.AddDays(1));
        var reopened = await Api.CommitmentActionAsync(id, "reopen");
        Assert.Equal("open", reopened.Json.GetProperty("status").GetString());
        Assert.True(reopened.Json.GetProperty("overdue").GetBoolean());
        foreach (var at in new[] { CommitmentDue.AddDays(1).AddMinutes(1), CommitmentDue.AddDays(2).AddSeconds(30), CommitmentDue.AddDays(3) })
        {
            await AdvanceToAsync(at);
            await RunBothTimersAsync();
        }

        Assert.Equal(2, App.SendGrid.AcceptedOf("commitment-reminder").Count); // no reminder again
        Assert.Equal(2, App.SendGrid.AcceptedOf("commitment-escalation").Count); // the due-moment rung once, the P2D rung once
        var emails = await CommitmentEmailsAsync(id);
        Assert.Equal("it fell due while the commitment was closed", emails["PT0M/coordinator"].GetProperty("reason").GetString());
        Assert.Equal("sent", emails["P2D/coordinator"].GetProperty("state").GetString());
    }

    [Fact]
    public async Task ACancellationWhileTheReminderIsQueuedMeansItIsNotEmailed()
    {
        var id = await Api.CreateIdAsync(OneParticipant());
        await App.SendInvitationsAsync();
        await AdvanceToAsync(Due.AddSeconds(30));
        await Timers.ScheduleDueReminders(new TimerInfo(), default);
        Assert.Single(App.Broker.ActiveMessages(TestApp.QueueName)); // queued, not yet delivered

        Assert.Equal(200, (await Api.CancelAsync(id)).Status);
        await Timers.DeliverReminders(new TimerInfo(), default);

        Assert.Empty(App.SendGrid.Reminders);
        var reminder = (await Api.GetAsync(id)).Json.GetProperty("reminders").EnumerateArray().Single();
        Assert.Equal("skipped", reminder.GetProperty("state").GetString());
        Assert.Equal("the meeting was cancelled", reminder.GetProperty("reason").GetString());
        Assert.Empty(App.Broker.ActiveMessages(TestApp.QueueName));
        Assert.Empty(App.Broker.DeadLetteredMessages(TestApp.QueueName));

        // What the participant does get is the cancellation itself, once.
        await RunBothTimersAsync();
        await RunBothTimersAsync();
        Assert.Single(App.SendGrid.AcceptedOf("cancellation"));
        Assert.Empty(App.SendGrid.Reminders);
    }
}

/// <summary>Fault 2, the end of the road: a send that keeps failing is given up after Delivery:MaxSendAttempts.</summary>
public sealed class GiveUpTests : AppTest
{
    protected override void Configure(Dictionary<string, string?> settings) => settings["Delivery:MaxSendAttempts"] = "3";

    [Fact]
    public async Task AfterTheLastAttemptTheReminderIsFailedAndDeadLetteredWithTheReason()
    {
        var id = await Api.CreateIdAsync(Api.Meeting(offsets: ["P1D"], participants: [new { name = "Ayşe", email = "ayse@example.org" }]));
        App.SendGrid.Responder = _ => FakeAnswer.ServerError(503);
        var timers = App.Function<ReminderTimers>();
        var at = new DateTimeOffset(2026, 12, 9, 1, 0, 30, TimeSpan.Zero);
        for (var i = 0; i < 4; i++, at = at.AddMinutes(5))
        {
            App.MoveClockTo(at);
            await timers.ScheduleDueReminders(new TimerInfo(), default);
            await timers.DeliverReminders(new TimerInfo(), default);
        }

        Assert.Equal(3, App.SendGrid.ReminderRequests.Count);
        var reminder = (await Api.GetAsync(id)).Json.GetProperty("reminders").EnumerateArray().Single();
        Assert.Equal("failed", reminder.GetProperty("state").GetString());
        Assert.StartsWith("gave up after 3 attempts: SendGrid answered 503", reminder.GetProperty("reason").GetString());
        var dead = Assert.Single(App.Broker.DeadLetteredMessages(TestApp.QueueName));
        Assert.Equal("SendFailed", dead.DeadLetterReason);
        Assert.Empty(App.Broker.ActiveMessages(TestApp.QueueName));
    }
}
