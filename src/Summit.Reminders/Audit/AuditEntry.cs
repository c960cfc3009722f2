using System.Globalization;

namespace Summit.Reminders.Audit;

/// <summary>What one audit entry records of the change: a field and its value before and after (null: none, as for a
/// participant added or removed). Values are text as the API shows them.</summary>
public sealed record AuditChange(string Field, string? Old, string? New);

/// <summary>Whether the change an entry describes is known to have landed. An entry is written <see cref="Pending"/>
/// before the change and settled after it (docs/architecture.md, "The audit trail").</summary>
public enum AuditState { Pending, Recorded, Void }

/// <summary>
/// One entry of a meeting's or commitment's history: what was done (<see cref="Action"/>, one of <see cref="AuditActions"/>),
/// by whom, when, in which request, and for a change of fields each field's old and new value. <see cref="Version"/> is
/// the version of the meeting or commitment the change made, when it makes one.
/// </summary>
public sealed record AuditEntry(string Id, DateTimeOffset At, string Action, Actor Actor, string? RequestId, IReadOnlyList<AuditChange> Changes)
{
    public const string Marker = "[erased]";

    public long? Version { get; init; }
    public AuditState State { get; init; } = AuditState.Recorded;
    /// <summary>When an erasure replaced personal values of this entry with <see cref="Marker"/>.</summary>
    public DateTimeOffset? ErasedAt { get; init; }

    /// <summary>Personal values: free text that can name people (titles, agendas, places, notes, reasons), people
    /// (names and addresses), links, and the id of a participant who acted through their link.</summary>
    public static bool IsPersonal(string field) => AuditFields.Personal.Contains(field) || field.StartsWith("participants", StringComparison.Ordinal)
        || field.StartsWith("owners", StringComparison.Ordinal);

    /// <summary>
    /// This entry with personal values replaced by <see cref="Marker"/>: every one (<paramref name="person"/> null, the
    /// meeting or commitment is erased), or only those naming a person (any of their addresses or ids, a data-subject
    /// request). What was done, when, the actor's kind and the request id stay. Null when nothing changes.
    /// </summary>
    public AuditEntry? Erase(IReadOnlySet<string>? person, DateTimeOffset now)
    {
        var changed = false;
        string? Scrub(string field, string? value)
        {
            if (value is null || value == Marker) return value;
            var erase = person is null ? IsPersonal(field) : person.Any(p => value.Contains(p, StringComparison.OrdinalIgnoreCase));
            if (!erase) return value;
            changed = true;
            return Marker;
        }
        var changes = Changes.Select(c => c with { Old = Scrub(c.Field, c.Old), New = Scrub(c.Field, c.New) }).ToList();
        var actor = Actor;
        if (Actor.Kind is ActorKind.ParticipantLink or ActorKind.User && Actor.Id != Marker && (person is null || person.Contains(Actor.Id)))
        {
            actor = Actor with { Id = Marker, Name = null };
            changed = true;
        }
        return changed ? this with { Changes = changes, Actor = actor, ErasedAt = now } : null;
    }

    internal static string Format(long? number) => number?.ToString(CultureInfo.InvariantCulture) ?? "";
}

/// <summary>The actions an audit entry names.</summary>
public static class AuditActions
{
    public const string Created = "created";
    public const string Updated = "updated";
    public const string Cancelled = "cancelled";
    public const string Completed = "completed";
    public const string Erased = "erased";
    /// <summary>A data-subject request took a person off (their values in the history are the marker).</summary>
    public const string PersonErased = "person-erased";
    public const string DeadLetterReplayed = "dead-letter-replayed";
    public const string Acknowledged = "acknowledged";
    public const string Unsubscribed = "unsubscribed";
    // Commitments.
    public const string Done = "done";
    public const string DoneThroughLink = "done-through-link";
    public const string Reopened = "reopened";
    public const string Dropped = "dropped";
    public const string MoreTimeRequested = "more-time-requested";
}

/// <summary>The fields whose values are personal (see <see cref="AuditEntry.IsPersonal"/>).</summary>
public static class AuditFields
{
    public static readonly IReadOnlySet<string> Personal = new HashSet<string>(StringComparer.Ordinal)
    {
        "title", "agenda", "location", "joinUrl", "coordinator", "details", "note", "link", "reason", "participant", "owner",
        "reminder",
    };
}

/// <summary>One page of a history, oldest first; <see cref="ContinuationToken"/> leads to the next page (null: no more).</summary>
public sealed record AuditPage(IReadOnlyList<AuditEntry> Entries, string? ContinuationToken);
