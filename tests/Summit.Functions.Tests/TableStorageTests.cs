using Azure.Data.Tables;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;
using Summit.Reminders.Infrastructure.Tables;
using Summit.Reminders.Ports;
using Summit.TestSupport.Storage;
using Summit.Reminders;
using Summit.Reminders.Notifications;

namespace Summit.Functions.Tests;

/// <summary>The Table Storage adapters against Azurite.</summary>
public sealed class TableStorageTests : IAsyncLifetime
{
    private static readonly DateTimeOffset Now = new(2026, 11, 27, 12, 0, 0, TimeSpan.Zero);
    private readonly FakeTimeProvider _time = new(Now);
    private readonly string _prefix = Azurite.NewTablePrefix();
    private SummitTables _tables = null!;
    private TableDueIndex _index = null!;
    private TableDeliveryLedger _ledger = null!;

    public async Task InitializeAsync()
    {
        await Azurite.EnsureRunningAsync();
        var options = Options.Create(new StorageOptions { ConnectionString = Azurite.ConnectionString, TablePrefix = _prefix, DueIndexShards = 4 });
        _tables = new SummitTables(options);
        _index = new TableDueIndex(_tables, options, _time);
        _ledger = new TableDeliveryLedger(_tables);
    }

    public Task DisposeAsync() => Azurite.DeleteTablesAsync(_prefix);

    private static DueEntry Entry(string meeting, DateTimeOffset due, string offset = "P1D") => new(meeting, "plan1", 1, offset, due, Now);

    [Fact]
    public async Task ATickReadsOnlyWhatIsDueWhateverIsStoredForLater()
    {
        // 200 slots spread over the next 180 days, 5 due in the next minute.
        var later = Enumerable.Range(0, 200).Select(i => Entry($"later{i}", Now.AddHours(2 + i * 21.6))).ToList();
        var due = Enumerable.Range(0, 5).Select(i => Entry($"due{i}", Now.AddSeconds(10 + i))).ToList();
        await _index.AddAsync([.. later, .. due], default);

        _time.Advance(TimeSpan.FromMinutes(1));
        var batch = await _index.ReadDueAsync(_time.GetUtcNow(), default);

        Assert.Equivalent(due.Select(d => d.MeetingId), batch.Entries.Select(e => e.MeetingId));
    }

    [Fact]
    public async Task RemindersThatFellDueWhileTheAppWasDownAreReadOnTheNextTick()
    {
        await _index.AddAsync([Entry("a", Now.AddHours(1)), Entry("b", Now.AddDays(3)), Entry("c", Now.AddDays(40))], default);
        var first = await _index.ReadDueAsync(Now, default);
        Assert.Empty(first.Entries);
        await first.CommitAsync(default);

        _time.SetUtcNow(Now.AddDays(5)); // down for five days
        var batch = await _index.ReadDueAsync(_time.GetUtcNow(), default);
        Assert.Equivalent(new[] { "a", "b" }, batch.Entries.Select(e => e.MeetingId));
    }

    [Fact]
    public async Task AClaimedEntryIsHeldUntilItsLeaseRunsOutThenAnotherTickTakesIt()
    {
        await _index.AddAsync([Entry("a", Now.AddSeconds(5))], default);
        _time.Advance(TimeSpan.FromSeconds(10));

        var tickA = await _index.ReadDueAsync(_time.GetUtcNow(), default);
        var tickB = await _index.ReadDueAsync(_time.GetUtcNow(), default);
        Assert.True(await tickA.TryClaimAsync(tickA.Entries[0], _time.GetUtcNow().AddMinutes(2), default));
        Assert.False(await tickB.TryClaimAsync(tickB.Entries[0], _time.GetUtcNow().AddMinutes(2), default));

        // Tick A dies here. A later tick sees the lease and leaves it; after the lease, it takes over.
        _time.Advance(TimeSpan.FromMinutes(1));
        var tickC = await _index.ReadDueAsync(_time.GetUtcNow(), default);
        Assert.False(await tickC.TryClaimAsync(Assert.Single(tickC.Entries), _time.GetUtcNow().AddMinutes(2), default));
        await tickC.CommitAsync(default);

        _time.Advance(TimeSpan.FromMinutes(2));
        var tickD = await _index.ReadDueAsync(_time.GetUtcNow(), default);
        var entry = Assert.Single(tickD.Entries);
        Assert.True(await tickD.TryClaimAsync(entry, _time.GetUtcNow().AddMinutes(2), default));
        await tickD.RemoveAsync(entry, default);
        await tickD.CommitAsync(default);

        Assert.Empty((await _index.ReadDueAsync(_time.GetUtcNow(), default)).Entries);
    }

    [Fact]
    public async Task TheWatermarkNeverPassesAnEntryStillWaiting()
    {
        await _index.AddAsync([Entry("stuck", Now.AddMinutes(1)), Entry("next", Now.AddDays(2))], default);
        _time.SetUtcNow(Now.AddHours(3));
        var batch = await _index.ReadDueAsync(_time.GetUtcNow(), default);
        Assert.Single(batch.Entries);
        await batch.CommitAsync(default); // "stuck" was not removed (say, Service Bus was down)

        _time.SetUtcNow(Now.AddDays(3));
        var later = await _index.ReadDueAsync(_time.GetUtcNow(), default);
        Assert.Equivalent(new[] { "stuck", "next" }, later.Entries.Select(e => e.MeetingId));
    }

    [Fact]
    public async Task TheDueIndexIsShardedSoOneHourIsNotOnePartition()
    {
        var entries = Enumerable.Range(0, 40).Select(i => Entry($"m{i}", Now.AddMinutes(30))).ToList();
        await _index.AddAsync(entries, default);

        var partitions = new HashSet<string>();
        await foreach (var e in _tables.DueIndex.QueryAsync<TableEntity>(e => e.PartitionKey != "watermark")) partitions.Add(e.PartitionKey);
        Assert.Equal(4, partitions.Count);
        Assert.All(partitions, p => Assert.StartsWith("2026112712-", p));
    }

    [Fact]
    public async Task TheLedgerLetsOneWorkerSendAndTellsTheOthers()
    {
        var sending = new DeliveryRecord("m1.plan1.P1D.pa", "plan1", "P1D", "pa", DeliveryState.Sending, Now, LeaseUntil: Now.AddMinutes(2));

        var first = Assert.IsType<LedgerClaim.Claimed>(await _ledger.TryClaimAsync("m1", sending, default));
        Assert.IsType<LedgerClaim.Busy>(await _ledger.TryClaimAsync("m1", sending, default));

        // The first worker died before finishing: after its lease another worker may send.
        var late = sending with { UpdatedAt = Now.AddMinutes(3), LeaseUntil = Now.AddMinutes(5) };
        var second = Assert.IsType<LedgerClaim.Claimed>(await _ledger.TryClaimAsync("m1", late, default));
        await Assert.ThrowsAsync<ConcurrencyConflictException>(() =>
            _ledger.FinishAsync("m1", first.Token, sending with { State = DeliveryState.Sent }, default));
        await _ledger.FinishAsync("m1", second.Token, late with { State = DeliveryState.Sent, SentAt = Now.AddMinutes(3) }, default);

        var finished = Assert.IsType<LedgerClaim.Finished>(await _ledger.TryClaimAsync("m1", late with { UpdatedAt = Now.AddHours(1) }, default));
        Assert.Equal(DeliveryState.Sent, finished.State);
        var (_, deliveries) = await _ledger.ListAsync("m1", default);
        Assert.Equal(Now.AddMinutes(3), Assert.Single(deliveries).SentAt);
    }

    [Fact]
    public async Task StorageThatCannotBeReachedIsReportedAsUnavailable()
    {
        var options = Options.Create(new StorageOptions
        {
            ConnectionString = "DefaultEndpointsProtocol=http;AccountName=devstoreaccount1;AccountKey=Eby8vdM02xNOcqFlqUwJPLlmEtlCDXJ1OUzFT50uSRZ6IFsuFq2UVErCz4I6tq/K1SZFPTOtr/KBHBeksoGMGw==;TableEndpoint=http://127.0.0.1:1/devstoreaccount1;",
            TablePrefix = _prefix,
        });
        var store = new TableMeetingStore(new SummitTables(options));
        var ex = await Assert.ThrowsAsync<DependencyUnavailableException>(() => store.GetAsync("m1", default));
        Assert.Equal("Table Storage", ex.Dependency);
    }
}
