using Microsoft.Azure.Functions.Worker;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Time.Testing;

namespace Summit.LocalHost.Tests;

/// <summary>The cron loop on a fake clock: each occurrence runs the timer function once, a failure does not stop the
/// schedule, a disabled timer never runs, and an admin run and a scheduled run never overlap.</summary>
public sealed class TimerSchedulerTests
{
    public sealed class Runs
    {
        private int _count;
        private int _running;
        public int Count => Volatile.Read(ref _count);
        public int MaxConcurrent;
        public bool FailNext;
        public TaskCompletionSource? Hold;
        public List<TimerInfo> Infos { get; } = [];

        public async Task RunAsync(TimerInfo info)
        {
            var concurrent = Interlocked.Increment(ref _running);
            MaxConcurrent = Math.Max(MaxConcurrent, concurrent);
            try
            {
                lock (Infos) Infos.Add(info);
                if (Hold is { } hold) await hold.Task;
                if (FailNext)
                {
                    FailNext = false;
                    throw new InvalidOperationException("boom");
                }
            }
            finally
            {
                Interlocked.Decrement(ref _running);
                Interlocked.Increment(ref _count);
            }
        }
    }

    public sealed class EveryMinute(Runs runs)
    {
        [Function("EveryMinute")]
        public Task Run([TimerTrigger("%EveryMinuteCron%")] TimerInfo timer, CancellationToken cancellationToken) => runs.RunAsync(timer);
    }

    /// <summary>The fake clock, telling the test each time the loop starts waiting on it: the hook that replaces "let the
    /// loop reach its next delay" sleeps. Every wait of the loop is a timer made here.</summary>
    public sealed class WatchedClock : TimeProvider
    {
        private readonly FakeTimeProvider _inner = new(new DateTimeOffset(2026, 11, 27, 9, 0, 10, TimeSpan.Zero));
        private readonly SemaphoreSlim _waits = new(0);
        private int _created;

        public int TimersCreated => Volatile.Read(ref _created);

        public void SetUtcNow(DateTimeOffset value) => _inner.SetUtcNow(value);

        public override DateTimeOffset GetUtcNow() => _inner.GetUtcNow();
        public override long GetTimestamp() => _inner.GetTimestamp();
        public override long TimestampFrequency => _inner.TimestampFrequency;
        public override TimeZoneInfo LocalTimeZone => _inner.LocalTimeZone;

        public override ITimer CreateTimer(TimerCallback callback, object? state, TimeSpan dueTime, TimeSpan period)
        {
            var timer = _inner.CreateTimer(callback, state, dueTime, period);
            Interlocked.Increment(ref _created);
            _waits.Release();
            return timer;
        }

        /// <summary>Returns once the loop has started its next wait on this clock (or fails after a bound).</summary>
        public async Task LoopWaitingAsync()
        {
            if (!await _waits.WaitAsync(TimeSpan.FromSeconds(10))) Assert.Fail("the timer loop did not start waiting on the clock");
        }
    }

    private readonly WatchedClock _time = new();
    private readonly Runs _runs = new();

    private (TimerScheduler Scheduler, FunctionInvoker Invoker, LocalFunctions Functions) Create(bool disabled = false)
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["EveryMinuteCron"] = "0 */1 * * * *",
            ["AzureWebJobs.EveryMinute.Disabled"] = disabled ? "true" : "false",
        }).Build();
        var functions = LocalFunctions.Create(FunctionCatalog.Discover([typeof(EveryMinute)]), configuration, Path.Combine(Paths.FunctionAppOutput, "host.json"));
        var services = new ServiceCollection().AddSingleton(_runs).BuildServiceProvider();
        var invoker = new FunctionInvoker(services.GetRequiredService<IServiceScopeFactory>(), _time, NullLogger<FunctionInvoker>.Instance);
        return (new TimerScheduler(functions, invoker, _time, NullLogger<TimerScheduler>.Instance), invoker, functions);
    }

    private static Task WaitForAsync(Func<bool> condition) =>
        Summit.TestSupport.Poll.UntilAsync(condition, TimeSpan.FromSeconds(5), "the timer did not run as expected");

    /// <summary>Moves the clock once the loop waits on it, then waits until the loop waits again: by then the occurrence,
    /// if one was due, has been run.</summary>
    private async Task AdvanceToAsync(int minute, int second = 0)
    {
        await _time.LoopWaitingAsync();
        _time.SetUtcNow(new DateTimeOffset(2026, 11, 27, 9, minute, second, TimeSpan.Zero));
    }

    [Fact]
    public async Task EachOccurrenceRunsTheFunctionOnceAndAFailureDoesNotStopTheSchedule()
    {
        var (scheduler, _, _) = Create();
        await scheduler.StartAsync(default);

        await AdvanceToAsync(0, 59); // the loop's wait for 09:01 does not end a second early
        Assert.Equal(0, _runs.Count);

        _runs.FailNext = true;
        _time.SetUtcNow(new DateTimeOffset(2026, 11, 27, 9, 1, 0, TimeSpan.Zero));
        await WaitForAsync(() => _runs.Count == 1);
        await AdvanceToAsync(2);
        await WaitForAsync(() => _runs.Count == 2);
        await _time.LoopWaitingAsync(); // waiting for 09:03: the 09:02 occurrence ran once
        Assert.Equal(2, _runs.Count);
        Assert.Equal(new DateTime(2026, 11, 27, 9, 3, 0, DateTimeKind.Utc), _runs.Infos[1].ScheduleStatus!.Next);
        await scheduler.StopAsync(default);
    }

    [Fact]
    public async Task ADisabledTimerNeverRunsOnItsOwn()
    {
        var (scheduler, _, functions) = Create(disabled: true);
        await scheduler.StartAsync(default);

        _time.SetUtcNow(new DateTimeOffset(2026, 11, 27, 9, 5, 0, TimeSpan.Zero));

        Assert.Equal(0, _time.TimersCreated); // a disabled timer has no loop waiting on the clock at all
        Assert.Equal(0, _runs.Count);
        Assert.True(functions.FindTimer("EveryMinute")!.Disabled);
        await scheduler.StopAsync(default);
    }

    [Fact]
    public async Task AnAdminRunAndAScheduledRunOfTheSameTimerNeverOverlap()
    {
        var (scheduler, invoker, functions) = Create();
        await scheduler.StartAsync(default);
        _runs.Hold = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);

        var admin = invoker.InvokeTimerAsync(functions.FindTimer("EveryMinute")!.Function, false, null, default);
        await WaitForAsync(() => _runs.Infos.Count == 1); // the admin run is in the function
        await AdvanceToAsync(1); // the scheduled occurrence is due while the admin run holds the function
        _runs.Hold.SetResult();
        await admin;
        await WaitForAsync(() => _runs.Count == 2);

        Assert.Equal(1, _runs.MaxConcurrent);
        await scheduler.StopAsync(default);
    }
}
