using System.Text.Json;
using System.Text.Json.Serialization;

namespace Summit.Reminders.Digest;

/// <summary>The id of one of the summit's tracks (<see cref="Meetings.Tracks"/>), as a person's permissions name it.
/// Written and read in JSON as the plain string.</summary>
[JsonConverter(typeof(TrackIdJsonConverter))]
public readonly record struct TrackId(string Value)
{
    public static implicit operator TrackId(string value) => new(value);

    public override string ToString() => Value;
}

internal sealed class TrackIdJsonConverter : JsonConverter<TrackId>
{
    public override TrackId Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options) =>
        new(reader.GetString() ?? throw new JsonException("A track id must be a string."));

    public override void Write(Utf8JsonWriter writer, TrackId value, JsonSerializerOptions options) => writer.WriteStringValue(value.Value);
}

/// <summary>
/// A signed-in person who asks for the daily digest. <see cref="Id"/> is opaque (an Entra object id, or a key's name):
/// it is never shown or logged as it is, only through <see cref="DigestIds.SubjectOf"/>. <see cref="Language"/> is en, ko
/// or tr; <see cref="TimeZone"/> an IANA or Windows zone id (stored as IANA); <see cref="Tracks"/> the tracks they may read
/// (null: all).
/// </summary>
public sealed record DigestSubscriber(string Id, string Email, string? Name, string Language, string TimeZone, IReadOnlyList<TrackId>? Tracks);

/// <summary>
/// A stored subscription. <see cref="SubjectId"/> keys its storage, its due entries and its ledger rows.
/// <see cref="PlanId"/> changes with every subscribe: due entries of an earlier plan are discarded, so re-subscribing
/// re-plans the next send and an old chain of days stops. <see cref="NextDigestAt"/> is the next planned send (08:00 in
/// the subscriber's zone), moved on by the scheduler each day.
/// </summary>
public sealed record DigestSubscription(
    DigestSubscriber Subscriber, string SubjectId, string PlanId, int PlanVersion, DateTimeOffset NextDigestAt, DateTimeOffset CreatedAt, DateTimeOffset UpdatedAt)
{
    /// <summary>How long a digest goes on after its subscriber last opted in or changed it. The tracks it covers are the
    /// subscriber's roles at that moment, and nothing tells the app when those roles are taken away: so it stops by
    /// itself, and the person renews it by saving it again (PUT; GET shows renewBy) while they still
    /// hold the roles.</summary>
    public static readonly TimeSpan LastsFor = TimeSpan.FromDays(35);

    /// <summary>Whether it has run out at <paramref name="now"/> (<see cref="LastsFor"/>).</summary>
    public bool HasLapsed(DateTimeOffset now) => now > UpdatedAt + LastsFor;

    /// <summary>Whether the digest covers a track.</summary>
    public bool Covers(string trackId) => Subscriber.Tracks is not { } tracks || tracks.Any(t => t.Value == trackId);
}

/// <summary>A subscription as stored, with the store's concurrency token for a conditional update.</summary>
public sealed record StoredDigestSubscription(DigestSubscription Subscription, string ConcurrencyToken);

public static class DigestIds
{
    /// <summary>The plan part of every digest's email id: an email is about a subscriber's day, whatever plan queued it, so
    /// a re-subscription on the same day never sends a second one (<c>{subject}.daily.digest-2026-12-01.coordinator</c>).</summary>
    public const string Daily = "daily";

    /// <summary>Where a subscriber's digest lives (store key, due entries, ledger partition): <c>digest-</c> and the first
    /// 128 bits of SHA-256 of their id, in hex. Safe as a table key whatever the id holds, and the same id always maps to it.</summary>
    public static string SubjectOf(string subscriberId) =>
        "digest-" + Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(System.Text.Encoding.UTF8.GetBytes(subscriberId)))[..32];

    /// <summary>The id of one day's digest email to one subscriber.</summary>
    public static string EmailOf(string subjectId, DateOnly day) =>
        Notifications.NotificationIds.For(subjectId, Daily, Notifications.Slots.Digest(day), Notifications.Slots.Coordinator);
}
