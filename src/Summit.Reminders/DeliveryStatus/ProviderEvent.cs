namespace Summit.Reminders.DeliveryStatus;

/// <summary>What the email provider reports about one email. Open and click events are not kept (tracking is off).</summary>
public enum ProviderEventKind { Processed, Deferred, Delivered, Bounce, Dropped, SpamReport, Unsubscribe, GroupUnsubscribe }

/// <summary>
/// One event from the provider about one email, correlated by the ids we sent with it (SendGrid's custom_args):
/// <see cref="ReminderId"/> names the ledger row. <see cref="BounceType"/> is SendGrid's <c>type</c> of a bounce:
/// "bounce" (the address does not exist: hard) or "blocked" (refused for now: soft). <see cref="Detail"/> holds the
/// provider's reason, with addresses removed. Never the recipient's address.
/// </summary>
public sealed record ProviderEvent(
    string EventId, ProviderEventKind Kind, DateTimeOffset At, string MeetingId, string ReminderId, string? Detail = null, string? BounceType = null);

/// <summary>
/// What the provider last said about one email (<see cref="Status"/>: processed, deferred, delivered, bounce, dropped,
/// spamreport; null while only an unsubscribe event came) (a row beside the ledger's, so a delivery's own writes and the provider's
/// never contend). <see cref="Undeliverable"/>: a hard bounce or a drop, after which this participant's later emails
/// for the meeting are not sent. <see cref="EventIds"/>: the latest events applied, so a replayed one changes nothing.
/// </summary>
public sealed record ProviderStatus(
    string ReminderId, string ParticipantId, string? Status, DateTimeOffset At, string? Detail, bool Undeliverable, IReadOnlyList<string> EventIds);

/// <summary>A ledger row an event may apply to, with the provider's status so far and the token to replace it.</summary>
public sealed record TrackedEmail(Notifications.DeliveryRecord Delivery, ProviderStatus? Status, string? StatusToken);
