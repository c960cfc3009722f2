using Summit.Reminders.Notifications;

namespace Summit.Reminders.Ports;

/// <summary>
/// Reminder slots keyed by due time. Reading is forward from a stored watermark, so a tick costs in proportion to the
/// slots due, not to all slots stored. Eventually consistent with the meetings: entries of superseded plans are
/// discarded by the scheduler.
/// </summary>
public interface IDueIndex
{
    Task AddAsync(IReadOnlyCollection<DueEntry> entries, CancellationToken cancellationToken);

    /// <summary>Reads every entry due at or before <paramref name="upTo"/> that is still in the index, from the watermark on.</summary>
    Task<IDueBatch> ReadDueAsync(DateTimeOffset upTo, CancellationToken cancellationToken);

    /// <summary>Removes an entry outside a tick (a withdrawn digest's next day); nothing happens when it is gone.
    /// Adding an entry again with the same subject, plan, slot and moment replaces it rather than adding a second one.</summary>
    Task RemoveAsync(DueEntry entry, CancellationToken cancellationToken);
}

public interface IDueBatch
{
    IReadOnlyList<DueEntry> Entries { get; }

    /// <summary>Takes an entry for this tick until <paramref name="leaseUntil"/>. False when another tick holds it or it is gone.</summary>
    Task<bool> TryClaimAsync(DueEntry entry, DateTimeOffset leaseUntil, CancellationToken cancellationToken);

    /// <summary>Gives a claimed entry back so the next tick can retry it at once.</summary>
    Task ReleaseAsync(DueEntry entry, CancellationToken cancellationToken);

    /// <summary>Removes a claimed entry: it has been published or discarded.</summary>
    Task RemoveAsync(DueEntry entry, CancellationToken cancellationToken);

    /// <summary>Moves the watermark past everything this batch removed, never past an entry still in the index.</summary>
    Task CommitAsync(CancellationToken cancellationToken);
}
