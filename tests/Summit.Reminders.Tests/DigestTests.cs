using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;
using Summit.Reminders.Commitments;
using Summit.Reminders.Delivery;
using Summit.Reminders.Digest;
using Summit.Reminders.Email;
using Summit.Reminders.Meetings;
using Summit.Reminders.Notifications;
using Summit.Reminders.Participation;
using Summit.Reminders.Ports;
using Summit.Reminders.Scheduling;
using Summit.Reminders.Telemetry;
using Summit.Reminders.Tests.Fakes;

namespace Summit.Reminders.Tests;

/// <summary>
/// The coordinators' daily digest on in-memory ports: when it goes (08:00 on the subscriber's clock, across a DST change),
/// what it says, that a day with nothing to say sends nothing, that a day sends one at most, and that the chain of days
/// runs until unsubscribing. The same pipeline on Azurite and the AMQP broker: Summit.Functions.Tests/DigestPipelineTests.
/// </summary>
public sealed class DigestTests
{
    // Friday 27 November 2026, 09:00 UTC: 18:00 in Seoul, 12:00 in Istanbul.
    private readonly FakeTimeProvider _time = new(Drafts.Now);
    private readonly InMemoryMeetingStore _meetings = new();
    private readonly InMemoryCommitmentStore _commitments = new();
    private readonly InMemoryDueIndex _index = new();
    private readonly InMemoryLedger _ledger = new();
    private readonly InMemoryResponses _responses = new();
    private readonly InMemoryDigestSubscriptions _subscriptions = new();
    private readonly InMemoryQueue _queue;
    private readonly RecordingSender _sender = new();
    private readonly MeetingService _meetingService;
    private readonly CommitmentService _commitmentService;
    private readonly DigestService _digests;
    private readonly ParticipantLinks _links;
    private readonly SummitMetrics _metrics = new();

    public DigestTests()
    {
        _queue = new InMemoryQueue(_time);
        var links = Options.Create(new LinkOptions { BaseUrl = "https://reminders.test", SigningKey = "unit-test-link-signing-key-0123456789" });
        _links = new ParticipantLinks(new LinkSigner(links, _time), links);
        _meetingService = new MeetingService(_meetings, _index, _ledger, _responses, new ParticipantIds(links), AuditFakes.Trail(_time), _time,
            Options.Create(PipelineRulesTests.AllDay), NullLogger<MeetingService>.Instance);
        _commitmentService = new CommitmentService(_commitments, _meetings, _index, _ledger, new ParticipantIds(links), AuditFakes.Trail(_time), _time,
            Options.Create(PipelineRulesTests.AllDay), NullLogger<CommitmentService>.Instance);
        _digests = new DigestService(_subscriptions, _index, _ledger, new NoSentEmails(), new NoDeadLetters(), _time, NullLogger<DigestService>.Instance);
    }

    private ReminderScheduler Scheduler() => new(_index, _meetings, _commitments, _queue, _ledger, _subscriptions, _time, Options.Create(new SchedulerOptions()), _metrics,
        NullLogger<ReminderScheduler>.Instance);

    private ReminderDelivery Delivery() => new(_queue, _meetings, _commitments, _subscriptions, _ledger, _responses, _sender, new EmailComposer(_links), _links,
        new EmailProviderStatus(_time), _time, Options.Create(new DeliveryOptions { MaxConcurrency = 1, ReceiveWait = TimeSpan.Zero }), _metrics,
        NullLogger<ReminderDelivery>.Instance);

    private async Task RunAsync(DateTimeOffset at)
    {
        _time.SetUtcNow(at);
        await Scheduler().TickAsync(default);
        await Delivery().RunAsync(default);
    }

    private List<EmailMessage> Digests() => _sender.Sent.Where(m => m.Categories[0] == "digest").ToList();

    private static DigestSubscriber Kim(string zone = "Asia/Seoul", string language = "en", IReadOnlyList<TrackId>? tracks = null) =>
        new("entra-object-id-kim", "kim.coordinator@example.org", "Kim Min-jun", language, zone, tracks);

    private async Task<DigestSubscription> SubscribeAsync(DigestSubscriber subscriber) =>
        Assert.IsType<DigestSubscribeResult.Subscribed>(await _digests.SubscribeAsync(subscriber, default)).Subscription;

    private IReadOnlyList<DueEntry> DigestEntries() => _index.Entries.Where(e => Slots.KindOf(e.Offset) == MessageKind.Digest).OrderBy(e => e.DueAt).ToList();

    // Seoul's 08:00 on Saturday 28 November is 23:00 UTC on the 27th; Istanbul's is 05:00 UTC on the 28th.
    private static readonly DateTimeOffset Seoul28 = new(2026, 11, 27, 23, 0, 0, TimeSpan.Zero);
    private static readonly DateTimeOffset Istanbul28 = new(2026, 11, 28, 5, 0, 0, TimeSpan.Zero);

    [Fact]
    public async Task SubscribingPlansTheNextDigestAtEightOnTheSubscribersOwnClock()
    {
        var seoul = await SubscribeAsync(Kim());
        var istanbul = await SubscribeAsync(new DigestSubscriber("entra-object-id-ayse", "ayse@example.org", "Ayşe Yılmaz", "tr", "Europe/Istanbul", null));

        Assert.Equal(Seoul28, seoul.NextDigestAt);
        Assert.Equal(Istanbul28, istanbul.NextDigestAt);
        Assert.Equal([(Seoul28, "digest-2026-11-28"), (Istanbul28, "digest-2026-11-28")], DigestEntries().Select(e => (e.DueAt, e.Offset)));
        // Already past 08:00 there: the first one is tomorrow's, not one at once.
        Assert.DoesNotContain(DigestEntries(), e => e.DueAt <= Drafts.Now);
    }

    [Fact]
    public void NewYorksEightOClockMovesInUtcWhenItsClocksGoForwardInMarch()
    {
        // Clocks go forward at 02:00 on Sunday 14 March 2027: 08:00 EST is 13:00 UTC, 08:00 EDT 12:00 UTC.
        var (saturday, saturdayAt) = DigestSchedule.NextAfter("America/New_York", new DateTimeOffset(2027, 3, 13, 0, 0, 0, TimeSpan.Zero));
        var (sunday, sundayAt) = DigestSchedule.NextAfter("America/New_York", saturdayAt);
        var (monday, mondayAt) = DigestSchedule.NextAfter("America/New_York", sundayAt);

        Assert.Equal((new DateOnly(2027, 3, 13), new DateTimeOffset(2027, 3, 13, 13, 0, 0, TimeSpan.Zero)), (saturday, saturdayAt));
        Assert.Equal((new DateOnly(2027, 3, 14), new DateTimeOffset(2027, 3, 14, 12, 0, 0, TimeSpan.Zero)), (sunday, sundayAt));
        Assert.Equal((new DateOnly(2027, 3, 15), new DateTimeOffset(2027, 3, 15, 12, 0, 0, TimeSpan.Zero)), (monday, mondayAt));
    }

    [Fact]
    public async Task TheChainOfDaysFollowsNewYorksClockAcrossTheMarchChange()
    {
        _time.SetUtcNow(new DateTimeOffset(2027, 3, 12, 15, 0, 0, TimeSpan.Zero));
        await SubscribeAsync(Kim("America/New_York"));
        await RegisterMeetingAsync(Drafts.Valid("2027-03-18T10:00", "Asia/Seoul"));

        foreach (var at in new[] { new DateTimeOffset(2027, 3, 13, 13, 0, 0, TimeSpan.Zero), new DateTimeOffset(2027, 3, 14, 12, 0, 0, TimeSpan.Zero) })
        {
            await RunAsync(at.AddMinutes(-5)); // before 08:00 in New York: nothing yet
            var before = Digests().Count;
            await RunAsync(at.AddSeconds(30));
            Assert.Equal(before + 1, Digests().Count);
        }
        Assert.Equal([new DateTimeOffset(2027, 3, 15, 12, 0, 0, TimeSpan.Zero)], DigestEntries().Select(e => e.DueAt));
    }

    private async Task<Meeting> RegisterMeetingAsync(MeetingDraft draft)
    {
        var created = Assert.IsType<MeetingResult.Created>(await _meetingService.RegisterAsync(draft, null, default));
        return _meetings[created.View.Meeting.Id];
    }

    private async Task<Commitment> RegisterCommitmentAsync(string title, string dueDate, string track = "joint-economic-committee")
    {
        var draft = new CommitmentDraft
        {
            Title = title,
            Track = track,
            Owners = [new ParticipantDraft { Name = "Lee Seo-yeon", Email = "seoyeon@example.org", TimeZone = "Asia/Seoul", Language = "ko" }],
            Coordinator = new PersonDraft { Name = "Kim Min-jun", Email = "coordinator@example.org" },
            DueDate = dueDate,
            TimeZone = "Asia/Seoul",
        };
        var created = Assert.IsType<CommitmentResult.Created>(await _commitmentService.RegisterAsync(draft, null, default));
        return _commitments[created.View.Commitment.Id];
    }

    /// <summary>A JEC meeting on Tuesday 1 December in Seoul with Ayşe (acknowledged), Lee Seo-yeon (undeliverable) and
    /// Mehmet (no answer), and around it what the digest must leave out.</summary>
    private async Task<Meeting> ArrangeSummitWeekAsync()
    {
        var meeting = await RegisterMeetingAsync(Drafts.Valid("2026-12-01T10:00") with
        {
            Participants =
            [
                new ParticipantDraft { Name = "Ayşe Yılmaz", Email = "ayse@example.org", TimeZone = "Europe/Istanbul", Language = "tr" },
                new ParticipantDraft { Name = "Lee Seo-yeon", Email = "seoyeon@example.org" },
                new ParticipantDraft { Name = "Mehmet Demir", Email = "mehmet@example.org" },
            ],
        });
        await _responses.AcknowledgeAsync(meeting.Id, meeting.Participants.Single(p => p.Name == "Ayşe Yılmaz").Id, Drafts.Now, meeting.StartUtc, default);
        await _responses.MarkUndeliverableAsync(meeting.Id, meeting.Participants.Single(p => p.Name == "Lee Seo-yeon").Id, Drafts.Now, "bounce: mailbox does not exist", default);

        await RegisterMeetingAsync(Drafts.Valid("2026-12-20T10:00") with { Title = "Too far ahead" });
        await RegisterMeetingAsync(Drafts.Valid("2026-12-02T10:00") with { Title = "Sinop site visit", Track = "nuclear-energy" });
        var cancelled = await RegisterMeetingAsync(Drafts.Valid("2026-12-03T10:00") with { Title = "Called off" });
        Assert.IsType<MeetingResult.Changed>(await _meetingService.CancelAsync(cancelled.Id, null, default));

        await RegisterCommitmentAsync("Draft work programme", "2026-11-27");      // due at 15:00 UTC today: overdue by the digest
        await RegisterCommitmentAsync("Trade statistics annex", "2026-11-30");    // due in the next 7 days
        await RegisterCommitmentAsync("Investment guide", "2026-12-17");          // due later
        await RegisterCommitmentAsync("Sinop data package", "2026-11-30", "nuclear-energy");
        var done = await RegisterCommitmentAsync("Minutes of the restart session", "2026-11-29");
        Assert.IsType<CommitmentResult.Changed>(await _commitmentService.CompleteAsync(done.Id, new CompletionDraft(), null, default));
        return meeting;
    }

    [Fact]
    public async Task ADigestListsTheWeeksMeetingsWithWhoHasNotAcknowledgedAndWhoCannotBeReachedAndTheCommitmentsOverdueOrDueSoon()
    {
        await ArrangeSummitWeekAsync();
        await SubscribeAsync(Kim(tracks: ["joint-economic-committee"]));

        await RunAsync(Seoul28.AddSeconds(30));

        var digest = Assert.Single(Digests());
        Assert.Equal("kim.coordinator@example.org", digest.To.Email);
        Assert.Equal("Your daily digest: 1 meeting, 2 commitments", digest.Subject);
        Assert.Contains("Your digest for Saturday 28 November 2026", digest.Text);
        Assert.Contains("Joint Economic Committee — restart session", digest.Text);
        Assert.Contains("Tue 1 Dec, 10:00", digest.Text); // Seoul's clock, the subscriber's
        Assert.Contains("Not acknowledged (1): Mehmet Demir <mehmet@example.org>", digest.Text);
        Assert.Contains("Cannot receive email: Lee Seo-yeon <seoyeon@example.org> — bounce: mailbox does not exist", digest.Text);
        Assert.DoesNotContain("Ayşe", digest.Text); // she acknowledged
        Assert.Contains("Draft work programme — Overdue", digest.Text);
        Assert.Contains("Trade statistics annex — Due in 3 days", digest.Text);
        foreach (var absent in new[] { "Too far ahead", "Sinop site visit", "Called off", "Investment guide", "Sinop data package", "Minutes of the restart session" })
        {
            Assert.DoesNotContain(absent, digest.Text);
            Assert.DoesNotContain(absent, digest.Html);
        }
        Assert.Contains("Not acknowledged (1)</dt>\n<dd style=\"margin:0 0 0.4em 0\">Mehmet Demir &lt;mehmet@example.org&gt;</dd>", digest.Html);
    }

    [Fact]
    public async Task AKoreanSubscriberInIstanbulReadsKoreanTrackNamesAndIstanbulTimes()
    {
        await ArrangeSummitWeekAsync();
        await SubscribeAsync(Kim("Europe/Istanbul", "ko"));

        await RunAsync(Istanbul28.AddSeconds(30));

        var digest = Assert.Single(Digests());
        Assert.Equal("일일 요약: 회의 2건, 과제 3건", digest.Subject); // every track: the Sinop visit and data package too
        Assert.Contains("한-튀르키예 경제공동위원회", digest.Text);
        Assert.Contains("원자력", digest.Text);
        Assert.Contains("12월 1일 (화) 04:00", digest.Text); // 10:00 in Seoul is 04:00 in Istanbul
        Assert.Contains("Europe/Istanbul", digest.Text);
    }

    [Fact]
    public async Task ADayWithNothingToSaySendsNoEmailAndIsRecordedAsSkipped()
    {
        var subscription = await SubscribeAsync(Kim());
        await RegisterMeetingAsync(Drafts.Valid("2026-12-20T10:00")); // beyond the 7 days

        await RunAsync(Seoul28.AddSeconds(30));

        Assert.Empty(Digests());
        var row = _ledger[subscription.SubjectId, DigestIds.EmailOf(subscription.SubjectId, new DateOnly(2026, 11, 28))];
        Assert.Equal(DeliveryState.Skipped, row!.State);
        Assert.Equal(DigestReport.NothingToReport, row.Reason);
        Assert.Equal([Seoul28.AddDays(1)], DigestEntries().Select(e => e.DueAt)); // and tomorrow is planned
    }

    [Fact]
    public async Task TwoTicksAtOnceAndARedeliveredMessageSendOneDigestADay()
    {
        await ArrangeSummitWeekAsync();
        await SubscribeAsync(Kim());
        _time.SetUtcNow(Seoul28.AddSeconds(30));

        await Task.WhenAll(Scheduler().TickAsync(default), Scheduler().TickAsync(default));
        var message = Assert.Single(_queue.Waiting, m => m.Kind == MessageKind.Digest);
        await Delivery().RunAsync(default);
        _queue.Put(message); // the queue delivers it again (at-least-once)
        await Delivery().RunAsync(default);
        await RunAsync(Seoul28.AddHours(2)); // later ticks of the same day

        Assert.Single(Digests());
        Assert.Single(DigestEntries()); // tomorrow's, once
    }

    [Fact]
    public async Task EachDayPlansTheNextAndUnsubscribingStopsTheChainAndKeepsNothing()
    {
        await ArrangeSummitWeekAsync();
        await SubscribeAsync(Kim());
        await RunAsync(Seoul28.AddSeconds(30));
        await RunAsync(Seoul28.AddDays(1).AddSeconds(30));
        Assert.Equal(2, Digests().Count);
        Assert.Equal(Seoul28.AddDays(2), (await _digests.GetAsync("entra-object-id-kim", default))!.NextDigestAt);

        Assert.True(await _digests.UnsubscribeAsync("entra-object-id-kim", default));
        await RunAsync(Seoul28.AddDays(2).AddSeconds(30));
        await RunAsync(Seoul28.AddDays(3).AddSeconds(30));

        Assert.Equal(2, Digests().Count);
        Assert.Null(await _digests.GetAsync("entra-object-id-kim", default));
        Assert.Empty(DigestEntries());
        var (_, rows) = await _ledger.ListAsync(DigestIds.SubjectOf("entra-object-id-kim"), default);
        Assert.Empty(rows);
        Assert.False(await _digests.UnsubscribeAsync("entra-object-id-kim", default));
    }

    [Fact]
    public async Task AQueuedDigestOfSomeoneWhoUnsubscribedIsNotSent()
    {
        await ArrangeSummitWeekAsync();
        await SubscribeAsync(Kim());
        _time.SetUtcNow(Seoul28.AddSeconds(30));
        await Scheduler().TickAsync(default); // queued
        await _digests.UnsubscribeAsync("entra-object-id-kim", default);

        await Delivery().RunAsync(default);

        Assert.Empty(Digests());
        Assert.Empty(DigestEntries()); // tomorrow's, planned at the claim, went with the subscription
    }

    [Fact]
    public async Task SubscribingAgainUpdatesAndReplansWithoutASecondDigestThatDay()
    {
        await ArrangeSummitWeekAsync();
        await SubscribeAsync(Kim());
        await RunAsync(Seoul28.AddSeconds(30)); // Saturday's, in Seoul

        // 10:00 in Seoul, 04:00 in Istanbul: the next 08:00 there is still Saturday, which had its digest.
        _time.SetUtcNow(Seoul28.AddHours(2));
        var moved = await SubscribeAsync(Kim("Europe/Istanbul", "tr"));
        Assert.Equal(Istanbul28, moved.NextDigestAt);
        Assert.Equal("tr", (await _digests.GetAsync("entra-object-id-kim", default))!.Subscriber.Language);

        await RunAsync(Istanbul28.AddSeconds(30));
        await RunAsync(Seoul28.AddDays(1).AddSeconds(30)); // Seoul's Sunday 08:00: the old chain's, discarded
        Assert.Single(Digests());

        await RunAsync(Istanbul28.AddDays(1).AddSeconds(30)); // Sunday 08:00 in Istanbul, in Turkish
        Assert.Equal(2, Digests().Count);
        Assert.StartsWith("Günlük özet:", Digests()[1].Subject);
        Assert.Equal([Istanbul28.AddDays(2)], DigestEntries().Select(e => e.DueAt));
    }

    [Fact]
    public async Task ADigestReadAfterItsDayIsOverIsSkippedAndTheNextDayStillComes()
    {
        await ArrangeSummitWeekAsync();
        var subscription = await SubscribeAsync(Kim());

        await RunAsync(Seoul28.AddHours(17)); // 01:00 on Sunday in Seoul: the app was down all Saturday

        Assert.Empty(Digests());
        Assert.Equal(DeliveryState.Skipped, _ledger[subscription.SubjectId, DigestIds.EmailOf(subscription.SubjectId, new DateOnly(2026, 11, 28))]!.State);
        await RunAsync(Seoul28.AddDays(1).AddSeconds(30));
        Assert.Single(Digests());
    }

    [Fact]
    public async Task SubscribingRefusesBadFieldsByName()
    {
        var result = await _digests.SubscribeAsync(new DigestSubscriber("id-1", "not an address", null, "fr", "Mars/Olympus", ["no-such-track"]), default);

        var invalid = Assert.IsType<DigestSubscribeResult.Invalid>(result);
        Assert.Equal(["email", "language", "timeZone", "tracks[0]"], invalid.Errors.Select(e => e.Field));
        Assert.Empty(_index.Entries);
        Assert.Empty(_subscriptions.All);
    }

    [Fact]
    public async Task AWindowsZoneIsStoredAsItsIanaZoneAndTheAddressAsNormalised()
    {
        var subscription = await SubscribeAsync(new DigestSubscriber("id-1", "Kim@Örnek.example", null, "ko", "Korea Standard Time", null));

        Assert.Equal("Asia/Seoul", subscription.Subscriber.TimeZone);
        Assert.Equal("Kim@xn--rnek-4qa.example", subscription.Subscriber.Email);
        Assert.Equal(Seoul28, subscription.NextDigestAt);
    }

    private sealed class NoSentEmails : ISentEmails
    {
        public Task<int> EraseAsync(string meetingId, IReadOnlySet<string>? recipientIds, IReadOnlySet<string>? mentioning, CancellationToken cancellationToken) => Task.FromResult(0);
    }

    private sealed class NoDeadLetters : IDeadLetterQueue
    {
        public Task<IReadOnlyList<DeadLetter>> ListAsync(int max, CancellationToken cancellationToken) => Task.FromResult<IReadOnlyList<DeadLetter>>([]);
        public Task<DeadLetter?> FindAsync(string id, CancellationToken cancellationToken) => Task.FromResult<DeadLetter?>(null);
        public Task<bool> ReplayAsync(string id, ReminderMessage replacement, CancellationToken cancellationToken) => Task.FromResult(false);
        public Task<int> PurgeAsync(Func<ReminderMessage, bool> match, CancellationToken cancellationToken) => Task.FromResult(0);
    }
}
