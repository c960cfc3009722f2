using System.Text.Json;
using Azure;
using Azure.Data.Tables;
using Summit.Reminders.Audit;
using Summit.Reminders.Ports;

namespace Summit.Reminders.Infrastructure.Tables;

/// <summary>
/// The audit table: PartitionKey = the meeting's or commitment's id, RowKey = the entry's id (time, a sequence, a random
/// suffix: sorted by time, stable). The changes are JSON split over string properties (an agenda's old and new value
/// may each be 20,000 characters); the rest are plain properties. Entries are inserted, never replaced: only the
/// writer's settling (<c>State</c>) and an erasure (the changes, the actor's id, <c>ErasedAt</c>) merge into one.
/// </summary>
public sealed class TableAuditLog(SummitTables tables) : IAuditLog
{
    public Task AppendAsync(string subjectId, AuditEntry entry, CancellationToken cancellationToken) =>
        tables.RunAsync(() => tables.Audit.AddEntityAsync(ToEntity(subjectId, entry), cancellationToken));

    public Task SettleAsync(string subjectId, string entryId, AuditState state, CancellationToken cancellationToken) =>
        tables.RunAsync(async () =>
        {
            var response = await tables.Audit.GetEntityIfExistsAsync<TableEntity>(subjectId, entryId, ["State"], cancellationToken);
            if (!response.HasValue || response.Value is not { } entity || entity.GetString("State") != nameof(AuditState.Pending)) return;
            try
            {
                await tables.Audit.UpdateEntityAsync(new TableEntity(subjectId, entryId) { ["State"] = state.ToString() }, entity.ETag,
                    TableUpdateMode.Merge, cancellationToken);
            }
            catch (RequestFailedException ex) when (ex.Status == 412)
            {
                // An erasure rewrote it meanwhile: settle it again on top of that.
                await tables.Audit.UpdateEntityAsync(new TableEntity(subjectId, entryId) { ["State"] = state.ToString() }, ETag.All,
                    TableUpdateMode.Merge, cancellationToken);
            }
        });

    public Task<AuditPage> ListAsync(string subjectId, string? continuationToken, int pageSize, CancellationToken cancellationToken) =>
        tables.RunAsync(async () =>
        {
            if (!TableMeetingStore.IsSafeKey(subjectId)) return new AuditPage([], null);
            var filter = TableClient.CreateQueryFilter($"PartitionKey eq {subjectId} and RowKey gt {continuationToken ?? ""} and State ne {nameof(AuditState.Void)}");
            var entries = new List<AuditEntry>();
            await foreach (var entity in tables.Audit.QueryAsync<TableEntity>(filter, Math.Min(pageSize + 1, 1000), cancellationToken: cancellationToken))
            {
                if (entries.Count == pageSize) return new AuditPage(entries, entries[^1].Id);
                entries.Add(FromEntity(entity));
            }
            return new AuditPage(entries, null);
        });

    public Task<int> EraseAsync(string subjectId, IReadOnlySet<string>? person, DateTimeOffset now, CancellationToken cancellationToken) =>
        tables.RunAsync(async () =>
        {
            if (!TableMeetingStore.IsSafeKey(subjectId)) return 0;
            var erased = 0;
            await foreach (var entity in tables.Audit.QueryAsync<TableEntity>(TableClient.CreateQueryFilter($"PartitionKey eq {subjectId}"), cancellationToken: cancellationToken))
            {
                if (FromEntity(entity).Erase(person, now) is not { } scrubbed) continue;
                var update = new TableEntity(subjectId, entity.RowKey)
                {
                    ["ActorId"] = scrubbed.Actor.Id,
                    ["ActorName"] = scrubbed.Actor.Name,
                    ["ErasedAt"] = scrubbed.ErasedAt,
                };
                TableDocuments.Write(update, JsonSerializer.Serialize(scrubbed.Changes, TableMeetingStore.Json));
                // A merge keeps properties it does not name: chunks the shorter document no longer uses are emptied.
                for (var i = update.GetInt32("DocChunks") ?? 0; i < (entity.GetInt32("DocChunks") ?? 0); i++) update[$"Doc{i}"] = "";
                await tables.Audit.UpdateEntityAsync(update, ETag.All, TableUpdateMode.Merge, cancellationToken);
                erased++;
            }
            return erased;
        });

    private static TableEntity ToEntity(string subjectId, AuditEntry entry)
    {
        var entity = new TableEntity(subjectId, entry.Id)
        {
            ["At"] = entry.At,
            ["Action"] = entry.Action,
            ["ActorKind"] = entry.Actor.Kind.ToString(),
            ["ActorId"] = entry.Actor.Id,
            ["ActorName"] = entry.Actor.Name,
            ["RequestId"] = entry.RequestId,
            ["Version"] = entry.Version,
            ["State"] = entry.State.ToString(),
            ["ErasedAt"] = entry.ErasedAt,
        };
        TableDocuments.Write(entity, JsonSerializer.Serialize(entry.Changes, TableMeetingStore.Json));
        return entity;
    }

    private static AuditEntry FromEntity(TableEntity e) =>
        new(e.RowKey, e.GetDateTimeOffset("At") ?? default, e.GetString("Action") ?? "",
            new Actor(Enum.Parse<ActorKind>(e.GetString("ActorKind") ?? nameof(ActorKind.System)), e.GetString("ActorId") ?? "", e.GetString("ActorName")),
            e.GetString("RequestId"),
            JsonSerializer.Deserialize<List<AuditChange>>(TableDocuments.Read(e) is { Length: > 0 } json ? json : "[]", TableMeetingStore.Json) ?? [])
        {
            Version = e.GetInt64("Version"),
            State = Enum.Parse<AuditState>(e.GetString("State") ?? nameof(AuditState.Recorded)),
            ErasedAt = e.GetDateTimeOffset("ErasedAt"),
        };
}
