using Summit.Reminders.Audit;

namespace Summit.Reminders.Identity;

/// <summary>Why the caller may not do something: the field that names what they may not touch, and what role it needs.
/// The HTTP edge answers it with 403 problem details.</summary>
public sealed record Refusal(string Field, string Message);

/// <summary>The use cases' checks against the current caller's <see cref="Access"/> (<see cref="RequestOrigin"/>). Each
/// returns null when allowed. Run before anything is written, so a refusal changes nothing.</summary>
public static class Allowed
{
    public static Access Caller => RequestOrigin.Current.Access;

    public static Refusal? ToRead(string track, string field = "track") =>
        Caller.CanRead(track) ? null : new Refusal(field, $"is '{track}', a track your roles do not let you see (coordinator.{track}, observer.{track} or observer)");

    public static Refusal? ToChange(string track, string field = "track") =>
        Caller.CanChange(track) ? null : new Refusal(field, $"is '{track}', a track your roles do not let you change (coordinator.{track})");

    /// <summary>Erasing a meeting: its track's coordinators, or an operator.</summary>
    public static Refusal? ToErase(string track) =>
        Caller.CanChange(track) || Caller.CanOperate ? null : new Refusal("id", $"names a meeting of track '{track}', which your roles do not let you erase (coordinator.{track} or operator)");

    /// <summary>A change that moves something from one track to another needs both.</summary>
    public static Refusal? ToMove(string from, string to) => ToChange(from) ?? ToChange(to);
}
