using Microsoft.Extensions.Logging;

namespace Summit.Reminders.Erasure;

public sealed record RetentionRunResult(int ErasuresFinished, int PersonErasuresRun, int MeetingsExpired);

/// <summary>The retention timer's run: finish what stopped midway, run due follow-ups, then erase meetings past their
/// retention period.</summary>
public sealed partial class DataRetention(MeetingErasure meetings, PersonErasureService people, ILogger<DataRetention> logger)
{
    private const int MaxResumesPerRun = 500;

    public async Task<RetentionRunResult> RunAsync(CancellationToken cancellationToken)
    {
        var finished = await meetings.ResumeAsync(MaxResumesPerRun, cancellationToken);
        var persons = await people.ResumeAsync(MaxResumesPerRun, cancellationToken);
        var expired = await meetings.EraseEndedAsync(cancellationToken);
        var result = new RetentionRunResult(finished, persons, expired);
        LogRun(logger, finished, persons, expired);
        return result;
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Retention run: {Finished} meeting erasures finished or followed up, {Persons} data-subject erasures run, {Expired} meetings erased after their retention period")]
    private static partial void LogRun(ILogger logger, int finished, int persons, int expired);
}
