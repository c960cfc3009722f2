using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Microsoft.Extensions.Logging;
using Summit.Reminders.Ports;

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
}

/// <summary>
/// The coordinator's use cases. Writes go in an order that never loses a reminder: due-index entries first (harmless
/// if the meeting write then fails: the scheduler discards entries whose plan is not the meeting's), the meeting last.
/// </summary>
public sealed partial class MeetingService(
    IMeetingStore store, IDueIndex dueIndex, IDeliveryLedger ledger, IParticipantResponses responses, TimeProvider time, ILogger<MeetingService> logger)
{
    private static readonly JsonSerializerOptions FingerprintJson = new(JsonSerializerDefaults.Web);

    public async Task<MeetingResult> RegisterAsync(MeetingDraft draft, string? idempotencyKey, CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow();
        var (content, errors) = MeetingValidator.Validate(draft, now);
        if (content is null) return new MeetingResult.Invalid(errors);

        string id;
        string? fingerprint = null;
        if (idempotencyKey is null) id = NewId();
        else
        {
            id = IdFromKey(idempotencyKey);
            fingerprint = Fingerprint(draft);
            if (await store.GetAsync(id, cancellationToken) is { } existing)
                return await ReplayAsync(existing, fingerprint, cancellationToken);
        }

        var plan = MakePlan(content, planVersion: 1, now);
        var meeting = new Meeting
        {
            Id = id,
            Title = content.Title,
            Track = content.Track,
            Agenda = content.Agenda,
            StartLocal = MeetingTime.FormatLocal(content.StartLocal),
            TimeZone = content.Zone.Id,
            StartUtc = content.StartUtc.ToDateTimeOffset(),
            Duration = content.Duration,
            Location = content.Location,
            JoinUrl = content.JoinUrl,
            Coordinator = content.Coordinator,
            Participants = content.Participants,
            ReminderOffsets = content.Offsets.Select(o => o.ToString()).ToList(),
            Plan = plan,
            CreatedAt = now,
            UpdatedAt = now,
        };

        await dueIndex.AddAsync(DueEntries(meeting, now), cancellationToken);
        if (!await store.TryAddAsync(meeting, fingerprint, cancellationToken))
        {
            // Lost a race with the same Idempotency-Key.
            var existing = await store.GetAsync(id, cancellationToken)
                ?? throw new InvalidOperationException($"Meeting {id} exists and cannot be read.");
            return await ReplayAsync(existing, fingerprint, cancellationToken);
        }
        LogRegistered(logger, meeting.Id, meeting.Track, meeting.Participants.Count, plan.Slots.Count(s => s.IsPlanned));
        return new MeetingResult.Created(MeetingView.Build(meeting, [], []));
    }

    public async Task<MeetingView?> GetAsync(string meetingId, CancellationToken cancellationToken)
    {
        var stored = await store.GetAsync(meetingId, cancellationToken);
        if (stored is null) return null;
        var (slots, deliveries) = await ledger.ListAsync(meetingId, cancellationToken);
        var answers = await responses.ListAsync(meetingId, cancellationToken);
        return MeetingView.Build(stored.Meeting, slots, deliveries, answers);
    }

    public Task<MeetingPage> ListAsync(MeetingQuery query, string? continuationToken, int pageSize, CancellationToken cancellationToken) =>
        store.ListAsync(query, continuationToken, pageSize, cancellationToken);

    /// <summary>Replaces what the coordinator controls and re-plans every reminder (a new plan version).</summary>
    public async Task<MeetingResult> UpdateAsync(string meetingId, MeetingDraft draft, long expectedVersion, CancellationToken cancellationToken)
    {
        var stored = await store.GetAsync(meetingId, cancellationToken);
        if (stored is null) return new MeetingResult.NotFound();
        var current = stored.Meeting;
        if (current.Version != expectedVersion) return new MeetingResult.VersionMismatch(current.Version);
        if (current.Status != MeetingStatus.Scheduled)
            return new MeetingResult.StateConflict($"the meeting is {current.Status.ToString().ToLowerInvariant()} and can no longer be changed");

        var now = time.GetUtcNow();
        var (content, errors) = MeetingValidator.Validate(draft, now);
        if (content is null) return new MeetingResult.Invalid(errors);

        var plan = MakePlan(content, current.Plan.PlanVersion + 1, now);
        var updated = current with
        {
            Title = content.Title,
            Track = content.Track,
            Agenda = content.Agenda,
            StartLocal = MeetingTime.FormatLocal(content.StartLocal),
            TimeZone = content.Zone.Id,
            StartUtc = content.StartUtc.ToDateTimeOffset(),
            Duration = content.Duration,
            Location = content.Location,
            JoinUrl = content.JoinUrl,
            Coordinator = content.Coordinator,
            Participants = content.Participants,
            ReminderOffsets = content.Offsets.Select(o => o.ToString()).ToList(),
            Plan = plan,
            Version = current.Version + 1,
            UpdatedAt = now,
        };
        await dueIndex.AddAsync(DueEntries(updated, now), cancellationToken);
        try
        {
            await store.ReplaceAsync(updated, stored.RequestFingerprint, stored.ConcurrencyToken, cancellationToken);
        }
        catch (ConcurrencyConflictException)
        {
            var latest = await store.GetAsync(meetingId, cancellationToken);
            return new MeetingResult.VersionMismatch(latest?.Meeting.Version ?? current.Version);
        }
        LogReplanned(logger, meetingId, plan.PlanVersion, updated.Version);
        return new MeetingResult.Changed((await GetAsync(meetingId, cancellationToken))!);
    }

    public Task<MeetingResult> CancelAsync(string meetingId, long? expectedVersion, CancellationToken cancellationToken) =>
        ChangeStatusAsync(meetingId, MeetingStatus.Cancelled, expectedVersion, cancellationToken);

    public Task<MeetingResult> CompleteAsync(string meetingId, long? expectedVersion, CancellationToken cancellationToken) =>
        ChangeStatusAsync(meetingId, MeetingStatus.Completed, expectedVersion, cancellationToken);

    private async Task<MeetingResult> ChangeStatusAsync(string meetingId, MeetingStatus target, long? expectedVersion, CancellationToken cancellationToken)
    {
        var stored = await store.GetAsync(meetingId, cancellationToken);
        if (stored is null) return new MeetingResult.NotFound();
        var current = stored.Meeting;
        if (expectedVersion is { } v && v != current.Version) return new MeetingResult.VersionMismatch(current.Version);
        if (current.Status == target) return new MeetingResult.Changed((await GetAsync(meetingId, cancellationToken))!);
        if (current.Status != MeetingStatus.Scheduled)
            return new MeetingResult.StateConflict($"the meeting is already {current.Status.ToString().ToLowerInvariant()}");

        var updated = current with { Status = target, Version = current.Version + 1, UpdatedAt = time.GetUtcNow() };
        try
        {
            await store.ReplaceAsync(updated, stored.RequestFingerprint, stored.ConcurrencyToken, cancellationToken);
        }
        catch (ConcurrencyConflictException)
        {
            var latest = await store.GetAsync(meetingId, cancellationToken);
            return new MeetingResult.VersionMismatch(latest?.Meeting.Version ?? current.Version);
        }
        LogStatusChanged(logger, meetingId, target, updated.Version);
        return new MeetingResult.Changed((await GetAsync(meetingId, cancellationToken))!);
    }

    private async Task<MeetingResult> ReplayAsync(StoredMeeting existing, string? fingerprint, CancellationToken cancellationToken)
    {
        if (existing.RequestFingerprint != fingerprint) return new MeetingResult.IdempotencyKeyReused();
        return new MeetingResult.Replayed((await GetAsync(existing.Meeting.Id, cancellationToken))!);
    }

    internal static ReminderPlan MakePlan(MeetingContent content, int planVersion, DateTimeOffset now)
    {
        var slots = content.Offsets
            .Select(offset =>
            {
                var due = offset.DueAt(content.StartLocal, content.Zone).ToDateTimeOffset();
                return new PlannedSlot(offset.ToString(), due, due < now ? "its moment had passed when the meeting was planned" : null);
            })
            .OrderBy(s => s.DueAt)
            .ToList();
        return new ReminderPlan(NewPlanId(), planVersion, slots);
    }

    private static List<DueEntry> DueEntries(Meeting meeting, DateTimeOffset now) =>
        meeting.Plan.Slots.Where(s => s.IsPlanned)
            .Select(s => new DueEntry(meeting.Id, meeting.Plan.PlanId, meeting.Plan.PlanVersion, s.Offset, s.DueAt, now))
            .ToList();

    private static string NewId() => "m" + Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(12));

    private static string NewPlanId() => Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(4));

    /// <summary>A registration with an Idempotency-Key gets an id derived from the key, so a retry finds it in one read.</summary>
    internal static string IdFromKey(string key) =>
        "k" + Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(key)))[..24];

    private static string Fingerprint(MeetingDraft draft) =>
        Convert.ToHexStringLower(SHA256.HashData(JsonSerializer.SerializeToUtf8Bytes(draft, FingerprintJson)));

    [LoggerMessage(Level = LogLevel.Information, Message = "Registered meeting {MeetingId} on track {Track} with {Participants} participants and {Slots} planned reminder slots")]
    private static partial void LogRegistered(ILogger logger, string meetingId, string track, int participants, int slots);

    [LoggerMessage(Level = LogLevel.Information, Message = "Re-planned meeting {MeetingId}: plan version {PlanVersion}, meeting version {Version}")]
    private static partial void LogReplanned(ILogger logger, string meetingId, int planVersion, long version);

    [LoggerMessage(Level = LogLevel.Information, Message = "Meeting {MeetingId} is now {Status} (version {Version})")]
    private static partial void LogStatusChanged(ILogger logger, string meetingId, MeetingStatus status, long version);
}
