using Microsoft.Extensions.Logging;
using Summit.Reminders.Ports;

namespace Summit.Reminders.Audit;

/// <summary>
/// Writes the history of meetings and commitments around each change, in an order that never loses a change's entry
/// silently: <see cref="BeginAsync"/> appends the entry as <see cref="AuditState.Pending"/> before the change's first
/// write (so a storage outage refuses the change before anything happens), <see cref="SettleAsync"/> marks it recorded
/// once the change landed, or void when it is known not to have landed (a concurrent change won, a replay found nothing).
/// If the process stops, or storage fails, between the change and its settling, the entry stays pending and the history
/// shows it as unconfirmed: a change is never missing from the history; at worst it is listed without the certainty
/// that it landed. The actor and request id come from <see cref="RequestOrigin"/>.
/// </summary>
public sealed partial class AuditTrail(IAuditLog log, TimeProvider time, ILogger<AuditTrail> logger)
{
    private static long _sequence;

    public async Task<AuditEntry> BeginAsync(string subjectId, string action, IReadOnlyList<AuditChange> changes, long? version, CancellationToken cancellationToken)
    {
        var origin = RequestOrigin.Current;
        var at = time.GetUtcNow();
        var entry = new AuditEntry(NewId(at), at, action, origin.Actor, origin.RequestId, changes) { Version = version, State = AuditState.Pending };
        await log.AppendAsync(subjectId, entry, cancellationToken);
        return entry;
    }

    /// <summary>Marks the entry recorded (<paramref name="landed"/>) or void. A failure here is logged and leaves the entry
    /// pending (shown as unconfirmed), never fails the change that already landed.</summary>
    public async Task SettleAsync(string subjectId, AuditEntry entry, bool landed, CancellationToken cancellationToken)
    {
        try
        {
            await log.SettleAsync(subjectId, entry.Id, landed ? AuditState.Recorded : AuditState.Void, cancellationToken);
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            LogUnsettled(logger, ex, subjectId, entry.Id, entry.Action);
        }
    }

    /// <summary>Appends and settles at once: for what is written after the fact (an erasure's own entry, whose subject is
    /// already gone when it is appended).</summary>
    public async Task AppendAsync(string subjectId, string action, IReadOnlyList<AuditChange> changes, CancellationToken cancellationToken)
    {
        var origin = RequestOrigin.Current;
        var at = time.GetUtcNow();
        await log.AppendAsync(subjectId, new AuditEntry(NewId(at), at, action, origin.Actor, origin.RequestId, changes), cancellationToken);
    }

    /// <summary>Row keys sort by time, then by a per-process sequence (two entries of one instant keep the order they were
    /// written in), then a random suffix (unique across processes).</summary>
    private static string NewId(DateTimeOffset at) =>
        $"{at.UtcTicks:D19}-{Interlocked.Increment(ref _sequence) % 100_000_000:D8}-{Convert.ToHexStringLower(System.Security.Cryptography.RandomNumberGenerator.GetBytes(3))}";

    /// <summary>Whether <paramref name="token"/> has the shape of an entry id (continuation tokens are entry ids).</summary>
    public static bool IsEntryId(string token) =>
        token.Length == 19 + 1 + 8 + 1 + 6 && token[19] == '-' && token[28] == '-'
        && token[..19].All(char.IsAsciiDigit) && token[20..28].All(char.IsAsciiDigit) && token[29..].All(char.IsAsciiHexDigitLower);

    [LoggerMessage(Level = LogLevel.Error, Message = "Audit entry {EntryId} ({Action}) of {SubjectId} could not be settled after its change; it stays listed as unconfirmed")]
    private static partial void LogUnsettled(ILogger logger, Exception exception, string subjectId, string entryId, string action);
}
