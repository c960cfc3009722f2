using System.Diagnostics;
using Azure;
using Azure.Data.Tables;
using Summit.Reminders.Infrastructure.Tables;
using Summit.TestSupport.Storage;

namespace Summit.Functions.Tests;

/// <summary>
/// Group commit against Azurite: concurrent writes to one partition share transactions, and each write still gets the
/// answer it would have got alone — one write's conflict never fails or hides another's.
/// </summary>
public sealed class PartitionGroupCommitTests : IAsyncLifetime
{
    private readonly TableClient _table = new(Azurite.ConnectionString, Azurite.NewTablePrefix() + "group");
    private PartitionGroupCommit _writes = null!;
    private int _singleWrites;
    private ActivityListener? _listener;

    public async Task InitializeAsync()
    {
        await Azurite.EnsureRunningAsync();
        await _table.CreateIfNotExistsAsync();
        _writes = new PartitionGroupCommit(_table);
        // Count the writes that reach the table one by one.
        _listener = new ActivityListener
        {
            ShouldListenTo = s => s.Name == "System.Net.Http",
            Sample = (ref ActivityCreationOptions<ActivityContext> _) => ActivitySamplingResult.AllData,
            ActivityStopped = a =>
            {
                // A write sent on its own names the table in its URL; a transaction goes to $batch.
                if (a.GetTagItem("url.full") is string url && url.Contains(_table.Name, StringComparison.Ordinal)
                    && a.GetTagItem("http.request.method") is "POST" or "PUT")
                    Interlocked.Increment(ref _singleWrites);
            },
        };
        ActivitySource.AddActivityListener(_listener);
    }

    public async Task DisposeAsync()
    {
        _listener?.Dispose();
        await _table.DeleteAsync();
    }

    private Task<Response> AddAsync(TableEntity entity) =>
        _writes.WriteAsync(new TableTransactionAction(TableTransactionActionType.Add, entity), () => _table.AddEntityAsync(entity), default);

    private Task<Response> ReplaceAsync(TableEntity entity, ETag etag) =>
        _writes.WriteAsync(new TableTransactionAction(TableTransactionActionType.UpdateReplace, entity, etag),
            () => _table.UpdateEntityAsync(entity, etag, TableUpdateMode.Replace), default);

    [Fact]
    public async Task ConcurrentWritesToOnePartitionAllLandAndEachGetsItsOwnETag()
    {
        var added = await Task.WhenAll(Enumerable.Range(0, 60).Select(i => AddAsync(new TableEntity("m1", $"del-{i:D2}") { ["State"] = "Sending" })));

        // Each answer's ETag is that row's: a conditional replace with it succeeds for every row.
        await Task.WhenAll(added.Select((r, i) => ReplaceAsync(new TableEntity("m1", $"del-{i:D2}") { ["State"] = "Sent" }, r.Headers.ETag!.Value)));
        var rows = new List<TableEntity>();
        await foreach (var e in _table.QueryAsync<TableEntity>()) rows.Add(e);
        Assert.Equal(60, rows.Count);
        Assert.All(rows, e => Assert.Equal("Sent", e.GetString("State")));
        // 120 writes, but not 120 requests: concurrent ones went out together.
        Assert.True(_singleWrites < 120, $"all 120 writes went out one by one ({_singleWrites} single requests)");
    }

    [Fact]
    public async Task OneConflictFailsOnlyItsOwnWrite()
    {
        await _table.AddEntityAsync(new TableEntity("m2", "del-07") { ["State"] = "Sent" });

        var writes = Enumerable.Range(0, 20).Select(i => AddAsync(new TableEntity("m2", $"del-{i:D2}") { ["State"] = "Sending" })).ToList();
        await Task.WhenAll(writes.Select(async w => { try { await w; } catch (RequestFailedException) { } }));

        var conflict = await Assert.ThrowsAsync<RequestFailedException>(() => writes[7]);
        Assert.Equal(409, conflict.Status);
        Assert.All(writes.Where((_, i) => i != 7), w => Assert.True(w.IsCompletedSuccessfully));
        Assert.Equal("Sent", (await _table.GetEntityAsync<TableEntity>("m2", "del-07")).Value.GetString("State"));
        var sending = 0;
        await foreach (var e in _table.QueryAsync<TableEntity>(e => e.PartitionKey == "m2")) if (e.GetString("State") == "Sending") sending++;
        Assert.Equal(19, sending);
    }

    [Fact]
    public async Task AStaleETagLosesOnlyItsOwnReplace()
    {
        var first = await Task.WhenAll(Enumerable.Range(0, 10).Select(i => AddAsync(new TableEntity("m3", $"del-{i}") { ["State"] = "Sending" })));
        // Someone else took row 3 over meanwhile: its ETag is stale now.
        await _table.UpdateEntityAsync(new TableEntity("m3", "del-3") { ["State"] = "Sending", ["Owner"] = "other" }, ETag.All, TableUpdateMode.Replace);

        var replaces = first.Select((r, i) => ReplaceAsync(new TableEntity("m3", $"del-{i}") { ["State"] = "Sent" }, r.Headers.ETag!.Value)).ToList();
        await Task.WhenAll(replaces.Select(async w => { try { await w; } catch (RequestFailedException) { } }));

        Assert.Equal(412, (await Assert.ThrowsAsync<RequestFailedException>(() => replaces[3])).Status);
        Assert.Equal("other", (await _table.GetEntityAsync<TableEntity>("m3", "del-3")).Value.GetString("Owner"));
        for (var i = 0; i < 10; i++)
            if (i != 3) Assert.Equal("Sent", (await _table.GetEntityAsync<TableEntity>("m3", $"del-{i}")).Value.GetString("State"));
    }

    [Fact]
    public async Task TwoWritesOfOneRowAtOnceAreNotOneTransaction()
    {
        var both = new[] { AddAsync(new TableEntity("m4", "del-1") { ["By"] = "a" }), AddAsync(new TableEntity("m4", "del-1") { ["By"] = "b" }) };
        var outcomes = await Task.WhenAll(both.Select(async w => { try { await w; return 201; } catch (RequestFailedException ex) { return ex.Status; } }));
        Assert.Equal([201, 409], outcomes.Order());
    }
}
