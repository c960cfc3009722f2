using System.Text.Json;
using Azure;
using Azure.Data.Tables;
using Summit.Reminders.Digest;
using Summit.Reminders.Ports;

namespace Summit.Reminders.Infrastructure.Tables;

/// <summary>
/// One entity per digest subscriber in the digests table (PartitionKey = <see cref="DigestSubscription.SubjectId"/>,
/// RowKey "subscription"): the subscription as one JSON document. Personal data (the address, the name): a person's
/// erasure deletes it, and nothing of it is kept after unsubscribing.
/// </summary>
public sealed class TableDigestSubscriptions(SummitTables tables) : IDigestSubscriptions
{
    private const string RowKey = "subscription";

    public Task<StoredDigestSubscription?> GetAsync(string subjectId, CancellationToken cancellationToken) =>
        tables.RunAsync(async () =>
        {
            if (!TableMeetingStore.IsSafeKey(subjectId)) return null;
            var response = await tables.Digests.GetEntityIfExistsAsync<TableEntity>(subjectId, RowKey, cancellationToken: cancellationToken);
            return response.HasValue && response.Value is { } entity ? new StoredDigestSubscription(FromEntity(entity), entity.ETag.ToString()) : null;
        });

    public Task PutAsync(DigestSubscription subscription, CancellationToken cancellationToken) =>
        tables.RunAsync(() => tables.Digests.UpsertEntityAsync(ToEntity(subscription), TableUpdateMode.Replace, cancellationToken));

    public Task<bool> TryReplaceAsync(DigestSubscription subscription, string concurrencyToken, CancellationToken cancellationToken) =>
        tables.RunAsync(async () =>
        {
            try
            {
                await tables.Digests.UpdateEntityAsync(ToEntity(subscription), new ETag(concurrencyToken), TableUpdateMode.Replace, cancellationToken);
                return true;
            }
            catch (RequestFailedException ex) when (ex.Status is 404 or 412)
            {
                return false;
            }
        });

    public Task<bool> DeleteAsync(string subjectId, CancellationToken cancellationToken) =>
        tables.RunAsync(async () =>
        {
            if (!TableMeetingStore.IsSafeKey(subjectId)) return false;
            try
            {
                await tables.Digests.DeleteEntityAsync(subjectId, RowKey, ETag.All, cancellationToken);
                return true;
            }
            catch (RequestFailedException ex) when (ex.Status == 404)
            {
                return false;
            }
        });

    public async IAsyncEnumerable<DigestSubscription> ScanAsync([System.Runtime.CompilerServices.EnumeratorCancellation] CancellationToken cancellationToken)
    {
        await foreach (var entity in TableDocuments.QueryAllAsync(tables, tables.Digests, TableClient.CreateQueryFilter($"RowKey eq {RowKey}"), cancellationToken))
            yield return FromEntity(entity);
    }

    private static TableEntity ToEntity(DigestSubscription subscription)
    {
        var entity = new TableEntity(subscription.SubjectId, RowKey)
        {
            ["PlanVersion"] = subscription.PlanVersion,
            ["NextDigestAt"] = subscription.NextDigestAt,
        };
        TableDocuments.Write(entity, JsonSerializer.Serialize(subscription, TableMeetingStore.Json));
        return entity;
    }

    private static DigestSubscription FromEntity(TableEntity entity) =>
        JsonSerializer.Deserialize<DigestSubscription>(TableDocuments.Read(entity), TableMeetingStore.Json)
        ?? throw new InvalidDataException($"Digest subscription {entity.PartitionKey} has no document.");
}
