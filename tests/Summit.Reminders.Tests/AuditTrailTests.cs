using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;
using Summit.Reminders.Audit;
using Summit.Reminders.Commitments;
using Summit.Reminders.Delivery;
using Summit.Reminders.Erasure;
using Summit.Reminders.Meetings;
using Summit.Reminders.Participation;
using Summit.Reminders.Tests.Fakes;

namespace Summit.Reminders.Tests;

/// <summary>What each use case writes into the history (issue 19): action, actor, time, request id, fields old → new.</summary>
public sealed class AuditTrailTests
{
    private readonly FakeTimeProvider _time = new(Drafts.Now);
    private readonly InMemoryMeetingStore _store = new();
    private readonly InMemoryCommitmentStore _commitments = new();
    private readonly InMemoryLedger _ledger = new();
    private readonly InMemoryResponses _responses = new();
    private readonly InMemoryAuditLog _log = new();
    private readonly IOptions<LinkOptions> _links = Options.Create(new LinkOptions { BaseUrl = "https://reminders.test", SigningKey = "unit-test-link-signing-key-0123456789" });

    private AuditTrail Trail => AuditFakes.Trail(_time, _log);

    private MeetingService Meetings() => new(_store, new InMemoryDueIndex(), _ledger, _responses, new ParticipantIds(_links), Trail, _time,
        Options.Create(new SendWindows.SendWindowOptions()), NullLogger<MeetingService>.Instance);

    private CommitmentService Commitments() => new(_commitments, _store, new InMemoryDueIndex(), _ledger, new ParticipantIds(_links), Trail, _time,
        Options.Create(new SendWindows.SendWindowOptions()), NullLogger<CommitmentService>.Instance);

    private async Task<string> RegisterAsync(MeetingService service)
    {
        using var origin = RequestOrigin.Begin(Actor.FunctionKey, "req-create");
        return Assert.IsType<MeetingResult.Created>(await service.RegisterAsync(Drafts.Valid(), null, default)).View.Meeting.Id;
    }

    private async Task<IReadOnlyList<AuditEntry>> HistoryAsync(string id) => (await _log.ListAsync(id, null, 200, default)).Entries;

    [Fact]
    public async Task CreateUpdateCancelAreThreeEntriesInOrderWithActorRequestIdAndChangedFields()
    {
        var service = Meetings();
        var id = await RegisterAsync(service);
        _time.Advance(TimeSpan.FromMinutes(5));
        var changed = Drafts.Valid() with
        {
            Title = "JEC — trade data working session",
            ReminderOffsets = ["P1D"],
            Participants =
            [
                new ParticipantDraft { Name = "Ayşe Yılmaz", Email = "ayse@example.org", TimeZone = "Europe/Istanbul", Language = "tr" },
                new ParticipantDraft { Name = "Park Ji-ho", Email = "jiho@example.org" },
            ],
        };
        using (RequestOrigin.Begin(Actor.FunctionKey, "req-update"))
            Assert.IsType<MeetingResult.Changed>(await service.UpdateAsync(id, changed, 1, default));
        _time.Advance(TimeSpan.FromMinutes(5));
        using (RequestOrigin.Begin(Actor.FunctionKey, "req-cancel"))
            Assert.IsType<MeetingResult.Changed>(await service.CancelAsync(id, null, default));

        var history = await HistoryAsync(id);
        Assert.Equal([AuditActions.Created, AuditActions.Updated, AuditActions.Cancelled], history.Select(e => e.Action));
        Assert.Equal(["req-create", "req-update", "req-cancel"], history.Select(e => e.RequestId));
        Assert.All(history, e => Assert.Equal(Actor.FunctionKey, e.Actor));
        Assert.All(history, e => Assert.Equal(AuditState.Recorded, e.State));
        Assert.Equal([Drafts.Now, Drafts.Now.AddMinutes(5), Drafts.Now.AddMinutes(10)], history.Select(e => e.At));
        Assert.Equal([1L, 2L, 3L], history.Select(e => e.Version!.Value));

        var update = history[1].Changes;
        Assert.Contains(new AuditChange("title", "Joint Economic Committee — restart session", "JEC — trade data working session"), update);
        Assert.Contains(new AuditChange("reminderOffsets", "P7D,P1D,PT2H", "P1D"), update);
        var seoyeon = new ParticipantIds(_links).For("seoyeon@example.org");
        var jiho = new ParticipantIds(_links).For("jiho@example.org");
        Assert.Contains(new AuditChange("participants", $"Lee Seo-yeon <seoyeon@example.org> ({seoyeon})", null), update);
        Assert.Contains(new AuditChange("participants", null, $"Park Ji-ho <jiho@example.org> ({jiho})"), update);
        Assert.DoesNotContain(update, c => c.Field is "agenda" or "start" or "location");
        Assert.Equal([new AuditChange("status", "scheduled", "cancelled")], history[2].Changes);
    }

    [Fact]
    public async Task ChangesOfOneInstantKeepTheOrderTheyWereMadeIn()
    {
        var service = Meetings();
        var id = await RegisterAsync(service);
        Assert.IsType<MeetingResult.Changed>(await service.CompleteAsync(id, null, default));
        var history = await HistoryAsync(id);
        Assert.Equal([AuditActions.Created, AuditActions.Completed], history.Select(e => e.Action));
        Assert.Equal(history[0].At, history[1].At);
        // Outside any request the app itself is the actor.
        Assert.Equal(Actor.Unknown, history[1].Actor);
    }

    [Fact]
    public async Task AChangeThatLosesToAConcurrentOneLeavesNoEntry()
    {
        var service = Meetings();
        var id = await RegisterAsync(service);
        _store.FailNextReplaceWithConflict = true;
        Assert.IsType<MeetingResult.VersionMismatch>(await service.CancelAsync(id, null, default));
        Assert.Equal([AuditActions.Created], (await HistoryAsync(id)).Select(e => e.Action));
        Assert.Equal(AuditState.Void, _log.All(id)[1].State);
    }

    [Fact]
    public async Task WhenTheHistoryCannotBeWrittenNothingChanges()
    {
        var service = Meetings();
        var id = await RegisterAsync(service);
        _log.FailNextAppends = 1;
        await Assert.ThrowsAsync<DependencyUnavailableException>(() => service.CancelAsync(id, null, default));
        Assert.Equal(MeetingStatus.Scheduled, _store[id].Status);
        Assert.Single(await HistoryAsync(id));
    }

    [Fact]
    public async Task AParticipantsAcknowledgementThroughTheirLinkNamesThemAsTheActor()
    {
        var id = await RegisterAsync(Meetings());
        var ayse = _store[id].Participants[0];
        var signer = new LinkSigner(_links, _time);
        var token = signer.Sign(new LinkClaims(id, ayse.Id, ParticipantAction.Acknowledge, Drafts.Now.AddDays(30)));
        var links = new ParticipantLinkService(signer, _store, _responses, Trail, _time, NullLogger<ParticipantLinkService>.Instance);
        using (RequestOrigin.Begin(Actor.FunctionKey, "req-ack"))
            Assert.Equal(LinkOutcome.Done, (await links.ConfirmAsync("acknowledge", token, null, default)).Outcome);

        var ack = (await HistoryAsync(id))[^1];
        Assert.Equal(AuditActions.Acknowledged, ack.Action);
        Assert.Equal(Actor.ParticipantLink(ayse.Id), ack.Actor);
        Assert.Equal("req-ack", ack.RequestId);
        // Pressing it again records nothing new.
        await links.ConfirmAsync("acknowledge", token, null, default);
        Assert.Equal(2, (await HistoryAsync(id)).Count);
    }

    [Fact]
    public async Task ErasingTheMeetingReplacesPersonalValuesWithTheMarkerAndKeepsTheRest()
    {
        var service = Meetings();
        var id = await RegisterAsync(service);
        var erasure = new MeetingErasure(_store, _ledger, new NoSentEmails(), new NoDeadLetters(), Trail, _log, Options.Create(new RetentionOptions()), _time,
            NullLogger<MeetingErasure>.Instance);
        using (RequestOrigin.Begin(Actor.FunctionKey, "req-delete"))
            Assert.IsType<ErasureResult.Erased>(await erasure.EraseAsync(id, null, ErasureReason.Requested, default));

        var history = await HistoryAsync(id);
        Assert.Equal([AuditActions.Created, AuditActions.Erased], history.Select(e => e.Action));
        Assert.Equal(["req-create", "req-delete"], history.Select(e => e.RequestId));
        var created = history[0];
        Assert.NotNull(created.ErasedAt);
        foreach (var field in new[] { "title", "agenda", "location", "coordinator", "participants" })
            Assert.All(created.Changes.Where(c => c.Field == field), c => Assert.Equal(AuditEntry.Marker, c.New));
        Assert.Contains(new AuditChange("track", null, "joint-economic-committee"), created.Changes);
        Assert.Contains(new AuditChange("duration", null, "PT2H"), created.Changes);
        Assert.DoesNotContain(history.SelectMany(e => e.Changes), c => (c.New ?? "").Contains("example.org", StringComparison.Ordinal));
        Assert.Equal(new AuditChange("erasure", null, "requested"), Assert.Single(history[1].Changes));
    }

    [Fact]
    public void APersonsErasureReplacesOnlyTheValuesThatNameThem()
    {
        var entry = new AuditEntry("e", Drafts.Now, AuditActions.Updated, Actor.ParticipantLink("p1"), "r",
        [
            new AuditChange("participants", null, "Ayşe Yılmaz <ayse@example.org> (p1)"),
            new AuditChange("participants", "Lee Seo-yeon <seoyeon@example.org> (p2)", null),
            new AuditChange("title", "Old", "New"),
        ]);
        var erased = entry.Erase(new HashSet<string> { "p1", "ayse@example.org" }, Drafts.Now)!;
        Assert.Equal(AuditEntry.Marker, erased.Changes[0].New);
        Assert.Equal("Lee Seo-yeon <seoyeon@example.org> (p2)", erased.Changes[1].Old);
        Assert.Equal("New", erased.Changes[2].New);
        Assert.Equal(new Actor(ActorKind.ParticipantLink, AuditEntry.Marker), erased.Actor);
        Assert.Null(erased.Erase(new HashSet<string> { "p1", "ayse@example.org" }, Drafts.Now));
    }

    [Fact]
    public async Task ACommitmentsHistoryNamesDoneReopenedDroppedAndTheOwnersLink()
    {
        var service = Commitments();
        var draft = new CommitmentDraft
        {
            Title = "Sinop evaluation: data package",
            Track = "nuclear-energy",
            Owners = [new ParticipantDraft { Name = "Lee Seo-yeon", Email = "seoyeon@example.org", TimeZone = "Asia/Seoul" }],
            Coordinator = new PersonDraft { Name = "Kim Min-jun", Email = "coordinator@example.org" },
            DueDate = "2027-01-15",
            TimeZone = "Asia/Seoul",
        };
        var id = Assert.IsType<CommitmentResult.Created>(await service.RegisterAsync(draft, null, default)).View.Commitment.Id;
        var owner = _commitments[id].Owners[0].Id;
        using (RequestOrigin.Begin(Actor.ParticipantLink(owner), "req-done"))
            Assert.IsType<CommitmentResult.Changed>(await service.CompleteByOwnerAsync(id, owner, new CompletionDraft { Note = "Sent to the ministry" }, default));
        Assert.IsType<CommitmentResult.Changed>(await service.ReopenAsync(id, null, default));
        Assert.IsType<CommitmentResult.Changed>(await service.DropAsync(id, new DropDraft { Reason = "superseded" }, null, default));

        var history = await HistoryAsync(id);
        Assert.Equal([AuditActions.Created, AuditActions.DoneThroughLink, AuditActions.Reopened, AuditActions.Dropped], history.Select(e => e.Action));
        Assert.Equal(Actor.ParticipantLink(owner), history[1].Actor);
        Assert.Contains(new AuditChange("status", "open", "done"), history[1].Changes);
        Assert.Contains(new AuditChange("note", null, "Sent to the ministry"), history[1].Changes);
        Assert.Contains(new AuditChange("reason", null, "superseded"), history[3].Changes);
    }
}

file sealed class NoSentEmails : Ports.ISentEmails
{
    public Task<int> EraseAsync(string meetingId, IReadOnlySet<string>? recipientIds, IReadOnlySet<string>? mentioning, CancellationToken cancellationToken) => Task.FromResult(0);
}

file sealed class NoDeadLetters : Ports.IDeadLetterQueue
{
    public Task<IReadOnlyList<DeadLetter>> ListAsync(int max, CancellationToken cancellationToken) => Task.FromResult<IReadOnlyList<DeadLetter>>([]);
    public Task<DeadLetter?> FindAsync(string id, CancellationToken cancellationToken) => Task.FromResult<DeadLetter?>(null);
    public Task<bool> ReplayAsync(string id, ReminderMessage replacement, CancellationToken cancellationToken) => Task.FromResult(false);
    public Task<int> PurgeAsync(Func<ReminderMessage, bool> match, CancellationToken cancellationToken) => Task.FromResult(0);
}
