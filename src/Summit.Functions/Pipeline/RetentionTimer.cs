using Microsoft.Azure.Functions.Worker;
using Microsoft.Extensions.Logging;
using Summit.Reminders;
using Summit.Reminders.Erasure;

namespace Summit.Functions.Pipeline;

/// <summary>Retention (<c>%RetentionCron%</c>, hourly by default): finishes erasures that stopped midway, runs their
/// follow-ups, and erases meetings that ended more than Retention:AfterMeetingEndDays ago.</summary>
public sealed partial class RetentionTimer(DataRetention retention, ILogger<RetentionTimer> logger)
{
    [Function("ApplyRetention")]
    public async Task ApplyRetention([TimerTrigger("%RetentionCron%")] TimerInfo timer, CancellationToken cancellationToken)
    {
        try
        {
            await retention.RunAsync(cancellationToken);
        }
        catch (DependencyUnavailableException ex)
        {
            LogUnavailable(logger, ex.Dependency);
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "ApplyRetention skipped this run: {Dependency} is unavailable; the next run finishes the work")]
    private static partial void LogUnavailable(ILogger logger, string dependency);
}
