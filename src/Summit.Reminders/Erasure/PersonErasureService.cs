using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Summit.Reminders.Meetings;
using Summit.Reminders.Notifications;
using Summit.Reminders.Participation;
using Summit.Reminders.Ports;

namespace Summit.Reminders.Erasure;

public abstract record PersonErasureResult
{
    public sealed record Done(PersonErasure Erasure) : PersonErasureResult;
    public sealed record Invalid(IReadOnlyList<FieldError> Errors) : PersonErasureResult;
}

/// <summary>
/// A data-subject request: erase one person, by address, from every meeting. Meetings hold participants by id (derived
/// from the address, <see cref="ParticipantIds"/>), so the request looks for every id the address may have: in the
/// participant lists, in the records of people taken off a list, and behind each coordinator's address.
/// <list type="bullet">
/// <item>A participant is taken off the list without an email (a removal notice is exactly what they asked not to get);
/// their deliveries, answers and kept emails go.</item>
/// <item>A coordinator's name and address go from meetings that have ended or were cancelled or completed. A meeting
/// still to come keeps its coordinator (people are writing to them): the answer lists it, and the same request after a
/// PUT that names another coordinator erases them there too.</item>
/// </list>
/// The request is recorded under the person's id before anything is erased, with the meetings it found; a crash midway
/// leaves it "running" and the retention timer finishes it. It runs once more after <see cref="RetentionOptions.PersonFollowUp"/>
/// for emails that were already queued, then forgets every id but its own.
/// </summary>
public sealed partial class PersonErasureService(
    IMeetingStore store, IDeliveryLedger ledger, ISentEmails sentEmails, IPersonErasures records, ParticipantIds participantIds,
    IOptions<RetentionOptions> options, TimeProvider time, ILogger<PersonErasureService> logger)
{
    private const int MaxWriteAttempts = 5;

    public async Task<PersonErasureResult> EraseAsync(string? email, CancellationToken cancellationToken)
    {
        if (!EmailAddressRules.TryNormalize(email, out var address, out var error))
            return new PersonErasureResult.Invalid([new FieldError("email", error)]);
        var candidates = participantIds.Candidates(address);
        var now = time.GetUtcNow();
        var existing = await records.GetAsync(candidates[0], cancellationToken);
        var erasure = (existing ?? new PersonErasure(candidates[0], candidates, PersonErasureState.Running, now, null, null, [], [], []))
            with { Candidates = candidates, State = PersonErasureState.Running };
        await records.SaveAsync(erasure, cancellationToken);
        return new PersonErasureResult.Done(await RunAsync(erasure, cancellationToken));
    }

    /// <summary>Finishes requests that stopped midway and runs the follow-ups that are due; returns how many it ran.</summary>
    public async Task<int> ResumeAsync(int max, CancellationToken cancellationToken)
    {
        var due = await records.ListDueAsync(time.GetUtcNow(), max, cancellationToken);
        foreach (var erasure in due) await RunAsync(erasure, cancellationToken);
        return due.Count;
    }

    private async Task<PersonErasure> RunAsync(PersonErasure erasure, CancellationToken cancellationToken)
    {
        var isFollowUp = erasure.State == PersonErasureState.FollowUp;
        var ids = erasure.Candidates.ToHashSet(StringComparer.Ordinal);

        // Find every meeting first and record the list, so a run that stops midway is finished with the same list.
        var roles = new Dictionary<string, SortedSet<string>>(StringComparer.Ordinal);
        void Add(string meetingId, string? role)
        {
            if (!roles.TryGetValue(meetingId, out var set)) roles[meetingId] = set = new SortedSet<string>(StringComparer.Ordinal);
            if (role is not null) set.Add(role);
        }
        await foreach (var stored in store.ScanAsync(cancellationToken))
        {
            var meeting = stored.Meeting;
            if (meeting.Participants.Any(p => ids.Contains(p.Id))) Add(meeting.Id, "participant");
            if (meeting.RemovedParticipants.Any(r => ids.Contains(r.Participant.Id))) Add(meeting.Id, "removed");
            if (meeting.Coordinator.Email.Length > 0 && participantIds.Candidates(meeting.Coordinator.Email).Any(ids.Contains)) Add(meeting.Id, "coordinator");
        }
        await foreach (var (meetingId, participant) in store.ScanRemovedAsync(cancellationToken))
        {
            if (ids.Contains(participant.Id)) Add(meetingId, "removed");
        }
        foreach (var meetingId in erasure.PendingMeetings.Concat(erasure.Meetings.Select(m => m.MeetingId))) Add(meetingId, null);
        erasure = erasure with { PendingMeetings = [.. roles.Keys] };
        await records.SaveAsync(erasure, cancellationToken);

        var erased = erasure.Meetings.ToDictionary(m => m.MeetingId, StringComparer.Ordinal);
        var kept = new List<KeptInMeeting>();
        foreach (var (meetingId, found) in roles)
        {
            var keptReason = await EraseFromMeetingAsync(meetingId, ids, found, cancellationToken);
            if (keptReason is not null) kept.Add(new KeptInMeeting(meetingId, keptReason));
            var recipients = new HashSet<string>(ids, StringComparer.Ordinal);
            if (found.Contains("coordinator") && keptReason is null) recipients.Add(Slots.Coordinator);
            var rows = await ledger.EraseAsync(meetingId, ids, cancellationToken);
            await store.EraseRemovedAsync(meetingId, ids, cancellationToken);
            var emails = await sentEmails.EraseAsync(meetingId, recipients, cancellationToken);
            var before = erased.GetValueOrDefault(meetingId);
            erased[meetingId] = new ErasedFromMeeting(meetingId,
                [.. (before?.Roles ?? []).Union(found.Where(r => !(r == "coordinator" && keptReason is not null))).Order(StringComparer.Ordinal)],
                (before?.Deliveries ?? 0) + rows.Deliveries, (before?.Answers ?? 0) + rows.Answers, (before?.Emails ?? 0) + emails);
        }

        var now = time.GetUtcNow();
        erasure = erasure with
        {
            State = isFollowUp ? PersonErasureState.Done : PersonErasureState.FollowUp,
            LastRunAt = now,
            FollowUpAt = isFollowUp ? null : now + options.Value.PersonFollowUp,
            // Once the follow-up has run, the record keeps no id but its own (it answers a repeated request).
            Candidates = isFollowUp ? [erasure.Id] : erasure.Candidates,
            PendingMeetings = [],
            Meetings = [.. erased.Values.Where(m => m.Roles.Count > 0 || m.Deliveries + m.Answers + m.Emails > 0).OrderBy(m => m.MeetingId, StringComparer.Ordinal)],
            Kept = kept,
        };
        await records.SaveAsync(erasure, cancellationToken);
        LogErased(logger, erasure.Meetings.Count, kept.Count, erasure.State);
        return erasure;
    }

    /// <summary>Takes the person off the meeting itself; the reason they stay, if they do.</summary>
    private async Task<string?> EraseFromMeetingAsync(string meetingId, HashSet<string> ids, SortedSet<string> roles, CancellationToken cancellationToken)
    {
        for (var attempt = 1; ; attempt++)
        {
            var stored = await store.GetAsync(meetingId, cancellationToken);
            if (stored is null) return null; // erased meanwhile, or only ledger rows are left
            var meeting = stored.Meeting;
            var now = time.GetUtcNow();
            var isCoordinator = meeting.Coordinator.Email.Length > 0 && participantIds.Candidates(meeting.Coordinator.Email).Any(ids.Contains);
            var coordinatorStays = isCoordinator && meeting.Status == MeetingStatus.Scheduled && meeting.EndUtc > now;
            var updated = meeting with
            {
                Participants = [.. meeting.Participants.Where(p => !ids.Contains(p.Id))],
                RemovedParticipants = [.. meeting.RemovedParticipants.Where(r => !ids.Contains(r.Participant.Id))],
                Coordinator = isCoordinator && !coordinatorStays ? new Person("", "") : meeting.Coordinator,
            };
            var keptReason = coordinatorStays
                ? "coordinator of a meeting still to come: name another coordinator (PUT) and repeat the request"
                : null;
            if (updated.Participants.Count == meeting.Participants.Count && updated.RemovedParticipants.Count == meeting.RemovedParticipants.Count
                && ReferenceEquals(updated.Coordinator, meeting.Coordinator))
                return keptReason;
            try
            {
                // The request fingerprint hashes the registration body, this person's address included: it goes too.
                await store.ReplaceAsync(updated with { Version = meeting.Version + 1, UpdatedAt = now }, null, stored.ConcurrencyToken, cancellationToken);
                LogErasedFromMeeting(logger, meetingId, string.Join(',', roles));
                return keptReason;
            }
            catch (ConcurrencyConflictException) when (attempt < MaxWriteAttempts)
            {
                // A coordinator changed the meeting meanwhile: read it again.
            }
        }
    }

    // Logs name meetings, never the person (not even by id: the erasure would otherwise live on in the logs).
    [LoggerMessage(Level = LogLevel.Information, Message = "A data-subject erasure took a person off meeting {MeetingId} (as {Roles})")]
    private static partial void LogErasedFromMeeting(ILogger logger, string meetingId, string roles);

    [LoggerMessage(Level = LogLevel.Information, Message = "A data-subject erasure ran: {Meetings} meetings erased from, {Kept} kept, now {State}")]
    private static partial void LogErased(ILogger logger, int meetings, int kept, PersonErasureState state);
}
