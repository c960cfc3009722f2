using Summit.Reminders.Delivery;

namespace Summit.Reminders.Ports;

/// <summary>The dead letters of the reminder queue, for ops: list them, and put one back after a fix.</summary>
public interface IDeadLetterQueue
{
    /// <summary>Up to <paramref name="max"/> dead letters, oldest first. Listing changes nothing.</summary>
    Task<IReadOnlyList<DeadLetter>> ListAsync(int max, CancellationToken cancellationToken);

    Task<DeadLetter?> FindAsync(string id, CancellationToken cancellationToken);

    /// <summary>Publishes <paramref name="replacement"/> to the reminder queue and removes the dead letter <paramref name="id"/>;
    /// false when that dead letter is no longer there.</summary>
    Task<bool> ReplayAsync(string id, ReminderMessage replacement, CancellationToken cancellationToken);

    /// <summary>Deletes the dead letters of reminders that <paramref name="match"/> picks (an erasure's: a meeting's, or a
    /// person's), looking at the first few thousand; returns how many went. Costs one peek when none match.</summary>
    Task<int> PurgeAsync(Func<ReminderMessage, bool> match, CancellationToken cancellationToken);
}
