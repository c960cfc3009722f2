using Azure;
using Azure.Data.Tables;

namespace Summit.Reminders.Infrastructure.Tables;

/// <summary>
/// Group commit for one table: single-entity writes to the same partition that are waiting at the same moment go out
/// as one entity group transaction instead of one request each. The first writer of a partition sends its write at
/// once; writes that arrive while that request is in flight wait for it and then go together (up to 100), and so on.
/// A lone writer therefore waits for nothing, and many concurrent writers to one partition share round trips (the
/// delivery of one meeting's reminders: up to Delivery:MaxConcurrency claims and results at a time).
/// <para>
/// Each write keeps its own meaning: when a transaction fails as a whole (one entity's 409 or 412 fails all of them,
/// and applies none), every write of the group is sent again on its own, so each caller gets exactly the answer or
/// the exception that its write alone would have got. An outage (no answer, 5xx) fails the whole group with it.
/// </para>
/// </summary>
public sealed class PartitionGroupCommit(TableClient table)
{
    private const int MaxPerTransaction = 100;
    private readonly Dictionary<string, Queue<Pending>> _waiting = new(StringComparer.Ordinal);
    private readonly HashSet<string> _flushing = new(StringComparer.Ordinal);

    private sealed record Pending(TableTransactionAction Action, Func<Task<Response>> Alone, TaskCompletionSource<Response> Done);

    /// <summary>Writes <paramref name="action"/> (whose entity's PartitionKey decides the group), alone or with others;
    /// <paramref name="alone"/> is the same write as a single request, used when the group's transaction fails.</summary>
    public async Task<Response> WriteAsync(TableTransactionAction action, Func<Task<Response>> alone, CancellationToken cancellationToken)
    {
        var partition = action.Entity.PartitionKey;
        var pending = new Pending(action, alone, new TaskCompletionSource<Response>(TaskCreationOptions.RunContinuationsAsynchronously));
        bool lead;
        lock (_waiting)
        {
            if (!_waiting.TryGetValue(partition, out var queue)) _waiting[partition] = queue = new Queue<Pending>();
            queue.Enqueue(pending);
            lead = _flushing.Add(partition);
        }
        // The flushing runs on its own, so the writer that started it is not kept busy with the writes of others.
        if (lead) _ = Task.Run(() => FlushAsync(partition));
        return await pending.Done.Task.WaitAsync(cancellationToken);
    }

    /// <summary>Sends what is waiting for one partition, group after group, until nothing is.</summary>
    private async Task FlushAsync(string partition)
    {
        while (true)
        {
            var group = new List<Pending>();
            lock (_waiting)
            {
                var queue = _waiting[partition];
                var rows = new HashSet<string>(StringComparer.Ordinal);
                // One write per row per transaction (a second one for a row waits for the next group).
                var deferred = new List<Pending>();
                while (group.Count < MaxPerTransaction && queue.TryDequeue(out var next))
                {
                    if (rows.Add(next.Action.Entity.RowKey)) group.Add(next);
                    else deferred.Add(next);
                }
                foreach (var d in deferred) queue.Enqueue(d);
                if (group.Count == 0)
                {
                    _waiting.Remove(partition);
                    _flushing.Remove(partition);
                    return;
                }
            }
            await SendAsync(group);
        }
    }

    private async Task SendAsync(List<Pending> group)
    {
        if (group.Count == 1)
        {
            await AloneAsync(group[0]);
            return;
        }
        try
        {
            // Not cancelled with any one caller: the others still wait for it (the client's own timeouts bound it).
            var responses = (await table.SubmitTransactionAsync(group.Select(p => p.Action), CancellationToken.None)).Value;
            for (var i = 0; i < group.Count; i++) group[i].Done.TrySetResult(responses[i]);
        }
        catch (RequestFailedException ex) when (ex.Status is >= 400 and < 500)
        {
            // Refused as a whole and nothing applied: each write again on its own, for its own answer.
            await Task.WhenAll(group.Select(AloneAsync));
        }
        catch (Exception ex)
        {
            foreach (var p in group) p.Done.TrySetException(ex);
        }
    }

    private static async Task AloneAsync(Pending pending)
    {
        try { pending.Done.TrySetResult(await pending.Alone()); }
        catch (Exception ex) { pending.Done.TrySetException(ex); }
    }
}
