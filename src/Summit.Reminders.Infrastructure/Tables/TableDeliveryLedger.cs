using Azure;
using Azure.Data.Tables;
using Summit.Reminders.DeliveryStatus;
using Summit.Reminders.Erasure;
using Summit.Reminders.Ports;
using Summit.Reminders.Notifications;

namespace Summit.Reminders.Infrastructure.Tables;

/// <summary>
/// The delivery ledger, one partition per meeting: "slot-{plan}-{offset}" rows say a slot was queued,
/// "del-{reminder id}" rows hold each participant's delivery state. Claims are ETag-conditional. (The same partition holds
/// participants' answers, see <see cref="TableParticipantResponses"/>.)
/// </summary>
public sealed class TableDeliveryLedger(SummitTables tables) : IDeliveryLedger
{
    // Claims and results of one meeting's deliveries share transactions when they happen at the same moment.
    private readonly PartitionGroupCommit _writes = new(tables.Ledger);

    public Task<LedgerClaim> TryClaimAsync(string meetingId, DeliveryRecord sending, CancellationToken cancellationToken) =>
        tables.RunAsync<LedgerClaim>(async () =>
        {
            try
            {
                var entity = ToEntity(meetingId, sending);
                var response = await _writes.WriteAsync(new TableTransactionAction(TableTransactionActionType.Add, entity),
                    () => tables.Ledger.AddEntityAsync(entity, cancellationToken), cancellationToken);
                return new LedgerClaim.Claimed(response.Headers.ETag!.Value.ToString(), 0);
            }
            catch (RequestFailedException ex) when (ex.Status == 409)
            {
            }
            var existing = (await tables.Ledger.GetEntityAsync<TableEntity>(meetingId, DeliveryRow(sending.ReminderId), cancellationToken: cancellationToken)).Value;
            var record = FromEntity(existing);
            if (DeliveryRules.ClaimAgainst(record, sending.UpdatedAt) is { } refused) return refused;
            try
            {
                var taken = ToEntity(meetingId, sending with { Attempts = record.Attempts });
                var response = await tables.Ledger.UpdateEntityAsync(taken, existing.ETag, TableUpdateMode.Replace, cancellationToken);
                return new LedgerClaim.Claimed(response.Headers.ETag!.Value.ToString(), record.Attempts);
            }
            catch (RequestFailedException ex) when (ex.Status is 412 or 404)
            {
                return new LedgerClaim.Busy(sending.LeaseUntil ?? sending.UpdatedAt.AddMinutes(1));
            }
        });

    public Task FinishAsync(string meetingId, string token, DeliveryRecord outcome, CancellationToken cancellationToken) =>
        tables.RunAsync(async () =>
        {
            try
            {
                var entity = ToEntity(meetingId, outcome with { LeaseUntil = null });
                await _writes.WriteAsync(new TableTransactionAction(TableTransactionActionType.UpdateReplace, entity, new ETag(token)),
                    () => tables.Ledger.UpdateEntityAsync(entity, new ETag(token), TableUpdateMode.Replace, cancellationToken), cancellationToken);
            }
            catch (RequestFailedException ex) when (ex.Status is 412 or 404)
            {
                throw new ConcurrencyConflictException($"The claim on reminder {outcome.ReminderId} was lost.");
            }
        });

    public Task RecordSkippedAsync(string meetingId, DeliveryRecord skipped, CancellationToken cancellationToken) =>
        tables.RunAsync(async () =>
        {
            try
            {
                await tables.Ledger.AddEntityAsync(ToEntity(meetingId, skipped), cancellationToken);
                return;
            }
            catch (RequestFailedException ex) when (ex.Status == 409)
            {
            }
            // A row that is waiting for a retry (or whose sender died) ends as skipped; a final one stays as it is.
            var existing = (await tables.Ledger.GetEntityAsync<TableEntity>(meetingId, DeliveryRow(skipped.ReminderId), cancellationToken: cancellationToken)).Value;
            var record = FromEntity(existing);
            if (!DeliveryRules.MayBeSkipped(record, skipped.UpdatedAt)) return;
            try
            {
                await tables.Ledger.UpdateEntityAsync(ToEntity(meetingId, skipped with { Attempts = record.Attempts }), existing.ETag, TableUpdateMode.Replace, cancellationToken);
            }
            catch (RequestFailedException conflict) when (conflict.Status is 412 or 404)
            {
                // Someone else moved it on meanwhile; what they recorded stands.
            }
        });

    public Task<DeliveryState?> ReopenAsync(string meetingId, string reminderId, string reason, DateTimeOffset at, CancellationToken cancellationToken) =>
        tables.RunAsync<DeliveryState?>(async () =>
        {
            var response = await tables.Ledger.GetEntityIfExistsAsync<TableEntity>(meetingId, DeliveryRow(reminderId), cancellationToken: cancellationToken);
            if (!response.HasValue) return null;
            var existing = response.Value!;
            var record = FromEntity(existing);
            if (DeliveryRules.Reopen(record, reason, at) is not { } reopened) return record.State;
            try
            {
                await tables.Ledger.UpdateEntityAsync(ToEntity(meetingId, reopened), existing.ETag, TableUpdateMode.Replace, cancellationToken);
            }
            catch (RequestFailedException ex) when (ex.Status is 412 or 404)
            {
                throw new ConcurrencyConflictException($"Reminder {reminderId} changed while it was being reopened.");
            }
            return DeliveryState.Failed;
        });

    public Task MarkQueuedAsync(string meetingId, QueuedSlot slot, CancellationToken cancellationToken) =>
        tables.RunAsync(() => tables.Ledger.UpsertEntityAsync(new TableEntity(meetingId, $"slot-{slot.PlanId}-{slot.Offset}")
        {
            ["PlanId"] = slot.PlanId,
            ["Offset"] = slot.Offset,
            ["QueuedAt"] = slot.QueuedAt,
            ["Recipients"] = slot.Recipients,
        }, TableUpdateMode.Replace, cancellationToken));

    public Task<(IReadOnlyList<QueuedSlot> Slots, IReadOnlyList<DeliveryRecord> Deliveries)> ListAsync(string meetingId, CancellationToken cancellationToken) =>
        tables.RunAsync<(IReadOnlyList<QueuedSlot>, IReadOnlyList<DeliveryRecord>)>(async () =>
        {
            var slots = new List<QueuedSlot>();
            var deliveries = new List<DeliveryRecord>();
            var statuses = new Dictionary<string, ProviderStatus>(StringComparer.Ordinal);
            await foreach (var e in tables.Ledger.QueryAsync<TableEntity>(TableClient.CreateQueryFilter($"PartitionKey eq {meetingId}"), cancellationToken: cancellationToken))
            {
                if (e.RowKey.StartsWith("slot-", StringComparison.Ordinal))
                    slots.Add(new QueuedSlot(e.GetString("PlanId"), e.GetString("Offset"), e.GetDateTimeOffset("QueuedAt") ?? default, e.GetInt32("Recipients") ?? 0));
                else if (e.RowKey.StartsWith(DeliveryPrefix, StringComparison.Ordinal)) deliveries.Add(FromEntity(e));
                else if (e.RowKey.StartsWith(StatusPrefix, StringComparison.Ordinal)) statuses[e.RowKey[StatusPrefix.Length..]] = StatusOf(e);
            }
            return (slots, deliveries.Select(d => statuses.TryGetValue(d.ReminderId, out var status) ? d with { Provider = status } : d).ToList());
        });

    public Task<LedgerErasure> EraseAsync(string meetingId, IReadOnlySet<string>? participantIds, CancellationToken cancellationToken) =>
        tables.RunAsync(async () =>
        {
            var doomed = new List<TableEntity>();
            var scrubbed = new List<TableEntity>();
            int deliveries = 0, answers = 0, slots = 0;
            var filter = TableClient.CreateQueryFilter($"PartitionKey eq {meetingId}");
            await foreach (var e in tables.Ledger.QueryAsync<TableEntity>(filter, select: ["PartitionKey", "RowKey", "ParticipantId", "Reports"], cancellationToken: cancellationToken))
            {
                var isSlot = e.RowKey.StartsWith("slot-", StringComparison.Ordinal);
                if (participantIds is not null && e.GetString("Reports") is { Length: > 0 } reports
                    && reports.Split(' ').Any(participantIds.Contains) && !participantIds.Contains(e.GetString("ParticipantId") ?? ""))
                {
                    // The coordinator's email that reported them as undeliverable keeps its row, without their id.
                    scrubbed.Add(new TableEntity(e.PartitionKey, e.RowKey) { ["Reports"] = string.Join(' ', reports.Split(' ').Where(r => !participantIds.Contains(r))) });
                    continue;
                }
                // A queued slot names no one: it goes with the meeting, never for one person.
                if (participantIds is not null && (isSlot || !participantIds.Contains(e.GetString("ParticipantId") ?? ""))) continue;
                doomed.Add(e);
                if (isSlot) slots++;
                else if (e.RowKey.StartsWith(TableParticipantResponses.RowPrefix, StringComparison.Ordinal)) answers++;
                else if (e.RowKey.StartsWith(DeliveryPrefix, StringComparison.Ordinal)) deliveries++;
            }
            // Unconditional deletes (a delivery finishing meanwhile is refused its write, and the meeting is gone for it).
            foreach (var chunk in doomed.Chunk(100))
            {
                try
                {
                    await tables.Ledger.SubmitTransactionAsync(chunk.Select(e => new TableTransactionAction(TableTransactionActionType.Delete, e, ETag.All)), cancellationToken);
                }
                catch (TableTransactionFailedException ex) when (ex.Status == 404)
                {
                    // A row went meanwhile (another run of the same erasure): delete the rest one by one.
                    foreach (var e in chunk) await tables.Ledger.DeleteEntityAsync(e.PartitionKey, e.RowKey, ETag.All, cancellationToken);
                }
            }
            foreach (var e in scrubbed)
            {
                try { await tables.Ledger.UpdateEntityAsync(e, ETag.All, TableUpdateMode.Merge, cancellationToken); }
                catch (RequestFailedException ex) when (ex.Status == 404) { /* gone meanwhile */ }
            }
            return new LedgerErasure(deliveries, answers, slots);
        });

    public Task<IReadOnlyList<TrackedEmail>> FindTrackedAsync(string meetingId, IReadOnlySet<string> reminderIds, CancellationToken cancellationToken) =>
        tables.RunAsync<IReadOnlyList<TrackedEmail>>(async () =>
        {
            if (!TableMeetingStore.IsSafeKey(meetingId) || reminderIds.Count == 0) return [];
            var deliveries = new Dictionary<string, DeliveryRecord>(StringComparer.Ordinal);
            var statuses = new Dictionary<string, (ProviderStatus Status, string Token)>(StringComparer.Ordinal);
            // One query for the meeting's partition: a webhook batch names many of its emails at once.
            await foreach (var e in tables.Ledger.QueryAsync<TableEntity>(TableClient.CreateQueryFilter($"PartitionKey eq {meetingId}"), cancellationToken: cancellationToken))
            {
                if (e.RowKey.StartsWith(DeliveryPrefix, StringComparison.Ordinal) && reminderIds.Contains(e.RowKey[DeliveryPrefix.Length..]))
                    deliveries[e.RowKey[DeliveryPrefix.Length..]] = FromEntity(e);
                else if (e.RowKey.StartsWith(StatusPrefix, StringComparison.Ordinal) && reminderIds.Contains(e.RowKey[StatusPrefix.Length..]))
                    statuses[e.RowKey[StatusPrefix.Length..]] = (StatusOf(e), e.ETag.ToString());
            }
            return deliveries.Values.Select(d => statuses.TryGetValue(d.ReminderId, out var s)
                ? new TrackedEmail(d with { Provider = s.Status }, s.Status, s.Token)
                : new TrackedEmail(d, null, null)).ToList();
        });

    public Task SaveStatusesAsync(string meetingId, IReadOnlyList<(ProviderStatus Status, string? Token)> statuses, CancellationToken cancellationToken) =>
        tables.RunAsync(async () =>
        {
            foreach (var chunk in statuses.Chunk(100))
            {
                try
                {
                    await tables.Ledger.SubmitTransactionAsync(chunk.Select(c => c.Token is null
                        ? new TableTransactionAction(TableTransactionActionType.Add, ToEntity(meetingId, c.Status))
                        : new TableTransactionAction(TableTransactionActionType.UpdateReplace, ToEntity(meetingId, c.Status), new ETag(c.Token))), cancellationToken);
                }
                catch (TableTransactionFailedException ex) when (ex.Status is 409 or 412 or 404)
                {
                    throw new ConcurrencyConflictException($"A delivery status of meeting {meetingId} changed while events were applied.");
                }
            }
        });

    private const string DeliveryPrefix = "del-";
    private const string StatusPrefix = "evt-";

    private static TableEntity ToEntity(string meetingId, ProviderStatus s) => new(meetingId, StatusPrefix + s.ReminderId)
    {
        ["ReminderId"] = s.ReminderId,
        ["ParticipantId"] = s.ParticipantId,
        ["Status"] = s.Status,
        ["At"] = s.At,
        ["Detail"] = s.Detail is { Length: > 500 } text ? text[..500] : s.Detail,
        ["Undeliverable"] = s.Undeliverable,
        ["EventIds"] = string.Join(' ', s.EventIds),
    };

    private static ProviderStatus StatusOf(TableEntity e) => new(
        e.GetString("ReminderId"), e.GetString("ParticipantId"), e.GetString("Status"), e.GetDateTimeOffset("At") ?? default, e.GetString("Detail"),
        e.GetBoolean("Undeliverable") ?? false, (e.GetString("EventIds") ?? "").Split(' ', StringSplitOptions.RemoveEmptyEntries));

    private static string DeliveryRow(string reminderId) => DeliveryPrefix + reminderId;

    private static TableEntity ToEntity(string meetingId, DeliveryRecord r) => new(meetingId, DeliveryRow(r.ReminderId))
    {
        ["ReminderId"] = r.ReminderId,
        ["PlanId"] = r.PlanId,
        ["Offset"] = r.Offset,
        ["ParticipantId"] = r.ParticipantId,
        ["State"] = r.State.ToString(),
        ["UpdatedAt"] = r.UpdatedAt,
        ["SentAt"] = r.SentAt,
        ["ProviderMessageId"] = r.ProviderMessageId,
        ["Reason"] = r.Reason is { Length: > 1000 } text ? text[..1000] : r.Reason,
        ["Attempts"] = r.Attempts,
        ["LeaseUntil"] = r.LeaseUntil,
        ["Reports"] = r.Reports.Count == 0 ? null : string.Join(' ', r.Reports),
    };

    private static DeliveryRecord FromEntity(TableEntity e) => new(
        e.GetString("ReminderId"), e.GetString("PlanId"), e.GetString("Offset"), e.GetString("ParticipantId"),
        Enum.Parse<DeliveryState>(e.GetString("State")), e.GetDateTimeOffset("UpdatedAt") ?? default,
        e.GetDateTimeOffset("SentAt"), e.GetString("ProviderMessageId"), e.GetString("Reason"),
        e.GetInt32("Attempts") ?? 0, e.GetDateTimeOffset("LeaseUntil"))
    {
        Reports = (e.GetString("Reports") ?? "").Split(' ', StringSplitOptions.RemoveEmptyEntries),
    };
}
