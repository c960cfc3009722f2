using Summit.Reminders.Commitments;

namespace Summit.Reminders.Ports;

public interface ICommitmentStore
{
    /// <summary>Adds a new commitment; false when one with that id already exists (nothing is changed then).</summary>
    Task<bool> TryAddAsync(Commitment commitment, string? requestFingerprint, CancellationToken cancellationToken);

    Task<StoredCommitment?> GetAsync(string commitmentId, CancellationToken cancellationToken);

    /// <summary>Replaces the commitment if it is unchanged since it was read; throws <see cref="ConcurrencyConflictException"/> otherwise.</summary>
    Task ReplaceAsync(Commitment commitment, string? requestFingerprint, string concurrencyToken, CancellationToken cancellationToken);

    /// <summary>Pages through commitments; an unknown continuation token throws <see cref="ArgumentException"/>.</summary>
    Task<CommitmentPage> ListAsync(CommitmentQuery query, string? continuationToken, int pageSize, CancellationToken cancellationToken);

    /// <summary>Ids of commitments done or dropped before <paramref name="cutoff"/> whose personal data retention has not
    /// erased yet, up to <paramref name="max"/>.</summary>
    Task<IReadOnlyList<string>> ListClosedBeforeAsync(DateTimeOffset cutoff, int max, CancellationToken cancellationToken);

    /// <summary>Every stored commitment, for a data-subject request (which must look everywhere).</summary>
    IAsyncEnumerable<StoredCommitment> ScanAsync(CancellationToken cancellationToken);
}
