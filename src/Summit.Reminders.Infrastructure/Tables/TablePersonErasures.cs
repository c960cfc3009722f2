using System.Text;
using System.Text.Json;
using Azure.Data.Tables;
using Summit.Reminders.Erasure;
using Summit.Reminders.Ports;

namespace Summit.Reminders.Infrastructure.Tables;

/// <summary>Data-subject erasure requests in the erasures table: PartitionKey "person", RowKey the request's id. The
/// record is JSON split over string properties of at most 30,000 characters (a request for a shared address may name
/// hundreds of meetings; a property holds 64 KB, an entity 1 MB); State and FollowUpAt are plain properties to query.</summary>
public sealed class TablePersonErasures(SummitTables tables) : IPersonErasures
{
    private const string Partition = "person";
    private const int ChunkLength = 30_000;

    public Task<PersonErasure?> GetAsync(string id, CancellationToken cancellationToken) =>
        tables.RunAsync(async () =>
        {
            if (!TableMeetingStore.IsSafeKey(id)) return null;
            var response = await tables.Erasures.GetEntityIfExistsAsync<TableEntity>(Partition, id, cancellationToken: cancellationToken);
            return response.HasValue && response.Value is not null ? FromEntity(response.Value) : null;
        });

    public Task SaveAsync(PersonErasure erasure, CancellationToken cancellationToken) =>
        tables.RunAsync(() =>
        {
            var json = JsonSerializer.Serialize(erasure, TableMeetingStore.Json);
            var entity = new TableEntity(Partition, erasure.Id)
            {
                ["State"] = erasure.State.ToString(),
                ["FollowUpAt"] = erasure.FollowUpAt,
            };
            var chunks = 0;
            for (var i = 0; i < json.Length; i += ChunkLength, chunks++)
                entity[$"Doc{chunks}"] = json.Substring(i, Math.Min(ChunkLength, json.Length - i));
            entity["DocChunks"] = chunks;
            return tables.Erasures.UpsertEntityAsync(entity, TableUpdateMode.Replace, cancellationToken);
        });

    public Task<IReadOnlyList<PersonErasure>> ListDueAsync(DateTimeOffset now, int max, CancellationToken cancellationToken) =>
        tables.RunAsync<IReadOnlyList<PersonErasure>>(async () =>
        {
            var due = new List<PersonErasure>();
            var filter = TableClient.CreateQueryFilter($"PartitionKey eq {Partition} and State ne {nameof(PersonErasureState.Done)}");
            await foreach (var entity in tables.Erasures.QueryAsync<TableEntity>(filter, cancellationToken: cancellationToken))
            {
                var erasure = FromEntity(entity);
                if (erasure.IsDue(now)) due.Add(erasure);
                if (due.Count >= max) break;
            }
            return due;
        });

    private static PersonErasure FromEntity(TableEntity e)
    {
        var json = new StringBuilder();
        for (var i = 0; i < (e.GetInt32("DocChunks") ?? 0); i++) json.Append(e.GetString($"Doc{i}"));
        return JsonSerializer.Deserialize<PersonErasure>(json.ToString(), TableMeetingStore.Json)
            ?? throw new InvalidDataException($"Erasure record {e.RowKey} has no data.");
    }
}
