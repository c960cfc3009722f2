using System.Diagnostics;

namespace Summit.TestSupport;

/// <summary>Waiting for something another thread or process does: check often, give up after a bound, and say what
/// did not happen. Never a fixed sleep.</summary>
public static class Poll
{
    public static async Task UntilAsync(Func<bool> condition, TimeSpan bound, string whatDidNotHappen)
    {
        var watch = Stopwatch.StartNew();
        while (!condition())
        {
            if (watch.Elapsed > bound) throw new TimeoutException($"{whatDidNotHappen} (waited {bound.TotalSeconds:0.#} s)");
            await Task.Delay(10);
        }
    }

    /// <summary>The same for a condition that has to ask (an HTTP endpoint, a store): one question at a time.</summary>
    public static async Task UntilAsync(Func<Task<bool>> condition, TimeSpan bound, string whatDidNotHappen)
    {
        var watch = Stopwatch.StartNew();
        while (!await condition())
        {
            if (watch.Elapsed > bound) throw new TimeoutException($"{whatDidNotHappen} (waited {bound.TotalSeconds:0.#} s)");
            await Task.Delay(50);
        }
    }
}
