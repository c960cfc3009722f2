using Summit.Reminders.Erasure;

namespace Summit.Reminders.Ports;

/// <summary>The records of data-subject erasure requests: what each erased, and what is left to do.</summary>
public interface IPersonErasures
{
    Task<PersonErasure?> GetAsync(string id, CancellationToken cancellationToken);

    Task SaveAsync(PersonErasure erasure, CancellationToken cancellationToken);

    /// <summary>Requests that stopped midway, or whose follow-up is due by <paramref name="now"/>.</summary>
    Task<IReadOnlyList<PersonErasure>> ListDueAsync(DateTimeOffset now, int max, CancellationToken cancellationToken);
}
