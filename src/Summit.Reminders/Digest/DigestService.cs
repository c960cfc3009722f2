using Microsoft.Extensions.Logging;
using Summit.Reminders.Meetings;
using Summit.Reminders.Notifications;
using Summit.Reminders.Ports;

namespace Summit.Reminders.Digest;

public abstract record DigestSubscribeResult
{
    public sealed record Subscribed(DigestSubscription Subscription) : DigestSubscribeResult;
    public sealed record Invalid(IReadOnlyList<FieldError> Errors) : DigestSubscribeResult;
}

/// <summary>
/// The daily digest for coordinators: subscribe (again: update), read, unsubscribe. A subscription plans its next
/// digest as a due entry at the next 08:00 on the subscriber's clock; the scheduler plans each next day when it takes the
/// day's entry, so the chain runs until the subscription goes. Unsubscribing keeps nothing: the subscription, its
/// pending entry, its ledger rows, kept copies and parked messages go.
/// </summary>
public sealed partial class DigestService(
    IDigestSubscriptions subscriptions, IDueIndex dueIndex, IDeliveryLedger ledger, ISentEmails sentEmails, IDeadLetterQueue deadLetters,
    TimeProvider time, ILogger<DigestService> logger)
{
    public async Task<DigestSubscribeResult> SubscribeAsync(DigestSubscriber subscriber, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(subscriber);
        if (string.IsNullOrWhiteSpace(subscriber.Id)) throw new ArgumentException("A subscriber needs an id (the signed-in person's).", nameof(subscriber));
        var errors = new List<FieldError>();
        var valid = Validate(subscriber, errors);
        if (valid is null) return new DigestSubscribeResult.Invalid(errors);

        var subjectId = DigestIds.SubjectOf(subscriber.Id);
        var now = time.GetUtcNow();
        var before = await subscriptions.GetAsync(subjectId, cancellationToken);
        var (day, at) = DigestSchedule.NextAfter(valid.TimeZone, now);
        var subscription = new DigestSubscription(valid, subjectId, NewPlanId(), (before?.Subscription.PlanVersion ?? 0) + 1, at,
            before?.Subscription.CreatedAt ?? now, now);
        // The entry first, then the subscription (as meetings write their due entries before themselves): an entry whose
        // subscription was never stored is discarded by the scheduler after its grace.
        await dueIndex.AddAsync([DigestSchedule.Entry(subscription, day, at, now)], cancellationToken);
        await subscriptions.PutAsync(subscription, cancellationToken);
        if (before is not null) await ForgetEntryAsync(before.Subscription, cancellationToken);
        LogSubscribed(logger, subjectId, subscription.PlanVersion, at);
        return new DigestSubscribeResult.Subscribed(subscription);
    }

    public async Task<DigestSubscription?> GetAsync(string subscriberId, CancellationToken cancellationToken) =>
        string.IsNullOrWhiteSpace(subscriberId) ? null : (await subscriptions.GetAsync(DigestIds.SubjectOf(subscriberId), cancellationToken))?.Subscription;

    /// <summary>Stops the digest and keeps nothing of it; false when there was no subscription.</summary>
    public async Task<bool> UnsubscribeAsync(string subscriberId, CancellationToken cancellationToken)
    {
        if (string.IsNullOrWhiteSpace(subscriberId)) return false;
        var subjectId = DigestIds.SubjectOf(subscriberId);
        var stored = await subscriptions.GetAsync(subjectId, cancellationToken);
        if (stored is null) return false;
        await EraseAsync(stored.Subscription, cancellationToken);
        LogUnsubscribed(logger, subjectId);
        return true;
    }

    /// <summary>Deletes a subscription and everything of it: first the subscription (from then on its pending entry is
    /// discarded and a queued email dropped, whatever fails after), then the entry, the ledger rows of its days, the
    /// kept copies of its emails and its parked messages. Returns how many ledger rows and emails went.</summary>
    internal async Task<(int Deliveries, int Emails)> EraseAsync(DigestSubscription subscription, CancellationToken cancellationToken)
    {
        await subscriptions.DeleteAsync(subscription.SubjectId, cancellationToken);
        await ForgetEntryAsync(subscription, cancellationToken);
        var rows = await ledger.EraseAsync(subscription.SubjectId, null, cancellationToken);
        var emails = await sentEmails.EraseAsync(subscription.SubjectId, null, null, cancellationToken);
        await deadLetters.PurgeAsync(m => m.MeetingId == subscription.SubjectId, cancellationToken);
        return (rows.Deliveries, emails);
    }

    /// <summary>Removes the subscription's pending entry. Only tidiness: the scheduler discards an entry whose plan is not
    /// the subscription's, or whose subscription is gone.</summary>
    private async Task ForgetEntryAsync(DigestSubscription subscription, CancellationToken cancellationToken)
    {
        var day = DigestSchedule.DayOf(subscription.Subscriber.TimeZone, subscription.NextDigestAt);
        await dueIndex.RemoveAsync(DigestSchedule.Entry(subscription, day, subscription.NextDigestAt, subscription.UpdatedAt), cancellationToken);
    }

    /// <summary>The subscriber as stored (address normalised, zone as IANA, tracks distinct), or null with the errors:
    /// <c>email</c>, <c>name</c>, <c>language</c>, <c>timeZone</c>, <c>tracks</c>.</summary>
    private static DigestSubscriber? Validate(DigestSubscriber subscriber, List<FieldError> errors)
    {
        var email = FieldRules.Email(subscriber.Email, "email", errors);
        var name = FieldRules.SingleLine(subscriber.Name, "name", MeetingLimits.NameMaxLength, required: false, errors);
        string? language = null;
        if (string.IsNullOrWhiteSpace(subscriber.Language)) errors.Add(new("language", "is required: one of en, ko, tr"));
        else language = FieldRules.Language(subscriber.Language, "language", errors);
        var zone = DigestSchedule.NormalizeZone(subscriber.TimeZone);
        if (zone is null)
            errors.Add(new("timeZone", string.IsNullOrWhiteSpace(subscriber.TimeZone)
                ? "is required: an IANA time zone (examples: Asia/Seoul, Europe/Istanbul)"
                : $"'{FieldRules.Clip(subscriber.TimeZone)}' is not an IANA time zone (examples: Asia/Seoul, Europe/Istanbul) or a Windows one (Korea Standard Time)"));
        List<TrackId>? tracks = null;
        if (subscriber.Tracks is { } given)
        {
            if (given.Count == 0) errors.Add(new("tracks", "lists no track: leave it out for every track, or name at least one"));
            for (var i = 0; i < given.Count; i++)
                if (string.IsNullOrEmpty(given[i].Value) || Tracks.Find(given[i].Value) is null)
                    errors.Add(new($"tracks[{i}]", $"'{FieldRules.Clip(given[i].Value ?? "")}' is not a track; use one of: {string.Join(", ", Tracks.All.Select(t => t.Id))}"));
            tracks = [.. given.Distinct()];
        }
        return errors.Count == 0 ? new DigestSubscriber(subscriber.Id, email!, name, language!, zone!, tracks) : null;
    }

    private static string NewPlanId() => Convert.ToHexStringLower(System.Security.Cryptography.RandomNumberGenerator.GetBytes(4));

    // Ids only: never the subscriber's own id, address or name.
    [LoggerMessage(Level = LogLevel.Information, Message = "Digest {SubjectId} subscribed (plan {PlanVersion}); the next one is due at {NextDigestAt}")]
    private static partial void LogSubscribed(ILogger logger, string subjectId, int planVersion, DateTimeOffset nextDigestAt);

    [LoggerMessage(Level = LogLevel.Information, Message = "Digest {SubjectId} unsubscribed; nothing of it is kept")]
    private static partial void LogUnsubscribed(ILogger logger, string subjectId);
}
