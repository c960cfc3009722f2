using Summit.Reminders.Digest;

namespace Summit.Reminders.Ports;

/// <summary>The daily digest's subscriptions, one per subscriber, keyed by <see cref="DigestSubscription.SubjectId"/>. They
/// hold personal data (an address, a name): a person's erasure deletes theirs (<see cref="ScanAsync"/>).</summary>
public interface IDigestSubscriptions
{
    Task<StoredDigestSubscription?> GetAsync(string subjectId, CancellationToken cancellationToken);

    /// <summary>Stores the subscription, replacing any earlier one of the same subscriber (a person's own settings: the
    /// last one they gave wins).</summary>
    Task PutAsync(DigestSubscription subscription, CancellationToken cancellationToken);

    /// <summary>Replaces the subscription if it is unchanged since it was read; false when it changed or is gone (then
    /// nothing is written: a withdrawn subscription is never brought back).</summary>
    Task<bool> TryReplaceAsync(DigestSubscription subscription, string concurrencyToken, CancellationToken cancellationToken);

    /// <summary>Deletes the subscription; false when there was none.</summary>
    Task<bool> DeleteAsync(string subjectId, CancellationToken cancellationToken);

    /// <summary>Every subscription, for a data-subject request (which must look everywhere).</summary>
    IAsyncEnumerable<DigestSubscription> ScanAsync(CancellationToken cancellationToken);
}
