using System.Globalization;
using System.Buffers.Binary;
using System.Security.Cryptography;
using System.Text;
using Azure;
using Azure.Data.Tables;
using Microsoft.Extensions.Options;
using Summit.Reminders.Ports;
using Summit.Reminders.Notifications;

namespace Summit.Reminders.Infrastructure.Tables;

/// <summary>
/// The due index. PartitionKey = hour bucket of the due time + shard ("2026121009-03"), RowKey = due ticks + slot, so
/// one hour is spread over <see cref="StorageOptions.DueIndexShards"/> partitions (no date-only hot partition) and a
/// tick reads the hours between the stored watermark and now (all due) with one PartitionKey range query, and the
/// current hour shard by shard with a RowKey range: it costs shards + 1 queries plus the entries actually due, whatever
/// is stored for later. Processed entries are deleted, so the watermark only lags behind entries still waiting.
/// </summary>
public sealed class TableDueIndex(SummitTables tables, IOptions<StorageOptions> options, TimeProvider time) : IDueIndex
{
    private const string WatermarkPartition = "watermark";
    private const string WatermarkRow = "scheduler";
    private readonly StorageOptions _options = options.Value;
    private readonly SummitTables _tables = tables;
    private volatile bool _watermarkExists;

    public Task AddAsync(IReadOnlyCollection<DueEntry> entries, CancellationToken cancellationToken) =>
        _tables.RunAsync(async () =>
        {
            if (entries.Count == 0) return;
            await EnsureWatermarkAsync(entries.Min(e => e.DueAt), cancellationToken);
            // One transaction per partition (hour and shard), all at once: a registration waits for the slowest one,
            // not for their sum. Each is atomic; a failure of any fails the call and the caller writes nothing else.
            await Task.WhenAll(entries.Select(ToEntity).GroupBy(e => e.PartitionKey).Select(async partition =>
            {
                foreach (var chunk in partition.Chunk(100))
                {
                    await _tables.DueIndex.SubmitTransactionAsync(
                        chunk.Select(e => new TableTransactionAction(TableTransactionActionType.UpsertReplace, e)), cancellationToken);
                }
            }));
        });

    public Task<IDueBatch> ReadDueAsync(DateTimeOffset upTo, CancellationToken cancellationToken) =>
        _tables.RunAsync<IDueBatch>(async () =>
        {
            var now = time.GetUtcNow();
            var watermark = await _tables.DueIndex.GetEntityIfExistsAsync<TableEntity>(WatermarkPartition, WatermarkRow, cancellationToken: cancellationToken);
            var from = watermark.HasValue && watermark.Value!.GetDateTimeOffset("Bucket") is { } stored
                ? stored
                : Bucket(now - _options.WatermarkSafetyMargin);
            var lastBucket = Bucket(upTo);
            var upper = (upTo.UtcTicks + 1).ToString("D19", CultureInfo.InvariantCulture);
            var max = _options.MaxEntriesPerTick;

            // Past hours are wholly due: one range query over their partitions, however long the app was down.
            var entities = new List<TableEntity>();
            var readThrough = lastBucket;
            if (from < lastBucket)
            {
                var filter = TableClient.CreateQueryFilter($"PartitionKey ge {PartitionKey(from, 0)} and PartitionKey lt {PartitionKey(lastBucket, 0)}");
                await foreach (var e in _tables.DueIndex.QueryAsync<TableEntity>(filter, cancellationToken: cancellationToken))
                {
                    entities.Add(e);
                    if (entities.Count >= max)
                    {
                        // Catching up: the rest waits for the next tick, and the watermark stays at this hour.
                        readThrough = Bucket(e.GetDateTimeOffset("DueAt") ?? from);
                        break;
                    }
                }
            }
            // The current hour: each shard, only up to now (+ look-ahead), by RowKey range.
            if (entities.Count < max)
            {
                var current = await Task.WhenAll(Enumerable.Range(0, _options.DueIndexShards).Select(async shard =>
                {
                    var found = new List<TableEntity>();
                    var filter = TableClient.CreateQueryFilter($"PartitionKey eq {PartitionKey(lastBucket, shard)} and RowKey lt {upper}");
                    await foreach (var e in _tables.DueIndex.QueryAsync<TableEntity>(filter, cancellationToken: cancellationToken)) found.Add(e);
                    return found;
                }));
                entities.AddRange(current.SelectMany(x => x));
            }
            return new Batch(this, entities, watermark.HasValue ? watermark.Value!.ETag : (ETag?)null, from, readThrough, now);
        });

    public Task RemoveAsync(DueEntry entry, CancellationToken cancellationToken) =>
        _tables.RunAsync(async () =>
        {
            var entity = ToEntity(entry);
            try
            {
                await _tables.DueIndex.DeleteEntityAsync(entity.PartitionKey, entity.RowKey, ETag.All, cancellationToken);
            }
            catch (RequestFailedException ex) when (ex.Status == 404)
            {
                // Gone already: taken by a tick, or never written.
            }
        });

    private async Task EnsureWatermarkAsync(DateTimeOffset earliestDue, CancellationToken cancellationToken)
    {
        if (_watermarkExists) return;
        try
        {
            var first = Bucket(Min(earliestDue, time.GetUtcNow()) - _options.WatermarkSafetyMargin);
            await _tables.DueIndex.AddEntityAsync(new TableEntity(WatermarkPartition, WatermarkRow) { ["Bucket"] = first }, cancellationToken);
        }
        catch (RequestFailedException ex) when (ex.Status == 409)
        {
        }
        _watermarkExists = true;
    }

    internal string PartitionKey(DateTimeOffset bucket, int shard) =>
        bucket.UtcDateTime.ToString("yyyyMMddHH", CultureInfo.InvariantCulture) + "-" + shard.ToString("D2", CultureInfo.InvariantCulture);

    private static DateTimeOffset Bucket(DateTimeOffset at)
    {
        var utc = at.UtcDateTime;
        return new DateTimeOffset(utc.Year, utc.Month, utc.Day, utc.Hour, 0, 0, TimeSpan.Zero);
    }

    private static DateTimeOffset Min(DateTimeOffset a, DateTimeOffset b) => a < b ? a : b;

    private TableEntity ToEntity(DueEntry entry)
    {
        var slot = $"{entry.MeetingId}-{entry.PlanId}-{entry.Offset}";
        var shard = (int)(BinaryPrimitives.ReadUInt32BigEndian(SHA256.HashData(Encoding.UTF8.GetBytes(slot))) % (uint)_options.DueIndexShards);
        return new TableEntity(PartitionKey(Bucket(entry.DueAt), shard),
            entry.DueAt.UtcTicks.ToString("D19", CultureInfo.InvariantCulture) + "-" + slot)
        {
            ["MeetingId"] = entry.MeetingId,
            ["PlanId"] = entry.PlanId,
            ["PlanVersion"] = entry.PlanVersion,
            ["Offset"] = entry.Offset,
            ["DueAt"] = entry.DueAt,
            ["CreatedAt"] = entry.CreatedAt,
        };
    }

    private static DueEntry FromEntity(TableEntity e) => new(
        e.GetString("MeetingId"), e.GetString("PlanId"), e.GetInt32("PlanVersion") ?? 0, e.GetString("Offset"),
        e.GetDateTimeOffset("DueAt") ?? default, e.GetDateTimeOffset("CreatedAt") ?? default);

    private sealed class Batch : IDueBatch
    {
        private readonly TableDueIndex _index;
        private readonly Dictionary<DueEntry, TableEntity> _entities = [];
        private readonly HashSet<DueEntry> _removed = [];
        private readonly ETag? _watermarkETag;
        private readonly DateTimeOffset _from;
        private readonly DateTimeOffset _readThrough;
        private readonly DateTimeOffset _now;

        public Batch(TableDueIndex index, List<TableEntity> entities, ETag? watermarkETag, DateTimeOffset from, DateTimeOffset readThrough, DateTimeOffset now)
        {
            _index = index;
            foreach (var e in entities) _entities[FromEntity(e)] = e;
            Entries = _entities.Keys.ToList();
            _watermarkETag = watermarkETag;
            _from = from;
            _readThrough = readThrough;
            _now = now;
        }

        public IReadOnlyList<DueEntry> Entries { get; }

        public Task<bool> TryClaimAsync(DueEntry entry, DateTimeOffset leaseUntil, CancellationToken cancellationToken) =>
            _index._tables.RunAsync(async () =>
            {
                var entity = _entities[entry];
                if (entity.GetDateTimeOffset("LeaseUntil") is { } lease && lease > _now) return false;
                entity["LeaseUntil"] = leaseUntil;
                try
                {
                    var response = await _index._tables.DueIndex.UpdateEntityAsync(entity, entity.ETag, TableUpdateMode.Replace, cancellationToken);
                    entity.ETag = response.Headers.ETag ?? entity.ETag;
                    return true;
                }
                catch (RequestFailedException ex) when (ex.Status is 404 or 412)
                {
                    return false;
                }
            });

        public Task ReleaseAsync(DueEntry entry, CancellationToken cancellationToken) =>
            _index._tables.RunAsync(async () =>
            {
                var entity = _entities[entry];
                entity["LeaseUntil"] = null;
                try
                {
                    var response = await _index._tables.DueIndex.UpdateEntityAsync(entity, entity.ETag, TableUpdateMode.Replace, cancellationToken);
                    entity.ETag = response.Headers.ETag ?? entity.ETag;
                }
                catch (RequestFailedException ex) when (ex.Status is 404 or 412)
                {
                }
            });

        public Task RemoveAsync(DueEntry entry, CancellationToken cancellationToken) =>
            _index._tables.RunAsync(async () =>
            {
                var entity = _entities[entry];
                try
                {
                    await _index._tables.DueIndex.DeleteEntityAsync(entity.PartitionKey, entity.RowKey, entity.ETag, cancellationToken);
                }
                catch (RequestFailedException ex) when (ex.Status is 404 or 412)
                {
                    // Gone already, or another tick took it over after our lease ran out: it is that tick's now.
                }
                lock (_removed) _removed.Add(entry);
            });

        public Task CommitAsync(CancellationToken cancellationToken) =>
            _index._tables.RunAsync(async () =>
            {
                // Never past an entry still in the index, nor past the safety margin behind now.
                var next = Bucket(_now - _index._options.WatermarkSafetyMargin);
                if (next > _readThrough) next = _readThrough;
                foreach (var left in Entries.Where(e => !_removed.Contains(e)))
                    if (Bucket(left.DueAt) < next) next = Bucket(left.DueAt);
                if (next <= _from) return;
                var entity = new TableEntity(WatermarkPartition, WatermarkRow) { ["Bucket"] = next };
                try
                {
                    if (_watermarkETag is { } etag)
                        await _index._tables.DueIndex.UpdateEntityAsync(entity, etag, TableUpdateMode.Replace, cancellationToken);
                    else
                        await _index._tables.DueIndex.AddEntityAsync(entity, cancellationToken);
                }
                catch (RequestFailedException ex) when (ex.Status is 409 or 412)
                {
                    // Another tick moved it meanwhile; its view is at least as recent as ours.
                }
            });
    }
}
