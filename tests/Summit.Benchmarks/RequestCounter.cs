using System.Diagnostics;

namespace Summit.Benchmarks;

/// <summary>Counts the HTTP requests this process sends (HttpClient's own "System.Net.Http" activities): the storage
/// requests of whatever runs between <see cref="Reset"/> and <see cref="Count"/>. <see cref="Writes"/> counts those that
/// are not GET or HEAD (Table Storage reads are GETs; inserts, transactions, updates and deletes are not).</summary>
public sealed class RequestCounter : IDisposable
{
    private readonly ActivityListener _listener;
    private int _count;
    private int _writes;

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
            },
        };
        ActivitySource.AddActivityListener(_listener);
    }

    public void Reset()
    {
        Interlocked.Exchange(ref _count, 0);
        Interlocked.Exchange(ref _writes, 0);
    }

    public int Count => Volatile.Read(ref _count);

    public int Writes => Volatile.Read(ref _writes);

    public void Dispose() => _listener.Dispose();
}
