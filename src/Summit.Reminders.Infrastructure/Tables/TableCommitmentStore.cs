using System.Text;
using System.Text.Json;
using Azure;
using Azure.Data.Tables;
using Summit.Reminders.Commitments;
using Summit.Reminders.Ports;

namespace Summit.Reminders.Infrastructure.Tables;

/// <summary>
/// One entity per commitment (PartitionKey = commitment id, RowKey "commitment") in the commitments table: the whole
/// commitment as one JSON document over string properties of at most 30,000 characters, so every change is one atomic,
/// ETag-conditional write; title, track, status and due moment are plain properties for filtered listing.
/// </summary>
public sealed class TableCommitmentStore(SummitTables tables) : ICommitmentStore
{
    private const string RowKey = "commitment";
    private const int ChunkLength = 30_000;

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
        var filter = TableClient.CreateQueryFilter($"RowKey eq {RowKey}");
        string? token = null;
        do
        {
            // Page by page, each through RunAsync: an outage midway is "storage unavailable", not a half-read answer.
            var continuation = token;
            var page = await tables.RunAsync(async () =>
            {
                await foreach (var p in tables.Commitments.QueryAsync<TableEntity>(filter, 200, cancellationToken: cancellationToken).AsPages(continuation, 200))
                    return p;
                return null;
            });
            if (page is null) yield break;
            foreach (var entity in page.Values) yield return new StoredCommitment(FromEntity(entity), entity.GetString("RequestFingerprint"), entity.ETag.ToString());
            token = page.ContinuationToken;
        }
        while (token is not null);
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
        var chunks = 0;
        for (var i = 0; i < json.Length; i += ChunkLength, chunks++)
            entity[$"Doc{chunks}"] = json.Substring(i, Math.Min(ChunkLength, json.Length - i));
        entity["DocChunks"] = chunks;
        return entity;
    }

    private static Commitment FromEntity(TableEntity entity)
    {
        var json = new StringBuilder();
        for (var i = 0; i < (entity.GetInt32("DocChunks") ?? 0); i++) json.Append(entity.GetString($"Doc{i}"));
        return JsonSerializer.Deserialize<Commitment>(json.ToString(), TableMeetingStore.Json)
               ?? throw new InvalidDataException($"Commitment {entity.PartitionKey} has no document.");
    }
}
