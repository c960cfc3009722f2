using System.Diagnostics;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Microsoft.Extensions.Logging;
using Summit.Reminders.Erasure;
using Summit.Reminders.Participation;
using Summit.Reminders.Ports;
using Summit.Reminders.Notifications;
using Summit.Reminders.Telemetry;

namespace Summit.Reminders.Meetings;

public abstract record MeetingResult
{
    public sealed record Created(MeetingView View) : MeetingResult;
    /// <summary>The same Idempotency-Key and body again: the original answer, nothing new stored.</summary>
    public sealed record Replayed(MeetingView View) : MeetingResult;
    public sealed record Changed(MeetingView View) : MeetingResult;
    public sealed record Invalid(IReadOnlyList<FieldError> Errors) : MeetingResult;
    public sealed record NotFound : MeetingResult;
    public sealed record VersionMismatch(long CurrentVersion) : MeetingResult;
    public sealed record IdempotencyKeyReused : MeetingResult;
    public sealed record StateConflict(string Reason) : MeetingResult;
    /// <summary>The meeting was erased; what is left of it.</summary>
    public sealed record Erased(MeetingTombstone Tombstone) : MeetingResult;
    /// <summary>The caller's roles do not allow it on this meeting's track; nothing was read out or changed.</summary>
    public sealed record Forbidden(Identity.Refusal Refusal) : MeetingResult;
}

/// <summary>
/// The coordinator's use cases. Writes go in an order that never loses a reminder: due-index entries first (harmless
/// if the meeting write then fails: the scheduler discards entries whose plan is not the meeting's), the meeting last.
/// </summary>
public sealed partial class MeetingService(
    IMeetingStore store, IDueIndex dueIndex, IDeliveryLedger ledger, IParticipantResponses responses, ParticipantIds participantIds,
    Audit.AuditTrail audit, TimeProvider time, Microsoft.Extensions.Options.IOptions<SendWindows.SendWindowOptions> sendWindows, ILogger<MeetingService> logger)
{
    private readonly SendWindows.SendWindow _defaultWindow = sendWindows.Value.Default;


    public Task<MeetingResult> RegisterAsync(MeetingDraft draft, string? idempotencyKey, CancellationToken cancellationToken) =>
        TracedAsync(SummitTelemetry.Spans.RegisterMeeting, null, () => RegisterCoreAsync(draft, idempotencyKey, cancellationToken));

    private async Task<MeetingResult> RegisterCoreAsync(MeetingDraft draft, string? idempotencyKey, CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow();
        var (content, errors) = MeetingValidator.Validate(draft, now);
        if (content is null) return new MeetingResult.Invalid(errors);
        if (Identity.Allowed.ToChange(content.Track) is { } refusal) return new MeetingResult.Forbidden(refusal);

        string id;
        string? fingerprint = null;
        if (idempotencyKey is null) id = NewId();
        else
        {
            id = IdFromKey(idempotencyKey);
            fingerprint = RequestFingerprint.Of(draft);
            if (await store.GetAsync(id, cancellationToken) is { } existing)
                return await ReplayAsync(existing, draft, cancellationToken);
            // The key's meeting was erased: a retry of that registration must not bring it back.
            if (await store.GetTombstoneAsync(id, cancellationToken) is { } tombstone)
                return Identity.Allowed.ToRead(tombstone.Track) is { } hidden ? new MeetingResult.Forbidden(hidden) : new MeetingResult.Erased(tombstone);
        }

        content = content with { Participants = content.Participants.Select(p => p with { Id = participantIds.For(p.Email) }).ToList() };
        var meeting = Meeting.Create(id, content, now, _defaultWindow);

        // The history's entry first, pending until the meeting is stored (docs/architecture.md, "The audit trail").
        var entry = await audit.BeginAsync(id, Audit.AuditActions.Created, Audit.AuditDiff.Created(meeting), meeting.Version, cancellationToken);
        // The invitation goes through the due index like a reminder (due now): it is sent only if this write lands.
        await dueIndex.AddAsync([.. meeting.DueEntries(now), meeting.Notice(Slots.Invitation, now)], cancellationToken);
        var added = await store.TryAddAsync(meeting, fingerprint, cancellationToken);
        await audit.SettleAsync(id, entry, added, cancellationToken);
        if (!added)
        {
            // Lost a race with the same Idempotency-Key.
            var existing = await store.GetAsync(id, cancellationToken)
                ?? throw new InvalidOperationException($"Meeting {id} exists and cannot be read.");
            return await ReplayAsync(existing, draft, cancellationToken);
        }
        LogRegistered(logger, meeting.Id, meeting.Track, meeting.Participants.Count, meeting.Plan.Slots.Count(s => s.IsPlanned));
        return new MeetingResult.Created(MeetingView.Build(meeting, [], []));
    }

    public async Task<MeetingView?> GetAsync(string meetingId, CancellationToken cancellationToken) =>
        await store.GetAsync(meetingId, cancellationToken) is { } stored ? await ViewAsync(stored.Meeting, cancellationToken) : null;

    private async Task<MeetingView> ViewAsync(Meeting meeting, CancellationToken cancellationToken)
    {
        var (slots, deliveries) = await ledger.ListAsync(meeting.Id, cancellationToken);
        var answers = await responses.ListAsync(meeting.Id, cancellationToken);
        return MeetingView.Build(meeting, slots, deliveries, answers);
    }

    /// <summary>The meeting as coordinators see it, or why there is none (or why the caller may not see it).</summary>
    public async Task<MeetingResult> ReadAsync(string meetingId, CancellationToken cancellationToken)
    {
        var stored = await store.GetAsync(meetingId, cancellationToken);
        if (stored is null) return await MissingAsync(meetingId, cancellationToken);
        if (Identity.Allowed.ToRead(stored.Meeting.Track) is { } refusal) return new MeetingResult.Forbidden(refusal);
        return new MeetingResult.Changed(await ViewAsync(stored.Meeting, cancellationToken));
    }

    /// <summary>No meeting: erased (its tombstone, if the caller may see its track) or never there.</summary>
    private async Task<MeetingResult> MissingAsync(string meetingId, CancellationToken cancellationToken) =>
        await store.GetTombstoneAsync(meetingId, cancellationToken) is { } tombstone
            ? Identity.Allowed.ToRead(tombstone.Track) is { } refusal ? new MeetingResult.Forbidden(refusal) : new MeetingResult.Erased(tombstone)
            : new MeetingResult.NotFound();

    /// <summary>One page of meetings; null when <paramref name="continuationToken"/> is not one this service gave out. With
    /// <see cref="MeetingQuery.Undeliverable"/>, only those with a current participant the provider cannot deliver to.</summary>
    public async Task<MeetingPage?> ListAsync(MeetingQuery query, string? continuationToken, int pageSize, CancellationToken cancellationToken)
    {
        // A caller sees only the tracks their roles allow: a track they name is checked by the edge (403); without one the
        // query is narrowed to theirs.
        if (query.Track is null && Identity.Allowed.Caller.ListFilter is { } mine) query = query with { Tracks = mine };
        else if (query.Track is not null && !Identity.Allowed.Caller.CanRead(query.Track)) return new MeetingPage([], null);
        MeetingPage page;
        try
        {
            page = await store.ListAsync(query, continuationToken, pageSize, cancellationToken);
        }
        catch (ArgumentException)
        {
            return null;
        }
        if (!query.Undeliverable) return page;
        // Kept current by reading each meeting's answers (one query per meeting of the page): a page may then hold fewer
        // meetings than asked for, and the continuation token still leads on.
        var kept = await Task.WhenAll(page.Items.Select(async meeting =>
        {
            var undeliverable = (await responses.ListAsync(meeting.Id, cancellationToken)).Where(r => r.IsUndeliverable).Select(r => r.ParticipantId).ToHashSet();
            return meeting.Participants.Any(p => undeliverable.Contains(p.Id)) ? meeting : null;
        }));
        return page with { Items = [.. kept.OfType<Meeting>()] };
    }

    /// <summary>Replaces what the coordinator controls and re-plans every reminder (a new plan version). A null
    /// <paramref name="expectedVersion"/> changes whatever version is stored (If-Match: *); the write is still
    /// conditional on the version read here, so a change that lands meanwhile wins and this one gets a mismatch.</summary>
    public Task<MeetingResult> UpdateAsync(string meetingId, MeetingDraft draft, long? expectedVersion, CancellationToken cancellationToken) =>
        TracedAsync(SummitTelemetry.Spans.UpdateMeeting, meetingId, () => UpdateCoreAsync(meetingId, draft, expectedVersion, cancellationToken));

    private async Task<MeetingResult> UpdateCoreAsync(string meetingId, MeetingDraft draft, long? expectedVersion, CancellationToken cancellationToken)
    {
        var stored = await store.GetAsync(meetingId, cancellationToken);
        if (stored is null) return await MissingAsync(meetingId, cancellationToken);
        var current = stored.Meeting;
        if (Identity.Allowed.ToChange(current.Track) is { } refusal) return new MeetingResult.Forbidden(refusal);
        if (expectedVersion is { } expected && current.Version != expected) return new MeetingResult.VersionMismatch(current.Version);
        if (current.Status != MeetingStatus.Scheduled)
            return new MeetingResult.StateConflict($"the meeting is {current.Status.ToString().ToLowerInvariant()} and can no longer be changed");

        var now = time.GetUtcNow();
        // Switching calendar invitations sends or withdraws an entry in every participant's calendar: only when asked for.
        if (draft.CalendarInvitations is null) draft = draft with { CalendarInvitations = current.CalendarInvitations };
        var (content, errors) = MeetingValidator.Validate(draft, now);
        if (content is null) return new MeetingResult.Invalid(errors);
        if (Identity.Allowed.ToChange(content.Track) is { } moved) return new MeetingResult.Forbidden(moved);

        content = content with { Participants = await KeepIdsAsync(current, content.Participants, cancellationToken) };
        var (updated, removed) = current.Revise(content, now, _defaultWindow);
        var entry = await audit.BeginAsync(meetingId, Audit.AuditActions.Updated, Audit.AuditDiff.Between(current, updated), updated.Version, cancellationToken);
        // Participants hear about a change they can see (time, place, title, agenda, who else comes, calendar invitations),
        // not about offsets.
        var entries = updated.DueEntries(now);
        if (updated.RevisionNotice(current, now) is { } notice) entries.Add(notice);
        if (removed.Count > 0)
        {
            // Removed participants live in records of their own: a list inside the meeting outgrew Table Storage's 1 MB
            // entity after eight replacements of 200.
            await store.AddRemovedAsync(meetingId, updated.Plan.PlanId, removed, cancellationToken);
            entries.Add(updated.Notice(Slots.Removal, now));
        }
        await dueIndex.AddAsync(entries, cancellationToken);
        if (await ReplaceAsync(stored, updated, entry, cancellationToken) is { } mismatch) return mismatch;
        LogReplanned(logger, meetingId, updated.Plan.PlanVersion, updated.Version);
        return new MeetingResult.Changed((await GetAsync(meetingId, cancellationToken))!);
    }

    public Task<MeetingResult> CancelAsync(string meetingId, long? expectedVersion, CancellationToken cancellationToken) =>
        TracedAsync(SummitTelemetry.Spans.CancelMeeting, meetingId, () => ChangeStatusAsync(meetingId, MeetingStatus.Cancelled, expectedVersion, cancellationToken));

    public Task<MeetingResult> CompleteAsync(string meetingId, long? expectedVersion, CancellationToken cancellationToken) =>
        TracedAsync(SummitTelemetry.Spans.CompleteMeeting, meetingId, () => ChangeStatusAsync(meetingId, MeetingStatus.Completed, expectedVersion, cancellationToken));

    /// <summary>A change to a meeting as a span of the request that asked for it, tagged with the meeting's id and what came of
    /// it (created, changed, invalid, ...): how a trace from the request reaches the reminders (summit.meeting_id).</summary>
    private static async Task<MeetingResult> TracedAsync(string name, string? meetingId, Func<Task<MeetingResult>> change)
    {
        using var span = SummitTelemetry.Source.StartActivity(name);
        if (meetingId is not null) span?.SetTag(SummitTelemetry.Attributes.MeetingId, meetingId);
        try
        {
            var result = await change();
            if (span is not null)
            {
                if (result is MeetingResult.Created { View: var created }) span.SetTag(SummitTelemetry.Attributes.MeetingId, created.Meeting.Id);
                span.SetTag(SummitTelemetry.Attributes.Result, ResultName(result));
            }
            return result;
        }
        catch (Exception ex)
        {
            span?.SetStatus(ActivityStatusCode.Error, ex.GetType().Name);
            throw;
        }
    }

    private static string ResultName(MeetingResult result) => result switch
    {
        MeetingResult.Created => "created",
        MeetingResult.Replayed => "replayed",
        MeetingResult.Changed => "changed",
        MeetingResult.Invalid => "invalid",
        MeetingResult.NotFound => "not_found",
        MeetingResult.VersionMismatch => "version_mismatch",
        MeetingResult.IdempotencyKeyReused => "idempotency_key_reused",
        MeetingResult.StateConflict => "state_conflict",
        MeetingResult.Forbidden => "forbidden",
        _ => "other",
    };

    private async Task<MeetingResult> ChangeStatusAsync(string meetingId, MeetingStatus target, long? expectedVersion, CancellationToken cancellationToken)
    {
        var stored = await store.GetAsync(meetingId, cancellationToken);
        if (stored is null) return await MissingAsync(meetingId, cancellationToken);
        var current = stored.Meeting;
        if (Identity.Allowed.ToChange(current.Track) is { } refusal) return new MeetingResult.Forbidden(refusal);
        if (expectedVersion is { } v && v != current.Version) return new MeetingResult.VersionMismatch(current.Version);
        if (current.Status == target) return new MeetingResult.Changed((await GetAsync(meetingId, cancellationToken))!);
        if (current.Status != MeetingStatus.Scheduled)
            return new MeetingResult.StateConflict($"the meeting is already {current.Status.ToString().ToLowerInvariant()}");

        var now = time.GetUtcNow();
        var updated = current with { Status = target, Version = current.Version + 1, UpdatedAt = now };
        var action = target == MeetingStatus.Cancelled ? Audit.AuditActions.Cancelled : Audit.AuditActions.Completed;
        var entry = await audit.BeginAsync(meetingId, action,
            [new Audit.AuditChange("status", Status(current.Status), Status(target))], updated.Version, cancellationToken);
        // The cancellation email is queued first, like every write here; it is only sent if the meeting is cancelled.
        if (target == MeetingStatus.Cancelled) await dueIndex.AddAsync([updated.Notice(Slots.Cancellation, now)], cancellationToken);
        if (await ReplaceAsync(stored, updated, entry, cancellationToken) is { } mismatch) return mismatch;
        LogStatusChanged(logger, meetingId, target, updated.Version);
        return new MeetingResult.Changed((await GetAsync(meetingId, cancellationToken))!);
    }

    private static string Status(MeetingStatus status) => status.ToString().ToLowerInvariant();

    /// <summary>The conditional write of a change, and the settling of its audit entry: recorded when it landed, void when
    /// a concurrent change won (then the mismatch is the answer). Any other failure leaves the entry pending: whether the
    /// write landed is not known.</summary>
    private async Task<MeetingResult?> ReplaceAsync(StoredMeeting stored, Meeting updated, Audit.AuditEntry entry, CancellationToken cancellationToken)
    {
        try
        {
            await store.ReplaceAsync(updated, stored.RequestFingerprint, stored.ConcurrencyToken, cancellationToken);
        }
        catch (ConcurrencyConflictException)
        {
            await audit.SettleAsync(updated.Id, entry, landed: false, cancellationToken);
            var latest = await store.GetAsync(updated.Id, cancellationToken);
            return new MeetingResult.VersionMismatch(latest?.Meeting.Version ?? stored.Meeting.Version);
        }
        await audit.SettleAsync(updated.Id, entry, landed: true, cancellationToken);
        return null;
    }

    private async Task<MeetingResult> ReplayAsync(StoredMeeting existing, MeetingDraft draft, CancellationToken cancellationToken)
    {
        if (Identity.Allowed.ToRead(existing.Meeting.Track) is { } refusal) return new MeetingResult.Forbidden(refusal);
        if (!RequestFingerprint.Matches(existing.RequestFingerprint, draft, "participants")) return new MeetingResult.IdempotencyKeyReused();
        return new MeetingResult.Replayed((await GetAsync(existing.Meeting.Id, cancellationToken))!);
    }

    /// <summary>
    /// Ids for the participants of an update. Someone already on the list keeps their id. Someone new, or back after a
    /// removal, gets the id they had in this meeting if any (their answers, an unsubscription above all, are kept under
    /// it): an id under the current or previous key, or the unkeyed id of meetings stored before keyed ids.
    /// </summary>
    private async Task<IReadOnlyList<Participant>> KeepIdsAsync(Meeting current, IReadOnlyList<Participant> participants, CancellationToken cancellationToken)
    {
        var byEmail = current.Participants.ToDictionary(p => p.Email, p => p.Id, StringComparer.OrdinalIgnoreCase);
        HashSet<string>? known = null;
        var result = new List<Participant>(participants.Count);
        foreach (var participant in participants)
        {
            if (!byEmail.TryGetValue(participant.Email, out var id))
            {
                known ??= (await responses.ListAsync(current.Id, cancellationToken)).Select(r => r.ParticipantId)
                    .Concat(current.RemovedParticipants.Select(r => r.Participant.Id)).ToHashSet(StringComparer.Ordinal);
                var candidates = participantIds.Candidates(participant.Email);
                id = candidates.FirstOrDefault(known.Contains) ?? candidates[0];
            }
            result.Add(participant with { Id = id });
        }
        return result;
    }

    private static string NewId() => "m" + Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(12));

    /// <summary>A registration with an Idempotency-Key gets an id derived from the key, so a retry finds it in one read.</summary>
    internal static string IdFromKey(string key) =>
        "k" + Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(key)))[..24];


    [LoggerMessage(Level = LogLevel.Information, Message = "Registered meeting {MeetingId} on track {Track} with {Participants} participants and {Slots} planned reminder slots")]
    private static partial void LogRegistered(ILogger logger, string meetingId, string track, int participants, int slots);

    [LoggerMessage(Level = LogLevel.Information, Message = "Re-planned meeting {MeetingId}: plan version {PlanVersion}, meeting version {Version}")]
    private static partial void LogReplanned(ILogger logger, string meetingId, int planVersion, long version);

    [LoggerMessage(Level = LogLevel.Information, Message = "Meeting {MeetingId} is now {Status} (version {Version})")]
    private static partial void LogStatusChanged(ILogger logger, string meetingId, MeetingStatus status, long version);
}
