using System.Diagnostics;

namespace Summit.Benchmarks;

/// <summary>Counts the HTTP requests this process sends (HttpClient's own "System.Net.Http" activities): the storage
/// requests of whatever runs between <see cref="Reset"/> and <see cref="Count"/>. <see cref="Writes"/> counts those that
/// are not GET or HEAD (Table Storage reads are GETs; inserts, transactions, updates and deletes are not).
/// <see cref="ByTarget"/> splits them by table or queue (the first path segment after the account) and method.</summary>
public sealed class RequestCounter : IDisposable
{
    private readonly ActivityListener _listener;
    private int _count;
    private int _writes;
    private readonly System.Collections.Concurrent.ConcurrentDictionary<(string Target, string Method), int> _byTarget = new();

    public RequestCounter()
    {
        _listener = new ActivityListener
        {
            ShouldListenTo = source => source.Name == "System.Net.Http",
            Sample = (ref ActivityCreationOptions<ActivityContext> _) => ActivitySamplingResult.AllData,
            ActivityStopped = activity =>
            {
                Interlocked.Increment(ref _count);
                var method = activity.GetTagItem("http.request.method") as string ?? activity.DisplayName;
                if (!method.StartsWith("GET", StringComparison.Ordinal) && !method.StartsWith("HEAD", StringComparison.Ordinal))
                    Interlocked.Increment(ref _writes);
                var target = TargetOf(activity.GetTagItem("url.full") as string);
                _byTarget.AddOrUpdate((target, method.Split(' ')[0]), 1, (_, n) => n + 1);
            },
        };
        ActivitySource.AddActivityListener(_listener);
    }

    public void Reset()
    {
        Interlocked.Exchange(ref _count, 0);
        Interlocked.Exchange(ref _writes, 0);
        _byTarget.Clear();
    }

    /// <summary>Requests since <see cref="Reset"/> by table or queue and method, most first.</summary>
    public IReadOnlyList<TargetRequests> ByTarget() =>
        _byTarget.Select(kv => new TargetRequests(kv.Key.Target, kv.Key.Method, kv.Value)).OrderByDescending(t => t.Requests).ThenBy(t => t.Target, StringComparer.Ordinal).ToList();

    /// <summary>"http://127.0.0.1:20012/devstoreaccount1/t1dueindex(PartitionKey='a',RowKey='b')" → "t1dueindex";
    /// ".../devstoreaccount1/reminders/messages" → "reminders"; ".../devstoreaccount1/$batch" → "$batch".</summary>
    private static string TargetOf(string? url)
    {
        if (url is null || !Uri.TryCreate(url, UriKind.Absolute, out var uri)) return "?";
        var segments = uri.AbsolutePath.Split('/', StringSplitOptions.RemoveEmptyEntries);
        if (segments.Length < 2) return segments.Length == 1 ? segments[0] : "/";
        var target = Uri.UnescapeDataString(segments[1]);
        var paren = target.IndexOf('(', StringComparison.Ordinal);
        return paren >= 0 ? target[..paren] : target;
    }

    public int Count => Volatile.Read(ref _count);

    public int Writes => Volatile.Read(ref _writes);

    public void Dispose() => _listener.Dispose();
}
