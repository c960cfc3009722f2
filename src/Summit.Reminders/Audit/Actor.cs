namespace Summit.Reminders.Audit;

/// <summary>How an actor proved who they are: an automation key, a participant's or owner's signed link, a signed-in user
/// (an Entra ID token), or the app itself (retention).</summary>
public enum ActorKind { Key, ParticipantLink, User, System }

/// <summary>
/// Who made a change. <see cref="Id"/> never holds a secret: for a key it is the key's name (<c>function-key</c>,
/// <c>master-key</c>; never its value), for a link the participant's or owner's id, for a user their directory object id
/// (with <see cref="Name"/> for people to read), for the app the job's name.
/// </summary>
public sealed record Actor(ActorKind Kind, string Id, string? Name = null)
{
    public static readonly Actor FunctionKey = new(ActorKind.Key, "function-key");
    public static readonly Actor MasterKey = new(ActorKind.Key, "master-key");
    public static readonly Actor Retention = new(ActorKind.System, "retention");
    public static readonly Actor Unknown = new(ActorKind.System, "app");

    public static Actor ParticipantLink(string participantId) => new(ActorKind.ParticipantLink, participantId);

    /// <summary>A signed-in user (Entra ID): the token's object id, and a display name for people to read.</summary>
    public static Actor User(string objectId, string? name) => new(ActorKind.User, objectId, name);

    /// <summary>An automation key, by its configured name (never its value).</summary>
    public static Actor Key(string name) => new(ActorKind.Key, name);
}

/// <summary>
/// Who is acting in the current request, what they may do and which request it is, carried along the request's
/// asynchronous flow. The HTTP edge opens one per request once the caller is authenticated (<c>Guard</c>), a
/// participant's link narrows it to the participant once their token is checked, a timer opens one for itself; the use
/// cases read it to refuse what the caller's roles do not allow (a track they do not coordinate) and to write the audit
/// trail. Nothing open means the app acting on its own (<see cref="Actor.Unknown"/>, <see cref="Identity.Access.Everything"/>).
/// </summary>
public static class RequestOrigin
{
    private static readonly AsyncLocal<Origin?> CurrentOrigin = new();

    public sealed record Origin(Actor Actor, string? RequestId, Identity.Access Access);

    public static Origin Current => CurrentOrigin.Value ?? new Origin(Actor.Unknown, null, Identity.Access.Everything);

    /// <summary>Opens an origin until the returned scope is disposed. Without <paramref name="access"/>, the app's own
    /// (everything): participant links and timers, whose scope their own checks decide.</summary>
    public static IDisposable Begin(Actor actor, string? requestId, Identity.Access? access = null)
    {
        var previous = CurrentOrigin.Value;
        CurrentOrigin.Value = new Origin(actor, requestId, access ?? Identity.Access.Everything);
        return new Scope(previous);
    }

    /// <summary>The same request, acting as <paramref name="actor"/> (a participant once their link is checked).</summary>
    public static IDisposable As(Actor actor) => Begin(actor, Current.RequestId, Current.Access);

    private sealed class Scope(Origin? previous) : IDisposable
    {
        public void Dispose() => CurrentOrigin.Value = previous;
    }
}
