using System.Collections.Concurrent;
using Summit.Reminders.Delivery;
using Summit.Reminders.DeliveryStatus;
using Summit.Reminders.Email;
using Summit.Reminders.Erasure;
using Summit.Reminders.Meetings;
using Summit.Reminders.Notifications;
using Summit.Reminders.Participation;
using Summit.Reminders.Ports;

namespace Summit.Reminders.Tests.Fakes;

/// <summary>
/// In-memory stand-ins for the ports, for fast tests of the use cases' decisions. They keep the contracts the
/// interfaces state (conditional writes, claims with leases through <see cref="DeliveryRules"/>) but nothing of a
/// store's behaviour beyond them: the Azurite and broker tests prove the adapters.
/// </summary>
public sealed class InMemoryMeetingStore : IMeetingStore
{
    private readonly ConcurrentDictionary<string, (Meeting Meeting, string? Fingerprint, int Etag)> _meetings = new();
    private readonly ConcurrentDictionary<(string Meeting, string Plan, string Participant), Participant> _removed = new();

    public Meeting this[string id] => _meetings[id].Meeting;

    public Task<bool> TryAddAsync(Meeting meeting, string? requestFingerprint, CancellationToken cancellationToken) =>
        Task.FromResult(_meetings.TryAdd(meeting.Id, (meeting, requestFingerprint, 1)));

    public Task<StoredMeeting?> GetAsync(string meetingId, CancellationToken cancellationToken) =>
        Task.FromResult(_meetings.TryGetValue(meetingId, out var m) ? new StoredMeeting(m.Meeting, m.Fingerprint, m.Etag.ToString(System.Globalization.CultureInfo.InvariantCulture)) : null);

    /// <summary>The next replace fails as if another writer had changed the meeting since it was read.</summary>
    public bool FailNextReplaceWithConflict { get; set; }

    public Task ReplaceAsync(Meeting meeting, string? requestFingerprint, string concurrencyToken, CancellationToken cancellationToken)
    {
        if (FailNextReplaceWithConflict)
        {
            FailNextReplaceWithConflict = false;
            throw new ConcurrencyConflictException($"Meeting {meeting.Id} changed since it was read.");
        }
        var current = _meetings[meeting.Id];
        if (current.Etag.ToString(System.Globalization.CultureInfo.InvariantCulture) != concurrencyToken
            || !_meetings.TryUpdate(meeting.Id, (meeting, requestFingerprint, current.Etag + 1), current))
            throw new ConcurrencyConflictException($"Meeting {meeting.Id} changed since it was read.");
        return Task.CompletedTask;
    }

    /// <summary>Changes a stored meeting as another writer would (a test's "meanwhile").</summary>
    public void Set(Meeting meeting) => _meetings.AddOrUpdate(meeting.Id, (meeting, null, 1), (_, m) => (meeting, m.Fingerprint, m.Etag + 1));

    public Task AddRemovedAsync(string meetingId, string planId, IReadOnlyList<Participant> removed, CancellationToken cancellationToken)
    {
        foreach (var p in removed) _removed[(meetingId, planId, p.Id)] = p;
        return Task.CompletedTask;
    }

    public Task<IReadOnlyList<Participant>> ListRemovedAsync(string meetingId, string planId, CancellationToken cancellationToken) =>
        Task.FromResult<IReadOnlyList<Participant>>(_removed.Where(r => r.Key.Meeting == meetingId && r.Key.Plan == planId).Select(r => r.Value).ToList());

    public Task<Participant?> FindRemovedAsync(string meetingId, string planId, string participantId, CancellationToken cancellationToken) =>
        Task.FromResult(_removed.TryGetValue((meetingId, planId, participantId), out var p) ? p : null);

    /// <summary>The table store's filters (track, status, start from and before), one page.</summary>
    public Task<MeetingPage> ListAsync(MeetingQuery query, string? continuationToken, int pageSize, CancellationToken cancellationToken) =>
        Task.FromResult(new MeetingPage(_meetings.Values.Select(m => m.Meeting)
            .Where(m => (query.Track is null || m.Track == query.Track) && (query.Tracks is null || query.Tracks.Contains(m.Track))
                && (query.Status is null || m.Status == query.Status)
                && (query.From is null || m.StartUtc >= query.From) && (query.To is null || m.StartUtc < query.To))
            .OrderBy(m => m.Id, StringComparer.Ordinal).Take(pageSize).ToList(), null));

    private readonly ConcurrentDictionary<string, MeetingTombstone> _tombstones = new();

    public Task BeginErasureAsync(MeetingTombstone tombstone, string concurrencyToken, CancellationToken cancellationToken)
    {
        lock (_tombstones)
        {
            if (!_meetings.TryGetValue(tombstone.Id, out var current) || current.Etag.ToString(System.Globalization.CultureInfo.InvariantCulture) != concurrencyToken)
                throw new ConcurrencyConflictException($"Meeting {tombstone.Id} changed since it was read.");
            _meetings.TryRemove(tombstone.Id, out _);
            _tombstones[tombstone.Id] = tombstone;
        }
        return Task.CompletedTask;
    }

    public Task<MeetingTombstone?> GetTombstoneAsync(string meetingId, CancellationToken cancellationToken) =>
        Task.FromResult(_tombstones.TryGetValue(meetingId, out var t) ? t : null);

    public Task SaveTombstoneAsync(MeetingTombstone tombstone, CancellationToken cancellationToken)
    {
        _tombstones[tombstone.Id] = tombstone;
        return Task.CompletedTask;
    }

    public Task<IReadOnlyList<MeetingTombstone>> ListUnfinishedErasuresAsync(DateTimeOffset now, int max, CancellationToken cancellationToken) =>
        Task.FromResult<IReadOnlyList<MeetingTombstone>>(_tombstones.Values.Where(t => t.IsDue(now)).Take(max).ToList());

    public Task<int> EraseRemovedAsync(string meetingId, IReadOnlySet<string>? participantIds, CancellationToken cancellationToken)
    {
        var doomed = _removed.Keys.Where(k => k.Meeting == meetingId && (participantIds is null || participantIds.Contains(k.Participant))).ToList();
        foreach (var key in doomed) _removed.TryRemove(key, out _);
        return Task.FromResult(doomed.Count);
    }

    public Task<IReadOnlyList<string>> ListEndedBeforeAsync(DateTimeOffset cutoff, int max, CancellationToken cancellationToken) =>
        Task.FromResult<IReadOnlyList<string>>(_meetings.Values.Where(m => m.Meeting.EndUtc < cutoff).Select(m => m.Meeting.Id).Take(max).ToList());

    public async IAsyncEnumerable<StoredMeeting> ScanAsync([System.Runtime.CompilerServices.EnumeratorCancellation] CancellationToken cancellationToken)
    {
        foreach (var id in _meetings.Keys.ToList())
        {
            if (await GetAsync(id, cancellationToken) is { } stored) yield return stored;
        }
    }

    public async IAsyncEnumerable<(string MeetingId, Participant Participant)> ScanRemovedAsync([System.Runtime.CompilerServices.EnumeratorCancellation] CancellationToken cancellationToken)
    {
        await Task.CompletedTask;
        foreach (var (key, participant) in _removed.ToList()) yield return (key.Meeting, participant);
    }
}

public sealed class InMemoryCommitmentStore : ICommitmentStore
{
    private readonly ConcurrentDictionary<string, (Commitments.Commitment Commitment, string? Fingerprint, int Etag)> _items = new();

    public Commitments.Commitment this[string id] => _items[id].Commitment;

    public Task<bool> TryAddAsync(Commitments.Commitment commitment, string? requestFingerprint, CancellationToken cancellationToken) =>
        Task.FromResult(_items.TryAdd(commitment.Id, (commitment, requestFingerprint, 1)));

    public Task<Commitments.StoredCommitment?> GetAsync(string commitmentId, CancellationToken cancellationToken) =>
        Task.FromResult(_items.TryGetValue(commitmentId, out var c)
            ? new Commitments.StoredCommitment(c.Commitment, c.Fingerprint, c.Etag.ToString(System.Globalization.CultureInfo.InvariantCulture))
            : null);

    public Task ReplaceAsync(Commitments.Commitment commitment, string? requestFingerprint, string concurrencyToken, CancellationToken cancellationToken)
    {
        lock (_items)
        {
            if (!_items.TryGetValue(commitment.Id, out var current) || current.Etag.ToString(System.Globalization.CultureInfo.InvariantCulture) != concurrencyToken)
                throw new ConcurrencyConflictException($"Commitment {commitment.Id} changed since it was read.");
            _items[commitment.Id] = (commitment, requestFingerprint, current.Etag + 1);
        }
        return Task.CompletedTask;
    }

    public Task<Commitments.CommitmentPage> ListAsync(Commitments.CommitmentQuery query, string? continuationToken, int pageSize, CancellationToken cancellationToken) =>
        Task.FromResult(new Commitments.CommitmentPage(_items.Values.Select(v => v.Commitment)
            .Where(c => (query.Track is null || c.Track == query.Track) && (query.Tracks is null || query.Tracks.Contains(c.Track)) && (query.Status is null || c.Status == query.Status) && (query.DueBefore is null || c.DueUtc < query.DueBefore))
            .OrderBy(c => c.Id, StringComparer.Ordinal).Take(pageSize).ToList(), null));

    public Task<IReadOnlyList<string>> ListClosedBeforeAsync(DateTimeOffset cutoff, int max, CancellationToken cancellationToken) =>
        Task.FromResult<IReadOnlyList<string>>(_items.Values.Select(v => v.Commitment)
            .Where(c => c.ErasedAt is null && c.ClosedAt < cutoff).Select(c => c.Id).Take(max).ToList());

    public async IAsyncEnumerable<Commitments.StoredCommitment> ScanAsync([System.Runtime.CompilerServices.EnumeratorCancellation] CancellationToken cancellationToken)
    {
        foreach (var id in _items.Keys.ToList())
        {
            await Task.Yield();
            if (await GetAsync(id, cancellationToken) is { } stored) yield return stored;
        }
    }
}

public sealed class InMemoryDueIndex : IDueIndex
{
    private readonly List<DueEntry> _entries = [];
    private readonly Dictionary<DueEntry, DateTimeOffset> _claims = [];

    public IReadOnlyList<DueEntry> Entries { get { lock (_entries) return _entries.ToList(); } }

    /// <summary>Like the table (an upsert by subject, plan, slot and moment): adding an entry again replaces it.</summary>
    public Task AddAsync(IReadOnlyCollection<DueEntry> entries, CancellationToken cancellationToken)
    {
        lock (_entries)
            foreach (var entry in entries)
            {
                var same = _entries.FindIndex(e => SameKey(e, entry));
                if (same < 0) _entries.Add(entry);
                else
                {
                    _claims.Remove(_entries[same]);
                    _entries[same] = entry;
                }
            }
        return Task.CompletedTask;
    }

    public Task RemoveAsync(DueEntry entry, CancellationToken cancellationToken)
    {
        lock (_entries)
            foreach (var found in _entries.Where(e => SameKey(e, entry)).ToList())
            {
                _entries.Remove(found);
                _claims.Remove(found);
            }
        return Task.CompletedTask;
    }

    private static bool SameKey(DueEntry a, DueEntry b) =>
        a.MeetingId == b.MeetingId && a.PlanId == b.PlanId && a.Offset == b.Offset && a.DueAt.UtcTicks == b.DueAt.UtcTicks;

    public Task<IDueBatch> ReadDueAsync(DateTimeOffset upTo, CancellationToken cancellationToken)
    {
        lock (_entries) return Task.FromResult<IDueBatch>(new Batch(this, _entries.Where(e => e.DueAt <= upTo).ToList()));
    }

    private sealed class Batch(InMemoryDueIndex index, IReadOnlyList<DueEntry> entries) : IDueBatch
    {
        public IReadOnlyList<DueEntry> Entries => entries;

        public Task<bool> TryClaimAsync(DueEntry entry, DateTimeOffset leaseUntil, CancellationToken cancellationToken)
        {
            lock (index._entries)
            {
                if (!index._entries.Contains(entry) || index._claims.ContainsKey(entry)) return Task.FromResult(false);
                index._claims[entry] = leaseUntil;
                return Task.FromResult(true);
            }
        }

        public Task ReleaseAsync(DueEntry entry, CancellationToken cancellationToken)
        {
            lock (index._entries) index._claims.Remove(entry);
            return Task.CompletedTask;
        }

        public Task RemoveAsync(DueEntry entry, CancellationToken cancellationToken)
        {
            lock (index._entries)
            {
                index._entries.Remove(entry);
                index._claims.Remove(entry);
            }
            return Task.CompletedTask;
        }

        public Task CommitAsync(CancellationToken cancellationToken) => Task.CompletedTask;
    }
}

public sealed class InMemoryDigestSubscriptions : IDigestSubscriptions
{
    private readonly ConcurrentDictionary<string, (Summit.Reminders.Digest.DigestSubscription Subscription, int Etag)> _items = new();

    public IReadOnlyList<Summit.Reminders.Digest.DigestSubscription> All => _items.Values.Select(v => v.Subscription).ToList();

    public Task<Summit.Reminders.Digest.StoredDigestSubscription?> GetAsync(string subjectId, CancellationToken cancellationToken) =>
        Task.FromResult(_items.TryGetValue(subjectId, out var v) ? new Summit.Reminders.Digest.StoredDigestSubscription(v.Subscription, v.Etag.ToString(System.Globalization.CultureInfo.InvariantCulture)) : null);

    public Task PutAsync(Summit.Reminders.Digest.DigestSubscription subscription, CancellationToken cancellationToken)
    {
        _items.AddOrUpdate(subscription.SubjectId, (subscription, 1), (_, v) => (subscription, v.Etag + 1));
        return Task.CompletedTask;
    }

    public Task<bool> TryReplaceAsync(Summit.Reminders.Digest.DigestSubscription subscription, string concurrencyToken, CancellationToken cancellationToken)
    {
        lock (_items)
        {
            if (!_items.TryGetValue(subscription.SubjectId, out var v) || v.Etag.ToString(System.Globalization.CultureInfo.InvariantCulture) != concurrencyToken)
                return Task.FromResult(false);
            _items[subscription.SubjectId] = (subscription, v.Etag + 1);
            return Task.FromResult(true);
        }
    }

    public Task<bool> DeleteAsync(string subjectId, CancellationToken cancellationToken) => Task.FromResult(_items.TryRemove(subjectId, out _));

    public async IAsyncEnumerable<Summit.Reminders.Digest.DigestSubscription> ScanAsync([System.Runtime.CompilerServices.EnumeratorCancellation] CancellationToken cancellationToken)
    {
        foreach (var item in All)
        {
            await Task.Yield();
            yield return item;
        }
    }
}

public sealed class InMemoryLedger : IDeliveryLedger
{
    private readonly Dictionary<(string Meeting, string Reminder), (DeliveryRecord Record, int Etag)> _rows = [];
    private readonly List<(string Meeting, QueuedSlot Slot)> _slots = [];

    public DeliveryRecord? this[string meetingId, string reminderId] { get { lock (_rows) return _rows.TryGetValue((meetingId, reminderId), out var r) ? r.Record : null; } }

    public Task<LedgerClaim> TryClaimAsync(string meetingId, DeliveryRecord sending, CancellationToken cancellationToken)
    {
        lock (_rows)
        {
            if (!_rows.TryGetValue((meetingId, sending.ReminderId), out var row))
            {
                _rows[(meetingId, sending.ReminderId)] = (sending, 1);
                return Task.FromResult<LedgerClaim>(new LedgerClaim.Claimed("1", 0));
            }
            if (DeliveryRules.ClaimAgainst(row.Record, sending.UpdatedAt) is { } refused) return Task.FromResult(refused);
            _rows[(meetingId, sending.ReminderId)] = (sending with { Attempts = row.Record.Attempts }, row.Etag + 1);
            return Task.FromResult<LedgerClaim>(new LedgerClaim.Claimed((row.Etag + 1).ToString(System.Globalization.CultureInfo.InvariantCulture), row.Record.Attempts));
        }
    }

    private readonly Dictionary<(string Meeting, string Reminder), (ProviderStatus Status, int Etag)> _statuses = [];

    public Task<IReadOnlyList<TrackedEmail>> FindTrackedAsync(string meetingId, IReadOnlySet<string> reminderIds, CancellationToken cancellationToken)
    {
        lock (_rows)
        {
            return Task.FromResult<IReadOnlyList<TrackedEmail>>(_rows.Where(r => r.Key.Meeting == meetingId && reminderIds.Contains(r.Key.Reminder))
                .Select(r => _statuses.TryGetValue(r.Key, out var s)
                    ? new TrackedEmail(r.Value.Record with { Provider = s.Status }, s.Status, s.Etag.ToString(System.Globalization.CultureInfo.InvariantCulture))
                    : new TrackedEmail(r.Value.Record, null, null)).ToList());
        }
    }

    public Task SaveStatusesAsync(string meetingId, IReadOnlyList<(ProviderStatus Status, string? Token)> statuses, CancellationToken cancellationToken)
    {
        lock (_rows)
        {
            foreach (var (status, token) in statuses)
            {
                var key = (meetingId, status.ReminderId);
                var exists = _statuses.TryGetValue(key, out var current);
                if (token is null ? exists : !exists || current.Etag.ToString(System.Globalization.CultureInfo.InvariantCulture) != token)
                    throw new ConcurrencyConflictException($"The status of {status.ReminderId} changed.");
            }
            foreach (var (status, _) in statuses)
                _statuses[(meetingId, status.ReminderId)] = (status, _statuses.TryGetValue((meetingId, status.ReminderId), out var c) ? c.Etag + 1 : 1);
        }
        return Task.CompletedTask;
    }

    public Task<LedgerErasure> EraseAsync(string meetingId, IReadOnlySet<string>? participantIds, CancellationToken cancellationToken)
    {
        lock (_rows)
        {
            var doomed = _rows.Where(r => r.Key.Meeting == meetingId && (participantIds is null || participantIds.Contains(r.Value.Record.ParticipantId))).Select(r => r.Key).ToList();
            foreach (var key in doomed) _rows.Remove(key);
            if (participantIds is not null)
                foreach (var (key, row) in _rows.Where(r => r.Key.Meeting == meetingId && r.Value.Record.Reports.Any(participantIds.Contains)).ToList())
                    _rows[key] = (row.Record with { Reports = [.. row.Record.Reports.Where(id => !participantIds.Contains(id))] }, row.Etag + 1);
            var slots = participantIds is null ? _slots.RemoveAll(s => s.Meeting == meetingId) : 0;
            return Task.FromResult(new LedgerErasure(doomed.Count, 0, slots));
        }
    }

    public Task FinishAsync(string meetingId, string token, DeliveryRecord outcome, CancellationToken cancellationToken)
    {
        lock (_rows)
        {
            if (!_rows.TryGetValue((meetingId, outcome.ReminderId), out var row) || row.Etag.ToString(System.Globalization.CultureInfo.InvariantCulture) != token)
                throw new ConcurrencyConflictException($"The claim on reminder {outcome.ReminderId} was lost.");
            _rows[(meetingId, outcome.ReminderId)] = (outcome with { LeaseUntil = null }, row.Etag + 1);
        }
        return Task.CompletedTask;
    }

    public Task RecordSkippedAsync(string meetingId, DeliveryRecord skipped, CancellationToken cancellationToken)
    {
        lock (_rows)
        {
            if (!_rows.TryGetValue((meetingId, skipped.ReminderId), out var row)) _rows[(meetingId, skipped.ReminderId)] = (skipped, 1);
            else if (DeliveryRules.MayBeSkipped(row.Record, skipped.UpdatedAt)) _rows[(meetingId, skipped.ReminderId)] = (skipped with { Attempts = row.Record.Attempts }, row.Etag + 1);
        }
        return Task.CompletedTask;
    }

    public Task<DeliveryState?> ReopenAsync(string meetingId, string reminderId, string reason, DateTimeOffset at, CancellationToken cancellationToken)
    {
        lock (_rows)
        {
            if (!_rows.TryGetValue((meetingId, reminderId), out var row)) return Task.FromResult<DeliveryState?>(null);
            if (DeliveryRules.Reopen(row.Record, reason, at) is { } reopened) _rows[(meetingId, reminderId)] = (reopened, row.Etag + 1);
            return Task.FromResult<DeliveryState?>(row.Record.State);
        }
    }

    public Task MarkQueuedAsync(string meetingId, QueuedSlot slot, CancellationToken cancellationToken)
    {
        lock (_rows) _slots.Add((meetingId, slot));
        return Task.CompletedTask;
    }

    public Task<(IReadOnlyList<QueuedSlot> Slots, IReadOnlyList<DeliveryRecord> Deliveries)> ListAsync(string meetingId, CancellationToken cancellationToken)
    {
        lock (_rows)
            return Task.FromResult<(IReadOnlyList<QueuedSlot>, IReadOnlyList<DeliveryRecord>)>((
                _slots.Where(s => s.Meeting == meetingId).Select(s => s.Slot).ToList(),
                _rows.Where(r => r.Key.Meeting == meetingId).Select(r => r.Value.Record).ToList()));
    }
}

public sealed class InMemoryResponses : IParticipantResponses
{
    private readonly ConcurrentDictionary<(string Meeting, string Participant), ParticipantResponse> _answers = new();

    public Task<ParticipantResponse?> GetAsync(string meetingId, string participantId, CancellationToken cancellationToken) =>
        Task.FromResult(_answers.TryGetValue((meetingId, participantId), out var r) ? r : null);

    public Task<IReadOnlyList<ParticipantResponse>> ListAsync(string meetingId, CancellationToken cancellationToken) =>
        Task.FromResult<IReadOnlyList<ParticipantResponse>>(_answers.Where(a => a.Key.Meeting == meetingId).Select(a => a.Value).ToList());

    public Task AcknowledgeAsync(string meetingId, string participantId, DateTimeOffset at, DateTimeOffset meetingStartUtc, CancellationToken cancellationToken)
    {
        _answers.AddOrUpdate((meetingId, participantId), _ => new ParticipantResponse(participantId, at, meetingStartUtc),
            (_, r) => r with { AcknowledgedAt = at, AcknowledgedStartUtc = meetingStartUtc });
        return Task.CompletedTask;
    }

    public Task UnsubscribeAsync(string meetingId, string participantId, DateTimeOffset at, CancellationToken cancellationToken)
    {
        _answers.AddOrUpdate((meetingId, participantId), _ => new ParticipantResponse(participantId, UnsubscribedAt: at),
            (_, r) => r.UnsubscribedAt is null ? r with { UnsubscribedAt = at } : r);
        return Task.CompletedTask;
    }

    public Task MarkUndeliverableAsync(string meetingId, string participantId, DateTimeOffset at, string reason, CancellationToken cancellationToken)
    {
        _answers.AddOrUpdate((meetingId, participantId), _ => new ParticipantResponse(participantId, UndeliverableAt: at, UndeliverableReason: reason),
            (_, r) => r.UndeliverableAt is null ? r with { UndeliverableAt = at, UndeliverableReason = reason } : r);
        return Task.CompletedTask;
    }
}

/// <summary>A queue that hands out what was published once its moment has come, and records how each message was settled.</summary>
public sealed class InMemoryQueue(TimeProvider time) : IReminderQueue
{
    private readonly List<ReminderMessage> _waiting = [];

    public List<(ReminderMessage Message, string Settlement, string? Reason)> Settled { get; } = [];

    public IReadOnlyList<ReminderMessage> Waiting { get { lock (_waiting) return _waiting.ToList(); } }

    public Task PublishAsync(IReadOnlyList<ReminderMessage> messages, CancellationToken cancellationToken)
    {
        lock (_waiting) _waiting.AddRange(messages);
        return Task.CompletedTask;
    }

    /// <summary>Puts a message on the queue as another writer would (a foreign or replayed one).</summary>
    public void Put(ReminderMessage message)
    {
        lock (_waiting) _waiting.Add(message);
    }

    public Task<IReadOnlyList<IReceivedReminder>> ReceiveAsync(int maxMessages, TimeSpan maxWait, CancellationToken cancellationToken)
    {
        lock (_waiting)
        {
            var now = time.GetUtcNow();
            var due = _waiting.Where(m => m.NotBefore is not { } at || at <= now).Take(maxMessages).ToList();
            foreach (var m in due) _waiting.Remove(m);
            return Task.FromResult<IReadOnlyList<IReceivedReminder>>(due.Select(m => (IReceivedReminder)new Received(this, m)).ToList());
        }
    }

    public Task<long> CountWaitingAsync(CancellationToken cancellationToken)
    {
        lock (_waiting) return Task.FromResult((long)_waiting.Count);
    }

    private sealed class Received(InMemoryQueue queue, ReminderMessage message) : IReceivedReminder
    {
        public System.Diagnostics.ActivityContext? PublishedFrom => null;
        public string MessageId => message.TransportMessageId;
        public ReminderMessage? Reminder => message;
        public string? ParseError => null;
        public int DeliveryCount => 1;

        public Task CompleteAsync(CancellationToken cancellationToken) => Settle("completed");

        public Task RetryLaterAsync(ReminderMessage next, DateTimeOffset notBefore, CancellationToken cancellationToken)
        {
            lock (queue._waiting) queue._waiting.Add(next with { NotBefore = notBefore });
            return Settle("retry later");
        }

        public Task AbandonAsync(CancellationToken cancellationToken)
        {
            lock (queue._waiting) queue._waiting.Add(message);
            return Settle("abandoned");
        }

        public Task DeadLetterAsync(string reason, string description, CancellationToken cancellationToken) => Settle("dead-lettered", reason);

        private Task Settle(string how, string? reason = null)
        {
            lock (queue.Settled) queue.Settled.Add((message, how, reason));
            return Task.CompletedTask;
        }
    }
}

/// <summary>Records every email and answers as a test says (accepted unless told otherwise).</summary>
public sealed class RecordingSender : IEmailSender
{
    public List<EmailMessage> Sent { get; } = [];

    public Func<EmailMessage, SendResult> Answer { get; set; } = _ => new SendResult.Accepted("x-1");

    public Task<SendResult> SendAsync(EmailMessage message, CancellationToken cancellationToken)
    {
        lock (Sent) Sent.Add(message);
        return Task.FromResult(Answer(message));
    }
}

/// <summary>The audit log in memory: entries by subject in id order, with the port's append-only contract (only settling
/// and erasure change an entry). <see cref="FailNextAppends"/> makes appends throw as an unreachable store would.</summary>
public sealed class InMemoryAuditLog : IAuditLog
{
    private readonly ConcurrentDictionary<string, SortedDictionary<string, Summit.Reminders.Audit.AuditEntry>> _subjects = new();

    public int FailNextAppends { get; set; }

    /// <summary>Every entry of a subject, void ones included, oldest first.</summary>
    public IReadOnlyList<Summit.Reminders.Audit.AuditEntry> All(string subjectId)
    {
        var entries = _subjects.GetOrAdd(subjectId, _ => new(StringComparer.Ordinal));
        lock (entries) return [.. entries.Values];
    }

    public Task AppendAsync(string subjectId, Summit.Reminders.Audit.AuditEntry entry, CancellationToken cancellationToken)
    {
        if (FailNextAppends > 0)
        {
            FailNextAppends--;
            throw new DependencyUnavailableException("Table Storage", new IOException("down"));
        }
        var entries = _subjects.GetOrAdd(subjectId, _ => new(StringComparer.Ordinal));
        lock (entries)
        {
            if (!entries.TryAdd(entry.Id, entry)) throw new InvalidOperationException($"Entry {entry.Id} exists.");
        }
        return Task.CompletedTask;
    }

    public Task SettleAsync(string subjectId, string entryId, Summit.Reminders.Audit.AuditState state, CancellationToken cancellationToken)
    {
        var entries = _subjects.GetOrAdd(subjectId, _ => new(StringComparer.Ordinal));
        lock (entries)
        {
            if (entries.TryGetValue(entryId, out var entry) && entry.State == Summit.Reminders.Audit.AuditState.Pending)
                entries[entryId] = entry with { State = state };
        }
        return Task.CompletedTask;
    }

    public Task<Summit.Reminders.Audit.AuditPage> ListAsync(string subjectId, string? continuationToken, int pageSize, CancellationToken cancellationToken)
    {
        var after = All(subjectId).Where(e => e.State != Summit.Reminders.Audit.AuditState.Void && string.CompareOrdinal(e.Id, continuationToken ?? "") > 0).ToList();
        var page = after.Take(pageSize).ToList();
        return Task.FromResult(new Summit.Reminders.Audit.AuditPage(page, after.Count > pageSize ? page[^1].Id : null));
    }

    public Task<int> EraseAsync(string subjectId, IReadOnlySet<string>? person, DateTimeOffset now, CancellationToken cancellationToken)
    {
        var entries = _subjects.GetOrAdd(subjectId, _ => new(StringComparer.Ordinal));
        var erased = 0;
        lock (entries)
        {
            foreach (var (id, entry) in entries.ToList())
            {
                if (entry.Erase(person, now) is not { } scrubbed) continue;
                entries[id] = scrubbed;
                erased++;
            }
        }
        return Task.FromResult(erased);
    }
}

public static class AuditFakes
{
    /// <summary>An audit trail over a fresh in-memory log, for tests about something else.</summary>
    public static Summit.Reminders.Audit.AuditTrail Trail(TimeProvider time, InMemoryAuditLog? log = null) =>
        new(log ?? new InMemoryAuditLog(), time, Microsoft.Extensions.Logging.Abstractions.NullLogger<Summit.Reminders.Audit.AuditTrail>.Instance);
}
