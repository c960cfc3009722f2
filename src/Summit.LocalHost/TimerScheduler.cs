using System.Globalization;
using Cronos;
using Microsoft.Azure.Functions.Worker;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace Summit.LocalHost;

/// <summary>A timer function's resolved schedule: a six-field cron expression (seconds first) or a fixed interval.</summary>
public sealed record TimerSchedule(string Expression, CronExpression? Cron, TimeSpan? Interval)
{
    /// <summary>Resolves <c>%Setting%</c> from configuration, as the Functions host does, then parses the result.</summary>
    public static TimerSchedule Resolve(string function, string schedule, IConfiguration configuration)
    {
        var expression = schedule;
        if (schedule.Length > 2 && schedule.StartsWith('%') && schedule.EndsWith('%'))
        {
            var setting = schedule[1..^1];
            expression = configuration[setting.Replace("__", ":", StringComparison.Ordinal)];
            if (string.IsNullOrWhiteSpace(expression))
                throw new InvalidOperationException($"Function '{function}' is scheduled by the setting '{setting}', which is not set.");
        }
        if (!expression.Contains(' ', StringComparison.Ordinal)
            && TimeSpan.TryParse(expression, CultureInfo.InvariantCulture, out var interval) && interval > TimeSpan.Zero)
            return new TimerSchedule(expression, null, interval);
        try
        {
            return new TimerSchedule(expression, CronExpression.Parse(expression, CronFormat.IncludeSeconds), null);
        }
        catch (CronFormatException ex)
        {
            throw new InvalidOperationException(
                $"Function '{function}' has the schedule '{expression}', which is not a six-field cron expression (seconds first) or a TimeSpan: {ex.Message}", ex);
        }
    }

    public DateTimeOffset? Next(DateTimeOffset after) =>
        Interval is { } interval ? after + interval : Cron!.GetNextOccurrence(after, TimeZoneInfo.Utc);
}

/// <summary>Fires each enabled timer function on its schedule (UTC, as the host does without WEBSITE_TIME_ZONE).</summary>
public sealed partial class TimerScheduler(LocalFunctions functions, FunctionInvoker invoker, TimeProvider time, ILogger<TimerScheduler> logger)
    : BackgroundService
{
    private static readonly TimeSpan MaxWait = TimeSpan.FromDays(1);

    protected override Task ExecuteAsync(CancellationToken stoppingToken) =>
        Task.WhenAll(functions.Timers.Where(t => !t.Disabled).Select(t => RunScheduleAsync(t, stoppingToken)));

    private async Task RunScheduleAsync(LocalTimer timer, CancellationToken stoppingToken)
    {
        var last = (DateTimeOffset?)null;
        if (timer.Trigger.RunOnStartup) await RunOnceAsync(timer, false, null, stoppingToken);
        while (!stoppingToken.IsCancellationRequested)
        {
            // Timers may fire a little early: never compute the next occurrence from before the one just run.
            var now = time.GetUtcNow();
            if (timer.Schedule.Next(last is { } previous && previous > now ? previous : now) is not { } next) return;
            try
            {
                // In steps of at most a day: a yearly schedule is further away than one timer can wait (~49 days).
                for (var wait = next - time.GetUtcNow(); wait > TimeSpan.Zero; wait = next - time.GetUtcNow())
                    await Task.Delay(wait < MaxWait ? wait : MaxWait, time, stoppingToken);
            }
            catch (OperationCanceledException)
            {
                return;
            }
            var status = new ScheduleStatus { Last = last?.UtcDateTime ?? default, Next = timer.Schedule.Next(next)?.UtcDateTime ?? default, LastUpdated = next.UtcDateTime };
            await RunOnceAsync(timer, time.GetUtcNow() - next > TimeSpan.FromMinutes(1), status, stoppingToken);
            last = next;
        }
    }

    private async Task RunOnceAsync(LocalTimer timer, bool pastDue, ScheduleStatus? status, CancellationToken stoppingToken)
    {
        try
        {
            await invoker.InvokeTimerAsync(timer.Function, pastDue, status, stoppingToken);
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
        }
        catch (Exception ex)
        {
            // Logged by the invoker; the schedule goes on, as on the real host.
            LogScheduleContinues(logger, timer.Function.Name, ex.GetType().Name);
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Timer '{Function}' failed ({Error}); it runs again at its next occurrence")]
    private static partial void LogScheduleContinues(ILogger logger, string function, string error);
}
