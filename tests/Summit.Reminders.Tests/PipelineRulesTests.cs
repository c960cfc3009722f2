using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;
using Summit.Reminders.Delivery;
using Summit.Reminders.Email;
using Summit.Reminders.Meetings;
using Summit.Reminders.Notifications;
using Summit.Reminders.Participation;
using Summit.Reminders.Scheduling;
using Summit.Reminders.Tests.Fakes;

namespace Summit.Reminders.Tests;

/// <summary>
/// The scheduler's and delivery's decisions — publish, skip, discard, hold, retry, dead-letter, postpone, escalate — on
/// in-memory ports, in milliseconds. The same paths run end to end on Azurite and the AMQP broker in Summit.Functions.Tests.
/// </summary>
public sealed class PipelineRulesTests
{
    private static readonly DateTimeOffset P1DDue = new(2026, 12, 9, 1, 0, 0, TimeSpan.Zero); // of Drafts.Valid()'s meeting
    private static readonly DateTimeOffset Start = new(2026, 12, 10, 1, 0, 0, TimeSpan.Zero);

    private readonly FakeTimeProvider _time = new(Drafts.Now);
    private readonly InMemoryMeetingStore _store = new();
    private readonly InMemoryDueIndex _index = new();
    private readonly InMemoryLedger _ledger = new();
    private readonly InMemoryResponses _responses = new();
    private readonly InMemoryQueue _queue;
    private readonly RecordingSender _sender = new();
    private readonly EmailProviderStatus _provider;
    private readonly MeetingService _meetings;
    private readonly ReminderScheduler _scheduler;
    private readonly DeliveryOptions _delivery = new() { MaxConcurrency = 1, MaxSendAttempts = 3, ReceiveWait = TimeSpan.Zero };

    public PipelineRulesTests()
    {
        _queue = new InMemoryQueue(_time);
        _provider = new EmailProviderStatus(_time);
        var links = Options.Create(new LinkOptions { BaseUrl = "https://reminders.test", SigningKey = "unit-test-link-signing-key-0123456789" });
        _meetings = new MeetingService(_store, _index, _ledger, _responses, new ParticipantIds(links), _time, NullLogger<MeetingService>.Instance);
        _scheduler = new ReminderScheduler(_index, _store, _queue, _ledger, _time, Options.Create(new SchedulerOptions()), NullLogger<ReminderScheduler>.Instance);
        Composer = new EmailComposer(new ParticipantLinks(new LinkSigner(links, _time), links));
    }

    private IEmailComposer Composer { get; set; }

    private ReminderDelivery Delivery() => new(_queue, _store, _ledger, _responses, _sender, Composer, _provider, _time,
        Options.Create(_delivery), NullLogger<ReminderDelivery>.Instance);

    private async Task<Meeting> RegisterAsync(MeetingDraft? draft = null)
    {
        var created = Assert.IsType<MeetingResult.Created>(await _meetings.RegisterAsync(draft ?? Drafts.Valid(offsets: ["P1D"]) with { EscalateBefore = null }, null, default));
        return _store[created.View.Meeting.Id];
    }

    private async Task RunAsync(DateTimeOffset? at = null)
    {
        if (at is { } moment) _time.SetUtcNow(moment);
        await _scheduler.TickAsync(default);
        await Delivery().RunAsync(default);
    }

    private string StateOf(Meeting meeting, string slot, int participant = 0) =>
        DeliveryRules.Display(_ledger[meeting.Id, NotificationIds.For(meeting.Id, meeting.Plan.PlanId, slot, meeting.Participants[participant].Id)]!.State);

    private IEnumerable<EmailMessage> Of(string category) => _sender.Sent.Where(m => m.Categories[0] == category);

    [Fact]
    public async Task ADueSlotIsQueuedOncePerParticipantAndSentOnce()
    {
        var meeting = await RegisterAsync();
        await RunAsync();
        await RunAsync(P1DDue);
        await RunAsync(P1DDue.AddMinutes(1));

        Assert.Equal(["ayse@example.org", "seoyeon@example.org"], Of("reminder").Select(m => m.To.Email).Order());
        Assert.Equal("sent", StateOf(meeting, "P1D"));
        Assert.Empty(_index.Entries);
    }

    [Fact]
    public async Task ASlotOfAReplacedPlanIsDiscardedAndTheNewPlansIsSent()
    {
        var meeting = await RegisterAsync();
        await RunAsync();
        var changed = Assert.IsType<MeetingResult.Changed>(await _meetings.UpdateAsync(meeting.Id, Drafts.Valid(start: "2026-12-11T10:00", offsets: ["P1D"]), null, default));
        await RunAsync(P1DDue);
        Assert.Empty(Of("reminder"));
        await RunAsync(P1DDue.AddDays(1));
        Assert.Equal(2, Of("reminder").Count());
        Assert.Equal(2, _store[meeting.Id].Plan.PlanVersion);
        Assert.Equal(2, changed.View.Meeting.Plan.PlanVersion);
    }

    [Fact]
    public async Task ACancelledMeetingsRemindersAreDiscardedAndItsInvitedParticipantsGetTheCancellation()
    {
        var meeting = await RegisterAsync();
        await RunAsync();
        await _meetings.CancelAsync(meeting.Id, null, default);
        await RunAsync(P1DDue);

        Assert.Empty(Of("reminder"));
        Assert.Equal(2, Of("cancellation").Count());
        Assert.Empty(_index.Entries);
    }

    [Fact]
    public async Task AnEntryWhoseMeetingIsNotStoredIsHeldWhileYoungThenDiscarded()
    {
        var orphan = new DueEntry("m-not-yet", "plan1", 1, "P1D", Drafts.Now, Drafts.Now);
        await _index.AddAsync([orphan], default);
        await _scheduler.TickAsync(default);
        Assert.Contains(orphan, _index.Entries); // its registration may still be being written

        _time.Advance(new SchedulerOptions().OrphanGrace + TimeSpan.FromSeconds(1));
        await _scheduler.TickAsync(default);
        Assert.Empty(_index.Entries);
        Assert.Empty(_queue.Waiting);
    }

    [Fact]
    public async Task AfterDowntimeOnlyTheLatestDueSlotIsSentAndTheEarlierIsRecordedSkipped()
    {
        var meeting = await RegisterAsync(Drafts.Valid(offsets: ["P1D", "PT2H"]));
        await RunAsync();
        await RunAsync(Start.AddHours(-1)); // both moments passed while we were down

        Assert.All(Of("reminder"), m => Assert.Contains("PT2H", m.CustomArgs["reminder_id"]));
        Assert.Equal("skipped", StateOf(meeting, "P1D"));
        Assert.StartsWith("sent late, and the PT2H reminder was also due", _ledger[meeting.Id, NotificationIds.For(meeting.Id, meeting.Plan.PlanId, "P1D", meeting.Participants[0].Id)]!.Reason);
    }

    [Fact]
    public async Task ATransientFailureIsRetriedWithBackoffAndAfterTheLastAttemptDeadLettered()
    {
        var meeting = await RegisterAsync();
        await RunAsync();
        _sender.Answer = m => m.Categories[0] == "reminder" ? new SendResult.Transient("SendGrid answered 503") : new SendResult.Accepted("x");
        for (var at = P1DDue; at < P1DDue.AddHours(1); at = at.AddMinutes(5)) await RunAsync(at);

        var reminders = _sender.Sent.Count(m => m.Categories[0] == "reminder");
        Assert.Equal(6, reminders); // 3 attempts for each of the 2 participants
        Assert.Equal("failed", StateOf(meeting, "P1D"));
        Assert.Equal(2, _queue.Settled.Count(s => s.Settlement == "dead-lettered" && s.Reason == "SendFailed"));
        Assert.Equal(4, _queue.Settled.Count(s => s.Settlement == "retry later"));
    }

    [Fact]
    public async Task APermanentRefusalIsDeadLetteredAtOnceAndTheOtherParticipantStillGetsTheirs()
    {
        var meeting = await RegisterAsync();
        await RunAsync();
        _sender.Answer = m => m.To.Email == "ayse@example.org" && m.Categories[0] == "reminder" ? new SendResult.Permanent("SendGrid answered 400") : new SendResult.Accepted("x");
        await RunAsync(P1DDue);

        Assert.Equal("failed", StateOf(meeting, "P1D", 0));
        Assert.Equal("sent", StateOf(meeting, "P1D", 1));
        Assert.Single(_queue.Settled, s => s.Reason == "RejectedByEmailProvider");
    }

    [Fact]
    public async Task ARateLimitWaitsForTheResetWithoutSpendingAnAttempt()
    {
        var meeting = await RegisterAsync();
        await RunAsync();
        var reset = P1DDue.AddMinutes(10);
        _sender.Answer = m => m.Categories[0] == "reminder" && _time.GetUtcNow() < reset ? new SendResult.RateLimited(reset) : new SendResult.Accepted("x");
        await RunAsync(P1DDue);
        Assert.Equal("queued", StateOf(meeting, "P1D"));
        Assert.All(_queue.Waiting, m => Assert.Equal(reset, m.NotBefore));
        Assert.All(_queue.Waiting, m => Assert.Equal(0, m.FailedAttempts));

        await RunAsync(reset);
        Assert.Equal("sent", StateOf(meeting, "P1D"));
    }

    [Fact]
    public async Task RefusedCredentialsPostponeTheRunWithoutTryingTheRestAndClearOnTheNextAcceptedSend()
    {
        var meeting = await RegisterAsync();
        await RunAsync();
        var keyWorks = false;
        _sender.Answer = _ => keyWorks ? new SendResult.Accepted("x") : new SendResult.CredentialsRefused("SendGrid answered 401: bad key", 401);
        var sentBefore = _sender.Sent.Count;
        await RunAsync(P1DDue);

        Assert.Equal(sentBefore + 1, _sender.Sent.Count); // one try, then the run stops sending
        Assert.Equal(401, _provider.Current?.Status);
        Assert.Equal(2, _queue.Waiting.Count);
        Assert.DoesNotContain(_queue.Settled, s => s.Settlement == "dead-lettered");

        keyWorks = true;
        await RunAsync(P1DDue.AddMinutes(2));
        Assert.Null(_provider.Current);
        Assert.Equal("sent", StateOf(meeting, "P1D", 0));
        Assert.Equal("sent", StateOf(meeting, "P1D", 1));
    }

    [Fact]
    public async Task AnAcknowledgedParticipantGetsNoReminderTheOtherDoes()
    {
        var meeting = await RegisterAsync();
        await RunAsync();
        await _responses.AcknowledgeAsync(meeting.Id, meeting.Participants[0].Id, Drafts.Now, meeting.StartUtc, default);
        await RunAsync(P1DDue);

        Assert.Equal(["seoyeon@example.org"], Of("reminder").Select(m => m.To.Email));
        Assert.Equal("skipped", StateOf(meeting, "P1D", 0));
    }

    [Fact]
    public async Task TheEscalationGoesToTheCoordinatorUnlessEveryoneAcknowledged()
    {
        var someone = await RegisterAsync(Drafts.Valid(offsets: ["P1D"]) with { EscalateBefore = "P2D" });
        var everyone = await RegisterAsync(Drafts.Valid(offsets: ["P1D"]) with { EscalateBefore = "P2D", Title = "Sinop evaluation" });
        await RunAsync();
        await _responses.AcknowledgeAsync(someone.Id, someone.Participants[0].Id, Drafts.Now, someone.StartUtc, default);
        foreach (var p in everyone.Participants) await _responses.AcknowledgeAsync(everyone.Id, p.Id, Drafts.Now, everyone.StartUtc, default);
        await RunAsync(Start.AddDays(-2));

        var escalation = Assert.Single(Of("escalation"));
        Assert.Equal("coordinator@example.org", escalation.To.Email);
        Assert.Equal(someone.Id, escalation.CustomArgs["meeting_id"]);
        Assert.Equal("every participant had acknowledged",
            _ledger[everyone.Id, NotificationIds.For(everyone.Id, everyone.Plan.PlanId, Slots.Escalation, Slots.Coordinator)]!.Reason);
    }

    [Fact]
    public async Task AnEmailThatCannotBeWrittenFailsAloneAndOnce()
    {
        Composer = new Failing(Composer, "seoyeon@example.org");
        await RegisterAsync();
        await RunAsync();
        await RunAsync(_time.GetUtcNow().AddMinutes(5));

        Assert.Equal(["ayse@example.org"], Of("invitation").Select(m => m.To.Email));
        Assert.Single(_queue.Settled, s => s.Reason == "ComposeFailed");
        Assert.Empty(_queue.Waiting);
    }

    private sealed class Failing(IEmailComposer inner, string email) : IEmailComposer
    {
        public EmailMessage Compose(CompositionInput input) =>
            input.Participant?.Email == email ? throw new InvalidOperationException("broken template") : inner.Compose(input);
    }
}
