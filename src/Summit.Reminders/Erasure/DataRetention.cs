using Microsoft.Extensions.Logging;

namespace Summit.Reminders.Erasure;

public sealed record RetentionRunResult(int ErasuresFinished, int PersonErasuresRun, int MeetingsExpired)
{
    public int CommitmentsExpired { get; init; }
}

/// <summary>The retention timer's run: finish what stopped midway, run due follow-ups, then erase meetings and closed
/// commitments past their retention period.</summary>
public sealed partial class DataRetention(MeetingErasure meetings, PersonErasureService people, Commitments.CommitmentRetention commitments, ILogger<DataRetention> logger)
{
    private const int MaxResumesPerRun = 500;

    public async Task<RetentionRunResult> RunAsync(CancellationToken cancellationToken)
    {
        // Each phase on its own: one that cannot run (its listing fails) does not stop the others.
        var finished = await PhaseAsync("finish erasures", () => meetings.ResumeAsync(MaxResumesPerRun, cancellationToken));
        var persons = await PhaseAsync("data-subject requests", () => people.ResumeAsync(MaxResumesPerRun, cancellationToken));
        var expired = await PhaseAsync("expire meetings", () => meetings.EraseEndedAsync(cancellationToken));
        var closed = await PhaseAsync("expire commitments", () => commitments.EraseClosedAsync(cancellationToken));
        var result = new RetentionRunResult(finished, persons, expired) { CommitmentsExpired = closed };
        LogRun(logger, finished, persons, expired, closed);
        return result;
    }

    private async Task<int> PhaseAsync(string phase, Func<Task<int>> run)
    {
        try
        {
            return await run();
        }
        catch (Exception ex) when (ex is not OperationCanceledException and not DependencyUnavailableException)
        {
            LogPhaseFailed(logger, ex, phase);
            return 0;
        }
    }

    [LoggerMessage(Level = LogLevel.Error, Message = "Retention phase '{Phase}' failed; the next run tries again")]
    private static partial void LogPhaseFailed(ILogger logger, Exception exception, string phase);

    [LoggerMessage(Level = LogLevel.Information, Message = "Retention run: {Finished} meeting erasures finished or followed up, {Persons} data-subject erasures run, {Expired} meetings erased after their retention period, {Closed} closed commitments anonymised")]
    private static partial void LogRun(ILogger logger, int finished, int persons, int expired, int closed);
}
