using Summit.Reminders.Audit;

namespace Summit.Reminders.Ports;

/// <summary>
/// The history of each meeting and commitment (the subject), append-only: nothing changes an entry but its writer's
/// settling (pending → recorded or void) and an erasure's marker.
/// </summary>
public interface IAuditLog
{
    /// <summary>Adds an entry; its <see cref="AuditEntry.Id"/> orders it within the subject's history.</summary>
    Task AppendAsync(string subjectId, AuditEntry entry, CancellationToken cancellationToken);

    /// <summary>Settles a pending entry (recorded or void); an entry already settled stays as it is.</summary>
    Task SettleAsync(string subjectId, string entryId, AuditState state, CancellationToken cancellationToken);

    /// <summary>Up to <paramref name="pageSize"/> entries after <paramref name="continuationToken"/> (an entry id, or null for
    /// the start), oldest first, void ones left out.</summary>
    Task<AuditPage> ListAsync(string subjectId, string? continuationToken, int pageSize, CancellationToken cancellationToken);

    /// <summary>Replaces personal values with <see cref="AuditEntry.Marker"/> (see <see cref="AuditEntry.Erase"/>): every one
    /// (<paramref name="person"/> null), or those naming one of the person's addresses or ids. Returns how many entries changed.</summary>
    Task<int> EraseAsync(string subjectId, IReadOnlySet<string>? person, DateTimeOffset now, CancellationToken cancellationToken);
}
