using System.Text.Json;
using Azure;
using Azure.Data.Tables;
using Summit.Reminders.Commitments;
using Summit.Reminders.Ports;

namespace Summit.Reminders.Infrastructure.Tables;

/// <summary>
/// One entity per commitment (PartitionKey = commitment id, RowKey "commitment") in the commitments table: the whole
/// commitment as one JSON document (<see cref="TableDocuments"/>), so every change is one atomic, ETag-conditional write; title, track, status and due moment are plain properties for filtered listing.
/// </summary>
public sealed class TableCommitmentStore(SummitTables tables) : ICommitmentStore
{
    private const string RowKey = "commitment";

    public Task<bool> TryAddAsync(Commitment commitment, string? requestFingerprint, CancellationToken cancellationToken) =>
        tables.RunAsync(async () =>
        {
            try
            {
                await tables.Commitments.AddEntityAsync(ToEntity(commitment, requestFingerprint), cancellationToken);
                return true;
            }
            catch (RequestFailedException ex) when (ex.Status == 409)
            {
                return false;
            }
        });

    public Task<StoredCommitment?> GetAsync(string commitmentId, CancellationToken cancellationToken) =>
        tables.RunAsync(async () =>
        {
            if (!TableMeetingStore.IsSafeKey(commitmentId)) return null;
            var response = await tables.Commitments.GetEntityIfExistsAsync<TableEntity>(commitmentId, RowKey, cancellationToken: cancellationToken);
            if (!response.HasValue || response.Value is null) return null;
            return new StoredCommitment(FromEntity(response.Value), response.Value.GetString("RequestFingerprint"), response.Value.ETag.ToString());
        });

    public Task ReplaceAsync(Commitment commitment, string? requestFingerprint, string concurrencyToken, CancellationToken cancellationToken) =>
        tables.RunAsync(async () =>
        {
            try
            {
                await tables.Commitments.UpdateEntityAsync(ToEntity(commitment, requestFingerprint), new ETag(concurrencyToken), TableUpdateMode.Replace, cancellationToken);
            }
            catch (RequestFailedException ex) when (ex.Status is 412 or 404)
            {
                throw new ConcurrencyConflictException($"Commitment {commitment.Id} changed since it was read.");
            }
        });

    public Task<CommitmentPage> ListAsync(CommitmentQuery query, string? continuationToken, int pageSize, CancellationToken cancellationToken) =>
        tables.RunAsync(async () =>
        {
            var filters = new List<string> { TableClient.CreateQueryFilter($"RowKey eq {RowKey}") };
            if (query.Track is not null) filters.Add(TableClient.CreateQueryFilter($"Track eq {query.Track}"));
            if (TableFilters.AnyOf("Track", query.Tracks) is { } tracks) filters.Add(tracks);
            if (query.Status is { } status) filters.Add(TableClient.CreateQueryFilter($"Status eq {status.ToString()}"));
            if (query.DueBefore is { } before) filters.Add(TableClient.CreateQueryFilter($"DueUtc lt {before.ToUniversalTime()}"));
            var token = TableMeetingStore.DecodeToken(continuationToken);
            try
            {
                await foreach (var page in tables.Commitments.QueryAsync<TableEntity>(string.Join(" and ", filters), pageSize, cancellationToken: cancellationToken)
                                   .AsPages(token, pageSize))
                    return new CommitmentPage(page.Values.Select(FromEntity).ToList(), TableMeetingStore.EncodeToken(page.ContinuationToken));
            }
            catch (RequestFailedException ex) when (ex.Status == 400 && token is not null)
            {
                throw new ArgumentException("The continuation token is not valid.", nameof(continuationToken), ex);
            }
            return new CommitmentPage([], null);
        });

    public Task<IReadOnlyList<string>> ListClosedBeforeAsync(DateTimeOffset cutoff, int max, CancellationToken cancellationToken) =>
        tables.RunAsync<IReadOnlyList<string>>(async () =>
        {
            var ids = new List<string>();
            var filter = TableClient.CreateQueryFilter($"RowKey eq {RowKey} and Erased eq {false} and ClosedAt lt {cutoff.ToUniversalTime()}");
            await foreach (var entity in tables.Commitments.QueryAsync<TableEntity>(filter, select: ["PartitionKey"], cancellationToken: cancellationToken))
            {
                ids.Add(entity.PartitionKey);
                if (ids.Count >= max) break;
            }
            return ids;
        });

    public async IAsyncEnumerable<StoredCommitment> ScanAsync([System.Runtime.CompilerServices.EnumeratorCancellation] CancellationToken cancellationToken)
    {
        await foreach (var entity in TableDocuments.QueryAllAsync(tables, tables.Commitments, TableClient.CreateQueryFilter($"RowKey eq {RowKey}"), cancellationToken))
            yield return new StoredCommitment(FromEntity(entity), entity.GetString("RequestFingerprint"), entity.ETag.ToString());
    }

    private static TableEntity ToEntity(Commitment commitment, string? requestFingerprint)
    {
        var json = JsonSerializer.Serialize(commitment, TableMeetingStore.Json);
        var entity = new TableEntity(commitment.Id, RowKey)
        {
            ["Title"] = commitment.Title,
            ["Track"] = commitment.Track,
            ["Status"] = commitment.Status.ToString(),
            ["DueUtc"] = commitment.DueUtc,
            ["ClosedAt"] = commitment.ClosedAt,
            ["Erased"] = commitment.ErasedAt is not null,
            ["Version"] = commitment.Version,
            ["PlanVersion"] = commitment.Plan.PlanVersion,
            ["RequestFingerprint"] = requestFingerprint,
        };
TableDocuments.Write(entity, json);
        return entity;
    }

    private static Commitment FromEntity(TableEntity entity)
    {
return JsonSerializer.Deserialize<Commitment>(TableDocuments.Read(entity), TableMeetingStore.Json)
               ?? throw new InvalidDataException($"Commitment {entity.PartitionKey} has no document.");
    }
}
