using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Microsoft.Extensions.Logging;
using Summit.Reminders.Meetings;
using Summit.Reminders.Participation;
using Summit.Reminders.Ports;

namespace Summit.Reminders.Commitments;

public abstract record CommitmentResult
{
    public sealed record Created(CommitmentView View) : CommitmentResult;
    /// <summary>The same Idempotency-Key and body again: the original answer, nothing new stored.</summary>
    public sealed record Replayed(CommitmentView View) : CommitmentResult;
    public sealed record Changed(CommitmentView View) : CommitmentResult;
    public sealed record Invalid(IReadOnlyList<FieldError> Errors) : CommitmentResult;
    public sealed record NotFound : CommitmentResult;
    public sealed record VersionMismatch(long CurrentVersion) : CommitmentResult;
    public sealed record IdempotencyKeyReused : CommitmentResult;
    public sealed record StateConflict(string Reason) : CommitmentResult;
    /// <summary>The caller's roles do not allow it on this commitment's track; nothing was read out or changed.</summary>
    public sealed record Forbidden(Identity.Refusal Refusal) : CommitmentResult;
}

/// <summary>
/// The coordinator's use cases for commitments: register, read, list, change, and mark done, reopen or drop. Every
/// change is one ETag-conditional write of the commitment; a change that lands meanwhile wins and this one is told so.
/// A plan's due entries are written before the commitment, so nothing due is lost if the process dies between them.
/// </summary>
public sealed partial class CommitmentService(
    ICommitmentStore store, IMeetingStore meetings, IDueIndex dueIndex, IDeliveryLedger ledger, ParticipantIds participantIds, Audit.AuditTrail audit,
    TimeProvider time,
    Microsoft.Extensions.Options.IOptions<SendWindows.SendWindowOptions> sendWindows, ILogger<CommitmentService> logger)
{
    private readonly SendWindows.SendWindow _defaultWindow = sendWindows.Value.Default;
    /// <summary>Who marked a commitment done through the API (an owner's link records the owner's id).</summary>
    public const string ByCoordinator = "coordinator";

    public async Task<CommitmentResult> RegisterAsync(CommitmentDraft draft, string? idempotencyKey, CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow();
        var (content, errors) = await ValidateAsync(draft, now, cancellationToken);
        if (content is null) return new CommitmentResult.Invalid(errors);
        if (Identity.Allowed.ToChange(content.Track) is { } refusal) return new CommitmentResult.Forbidden(refusal);

        string id;
        string? fingerprint = null;
        if (idempotencyKey is null) id = "c" + Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(12));
        else
        {
            // Its own id space: the same key used for a meeting names another thing (and another ledger partition).
            id = "d" + Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes("commitment:" + idempotencyKey)))[..24];
            fingerprint = Meetings.RequestFingerprint.Of(draft);
            if (await store.GetAsync(id, cancellationToken) is { } existing) return await ReplayAsync(existing, draft, cancellationToken);
        }

        var commitment = Commitment.Create(id, WithIds(content), now, _defaultWindow);
        var entry = await audit.BeginAsync(id, Audit.AuditActions.Created, Audit.AuditDiff.Between(null, commitment), commitment.Version, cancellationToken);
        // Due entries first, as for meetings: an entry whose commitment was never stored is discarded by the scheduler.
        await dueIndex.AddAsync(commitment.DueEntries(now), cancellationToken);
        var added = await store.TryAddAsync(commitment, fingerprint, cancellationToken);
        await audit.SettleAsync(id, entry, added, cancellationToken);
        if (!added)
        {
            var existing = await store.GetAsync(id, cancellationToken) ?? throw new InvalidOperationException($"Commitment {id} exists and cannot be read.");
            return await ReplayAsync(existing, draft, cancellationToken);
        }
        LogRegistered(logger, commitment.Id, commitment.Track, commitment.Owners.Count, commitment.Plan.Slots.Count(s => s.IsPlanned));
        return new CommitmentResult.Created(CommitmentView.Build(commitment, []));
    }

    public async Task<CommitmentResult> ReadAsync(string id, CancellationToken cancellationToken) =>
        await store.GetAsync(id, cancellationToken) is { } stored
            ? Identity.Allowed.ToRead(stored.Commitment.Track) is { } refusal
                ? new CommitmentResult.Forbidden(refusal)
                : new CommitmentResult.Changed(await ViewAsync(stored.Commitment, cancellationToken))
            : new CommitmentResult.NotFound();

    /// <summary>One page of commitments; null when <paramref name="continuationToken"/> is not one this service gave out.</summary>
    public async Task<CommitmentPage?> ListAsync(CommitmentQuery query, string? continuationToken, int pageSize, CancellationToken cancellationToken)
    {
        if (query.Track is null && Identity.Allowed.Caller.ListFilter is { } mine) query = query with { Tracks = mine };
        else if (query.Track is not null && !Identity.Allowed.Caller.CanRead(query.Track)) return new CommitmentPage([], null);
        try
        {
            return await store.ListAsync(query, continuationToken, pageSize, cancellationToken);
        }
        catch (ArgumentException)
        {
            return null;
        }
    }

    /// <summary>Replaces what the coordinator controls and re-plans every reminder and rung (a new plan version).</summary>
    public Task<CommitmentResult> UpdateAsync(string id, CommitmentDraft draft, long? expectedVersion, CancellationToken cancellationToken) =>
        ChangeAsync(id, Audit.AuditActions.Updated, expectedVersion, CommitmentStatus.Open, "can no longer be changed; reopen it first", async (current, now) =>
        {
            var (content, errors) = await ValidateAsync(draft, now, cancellationToken);
            if (content is null) return (null, errors);
            // Owners keep their ids (their links stay valid); the ids are derived from the address anyway.
            return (current.Revise(WithIds(content), now, _defaultWindow), []);
        }, cancellationToken);

    public Task<CommitmentResult> CompleteAsync(string id, CompletionDraft draft, long? expectedVersion, CancellationToken cancellationToken) =>
        ChangeAsync(id, Audit.AuditActions.Done, expectedVersion, CommitmentStatus.Open, "is not open", (current, now) =>
        {
            var (note, link, errors) = Completion(draft);
            return Task.FromResult(errors.Count > 0 ? ((Commitment?)null, (IReadOnlyList<FieldError>)errors) : (current.Complete(ByCoordinator, note, link, now), []));
        }, cancellationToken);

    public Task<CommitmentResult> DropAsync(string id, DropDraft draft, long? expectedVersion, CancellationToken cancellationToken) =>
        ChangeAsync(id, Audit.AuditActions.Dropped, expectedVersion, CommitmentStatus.Open, "is not open", (current, now) =>
        {
            var errors = new List<FieldError>();
            var reason = FieldRules.MultiLine(draft.Reason, "reason", CommitmentLimits.NoteMaxLength, errors);
            return Task.FromResult(errors.Count > 0 ? ((Commitment?)null, (IReadOnlyList<FieldError>)errors) : (current.Drop(reason, now), []));
        }, cancellationToken);

    public async Task<CommitmentResult> ReopenAsync(string id, long? expectedVersion, CancellationToken cancellationToken)
    {
        var stored = await store.GetAsync(id, cancellationToken);
        if (stored is null) return new CommitmentResult.NotFound();
        if (Identity.Allowed.ToChange(stored.Commitment.Track) is { } refusal) return new CommitmentResult.Forbidden(refusal);
        if (stored.Commitment.Status == CommitmentStatus.Open && stored.Commitment.ErasedAt is null)
            return new CommitmentResult.Changed(await ViewAsync(stored.Commitment, cancellationToken));
        return await ChangeAsync(id, Audit.AuditActions.Reopened, expectedVersion, stored.Commitment.Status, "changed meanwhile",
            (current, now) => Task.FromResult(((Commitment?)current.Reopen(now, _defaultWindow), (IReadOnlyList<FieldError>)[])), cancellationToken);
    }

    /// <summary>An owner marks it done through their link: every later reminder and rung stops, and the coordinator is told.</summary>
    public Task<CommitmentResult> CompleteByOwnerAsync(string id, string ownerId, CompletionDraft draft, CancellationToken cancellationToken) =>
        ChangeAsync(id, Audit.AuditActions.DoneThroughLink, null, CommitmentStatus.Open, "is not open", (current, now) =>
        {
            if (current.FindOwner(ownerId) is null) return Task.FromResult(((Commitment?)null, (IReadOnlyList<FieldError>)[new FieldError("owner", "is no longer an owner of this commitment")]));
            var (note, link, errors) = Completion(draft);
            return Task.FromResult(errors.Count > 0 ? ((Commitment?)null, (IReadOnlyList<FieldError>)errors) : (current.Complete(ownerId, note, link, now), []));
        }, cancellationToken, notice: updated => Notifications.Slots.CommitmentDone + "-" + updated.Version.ToString(System.Globalization.CultureInfo.InvariantCulture));

    /// <summary>An owner asks for more time through their link: the coordinator is told and decides (a PUT with the new
    /// date); the commitment itself keeps its due date.</summary>
    public Task<CommitmentResult> RequestMoreTimeAsync(string id, string ownerId, string? proposedDate, string? note, CancellationToken cancellationToken) =>
        ChangeAsync(id, Audit.AuditActions.MoreTimeRequested, null, CommitmentStatus.Open, "is not open", (current, now) =>
        {
            var errors = new List<FieldError>();
            if (current.FindOwner(ownerId) is null) errors.Add(new FieldError("owner", "is no longer an owner of this commitment"));
            var text = FieldRules.MultiLine(note, "note", CommitmentLimits.NoteMaxLength, errors);
            var parsed = NodaTime.Text.LocalDatePattern.Iso.Parse(proposedDate?.Trim() ?? "");
            var zone = MeetingTime.FindZone(current.TimeZone)!;
            var first = CommitmentRules.FirstProposableDate(current, now);
            if (!parsed.Success) errors.Add(new FieldError("date", "must be a date such as 2027-01-29"));
            else if (parsed.Value < first) errors.Add(new FieldError("date", $"must be after {NodaTime.Text.LocalDatePattern.Iso.Format(first.PlusDays(-1))}: later than the current due date, and a day not over yet"));
            else if (zone.AtStartOfDay(parsed.Value.PlusDays(1)).ToDateTimeOffset() > now + CommitmentLimits.MaxLeadTime) errors.Add(new FieldError("date", "must be at most two years ahead"));
            return Task.FromResult(errors.Count > 0
                ? ((Commitment?)null, (IReadOnlyList<FieldError>)errors)
                : (current.RequestMoreTime(ownerId, NodaTime.Text.LocalDatePattern.Iso.Format(parsed.Value), text, now), []));
        }, cancellationToken, notice: updated => Notifications.Slots.CommitmentMoreTimePrefix + updated.Version.ToString(System.Globalization.CultureInfo.InvariantCulture));

    private static (string? Note, string? Link, List<FieldError> Errors) Completion(CompletionDraft draft)
    {
        var errors = new List<FieldError>();
        var note = FieldRules.MultiLine(draft.Note, "note", CommitmentLimits.NoteMaxLength, errors);
        string? link = null;
        if (!string.IsNullOrWhiteSpace(draft.Link))
        {
            if (draft.Link.Length > MeetingLimits.UrlMaxLength || !Uri.TryCreate(draft.Link.Trim(), UriKind.Absolute, out var uri) || uri.Scheme is not ("https" or "http"))
                errors.Add(new("link", "must be an absolute http or https URL (where the deliverable is)"));
            else link = uri.AbsoluteUri;
        }
        return (note, link, errors);
    }

    private async Task<CommitmentResult> ChangeAsync(string id, string action, long? expectedVersion, CommitmentStatus required, string refusal,
        Func<Commitment, DateTimeOffset, Task<(Commitment? Updated, IReadOnlyList<FieldError> Errors)>> change, CancellationToken cancellationToken,
        Func<Commitment, string>? notice = null)
    {
        var stored = await store.GetAsync(id, cancellationToken);
        if (stored is null) return new CommitmentResult.NotFound();
        var current = stored.Commitment;
        if (Identity.Allowed.ToChange(current.Track) is { } forbidden) return new CommitmentResult.Forbidden(forbidden);
        if (current.ErasedAt is not null) return new CommitmentResult.StateConflict("the commitment's personal data was erased (retention); it can no longer change");
        if (expectedVersion is { } expected && current.Version != expected) return new CommitmentResult.VersionMismatch(current.Version);
        if (current.Status != required)
            return new CommitmentResult.StateConflict($"the commitment is {current.Status.ToString().ToLowerInvariant()} and {refusal}");
        var now = time.GetUtcNow();
        var (updated, errors) = await change(current, now);
        if (updated is null) return new CommitmentResult.Invalid(errors);
        if (updated.Track != current.Track && Identity.Allowed.ToChange(updated.Track) is { } moved) return new CommitmentResult.Forbidden(moved);
        // A new plan (a change, a reopening) queues its slots before it is stored; done and dropped need none (what is
        // queued is skipped when it falls due).
        var entry = await audit.BeginAsync(id, action, Audit.AuditDiff.Between(current, updated), updated.Version, cancellationToken);
        var entries = updated.Plan.PlanId != current.Plan.PlanId ? updated.DueEntries(now) : [];
        // The coordinator's notice of what an owner did, queued (due now) before the change is stored, like every email.
        if (notice is not null) entries.Add(new Notifications.DueEntry(updated.Id, updated.Plan.PlanId, updated.Plan.PlanVersion, notice(updated), now, now));
        if (entries.Count > 0) await dueIndex.AddAsync(entries, cancellationToken);
        try
        {
            await store.ReplaceAsync(updated, stored.RequestFingerprint, stored.ConcurrencyToken, cancellationToken);
        }
        catch (ConcurrencyConflictException)
        {
            await audit.SettleAsync(id, entry, landed: false, cancellationToken);
            var latest = await store.GetAsync(id, cancellationToken);
            return new CommitmentResult.VersionMismatch(latest?.Commitment.Version ?? current.Version);
        }
        await audit.SettleAsync(id, entry, landed: true, cancellationToken);
        LogChanged(logger, id, updated.Status, updated.Version, updated.Plan.PlanVersion);
        return new CommitmentResult.Changed(await ViewAsync(updated, cancellationToken));
    }

    private async Task<(CommitmentContent? Content, IReadOnlyList<FieldError> Errors)> ValidateAsync(CommitmentDraft draft, DateTimeOffset now, CancellationToken cancellationToken)
    {
        var (content, errors) = CommitmentValidator.Validate(draft, now);
        if (content?.MeetingId is { } meetingId
            && (await meetings.GetAsync(meetingId, cancellationToken) is not { } linked || !Identity.Allowed.Caller.CanRead(linked.Meeting.Track)))
            // A meeting of a track the caller may not see is answered like no meeting: its id tells them nothing.
            return (null, [new FieldError("meetingId", $"'{meetingId}' names no meeting")]);
        return (content, errors);
    }

    private CommitmentContent WithIds(CommitmentContent content) =>
        content with { Owners = content.Owners.Select(o => o with { Id = participantIds.For(o.Email) }).ToList() };

    private async Task<CommitmentView> ViewAsync(Commitment commitment, CancellationToken cancellationToken) =>
        CommitmentView.Build(commitment, (await ledger.ListAsync(commitment.Id, cancellationToken)).Deliveries);

    private async Task<CommitmentResult> ReplayAsync(StoredCommitment existing, CommitmentDraft draft, CancellationToken cancellationToken) =>
        Identity.Allowed.ToRead(existing.Commitment.Track) is { } refusal ? new CommitmentResult.Forbidden(refusal) :
        !Meetings.RequestFingerprint.Matches(existing.RequestFingerprint, draft, "owners")
            ? new CommitmentResult.IdempotencyKeyReused()
            : new CommitmentResult.Replayed(await ViewAsync(existing.Commitment, cancellationToken));

    [LoggerMessage(Level = LogLevel.Information, Message = "Registered commitment {CommitmentId} on track {Track} with {Owners} owners and {Slots} planned emails")]
    private static partial void LogRegistered(ILogger logger, string commitmentId, string track, int owners, int slots);

    [LoggerMessage(Level = LogLevel.Information, Message = "Commitment {CommitmentId} is {Status} (version {Version}, plan {PlanVersion})")]
    private static partial void LogChanged(ILogger logger, string commitmentId, CommitmentStatus status, long version, int planVersion);
}
