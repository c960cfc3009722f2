using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Azure.Functions.Worker;
using Summit.Functions.Http;
using Summit.Reminders.Audit;
using Summit.Reminders.Digest;

namespace Summit.Functions.Identity;

/// <summary>The body of <c>PUT /api/me/digest</c>: where and how the caller wants their daily digest.</summary>
public sealed record DigestDraft(string? Email, string? Name, string? Language, string? TimeZone);

/// <summary>The caller's digest: where it goes, in which language, at 08:00 of which zone, the tracks it covers (null:
/// every track) and when the next one is planned.</summary>
public sealed record DigestResponse(string Email, string? Name, string Language, string TimeZone, IReadOnlyList<string>? Tracks, DateTimeOffset NextDigestAt,
    DateTimeOffset RenewBy)
{
    public static DigestResponse From(DigestSubscription s) =>
        new(s.Subscriber.Email, s.Subscriber.Name, s.Subscriber.Language, s.Subscriber.TimeZone, s.Subscriber.Tracks?.Select(t => t.Value).ToList(), s.NextDigestAt,
            s.UpdatedAt + DigestSubscription.LastsFor);
}

/// <summary>
/// The signed-in coordinator's (or observer's) own daily digest: opt in, see, opt out. The digest covers the tracks the
/// caller's roles let them see at the moment they opt in; opting in again after a change of roles updates them. The
/// subscriber is the caller (a user by their object id, a key by its name): nobody subscribes anyone else.
/// </summary>
public sealed class DigestApi(DigestService digests, Guard guard)
{
    /// <summary>Seeing and stopping one's digest needs no role: someone whose roles were taken away must still be able to
    /// stop it (it also stops by itself, <see cref="DigestSubscription.LastsFor"/> after it was last renewed).</summary>
    [Function("GetMyDigest")]
    [Needs(Need.SignedIn)]
    public Task<IActionResult> Get(
        [HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "api/me/digest")] HttpRequest request, CancellationToken cancellationToken) =>
        guard.RunAsync(request, Need.SignedIn, async () =>
            await digests.GetAsync(SubscriberId(), cancellationToken) is { } subscription
                ? new OkObjectResult(DigestResponse.From(subscription))
                : Problems.NotFound(request, "Your daily digest"));

    [Function("SubscribeMyDigest")]
    [Needs(Need.Read)]
    public Task<IActionResult> Put(
        [HttpTrigger(AuthorizationLevel.Anonymous, "put", Route = "api/me/digest")] HttpRequest request, CancellationToken cancellationToken) =>
        guard.RunAsync(request, Need.Read, async () =>
        {
            var (draft, problem) = await JsonBody.ReadAsync<DigestDraft>(request, cancellationToken);
            if (problem is not null) return problem;
            var access = RequestOrigin.Current.Access;
            var subscriber = new DigestSubscriber(SubscriberId(), draft!.Email ?? "", draft.Name, draft.Language ?? "", draft.TimeZone ?? "",
                access.ReadsEveryTrack ? null : access.ReadableTracks.Select(t => new TrackId(t.Id)).ToList());
            return await digests.SubscribeAsync(subscriber, cancellationToken) switch
            {
                DigestSubscribeResult.Subscribed subscribed => new OkObjectResult(DigestResponse.From(subscribed.Subscription)),
                DigestSubscribeResult.Invalid invalid => Problems.Validation(request, invalid.Errors),
                var other => throw new InvalidOperationException($"Unmapped result {other}."),
            };
        });

    [Function("UnsubscribeMyDigest")]
    [Needs(Need.SignedIn)]
    public Task<IActionResult> Delete(
        [HttpTrigger(AuthorizationLevel.Anonymous, "delete", Route = "api/me/digest")] HttpRequest request, CancellationToken cancellationToken) =>
        guard.RunAsync(request, Need.SignedIn, async () =>
            await digests.UnsubscribeAsync(SubscriberId(), cancellationToken)
                ? new NoContentResult()
                : Problems.NotFound(request, "Your daily digest"));

    /// <summary>The caller as a subscriber: kind and id, so a key named like a user's object id is still someone else.</summary>
    private static string SubscriberId()
    {
        var actor = RequestOrigin.Current.Actor;
        return (actor.Kind == ActorKind.User ? "user:" : "key:") + actor.Id;
    }
}
