using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;
using Summit.Reminders.Delivery;
using Summit.Reminders.Email;
using Summit.Reminders.Meetings;
using Summit.Reminders.Notifications;
using Summit.Reminders.Participation;
using Summit.Reminders.Scheduling;
using Summit.Reminders.Telemetry;
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
    private readonly InMemoryCommitmentStore _commitments = new();
    private readonly InMemoryDueIndex _index = new();
    private readonly InMemoryLedger _ledger = new();
    private readonly InMemoryDigestSubscriptions _digests = new();
    private readonly InMemoryResponses _responses = new();
    private readonly InMemoryQueue _queue;
    private readonly RecordingSender _sender = new();
    private readonly EmailProviderStatus _provider;
    private readonly MeetingService _meetings;
    private readonly ReminderScheduler _scheduler;
    private readonly SummitMetrics _metrics = new();
    private readonly DeliveryOptions _delivery = new() { MaxConcurrency = 1, MaxSendAttempts = 3, ReceiveWait = TimeSpan.Zero };

    /// <summary>These tests are about delivery rules, not send windows (SendWindowTests): every hour of the day is open.</summary>
    internal static readonly Summit.Reminders.SendWindows.SendWindowOptions AllDay = new() { Start = "00:00", End = "23:59" };

    public PipelineRulesTests()
    {
        _queue = new InMemoryQueue(_time);
        _provider = new EmailProviderStatus(_time);
        var links = Options.Create(new LinkOptions { BaseUrl = "https://reminders.test", SigningKey = "unit-test-link-signing-key-0123456789" });
        _meetings = new MeetingService(_store, _index, _ledger, _responses, new ParticipantIds(links), AuditFakes.Trail(_time), _time, Options.Create(AllDay), NullLogger<MeetingService>.Instance);
        _windowedMeetings = new MeetingService(_store, _index, _ledger, _responses, new ParticipantIds(links), AuditFakes.Trail(_time), _time,
            Options.Create(new Summit.Reminders.SendWindows.SendWindowOptions()), NullLogger<MeetingService>.Instance);
        _scheduler = new ReminderScheduler(_index, _store, _commitments, _queue, _ledger, _digests, _time, Options.Create(new SchedulerOptions()), _metrics, NullLogger<ReminderScheduler>.Instance);
        _links = new ParticipantLinks(new LinkSigner(links, _time), links);
        Composer = new EmailComposer(_links);
    }

    private readonly ParticipantLinks _links;

    /// <summary>Registers with the default send window, 08:00–21:00.</summary>
    private readonly MeetingService _windowedMeetings;

    /// <summary>Thursday 14 January 2027, 09:00 in Seoul, for Seo-yeon (Seoul) and Ayşe (Istanbul), P1D and PT2H. Their
    /// moments (SendWindowTests): Seoul P1D 00:00Z on the 13th, PT2H 23:00Z; Istanbul P1D 05:00Z, PT2H 18:00Z the 13th.</summary>
    private async Task<Meeting> RegisterWindowedAsync()
    {
        var draft = Drafts.Valid("2027-01-14T09:00", "Asia/Seoul", ["P1D", "PT2H"]) with { EscalateBefore = null };
        var created = Assert.IsType<MeetingResult.Created>(await _windowedMeetings.RegisterAsync(draft, null, default));
        return _store[created.View.Meeting.Id];
    }

    private static readonly DateTimeOffset Jan13 = new(2027, 1, 13, 0, 0, 0, TimeSpan.Zero);

    [Fact]
    public async Task EachParticipantGetsEachReminderAtTheirOwnMomentOnce()
    {
        var meeting = await RegisterWindowedAsync();
        await RunAsync();
        const int ayse = 0, seoyeon = 1; // Drafts.Valid's order
        Assert.Equal(["ayse@example.org", "seoyeon@example.org"], meeting.Participants.Select(p => p.Email));

        IEnumerable<string> SentTo() => Of("reminder").Select(m => $"{m.CustomArgs["reminder_id"].Split('.')[2]} {m.To.Email}");
        await RunAsync(Jan13.AddSeconds(30));      // 09:00 Seoul, 03:00 Istanbul
        Assert.Equal(["P1D seoyeon@example.org"], SentTo());
        await RunAsync(Jan13.AddHours(4).AddMinutes(58)); // 07:58 Istanbul: not yet
        Assert.Single(SentTo());
        await RunAsync(Jan13.AddHours(5).AddSeconds(30)); // 08:00 Istanbul
        Assert.Equal(["P1D seoyeon@example.org", "P1D ayse@example.org"], SentTo());
        await RunAsync(Jan13.AddHours(18).AddSeconds(30)); // 21:00 Istanbul, the evening before her 03:00 start
        await RunAsync(Jan13.AddHours(22).AddSeconds(30)); // PT2H's own moment: 07:00 Seoul, outside Seo-yeon's window
        Assert.Equal(3, SentTo().Count());
        await RunAsync(Jan13.AddHours(23).AddSeconds(30)); // 08:00 Seoul
        await RunAsync(Jan13.AddHours(23).AddMinutes(30));

        Assert.Equal(["P1D seoyeon@example.org", "P1D ayse@example.org", "PT2H ayse@example.org", "PT2H seoyeon@example.org"], SentTo());
        Assert.Equal("sent", StateOf(meeting, "PT2H", ayse));
        Assert.Equal("sent", StateOf(meeting, "PT2H", seoyeon));
        Assert.Empty(_index.Entries);
    }

    [Fact]
    public async Task AfterDowntimeEachParticipantGetsTheirLatestDueReminderByTheirOwnMoments()
    {
        var meeting = await RegisterWindowedAsync();
        await RunAsync();
        // Down from before the first moment until 19:00Z: Seo-yeon's P1D (00:00Z) is due but her PT2H (23:00Z) is not;
        // Ayşe's P1D (05:00Z) and PT2H (18:00Z) both are, so she gets only the PT2H.
        await RunAsync(Jan13.AddHours(19));

        const int ayse = 0, seoyeon = 1; // Drafts.Valid's order
        Assert.Equal(["ayse@example.org", "seoyeon@example.org"], meeting.Participants.Select(p => p.Email));
        Assert.Equal(["P1D seoyeon@example.org", "PT2H ayse@example.org"],
            Of("reminder").Select(m => $"{m.CustomArgs["reminder_id"].Split('.')[2]} {m.To.Email}").Order());
        Assert.Equal("sent", StateOf(meeting, "P1D", seoyeon));
        Assert.Equal("skipped", StateOf(meeting, "P1D", ayse));
        Assert.StartsWith("sent late, and the PT2H reminder was also due",
            _ledger[meeting.Id, NotificationIds.For(meeting.Id, meeting.Plan.PlanId, "P1D", meeting.Participants[ayse].Id)]!.Reason);
    }

    private IEmailComposer Composer { get; set; }

    private ReminderDelivery Delivery() => new(_queue, _store, _commitments, _digests, _ledger, _responses, _sender, Composer, _links, _provider, _time,
        Options.Create(_delivery), _metrics, NullLogger<ReminderDelivery>.Instance);

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
    public async Task AParticipantAlreadyReportedAsUndeliverableIsNotReportedAgainWhenAnotherOfTheirEmailsBounces()
    {
        var meeting = await RegisterAsync();
        await RunAsync();
        await RunAsync(P1DDue); // her reminder went before SendGrid's bounce of the invitation came back
        var ayse = meeting.Participants[0].Id;
        var events = new DeliveryStatus.DeliveryEventService(_ledger, _responses, _store, _index, _time, NullLogger<DeliveryStatus.DeliveryEventService>.Instance);
        DeliveryStatus.ProviderEvent Bounce(string slot) => new(Guid.NewGuid().ToString(), DeliveryStatus.ProviderEventKind.Bounce, _time.GetUtcNow(), meeting.Id,
            NotificationIds.For(meeting.Id, meeting.Plan.PlanId, slot, ayse), "550 user unknown", "bounce");

        await events.RecordAsync([Bounce(Slots.Invitation)], 0, 0, default);
        var notice = Assert.Single(_index.Entries);
        Assert.Equal(MessageKind.Undeliverable, Slots.KindOf(notice.Offset));
        await RunAsync(_time.GetUtcNow() + DeliveryStatus.UndeliverableNotices.GatherDelay);
        var sent = Assert.Single(Of("undeliverable"));
        Assert.Equal("coordinator@example.org", sent.To.Email);
        Assert.Equal([ayse], _ledger[meeting.Id, NotificationIds.For(meeting.Id, notice.PlanId, notice.Offset, Slots.Coordinator)]!.Reports);

        await events.RecordAsync([Bounce("P1D")], 0, 0, default);

        Assert.Empty(_index.Entries);
        Assert.True((await _responses.GetAsync(meeting.Id, ayse, default))!.IsUndeliverable);
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

    [Fact]
    public async Task EveryEmailIsCountedOnceByKindAndFinalOutcomeWithTheLatenessOfWhatWasSent()
    {
        using var recorded = new RecordedMeasurements(_metrics);
        var meeting = await RegisterAsync();
        await RunAsync(); // two invitations
        _sender.Answer = m => m.To.Email == "ayse@example.org" ? new SendResult.Permanent("SendGrid answered 400") : new SendResult.Accepted("x");
        _queue.Put(new ReminderMessage(NotificationIds.For("m-gone", "plan1", "P1D", "p1"), "m-gone", "plan1", 1, "P1D", "p1", P1DDue));
        await RunAsync(P1DDue.AddSeconds(30)); // a reminder sent 30 s late, one refused, one for a meeting that does not exist
        await RunAsync(P1DDue.AddMinutes(1)); // nothing more: a settled email is never counted twice

        Assert.Equal(2, recorded.Emails("invitation", "sent"));
        Assert.Equal(1, recorded.Emails("reminder", "sent"));
        Assert.Equal(1, recorded.Emails("reminder", "failed"));
        Assert.Equal(1, recorded.Emails("reminder", "dead_lettered"));
        Assert.Equal(5, recorded.Sum(SummitTelemetry.Instruments.Emails));
        Assert.Equal([0, 0, 30], recorded.Values(SummitTelemetry.Instruments.DeliveryLateness).Order());
        Assert.Equal(3, recorded.Values(SummitTelemetry.Instruments.TickDuration).Count); // one per tick
        Assert.Equal(2, recorded.Sum(SummitTelemetry.Instruments.SlotsPublished)); // the invitation slot and the P1D slot
        Assert.NotNull(meeting);
    }

    [Fact]
    public async Task RefusedCredentialsAreCountedPerAnswerAndTheQueueGaugeShowsWhatWaits()
    {
        using var recorded = new RecordedMeasurements(_metrics);
        await RegisterAsync();
        await RunAsync();
        _sender.Answer = _ => new SendResult.CredentialsRefused("SendGrid answered 403", 403);
        await RunAsync(P1DDue);

        Assert.Equal(1, recorded.Sum(SummitTelemetry.Instruments.CredentialsRefused)); // the run stops after the first refusal
        Assert.Equal(0, recorded.Sum(SummitTelemetry.Instruments.Emails, outcome: "sent", kind: "reminder"));
        Assert.Equal([2], recorded.Observe(SummitTelemetry.Instruments.QueueWaiting)); // both reminders wait for a working key
    }

    /// <summary>The measurements of this test's meter only (other tests run meanwhile with meters of the same name).</summary>
    private sealed class RecordedMeasurements : IDisposable
    {
        private readonly System.Diagnostics.Metrics.MeterListener _listener = new();
        private readonly List<(string Instrument, double Value, Dictionary<string, object?> Tags)> _measurements = [];

        public RecordedMeasurements(SummitMetrics metrics)
        {
            _listener.InstrumentPublished = (instrument, listener) => { if (instrument.Meter == metrics.Meter) listener.EnableMeasurementEvents(instrument); };
            _listener.SetMeasurementEventCallback<long>((i, v, tags, _) => Add(i.Name, v, tags));
            _listener.SetMeasurementEventCallback<double>((i, v, tags, _) => Add(i.Name, v, tags));
            _listener.Start();
        }

        private void Add(string instrument, double value, ReadOnlySpan<KeyValuePair<string, object?>> tags)
        {
            var copy = new Dictionary<string, object?>();
            foreach (var tag in tags) copy[tag.Key] = tag.Value;
            lock (_measurements) _measurements.Add((instrument, value, copy));
        }

        public List<double> Values(string instrument)
        {
            lock (_measurements) return _measurements.Where(m => m.Instrument == instrument).Select(m => m.Value).ToList();
        }

        public double Sum(string instrument, string? outcome = null, string? kind = null)
        {
            lock (_measurements)
                return _measurements.Where(m => m.Instrument == instrument
                    && (outcome is null || Equals(m.Tags.GetValueOrDefault(SummitTelemetry.Attributes.Outcome), outcome))
                    && (kind is null || Equals(m.Tags.GetValueOrDefault(SummitTelemetry.Attributes.Kind), kind))).Sum(m => m.Value);
        }

        public double Emails(string kind, string outcome) => Sum(SummitTelemetry.Instruments.Emails, outcome, kind);

        public List<double> Observe(string instrument)
        {
            lock (_measurements) _measurements.RemoveAll(m => m.Instrument == instrument);
            _listener.RecordObservableInstruments();
            return Values(instrument);
        }

        public void Dispose() => _listener.Dispose();
    }

    private sealed class Failing(IEmailComposer inner, string email) : IEmailComposer
    {
        public EmailMessage Compose(CompositionInput input) =>
            input.Participant?.Email == email ? throw new InvalidOperationException("broken template") : inner.Compose(input);

        public EmailMessage Compose(CommitmentCompositionInput input) =>
            input.Owner?.Email == email ? throw new InvalidOperationException("broken template") : inner.Compose(input);

        public EmailMessage Compose(DigestCompositionInput input) => inner.Compose(input);
    }
}
