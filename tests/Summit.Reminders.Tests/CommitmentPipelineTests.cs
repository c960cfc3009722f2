using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;
using Summit.Reminders.Commitments;
using Summit.Reminders.Delivery;
using Summit.Reminders.Email;
using Summit.Reminders.Meetings;
using Summit.Reminders.Notifications;
using Summit.Reminders.Participation;
using Summit.Reminders.Scheduling;
using Summit.Reminders.Telemetry;
using Summit.Reminders.Tests.Fakes;


namespace Summit.Reminders.Tests;

/// <summary>Issue 17: a commitment's reminders and escalation ladder on the meetings' pipeline (due index, queue, ledger),
/// with the races of the fault matrix: done while a reminder is queued, reopen, two ticks at once, a change of due date.</summary>
public sealed class CommitmentPipelineTests
{
    // Due at the end of 15 January 2027 in Seoul: 15:00 UTC. P7D, P2D, P1D before; rungs at the moment and 2 days after.
    private static readonly DateTimeOffset DueUtc = new(2027, 1, 15, 15, 0, 0, TimeSpan.Zero);

    private readonly FakeTimeProvider _time = new(Drafts.Now);
    private readonly InMemoryMeetingStore _meetings = new();
    private readonly InMemoryCommitmentStore _store = new();
    private readonly InMemoryDueIndex _index = new();
    private readonly InMemoryLedger _ledger = new();
    private readonly InMemoryResponses _responses = new();
    private readonly InMemoryQueue _queue;
    private readonly RecordingSender _sender = new();
    private readonly CommitmentService _service;
    private readonly SummitMetrics _metrics = new();
    private readonly IEmailComposer _composer;
    private readonly ParticipantLinks _links;

    public CommitmentPipelineTests()
    {
        _queue = new InMemoryQueue(_time);
        var links = Options.Create(new LinkOptions { BaseUrl = "https://reminders.test", SigningKey = "unit-test-link-signing-key-0123456789" });
        _service = new CommitmentService(_store, _meetings, _index, _ledger, new ParticipantIds(links), AuditFakes.Trail(_time), _time, Options.Create(PipelineRulesTests.AllDay), NullLogger<CommitmentService>.Instance);
        _links = new ParticipantLinks(new LinkSigner(links, _time), links);
        _composer = new EmailComposer(_links);
    }

    private ReminderScheduler Scheduler() => new(_index, _meetings, _store, _queue, _ledger, new InMemoryDigestSubscriptions(), _time, Options.Create(new SchedulerOptions()), _metrics,
        NullLogger<ReminderScheduler>.Instance);

    private ReminderDelivery Delivery() => new(_queue, _meetings, _store, new InMemoryDigestSubscriptions(), _ledger, _responses, _sender, _composer, _links, new EmailProviderStatus(_time), _time,
        Options.Create(new DeliveryOptions { MaxConcurrency = 1, ReceiveWait = TimeSpan.Zero }), _metrics, NullLogger<ReminderDelivery>.Instance);

    private static CommitmentDraft Draft(string dueDate = "2027-01-15") => new()
    {
        Title = "Sinop evaluation: data package",
        Track = "nuclear-energy",
        Owners =
        [
            new ParticipantDraft { Name = "Lee Seo-yeon", Email = "seoyeon@example.org", TimeZone = "Asia/Seoul", Language = "ko" },
            new ParticipantDraft { Name = "Ayşe Yılmaz", Email = "ayse@example.org", TimeZone = "Europe/Istanbul", Language = "tr" },
        ],
        Coordinator = new PersonDraft { Name = "Kim Min-jun", Email = "coordinator@example.org" },
        DueDate = dueDate,
        TimeZone = "Asia/Seoul",
    };

    private async Task<Commitment> RegisterAsync(CommitmentDraft? draft = null)
    {
        var created = Assert.IsType<CommitmentResult.Created>(await _service.RegisterAsync(draft ?? Draft(), null, default));
        return _store[created.View.Commitment.Id];
    }

    private async Task RunAsync(DateTimeOffset at)
    {
        _time.SetUtcNow(at);
        await Scheduler().TickAsync(default);
        await Delivery().RunAsync(default);
    }

    private IEnumerable<EmailMessage> Of(string category) => _sender.Sent.Where(m => m.Categories[0] == category);

    private string StateOf(Commitment c, string slot, string recipient) =>
        DeliveryRules.Display(_ledger[c.Id, NotificationIds.For(c.Id, c.Plan.PlanId, slot, recipient)]!.State);

    [Fact]
    public async Task EachOwnerGetsEachReminderOnceAndTheCoordinatorEachRungOnce()
    {
        var c = await RegisterAsync();
        // One entry per slot and moment, nothing per owner or tick: the P7D reminder falls on Saturday 9 January in Seoul
        // and moves to Friday for Lee Seo-yeon (Seoul), not for Ayşe Yılmaz (Istanbul, still Friday there): 5 slots, 6 entries.
        Assert.Equal(6, _index.Entries.Count);

        foreach (var at in new[] { DueUtc.AddDays(-7), DueUtc.AddDays(-2), DueUtc.AddDays(-1), DueUtc, DueUtc.AddDays(2) })
        {
            await RunAsync(at.AddSeconds(30));
            await RunAsync(at.AddMinutes(1)); // a second tick finds nothing more to do
        }

        Assert.Equal(6, Of("commitment-reminder").Count());
        Assert.Equal(3, Of("commitment-reminder").Count(m => m.To.Email == "ayse@example.org"));
        Assert.Equal(["coordinator@example.org", "coordinator@example.org"], Of("commitment-escalation").Select(m => m.To.Email));
        Assert.All(_sender.Sent, m => Assert.Equal(c.Id, m.CustomArgs["meeting_id"]));
        Assert.Empty(_index.Entries);
    }

    [Fact]
    public async Task DoneWhileAReminderIsQueuedIsNotSentAndStopsEveryLaterEmail()
    {
        var c = await RegisterAsync();
        _time.SetUtcNow(DueUtc.AddDays(-2).AddSeconds(30));
        await Scheduler().TickAsync(default); // the P2D reminders are on the queue
        Assert.IsType<CommitmentResult.Changed>(await _service.CompleteAsync(c.Id, new CompletionDraft { Note = "sent" }, null, default));
        await Delivery().RunAsync(default);
        foreach (var at in new[] { DueUtc.AddDays(-1), DueUtc, DueUtc.AddDays(2) }) await RunAsync(at.AddSeconds(30));

        Assert.Empty(_sender.Sent);
        Assert.Equal("skipped", StateOf(c, "due-P2D", c.Owners[0].Id));
        Assert.Equal("the commitment is done", _ledger[c.Id, NotificationIds.For(c.Id, c.Plan.PlanId, "due-P2D", c.Owners[1].Id)]!.Reason);
        Assert.Empty(_index.Entries);
    }

    [Fact]
    public async Task ReopenedTheLadderResumesFromNowWithoutSendingAPastRungAgain()
    {
        var c = await RegisterAsync(Draft() with { ReminderOffsets = [] });
        await RunAsync(DueUtc.AddSeconds(30)); // the rung at the due moment
        Assert.Single(Of("commitment-escalation"));
        _time.SetUtcNow(DueUtc.AddHours(1));
        await _service.CompleteAsync(c.Id, new CompletionDraft(), null, default);
        _time.SetUtcNow(DueUtc.AddDays(1));
        var reopened = Assert.IsType<CommitmentResult.Changed>(await _service.ReopenAsync(c.Id, null, default)).View.Commitment;

        await RunAsync(DueUtc.AddDays(1).AddMinutes(1));
        await RunAsync(DueUtc.AddDays(2).AddSeconds(30));
        await RunAsync(DueUtc.AddDays(3));

        Assert.Equal(2, Of("commitment-escalation").Count()); // the PT0M rung once, then the P2D rung of the new plan once
        Assert.Equal("sent", StateOf(reopened, "overdue-P2D", Slots.Coordinator));
        Assert.Equal("it fell due while the commitment was closed", Assert.Single(reopened.Plan.Slots, s => s.Offset == "overdue-PT0M").SkipReason);
    }

    [Fact]
    public async Task TwoTicksAtOnceSendEachEmailOnce()
    {
        await RegisterAsync();
        _time.SetUtcNow(DueUtc.AddDays(-7).AddSeconds(30));
        await Task.WhenAll(Scheduler().TickAsync(default), Scheduler().TickAsync(default));
        await Task.WhenAll(Delivery().RunAsync(default), Delivery().RunAsync(default));

        Assert.Equal(["ayse@example.org", "seoyeon@example.org"], Of("commitment-reminder").Select(m => m.To.Email).Order());
    }

    [Fact]
    public async Task ANewDueDateReplansAndTheOldPlansRemindersAreNeverSent()
    {
        var c = await RegisterAsync();
        var changed = Assert.IsType<CommitmentResult.Changed>(await _service.UpdateAsync(c.Id, Draft("2027-01-22"), c.Version, default)).View.Commitment;

        await RunAsync(DueUtc.AddDays(-7).AddSeconds(30)); // the old P7D moment: nothing
        Assert.Empty(_sender.Sent);
        await RunAsync(DueUtc.AddSeconds(30)); // 15 January 15:00: the new plan's P7D
        Assert.Equal(2, Of("commitment-reminder").Count());
        Assert.All(Of("commitment-reminder"), m => Assert.Contains($".{changed.Plan.PlanId}.due-P7D.", m.CustomArgs["reminder_id"], StringComparison.Ordinal));
        Assert.Empty(Of("commitment-escalation")); // the old plan's rung at 15 January is not sent either
    }

    [Fact]
    public async Task AfterAnOutageOnlyTheLatestDueReminderIsSentAndNoReminderAfterTheDueMoment()
    {
        var c = await RegisterAsync();
        await RunAsync(DueUtc.AddDays(-1).AddMinutes(5)); // P7D, P2D and P1D all due at once

        Assert.Equal(2, Of("commitment-reminder").Count());
        Assert.All(Of("commitment-reminder"), m => Assert.Contains(".due-P1D.", m.CustomArgs["reminder_id"], StringComparison.Ordinal));
        Assert.StartsWith("sent late, and the P1D reminder was also due", _ledger[c.Id, NotificationIds.For(c.Id, c.Plan.PlanId, "due-P7D", c.Owners[0].Id)]!.Reason);
    }
}
