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

    private readonly FakeTimeProvider _time = new(new DateTimeOffset(2026, 11, 27, 9, 0, 10, TimeSpan.Zero));
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

    private static async Task WaitForAsync(Func<bool> condition)
    {
        for (var i = 0; i < 200 && !condition(); i++) await Task.Delay(10);
        Assert.True(condition(), "the timer did not run as expected");
    }

    private async Task AdvanceToAsync(int minute, int second = 0)
    {
        await Task.Delay(20); // let the loop reach its next delay
        _time.SetUtcNow(new DateTimeOffset(2026, 11, 27, 9, minute, second, TimeSpan.Zero));
    }

    [Fact]
    public async Task EachOccurrenceRunsTheFunctionOnceAndAFailureDoesNotStopTheSchedule()
    {
        var (scheduler, _, _) = Create();
        await scheduler.StartAsync(default);

        await AdvanceToAsync(0, 59);
        await Task.Delay(50);
        Assert.Equal(0, _runs.Count);

        _runs.FailNext = true;
        await AdvanceToAsync(1);
        await WaitForAsync(() => _runs.Count == 1);
        await AdvanceToAsync(2);
        await WaitForAsync(() => _runs.Count == 2);
        await Task.Delay(50);
        Assert.Equal(2, _runs.Count);
        Assert.Equal(new DateTime(2026, 11, 27, 9, 3, 0, DateTimeKind.Utc), _runs.Infos[1].ScheduleStatus!.Next);
        await scheduler.StopAsync(default);
    }

    [Fact]
    public async Task ADisabledTimerNeverRunsOnItsOwn()
    {
        var (scheduler, _, functions) = Create(disabled: true);
        await scheduler.StartAsync(default);

        await AdvanceToAsync(5);
        await Task.Delay(100);

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
        await AdvanceToAsync(1);
        await Task.Delay(100);
        _runs.Hold.SetResult();
        await admin;
        await WaitForAsync(() => _runs.Count == 2);

        Assert.Equal(1, _runs.MaxConcurrent);
        await scheduler.StopAsync(default);
    }
}
