using Summit.Reminders.Meetings;

namespace Summit.Reminders.Identity;

/// <summary>
/// What a caller may do, from the roles they hold (app roles in an Entra ID token, or an automation key's configured
/// roles). Role values, compared without regard to case:
/// <list type="bullet">
/// <item><c>coordinator.&lt;track&gt;</c>: read and change that track's meetings and commitments (<c>coordinator.*</c>: every track);</item>
/// <item><c>observer</c>: read every track; <c>observer.&lt;track&gt;</c>: read one track;</item>
/// <item><c>operator</c>: dead letters and erasures of people.</item>
/// </list>
/// Values that name no known role or track grant nothing (a role assigned in Entra ID for a track this version does not
/// know yet must not widen anything).
/// </summary>
public sealed class Access
{
    public const string CoordinatorPrefix = "coordinator.";
    public const string Observer = "observer";
    public const string ObserverPrefix = "observer.";
    public const string Operator = "operator";
    public const string EveryTrack = "*";

    private readonly HashSet<string> _read;
    private readonly HashSet<string> _change;

    private Access(IEnumerable<string> read, IEnumerable<string> change, bool canOperate, IReadOnlyList<string> roles)
    {
        _change = new HashSet<string>(change, StringComparer.Ordinal);
        _read = new HashSet<string>(read.Concat(_change), StringComparer.Ordinal);
        CanOperate = canOperate;
        Roles = roles;
    }

    /// <summary>The app acting on its own (timers, retention, use cases called without a request): everything.</summary>
    public static Access Everything { get; } = new(Tracks.All.Select(t => t.Id), Tracks.All.Select(t => t.Id), true, []);

    /// <summary>Someone holding no role we know: authenticated, and allowed nothing but what every caller may read.</summary>
    public static Access Nothing { get; } = new([], [], false, []);

    /// <summary>The roles that granted something, in a stable order (for <c>GET /api/me</c>).</summary>
    public IReadOnlyList<string> Roles { get; }

    public bool CanOperate { get; }

    public bool CanRead(string? track) => track is not null && _read.Contains(track);

    public bool CanChange(string? track) => track is not null && _change.Contains(track);

    public bool ReadsEveryTrack => Tracks.All.All(t => _read.Contains(t.Id));

    public bool CanReadAny => _read.Count > 0;

    public bool CanChangeAny => _change.Count > 0;

    /// <summary>The tracks this caller may read, in the summit's order.</summary>
    public IReadOnlyList<Track> ReadableTracks => Tracks.All.Where(t => _read.Contains(t.Id)).ToList();

    /// <summary>The tracks a list must be narrowed to: null when every track may be read.</summary>
    public IReadOnlyList<string>? ListFilter => ReadsEveryTrack ? null : ReadableTracks.Select(t => t.Id).ToList();

    public static Access FromRoles(IEnumerable<string> roles)
    {
        var known = Tracks.All.Select(t => t.Id).ToHashSet(StringComparer.Ordinal);
        var read = new List<string>();
        var change = new List<string>();
        var granted = new List<string>();
        var canOperate = false;
        foreach (var raw in roles)
        {
            var role = raw.Trim().ToLowerInvariant();
            if (role == Operator) canOperate = true;
            else if (role == Observer) read.AddRange(known);
            else if (TrackOf(role, ObserverPrefix, known) is { } observed) read.AddRange(observed);
            else if (TrackOf(role, CoordinatorPrefix, known) is { } coordinated) change.AddRange(coordinated);
            else continue;
            if (!granted.Contains(role)) granted.Add(role);
        }
        granted.Sort(StringComparer.Ordinal);
        return new Access(read, change, canOperate, granted);
    }

    private static IEnumerable<string>? TrackOf(string role, string prefix, HashSet<string> known)
    {
        if (!role.StartsWith(prefix, StringComparison.Ordinal)) return null;
        var track = role[prefix.Length..];
        if (track == EveryTrack) return known;
        return known.Contains(track) ? [track] : null;
    }
}
