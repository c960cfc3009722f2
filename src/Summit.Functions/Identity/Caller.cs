using Summit.Reminders.Audit;
using Summit.Reminders.Identity;

namespace Summit.Functions.Identity;

/// <summary>Who calls (for the audit trail) and what their roles allow.</summary>
public sealed record Caller(Actor Actor, Access Access);

/// <summary>What an HTTP function requires of its caller before it runs; the track checks come after, in the use case.</summary>
public enum Need
{
    /// <summary>No identity: the token in a participant's link, SendGrid's signature, health, the OpenAPI document.</summary>
    Anonymous,
    /// <summary>Any authenticated caller (tracks, public holidays, who am I).</summary>
    SignedIn,
    /// <summary>A role that lets the caller see at least one track (coordinator or observer).</summary>
    Read,
    /// <summary>A coordinator of at least one track.</summary>
    Change,
    /// <summary>The operator role.</summary>
    Operate,
}

/// <summary>What a function needs (<see cref="Need"/>): declared next to <c>[Function]</c> so the OpenAPI document and the
/// tests read it; the function passes the same value to <c>Guard</c>, and a test calls every function to prove they agree.</summary>
[AttributeUsage(AttributeTargets.Method)]
public sealed class NeedsAttribute(Need need) : Attribute
{
    public Need Need { get; } = need;
}
