using System.Text.Json;
using System.Threading.Channels;
using Summit.Reminders.DeliveryStatus;

namespace Summit.LocalHost.DeliveryEvents;

/// <summary>An email the pickup folder accepted: the custom_args it carries (reminder_id, meeting_id, plan_version), the
/// provider message id and when it was written.</summary>
public sealed record PickupEmail(IReadOnlyDictionary<string, string> CustomArgs, string? MessageId, DateTimeOffset WrittenAt);

/// <summary>
/// Posts a <c>processed</c> and a <c>delivered</c> event for each email the pickup folder wrote, signed, to this host's
/// Event Webhook, in batches as SendGrid sends them, from a background queue so that no send waits for it.
/// <para>
/// Ordering: an event for an email whose ledger row does not exist yet is counted "unknown" and ignored by the webhook.
/// Delivery claims that row before it sends, but this class does not rely on it: a batch goes out
/// <see cref="GatherDelay"/> after its first email (which also gathers a delivery run's emails into one post), and a
/// batch answered with unknown events is posted again (same event ids, so what was applied is not applied twice) after
/// each of <see cref="RetryDelays"/>, then given up with a warning. A 4xx answer other than 429 is not retried.
/// </para>
/// Events are kept in memory only: emails written just before the host stops get none.
/// </summary>
public sealed partial class PickupEventPoster(LocalEventWebhookClient webhook, TimeProvider time, ILogger<PickupEventPoster> logger) : BackgroundService
{
    /// <summary>SendGrid posts up to about 1,000 events at once; two per email.</summary>
    public const int MaxEmailsPerBatch = 500;

    public static readonly TimeSpan GatherDelay = TimeSpan.FromMilliseconds(500);

    public static readonly IReadOnlyList<TimeSpan> RetryDelays =
        [TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(2), TimeSpan.FromSeconds(4), TimeSpan.FromSeconds(8), TimeSpan.FromSeconds(15)];

    private const int MaxBatchesInFlight = 4;
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);
    private readonly Channel<PickupEmail> _queue = Channel.CreateUnbounded<PickupEmail>(new UnboundedChannelOptions { SingleReader = true });
    private readonly SemaphoreSlim _slots = new(MaxBatchesInFlight, MaxBatchesInFlight);

    /// <summary>Queues an email's events; emails without our ids (nothing to correlate them by) get none.</summary>
    public void Enqueue(PickupEmail email)
    {
        if (email.CustomArgs.ContainsKey("reminder_id") && email.CustomArgs.ContainsKey("meeting_id")) _queue.Writer.TryWrite(email);
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var inFlight = new List<Task>();
        try
        {
            while (await _queue.Reader.WaitToReadAsync(stoppingToken))
            {
                await Task.Delay(GatherDelay, time, stoppingToken);
                var emails = new List<PickupEmail>();
                while (emails.Count < MaxEmailsPerBatch && _queue.Reader.TryRead(out var email)) emails.Add(email);
                await _slots.WaitAsync(stoppingToken);
                inFlight.RemoveAll(t => t.IsCompleted);
                inFlight.Add(PostAsync(emails, stoppingToken));
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
        }
        await Task.WhenAll(inFlight);
    }

    private async Task PostAsync(IReadOnlyList<PickupEmail> emails, CancellationToken stoppingToken)
    {
        try
        {
            var deliveredAt = time.GetUtcNow();
            // The same body (and so the same sg_event_ids) on every attempt: a post again only adds what was unknown before.
            var body = JsonSerializer.Serialize(emails.SelectMany(e => Events(e, deliveredAt)), Json);
            for (var attempt = 0; ; attempt++)
            {
                var (outcome, unknown) = await TryPostAsync(body, stoppingToken);
                if (outcome == Outcome.Done)
                {
                    LogPosted(logger, emails.Count, attempt + 1);
                    return;
                }
                if (outcome == Outcome.Refused || attempt >= RetryDelays.Count)
                {
                    LogGaveUp(logger, emails.Count, attempt + 1, unknown);
                    return;
                }
                await Task.Delay(RetryDelays[attempt], time, stoppingToken);
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
        }
        finally
        {
            _slots.Release();
        }
    }

    private enum Outcome { Done, Retry, Refused }

    private async Task<(Outcome Outcome, int Unknown)> TryPostAsync(string body, CancellationToken cancellationToken)
    {
        try
        {
            var answer = await webhook.PostAsync(body, cancellationToken);
            if (answer.Status == StatusCodes.Status200OK)
            {
                var result = JsonSerializer.Deserialize<EventBatchResult>(answer.Body, Json);
                return result is { Unknown: > 0 } ? (Outcome.Retry, result.Unknown) : (Outcome.Done, 0);
            }
            LogAnswer(logger, answer.Status);
            return answer.Status is >= 500 or StatusCodes.Status429TooManyRequests ? (Outcome.Retry, 0) : (Outcome.Refused, 0);
        }
        catch (Exception ex) when (ex is HttpRequestException || (ex is OperationCanceledException && !cancellationToken.IsCancellationRequested))
        {
            LogUnreachable(logger, ex.GetType().Name); // not listening, or no answer within the client's timeout
            return (Outcome.Retry, 0);
        }
    }

    /// <summary>An email's two events as SendGrid posts them: our custom_args at the top level, a unique sg_event_id. Not the
    /// recipient's address (SendGrid adds it; the webhook never reads it, so a local run does not put it on the wire).</summary>
    internal static IEnumerable<Dictionary<string, object?>> Events(PickupEmail email, DateTimeOffset deliveredAt)
    {
        Dictionary<string, object?> Event(string kind, DateTimeOffset at, string? response)
        {
            var e = new Dictionary<string, object?>(StringComparer.Ordinal);
            foreach (var (key, value) in email.CustomArgs) e[key] = value;
            e["event"] = kind;
            e["timestamp"] = at.ToUnixTimeSeconds();
            e["sg_event_id"] = "local-" + Guid.NewGuid().ToString("N");
            e["sg_message_id"] = email.MessageId;
            if (response is not null) e["response"] = response;
            return e;
        }
        yield return Event("processed", email.WrittenAt, null);
        yield return Event("delivered", deliveredAt < email.WrittenAt ? email.WrittenAt : deliveredAt, "250 written to the local pickup folder");
    }

    [LoggerMessage(Level = LogLevel.Debug, Message = "Pickup events: posted processed and delivered for {Emails} emails (attempt {Attempt})")]
    private static partial void LogPosted(ILogger logger, int emails, int attempt);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Pickup events: gave up on a batch for {Emails} emails after {Attempts} attempts ({Unknown} events still for emails the ledger does not know)")]
    private static partial void LogGaveUp(ILogger logger, int emails, int attempts, int unknown);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Pickup events: the Event Webhook answered {Status}")]
    private static partial void LogAnswer(ILogger logger, int status);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Pickup events: the Event Webhook could not be reached ({Error})")]
    private static partial void LogUnreachable(ILogger logger, string error);
}
