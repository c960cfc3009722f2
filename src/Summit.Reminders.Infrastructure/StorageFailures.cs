using Azure;

namespace Summit.Reminders.Infrastructure;

/// <summary>Which storage failures mean "storage cannot be reached right now" (as opposed to a bug or a refusal).</summary>
internal static class StorageFailures
{
    /// <summary>Unreachable, failing on its side (5xx), or so slow that the SDK's network timeout gave up: the Azure SDK
    /// reports that last one as a cancellation, with this hint in its message, even though nobody cancelled.</summary>
    public static bool IsOutage(Exception ex) => ex switch
    {
        RequestFailedException failed => failed.Status is 0 or >= 500,
        HttpRequestException => true,
        OperationCanceledException cancelled => cancelled.Message.Contains("Network timeout can be adjusted", StringComparison.Ordinal),
        AggregateException aggregate => aggregate.InnerException is { } inner && IsOutage(inner),
        _ => false,
    };
}
