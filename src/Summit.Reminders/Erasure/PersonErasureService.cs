using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Summit.Reminders.Commitments;
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
/// <item>Their daily digest subscription goes, with its pending day, its ledger rows and kept copies.</item>
/// </list>
/// The request is recorded under the person's id before anything is erased, with the meetings it found; a crash midway
/// leaves it "running" and the retention timer finishes it. It runs once more after <see cref="RetentionOptions.PersonFollowUp"/>
/// for emails that were already queued, then forgets every id but its own.
/// </summary>
public sealed partial class PersonErasureService(
    IMeetingStore store, ICommitmentStore commitments, IDeliveryLedger ledger, ISentEmails sentEmails, IDeadLetterQueue deadLetters, IPersonErasures records, ParticipantIds participantIds,
    IDigestSubscriptions digests, Digest.DigestService digestService, Audit.AuditTrail audit, IAuditLog history, IOptions<RetentionOptions> options, TimeProvider time, ILogger<PersonErasureService> logger)
{
    private const int MaxWriteAttempts = 5;

    public async Task<PersonErasureResult> EraseAsync(string? email, CancellationToken cancellationToken)
    {
        if (AddressForms(email) is not { } forms)
            return new PersonErasureResult.Invalid([new FieldError("email", "must be one address like name@example.org (one '@', at most 320 characters, no spaces)")]);
        // Every id the address may have: in each of its written forms (as registered today, as older versions stored it).
        var primary = EmailAddressRules.TryNormalize(email, out var normalized, out _) ? normalized.ToLowerInvariant() : email!.Trim().ToLowerInvariant();
        var candidates = forms.Prepend(primary).SelectMany(participantIds.Candidates).Distinct(StringComparer.Ordinal).ToList();
        var now = time.GetUtcNow();
        var existing = await records.GetAsync(candidates[0], cancellationToken);
        var erasure = (existing ?? new PersonErasure(candidates[0], candidates, PersonErasureState.Running, now, null, null, [], [], []))
            with { Candidates = candidates, State = PersonErasureState.Running };
        await records.SaveAsync(erasure, cancellationToken);
        return new PersonErasureResult.Done(await RunAsync(erasure, forms, cancellationToken));
    }

    /// <summary>
    /// The forms an address may be stored in: as today's rules normalise it (a Unicode domain in punycode), and, for
    /// meetings stored under older rules, lower-cased with the domain in Unicode and in punycode. Null when it is not an
    /// address at all. Addresses today's rules refuse (older meetings may hold them) are accepted here: one '@', at most
    /// 320 characters, no spaces or control characters.
    /// </summary>
    internal static IReadOnlySet<string>? AddressForms(string? email)
    {
        var text = email?.Trim() ?? "";
        var forms = new HashSet<string>(StringComparer.Ordinal);
        if (EmailAddressRules.TryNormalize(text, out var normalized, out _)) forms.Add(normalized.ToLowerInvariant());
        var at = text.LastIndexOf('@');
        if (text.Length is 0 or > 320 || at <= 0 || at == text.Length - 1 || text.IndexOf('@') != at || text.Any(c => char.IsWhiteSpace(c) || char.IsControl(c)))
            return forms.Count > 0 ? forms : null;
        var local = text[..at].ToLowerInvariant();
        var domain = text[(at + 1)..].ToLowerInvariant();
        forms.Add($"{local}@{domain}");
        var idn = new System.Globalization.IdnMapping();
        try { forms.Add($"{local}@{idn.GetAscii(domain)}"); } catch (ArgumentException) { /* not a mappable domain */ }
        try { forms.Add($"{local}@{idn.GetUnicode(domain)}"); } catch (ArgumentException) { /* not a mappable domain */ }
        return forms;
    }

    private static bool Matches(IReadOnlySet<string>? forms, string stored) =>
        forms is not null && stored.Length > 0 && (AddressForms(stored)?.Overlaps(forms) ?? false);

    /// <summary>Finishes requests that stopped midway and runs the follow-ups that are due; returns how many it ran.</summary>
    public async Task<int> ResumeAsync(int max, CancellationToken cancellationToken)
    {
        var due = await records.ListDueAsync(time.GetUtcNow(), max, cancellationToken);
        var ran = 0;
        foreach (var erasure in due)
        {
            try
            {
                await RunAsync(erasure, null, cancellationToken);
                ran++;
            }
            catch (Exception ex) when (ex is not OperationCanceledException)
            {
                // Stays due: the next run tries again, and the others are not held up.
                LogResumeFailed(logger, ex);
            }
        }
        return ran;
    }

    /// <param name="forms">The address, on the run the request makes; later runs (a resume, the follow-up) match by the
    /// ids the first run recorded, which include every id it found next to a matching address.</param>
    private async Task<PersonErasure> RunAsync(PersonErasure erasure, IReadOnlySet<string>? forms, CancellationToken cancellationToken)
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
        // A participant is theirs by id, or by address (an id made under a key since rotated away, an address stored under
        // older rules): such an id joins the set, so the ledger, the removal records and the kept emails go by it too.
        bool IsPerson(Participant p)
        {
            if (ids.Contains(p.Id)) return true;
            if (!Matches(forms, p.Email)) return false;
            ids.Add(p.Id);
            return true;
        }
        await foreach (var stored in store.ScanAsync(cancellationToken))
        {
            var meeting = stored.Meeting;
            if (meeting.Participants.Any(IsPerson)) Add(meeting.Id, "participant");
            if (meeting.RemovedParticipants.Any(r => IsPerson(r.Participant))) Add(meeting.Id, "removed");
            if (IsCoordinator(meeting, ids, forms)) Add(meeting.Id, "coordinator");
        }
        await foreach (var (meetingId, participant) in store.ScanRemovedAsync(cancellationToken))
        {
            if (IsPerson(participant)) Add(meetingId, "removed");
        }
        // Commitments too: an owner, or the coordinator (their ledger partition is the commitment's id, like a meeting's).
        await foreach (var stored in commitments.ScanAsync(cancellationToken))
        {
            var commitment = stored.Commitment;
            if (commitment.Owners.Any(IsPerson) || commitment.ExtensionRequests.Any(r => ids.Contains(r.OwnerId))
                || (commitment.Completion is { } completion && ids.Contains(completion.By))) Add(commitment.Id, "owner");
            if (IsCommitmentCoordinator(commitment, ids, forms)) Add(commitment.Id, "coordinator");
        }
        foreach (var meetingId in erasure.PendingMeetings.Concat(erasure.Meetings.Select(m => m.MeetingId))) Add(meetingId, null);
        // The roles are recorded with the list: a resumed run finds the person already gone from a meeting's list, and the
        // answer must still say what they were there.
        var known = erasure.Meetings.ToDictionary(m => m.MeetingId, StringComparer.Ordinal);
        foreach (var (meetingId, found) in roles)
        {
            var before = known.GetValueOrDefault(meetingId) ?? new ErasedFromMeeting(meetingId, [], 0, 0, 0);
            known[meetingId] = before with { Roles = [.. before.Roles.Union(found).Order(StringComparer.Ordinal)] };
        }
        erasure = erasure with
        {
            PendingMeetings = [.. roles.Keys],
            Candidates = [.. ids.Order(StringComparer.Ordinal)],
            Meetings = [.. known.Values.OrderBy(m => m.MeetingId, StringComparer.Ordinal)],
        };
        await records.SaveAsync(erasure, cancellationToken);

        var erased = erasure.Meetings.ToDictionary(m => m.MeetingId, StringComparer.Ordinal);
        var kept = new List<KeptInMeeting>();
        foreach (var meetingId in roles.Keys)
        {
            var before = erased[meetingId];
            var keptReason = await commitments.GetAsync(meetingId, cancellationToken) is not null
                ? await EraseFromCommitmentAsync(meetingId, ids, forms, string.Join(',', before.Roles), cancellationToken)
                : await EraseFromMeetingAsync(meetingId, ids, forms, string.Join(',', before.Roles), cancellationToken);
            if (keptReason is not null) kept.Add(new KeptInMeeting(meetingId, keptReason));
            var recipients = new HashSet<string>(ids, StringComparer.Ordinal);
            if (before.Roles.Contains("coordinator") && keptReason is null) recipients.Add(Slots.Coordinator);
            var rows = await ledger.EraseAsync(meetingId, ids, cancellationToken);
            await store.EraseRemovedAsync(meetingId, ids, cancellationToken);
            var emails = await sentEmails.EraseAsync(meetingId, recipients, forms, cancellationToken);
            erased[meetingId] = new ErasedFromMeeting(meetingId,
                [.. before.Roles.Where(r => !(r == "coordinator" && keptReason is not null))],
                before.Deliveries + rows.Deliveries, before.Answers + rows.Answers, before.Emails + emails);
        }
        // Their parked messages too (ids and a reason): a replay could only be dropped now anyway.
        await deadLetters.PurgeAsync(r => ids.Contains(r.ParticipantId), cancellationToken);

        // Their daily digest (an address and a name): the subscription, its pending day, its ledger rows and kept copies.
        var subscriptions = new List<Digest.DigestSubscription>();
        await foreach (var subscription in digests.ScanAsync(cancellationToken))
            if (Matches(forms, subscription.Subscriber.Email) || participantIds.Candidates(subscription.Subscriber.Email).Any(ids.Contains))
                subscriptions.Add(subscription);
        foreach (var subscription in subscriptions) await digestService.EraseAsync(subscription, cancellationToken);

        var now = time.GetUtcNow();
        erasure = erasure with
        {
            State = isFollowUp ? PersonErasureState.Done : PersonErasureState.FollowUp,
            LastRunAt = now,
            FollowUpAt = isFollowUp ? null : now + options.Value.PersonFollowUp,
            // Once the follow-up has run, the record keeps no id but its own (it answers a repeated request) and no meeting
            // (which meetings someone attended is what the erasure removed): only how many.
            Candidates = isFollowUp ? [erasure.Id] : erasure.Candidates,
            PendingMeetings = [],
            Meetings = isFollowUp ? [] : [.. erased.Values.Where(m => m.Roles.Count > 0 || m.Deliveries + m.Answers + m.Emails > 0).OrderBy(m => m.MeetingId, StringComparer.Ordinal)],
            Kept = isFollowUp ? [] : kept,
            MeetingsErased = Math.Max(erasure.MeetingsErased, erased.Values.Count(m => m.Roles.Count > 0 || m.Deliveries + m.Answers + m.Emails > 0)),
            DigestsErased = erasure.DigestsErased + subscriptions.Count,
        };
        await records.SaveAsync(erasure, cancellationToken);
        LogErased(logger, erasure.Meetings.Count, kept.Count, erasure.State);
        return erasure;
    }

    /// <summary>Takes the person off the meeting itself; the reason they stay, if they do.</summary>
    private bool IsCoordinator(Meeting meeting, HashSet<string> ids, IReadOnlySet<string>? forms) =>
        meeting.Coordinator.Email.Length > 0 && (Matches(forms, meeting.Coordinator.Email) || participantIds.Candidates(meeting.Coordinator.Email).Any(ids.Contains));

    private bool IsCommitmentCoordinator(Commitment commitment, HashSet<string> ids, IReadOnlySet<string>? forms) =>
        commitment.Coordinator.Email.Length > 0
        && (Matches(forms, commitment.Coordinator.Email) || participantIds.Candidates(commitment.Coordinator.Email).Any(ids.Contains));

    /// <summary>Takes the person off a commitment: as an owner always (the others keep it; with no owner left, only the
    /// coordinator's ladder remains), as its coordinator once it is done or dropped (while it is open people still write
    /// to them, as for a meeting still to come).</summary>
    private async Task<string?> EraseFromCommitmentAsync(string commitmentId, HashSet<string> ids, IReadOnlySet<string>? forms, string roles, CancellationToken cancellationToken)
    {
        for (var attempt = 1; ; attempt++)
        {
            var stored = await commitments.GetAsync(commitmentId, cancellationToken);
            if (stored is null) return null;
            var commitment = stored.Commitment;
            var isCoordinator = IsCommitmentCoordinator(commitment, ids, forms);
            var coordinatorStays = isCoordinator && commitment.Status == CommitmentStatus.Open;
            // Their requests for more time and the note and link of their Done go with them (the completion's time and
            // whether it was on time stay: the track's statistics).
            var completedByThem = commitment.Completion is { } c && ids.Contains(c.By);
            var updated = commitment with
            {
                Owners = [.. commitment.Owners.Where(o => !ids.Contains(o.Id))],
                Coordinator = isCoordinator && !coordinatorStays ? new Person("", "") : commitment.Coordinator,
                ExtensionRequests = [.. commitment.ExtensionRequests.Where(r => !ids.Contains(r.OwnerId))],
                Completion = completedByThem ? commitment.Completion! with { By = "", Note = null, Link = null } : commitment.Completion,
            };
            var keptReason = coordinatorStays ? "coordinator of an open commitment: name another coordinator (PUT) and repeat the request" : null;
            await EraseHistoryAsync(commitmentId, ids, forms, cancellationToken);
            if (updated.Owners.Count == commitment.Owners.Count && ReferenceEquals(updated.Coordinator, commitment.Coordinator)
                && updated.ExtensionRequests.Count == commitment.ExtensionRequests.Count && !completedByThem) return keptReason;
            try
            {
                await commitments.ReplaceAsync(updated with { Version = commitment.Version + 1, UpdatedAt = time.GetUtcNow() }, null, stored.ConcurrencyToken, cancellationToken);
                await audit.AppendAsync(commitmentId, Audit.AuditActions.PersonErased, [new Audit.AuditChange("erasure", null, roles)], cancellationToken);
                LogErasedFromMeeting(logger, commitmentId, roles);
                return keptReason;
            }
            catch (ConcurrencyConflictException) when (attempt < MaxWriteAttempts)
            {
                // The coordinator changed it meanwhile: read it again.
            }
        }
    }

    private async Task<string?> EraseFromMeetingAsync(string meetingId, HashSet<string> ids, IReadOnlySet<string>? forms, string roles, CancellationToken cancellationToken)
    {
        for (var attempt = 1; ; attempt++)
        {
            var stored = await store.GetAsync(meetingId, cancellationToken);
            if (stored is null) return null; // erased meanwhile, or only ledger rows are left
            var meeting = stored.Meeting;
            var now = time.GetUtcNow();
            var isCoordinator = IsCoordinator(meeting, ids, forms);
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
            await EraseHistoryAsync(meetingId, ids, forms, cancellationToken);
            if (updated.Participants.Count == meeting.Participants.Count && updated.RemovedParticipants.Count == meeting.RemovedParticipants.Count
                && ReferenceEquals(updated.Coordinator, meeting.Coordinator))
                return keptReason;
            try
            {
                // The request fingerprint hashes the registration body, this person's address included: it goes too.
                await store.ReplaceAsync(updated with { Version = meeting.Version + 1, UpdatedAt = now }, null, stored.ConcurrencyToken, cancellationToken);
                await audit.AppendAsync(meetingId, Audit.AuditActions.PersonErased, [new Audit.AuditChange("erasure", null, roles)], cancellationToken);
                LogErasedFromMeeting(logger, meetingId, roles);
                return keptReason;
            }
            catch (ConcurrencyConflictException) when (attempt < MaxWriteAttempts)
            {
                // A coordinator changed the meeting meanwhile: read it again.
            }
        }
    }

    /// <summary>The person's values in the history (every value naming one of their addresses or ids, and their id as the actor
    /// of their link) become the marker; the entries stay.</summary>
    private Task EraseHistoryAsync(string subjectId, HashSet<string> ids, IReadOnlySet<string>? forms, CancellationToken cancellationToken) =>
        history.EraseAsync(subjectId, ids.Concat(forms ?? new HashSet<string>()).ToHashSet(StringComparer.OrdinalIgnoreCase), time.GetUtcNow(), cancellationToken);

    [LoggerMessage(Level = LogLevel.Error, Message = "A data-subject erasure could not be finished; it is tried again next run")]
    private static partial void LogResumeFailed(ILogger logger, Exception exception);

    // Logs name meetings, never the person (not even by id: the erasure would otherwise live on in the logs).
    [LoggerMessage(Level = LogLevel.Information, Message = "A data-subject erasure took a person off meeting {MeetingId} (as {Roles})")]
    private static partial void LogErasedFromMeeting(ILogger logger, string meetingId, string roles);

    [LoggerMessage(Level = LogLevel.Information, Message = "A data-subject erasure ran: {Meetings} meetings erased from, {Kept} kept, now {State}")]
    private static partial void LogErased(ILogger logger, int meetings, int kept, PersonErasureState state);
}
