using Microsoft.Extensions.Options;
using Summit.Reminders.Audit;
using Summit.Reminders.Infrastructure.Tables;
using Summit.TestSupport.Storage;

namespace Summit.Functions.Tests;

/// <summary>The audit table on Azurite: order, paging, settling, append-only, the erasure marker.</summary>
public sealed class TableAuditLogTests : IAsyncLifetime
{
    private static readonly DateTimeOffset Now = new(2026, 11, 27, 12, 0, 0, TimeSpan.Zero);
    private readonly string _prefix = Azurite.NewTablePrefix();
    private TableAuditLog _log = null!;

    public async Task InitializeAsync()
    {
        await Azurite.EnsureRunningAsync();
        _log = new TableAuditLog(new SummitTables(Options.Create(new StorageOptions { ConnectionString = Azurite.ConnectionString, TablePrefix = _prefix })));
    }

    public Task DisposeAsync() => Azurite.DeleteTablesAsync(_prefix);

    private static AuditEntry Entry(int n, string action, AuditState state = AuditState.Recorded, params AuditChange[] changes) =>
        new($"{Now.AddSeconds(n / 2).UtcTicks:D19}-{n:D8}-abcdef", Now.AddSeconds(n / 2), action, Actor.FunctionKey, $"req{n}", changes) { State = state, Version = n };

    [Fact]
    public async Task EntriesComeBackInOrderPageByPageWithoutVoidOnes()
    {
        // Appended out of order: the row key orders them.
        foreach (var n in new[] { 3, 1, 4, 0, 2 }) await _log.AppendAsync("m1", Entry(n, "a" + n, n == 2 ? AuditState.Void : AuditState.Recorded), default);

        var first = await _log.ListAsync("m1", null, 2, default);
        Assert.Equal(["a0", "a1"], first.Entries.Select(e => e.Action));
        var second = await _log.ListAsync("m1", first.ContinuationToken, 2, default);
        Assert.Equal(["a3", "a4"], second.Entries.Select(e => e.Action));
        Assert.Null(second.ContinuationToken);
        Assert.Equal("req3", second.Entries[0].RequestId);
        Assert.Equal(3, second.Entries[0].Version);
        Assert.Empty((await _log.ListAsync("other", null, 10, default)).Entries);
    }

    [Fact]
    public async Task APendingEntryIsSettledOnceAndAnEntryIsNeverReplaced()
    {
        var pending = Entry(1, "created", AuditState.Pending);
        await _log.AppendAsync("m1", pending, default);
        Assert.Equal(AuditState.Pending, Assert.Single((await _log.ListAsync("m1", null, 10, default)).Entries).State);

        await _log.SettleAsync("m1", pending.Id, AuditState.Recorded, default);
        await _log.SettleAsync("m1", pending.Id, AuditState.Void, default); // settled already: stays recorded
        Assert.Equal(AuditState.Recorded, Assert.Single((await _log.ListAsync("m1", null, 10, default)).Entries).State);

        await Assert.ThrowsAsync<Azure.RequestFailedException>(() => _log.AppendAsync("m1", pending with { Action = "forged" }, default));
        Assert.Equal("created", Assert.Single((await _log.ListAsync("m1", null, 10, default)).Entries).Action);
    }

    [Fact]
    public async Task ErasureReplacesPersonalValuesWithTheMarkerAndKeepsTheRest()
    {
        var agenda = new string('가', 20_000); // two chunks of the document before, one after
        await _log.AppendAsync("m1", Entry(0, "updated", AuditState.Recorded,
            new AuditChange("agenda", agenda, agenda + "!"), new AuditChange("duration", "PT1H", "PT2H")), default);
        await _log.AppendAsync("m1", Entry(1, "acknowledged", AuditState.Recorded) with { Actor = Actor.ParticipantLink("p1") }, default);

        Assert.Equal(2, await _log.EraseAsync("m1", null, Now, default));
        var entries = (await _log.ListAsync("m1", null, 10, default)).Entries;
        Assert.Equal([new AuditChange("agenda", AuditEntry.Marker, AuditEntry.Marker), new AuditChange("duration", "PT1H", "PT2H")], entries[0].Changes);
        Assert.Equal(Now, entries[0].ErasedAt);
        Assert.Equal(new Actor(ActorKind.ParticipantLink, AuditEntry.Marker), entries[1].Actor);
        Assert.Equal(["updated", "acknowledged"], entries.Select(e => e.Action));
        Assert.Equal(["req0", "req1"], entries.Select(e => e.RequestId));
        Assert.Equal(0, await _log.EraseAsync("m1", null, Now, default));
    }
}
