using System.Diagnostics;

namespace Summit.Benchmarks;

/// <summary>Counts the HTTP requests this process sends (HttpClient's own "System.Net.Http" activities): the storage
/// requests of whatever runs between <see cref="Reset"/> and <see cref="Count"/>.</summary>
public sealed class RequestCounter : IDisposable
{
    private readonly ActivityListener _listener;
    private int _count;

    public RequestCounter()
    {
        _listener = new ActivityListener
        {
            ShouldListenTo = source => source.Name == "System.Net.Http",
            Sample = (ref ActivityCreationOptions<ActivityContext> _) => ActivitySamplingResult.AllData,
            ActivityStopped = _ => Interlocked.Increment(ref _count),
        };
        ActivitySource.AddActivityListener(_listener);
    }

    public void Reset() => Interlocked.Exchange(ref _count, 0);

    public int Count => Volatile.Read(ref _count);

    public void Dispose() => _listener.Dispose();
}
