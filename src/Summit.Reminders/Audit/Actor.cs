namespace Summit.Reminders.Audit;

/// <summary>How an actor proved who they are: a function key (automation, or today every coordinator), a participant's
/// or owner's signed link, a signed-in user (Entra ID, later), or the app itself (retention).</summary>
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

    /// <summary>A signed-in user (for Entra ID): the token's object id, and a display name for people to read.</summary>
    public static Actor User(string objectId, string? name) => new(ActorKind.User, objectId, name);
}

/// <summary>
/// Who is acting in the current request and which request it is, carried along the request's asynchronous flow.
/// The HTTP edge opens one per request (<c>Guard</c>), a participant's link narrows it to the participant once their
/// token is checked, a timer opens one for itself; the use cases read it when they write the audit trail. Ambient rather
/// than a parameter of every use case: only the audit trail needs it, and a signed-in user will be set at the same
/// single place. Nothing open means the app acting on its own (<see cref="Actor.Unknown"/>).
/// </summary>
public static class RequestOrigin
{
    private static readonly AsyncLocal<Origin?> CurrentOrigin = new();

    public sealed record Origin(Actor Actor, string? RequestId);

    public static Origin Current => CurrentOrigin.Value ?? new Origin(Actor.Unknown, null);

    /// <summary>Opens an origin until the returned scope is disposed.</summary>
    public static IDisposable Begin(Actor actor, string? requestId)
    {
        var previous = CurrentOrigin.Value;
        CurrentOrigin.Value = new Origin(actor, requestId);
        return new Scope(previous);
    }

    /// <summary>The same request, acting as <paramref name="actor"/> (a participant once their link is checked).</summary>
    public static IDisposable As(Actor actor) => Begin(actor, Current.RequestId);

    private sealed class Scope(Origin? previous) : IDisposable
    {
        public void Dispose() => CurrentOrigin.Value = previous;
    }
}
