using Microsoft.Azure.Functions.Worker;
using Microsoft.Extensions.Logging;
using Summit.Reminders.Delivery;
using Summit.Reminders.Ports;
using Summit.Reminders.Scheduling;
using Summit.Reminders;

namespace Summit.Functions.Pipeline;

/// <summary>
/// The two timers of the pipeline. Schedules come from app settings (<c>%ScheduleDueRemindersCron%</c>,
/// <c>%DeliverRemindersCron%</c>). When storage or the queue is down a run logs and leaves everything for the next run.
/// </summary>
public sealed partial class ReminderTimers(ReminderScheduler scheduler, ReminderDelivery delivery, ILogger<ReminderTimers> logger)
{
    [Function("ScheduleDueReminders")]
    public async Task ScheduleDueReminders([TimerTrigger("%ScheduleDueRemindersCron%")] TimerInfo timer, CancellationToken cancellationToken)
    {
        try
        {
            await scheduler.TickAsync(cancellationToken);
        }
        catch (DependencyUnavailableException ex)
        {
            LogUnavailable(logger, "ScheduleDueReminders", ex.Dependency);
        }
    }

    [Function("DeliverReminders")]
    public async Task DeliverReminders([TimerTrigger("%DeliverRemindersCron%")] TimerInfo timer, CancellationToken cancellationToken)
    {
        try
        {
            await delivery.RunAsync(cancellationToken);
        }
        catch (DependencyUnavailableException ex)
        {
            LogUnavailable(logger, "DeliverReminders", ex.Dependency);
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "{Function} skipped this run: {Dependency} is unavailable; nothing is lost, the next run picks the work up")]
    private static partial void LogUnavailable(ILogger logger, string function, string dependency);
}
