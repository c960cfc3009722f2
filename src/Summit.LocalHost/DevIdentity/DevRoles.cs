using System.Security.Cryptography;
using System.Text;
using Summit.Reminders.Meetings;

namespace Summit.LocalHost.DevIdentity;

/// <summary>One app role a local user can be given, as Entra ID app roles are named.</summary>
public sealed record DevRole(string Value, string? TrackId);

/// <summary>The roles of the design (coordinator.&lt;track&gt;, observer, observer.&lt;track&gt;, operator) and the stable
/// object id of a local person.</summary>
public static class DevRoles
{
    public const string Operator = "operator";
    public const string Observer = "observer";

    public static string CoordinatorOf(string trackId) => "coordinator." + trackId;
    public static string ObserverOf(string trackId) => "observer." + trackId;

    public static IReadOnlyList<DevRole> All { get; } =
    [
        .. Tracks.All.Select(t => new DevRole(CoordinatorOf(t.Id), t.Id)),
        new(Observer, null),
        .. Tracks.All.Select(t => new DevRole(ObserverOf(t.Id), t.Id)),
        new(Operator, null),
    ];

    public static bool IsRole(string? value) => value is not null && All.Any(r => r.Value == value);

    public static string Known => "coordinator.<track>, observer, observer.<track> or operator, with a track of "
        + string.Join(", ", Tracks.All.Select(t => t.Id));

    /// <summary>The same GUID for the same name on every machine and run (case, spacing and Unicode form aside): a
    /// name-based UUID (version 8) over SHA-256, so a person keeps their history across restarts of the local host.</summary>
    public static Guid ObjectIdOf(string name)
    {
        var normalized = string.Join(' ', name.Normalize(NormalizationForm.FormC).Split(' ', StringSplitOptions.RemoveEmptyEntries)).ToLowerInvariant();
        var bytes = SHA256.HashData(Encoding.UTF8.GetBytes("summit-local-identity/oid/" + normalized)).AsSpan(0, 16).ToArray();
        bytes[6] = (byte)((bytes[6] & 0x0F) | 0x80);
        bytes[8] = (byte)((bytes[8] & 0x3F) | 0x80);
        return new Guid(bytes, bigEndian: true);
    }

    /// <summary>The local tenant's id (Entra ID tokens carry <c>tid</c>).</summary>
    public static Guid TenantId { get; } = ObjectIdOf("summit local tenant");
}

/// <summary>A person signing in locally: what the tokens say about them.</summary>
public sealed record DevPerson(string Name, string Email, IReadOnlyList<string> Roles)
{
    public Guid ObjectId => DevRoles.ObjectIdOf(Name);
}
