namespace Summit.Reminders.Delivery;

/// <summary>
/// Whether the email provider took this process's credentials the last time it was asked. Delivery records a refusal
/// (SendGrid's 401/403) and an acceptance; the health endpoint reports the provider unhealthy while the last answer was
/// a refusal. Per process: another instance learns it on its own first send (docs/reliability.md).
/// </summary>
public sealed class EmailProviderStatus(TimeProvider time)
{
    private Refusal? _refusal;

    /// <summary>The provider's status code (401, 403) and since when; its error text stays in the ledger and the log, not
    /// on the anonymous health endpoint.</summary>
    public sealed record Refusal(int Status, DateTimeOffset Since);

    public Refusal? Current => Volatile.Read(ref _refusal);

    public void Refused(int status) =>
        Interlocked.CompareExchange(ref _refusal, new Refusal(status, time.GetUtcNow()), null);

    public void Accepted() => Volatile.Write(ref _refusal, null);

    /// <summary>For a health probe: throws while the provider refuses our credentials.</summary>
    public Task ProbeAsync() =>
        Current is { } refusal
            ? throw new DependencyUnhealthyException(
                $"answered {refusal.Status}: our API key is refused (since {refusal.Since:yyyy-MM-dd HH:mm} UTC); emails wait in the queue and go out once the key works")
            : Task.CompletedTask;
}
