using System.Text.Json;
using Azure.Data.Tables;
using Summit.Reminders.Erasure;
using Summit.Reminders.Ports;

namespace Summit.Reminders.Infrastructure.Tables;

/// <summary>Data-subject erasure requests in the erasures table: PartitionKey "person", RowKey the request's id; what it
/// erased is JSON (a request touches a few meetings, far below the 64 KB of a property).</summary>
public sealed class TablePersonErasures(SummitTables tables) : IPersonErasures
{
    private const string Partition = "person";

    public Task<PersonErasure?> GetAsync(string id, CancellationToken cancellationToken) =>
        tables.RunAsync(async () =>
        {
            if (!TableMeetingStore.IsSafeKey(id)) return null;
            var response = await tables.Erasures.GetEntityIfExistsAsync<TableEntity>(Partition, id, cancellationToken: cancellationToken);
            return response.HasValue && response.Value is not null ? FromEntity(response.Value) : null;
        });

    public Task SaveAsync(PersonErasure erasure, CancellationToken cancellationToken) =>
        tables.RunAsync(() => tables.Erasures.UpsertEntityAsync(new TableEntity(Partition, erasure.Id)
        {
            ["State"] = erasure.State.ToString(),
            ["RequestedAt"] = erasure.RequestedAt,
            ["LastRunAt"] = erasure.LastRunAt,
            ["FollowUpAt"] = erasure.FollowUpAt,
            ["Candidates"] = string.Join(' ', erasure.Candidates),
            ["PendingMeetings"] = string.Join(' ', erasure.PendingMeetings),
            ["Meetings"] = JsonSerializer.Serialize(erasure.Meetings, TableMeetingStore.Json),
            ["Kept"] = JsonSerializer.Serialize(erasure.Kept, TableMeetingStore.Json),
        }, TableUpdateMode.Replace, cancellationToken));

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

    private static PersonErasure FromEntity(TableEntity e) => new(
        e.RowKey, Split(e.GetString("Candidates")), Enum.Parse<PersonErasureState>(e.GetString("State") ?? nameof(PersonErasureState.Running)),
        e.GetDateTimeOffset("RequestedAt") ?? default, e.GetDateTimeOffset("LastRunAt"), e.GetDateTimeOffset("FollowUpAt"),
        Split(e.GetString("PendingMeetings")),
        JsonSerializer.Deserialize<List<ErasedFromMeeting>>(e.GetString("Meetings") ?? "[]", TableMeetingStore.Json) ?? [],
        JsonSerializer.Deserialize<List<KeptInMeeting>>(e.GetString("Kept") ?? "[]", TableMeetingStore.Json) ?? []);

    private static string[] Split(string? value) => (value ?? "").Split(' ', StringSplitOptions.RemoveEmptyEntries);
}
