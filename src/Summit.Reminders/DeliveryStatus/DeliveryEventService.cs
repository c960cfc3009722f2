using Microsoft.Extensions.Logging;
using Summit.Reminders.Notifications;
using Summit.Reminders.Ports;

namespace Summit.Reminders.DeliveryStatus;

/// <summary>What one webhook batch did: events applied, seen before, for emails we do not know, or of kinds we ignore.</summary>
public sealed record EventBatchResult(int Received, int Applied, int Duplicates, int Unknown, int Ignored);

/// <summary>
/// Records the provider's events (SendGrid's Event Webhook) against the ledger: a status per email with the precedence of
/// <see cref="ProviderStatusRules"/>, and their effects on the participant: a hard bounce or a drop marks the address
/// undeliverable for the meeting (its later emails are skipped with the reason), a spam report or an unsubscribe
/// unsubscribes them exactly as their link does, and a participant newly undeliverable gets the coordinator a notice
/// (<see cref="UndeliverableNotices"/>). Each meeting's events are read and written together (one partition); the effects
/// come before the statuses, so a batch that fails midway is answered 5xx, sent again, and repeats only what is harmless
/// to repeat.
/// </summary>
public sealed partial class DeliveryEventService(
    IDeliveryLedger ledger, IParticipantResponses responses, IMeetingStore meetings, IDueIndex dueIndex, TimeProvider time,
    ILogger<DeliveryEventService> logger)
{
    private const int MaxAttempts = 3;

    public async Task<EventBatchResult> RecordAsync(IReadOnlyList<ProviderEvent> events, int ignored, int uncorrelated, CancellationToken cancellationToken)
    {
        int applied = 0, duplicates = 0, unknown = uncorrelated;
        await Parallel.ForEachAsync(events.GroupBy(e => e.MeetingId, StringComparer.Ordinal),
            new ParallelOptions { MaxDegreeOfParallelism = 8, CancellationToken = cancellationToken },
            async (meeting, token) =>
            {
                var (a, d, u) = await RecordMeetingAsync(meeting.Key, [.. meeting.OrderBy(e => e.At)], token);
                Interlocked.Add(ref applied, a);
                Interlocked.Add(ref duplicates, d);
                Interlocked.Add(ref unknown, u);
            });
        var result = new EventBatchResult(events.Count + ignored + uncorrelated, applied, duplicates, unknown, ignored);
        LogBatch(logger, result.Received, applied, duplicates, unknown, ignored);
        return result;
    }

    private async Task<(int Applied, int Duplicates, int Unknown)> RecordMeetingAsync(string meetingId, IReadOnlyList<ProviderEvent> events, CancellationToken cancellationToken)
    {
        for (var attempt = 1; ; attempt++)
        {
            var tracked = (await ledger.FindTrackedAsync(meetingId, events.Select(e => e.ReminderId).ToHashSet(StringComparer.Ordinal), cancellationToken))
                .ToDictionary(t => t.Delivery.ReminderId, StringComparer.Ordinal);
            var changed = new Dictionary<string, (ProviderStatus Status, string? Token)>(StringComparer.Ordinal);
            var effects = new List<Func<Task>>();
            var undeliverable = new HashSet<string>(StringComparer.Ordinal);
            int applied = 0, duplicates = 0, unknown = 0;
            foreach (var e in events)
            {
                if (!tracked.TryGetValue(e.ReminderId, out var email))
                {
                    unknown++;
                    continue;
                }
                var current = changed.TryGetValue(e.ReminderId, out var pending) ? pending.Status : email.Status;
                if (ProviderStatusRules.Apply(current, email.Delivery.ParticipantId, e) is not { } next)
                {
                    duplicates++;
                    continue;
                }
                changed[e.ReminderId] = (next, email.StatusToken);
                applied++;
                var participantId = email.Delivery.ParticipantId;
                if (participantId == Slots.Coordinator) continue; // the coordinator's own escalation email: no participant to mark
                if (next.Undeliverable && current?.Undeliverable != true)
                {
                    var reason = $"{ProviderStatusRules.Name(e.Kind)}{(e.Detail is { Length: > 0 } detail ? ": " + detail : "")}";
                    effects.Add(() => responses.MarkUndeliverableAsync(meetingId, participantId, e.At, reason, cancellationToken));
                    undeliverable.Add(participantId);
                }
                if (e.Kind is ProviderEventKind.SpamReport or ProviderEventKind.Unsubscribe or ProviderEventKind.GroupUnsubscribe)
                    effects.Add(() => responses.UnsubscribeAsync(meetingId, participantId, e.At, cancellationToken));
            }
            foreach (var effect in effects) await effect();
            // After the marks, so that a notice queued before this read lists them, and one queued after it is planned here.
            if (undeliverable.Count > 0) await PlanNoticeAsync(meetingId, undeliverable, cancellationToken);
            if (changed.Count == 0) return (applied, duplicates, unknown);
            try
            {
                await ledger.SaveStatusesAsync(meetingId, [.. changed.Values], cancellationToken);
                return (applied, duplicates, unknown);
            }
            catch (ConcurrencyConflictException) when (attempt < MaxAttempts)
            {
                // Another batch wrote one of these statuses meanwhile: read again and merge on top of it.
            }
        }
    }

    /// <summary>Queues the coordinator's notice about participants who became undeliverable, unless an email already
    /// reported every one of them (a bounce of a second email to the same address).</summary>
    private async Task PlanNoticeAsync(string meetingId, IReadOnlySet<string> participantIds, CancellationToken cancellationToken)
    {
        var (_, deliveries) = await ledger.ListAsync(meetingId, cancellationToken);
        var reported = UndeliverableNotices.Reported(deliveries);
        if (participantIds.All(reported.Contains)) return;
        if ((await meetings.GetAsync(meetingId, cancellationToken))?.Meeting is not { } meeting) return;
        if (UndeliverableNotices.Plan(meeting, deliveries, time.GetUtcNow()) is not { } entry)
        {
            LogNoNotice(logger, meetingId);
            return;
        }
        await dueIndex.AddAsync([entry], cancellationToken);
        LogNoticePlanned(logger, meetingId, entry.Offset, entry.DueAt);
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Meeting {MeetingId}: a participant became undeliverable and no notice can go before the start (that day's notice went already, or the meeting is not scheduled); the meeting shows it")]
    private static partial void LogNoNotice(ILogger logger, string meetingId);

    [LoggerMessage(Level = LogLevel.Information, Message = "Meeting {MeetingId}: the coordinator's notice {Slot} about undeliverable participants is due at {DueAt}")]
    private static partial void LogNoticePlanned(ILogger logger, string meetingId, string slot, DateTimeOffset dueAt);

    [LoggerMessage(Level = LogLevel.Information, Message = "Provider events: {Received} received, {Applied} applied, {Duplicates} seen before, {Unknown} for emails we do not know, {Ignored} of kinds we ignore")]
    private static partial void LogBatch(ILogger logger, int received, int applied, int duplicates, int unknown, int ignored);
}
