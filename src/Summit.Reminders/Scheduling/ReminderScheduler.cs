using System.Diagnostics;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Summit.Reminders.Commitments;
using Summit.Reminders.Delivery;
using Summit.Reminders.Digest;
using Summit.Reminders.Meetings;
using Summit.Reminders.Ports;
using Summit.Reminders.Notifications;
using Summit.Reminders.Telemetry;

namespace Summit.Reminders.Scheduling;

public sealed record SchedulerTickResult(int Read, int Published, int Messages, int Skipped, int Discarded, int Contended, int Failed);

/// <summary>
/// One tick of the "ScheduleDueReminders" timer: reads the due index up to now (+ look-ahead), claims each due slot
/// with a conditional update, and publishes one message per participant to the reminder queue.
/// </summary>
public sealed partial class ReminderScheduler(
    IDueIndex dueIndex, IMeetingStore meetings, ICommitmentStore commitments, IReminderQueue queue, IDeliveryLedger ledger,
    IDigestSubscriptions digests, TimeProvider time, IOptions<SchedulerOptions> options, SummitMetrics metrics, ILogger<ReminderScheduler> logger)
{
    private readonly SchedulerOptions _options = options.Value;

    public async Task<SchedulerTickResult> TickAsync(CancellationToken cancellationToken)
    {
        var started = time.GetTimestamp();
        using var span = SummitTelemetry.Source.StartActivity(SummitTelemetry.Spans.SchedulerTick);
        try
        {
            var result = await TickCoreAsync(cancellationToken);
            span?.SetTag(SummitTelemetry.Attributes.TickRead, result.Read);
            span?.SetTag(SummitTelemetry.Attributes.TickPublished, result.Published);
            span?.SetTag(SummitTelemetry.Attributes.TickFailed, result.Failed);
            if (result.Failed > 0) span?.SetStatus(ActivityStatusCode.Error, $"{result.Failed} slots could not be queued");
            return result;
        }
        catch (Exception ex)
        {
            span?.SetStatus(ActivityStatusCode.Error, ex.GetType().Name);
            throw;
        }
        finally
        {
            metrics.TickDuration(time.GetElapsedTime(started));
        }
    }

    private async Task<SchedulerTickResult> TickCoreAsync(CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow();
        var batch = await dueIndex.ReadDueAsync(now + _options.LookAhead, cancellationToken);
        var cache = new Dictionary<string, Meeting?>();
        var commitmentCache = new Dictionary<string, Commitment?>();
        int published = 0, messages = 0, skipped = 0, discarded = 0, contended = 0, failed = 0;

        foreach (var entry in batch.Entries.OrderBy(e => e.DueAt))
        {
            cancellationToken.ThrowIfCancellationRequested();
            if (!await batch.TryClaimAsync(entry, now + _options.ClaimLease, cancellationToken))
            {
                contended++;
                continue;
            }
            try
            {
                if (Slots.KindOf(entry.Offset) == MessageKind.Digest)
                {
                    switch (await DigestAsync(entry, batch, now, cancellationToken))
                    {
                        case Decision.Publish: published++; messages++; break;
                        case Decision.Skip: skipped++; break;
                        case Decision.Discard: discarded++; break;
                    }
                    continue;
                }
                // A slot is about a meeting or, for the commitment kinds, about a commitment (its id in the same field).
                Decision decision;
                Func<Task<List<string>>> recipientsOf;
                // Why a recipient of a published slot is left out: a later slot of theirs is also due (null: they get it).
                Func<string, string?> lateFor = _ => null;
                if (CommitmentRules.IsCommitmentKind(Slots.KindOf(entry.Offset)))
                {
                    if (!commitmentCache.TryGetValue(entry.MeetingId, out var commitment))
                        commitmentCache[entry.MeetingId] = commitment = (await commitments.GetAsync(entry.MeetingId, cancellationToken))?.Commitment;
                    decision = DecideCommitment(entry, commitment, now);
                    recipientsOf = () => Task.FromResult(CommitmentRules.Recipients(commitment!, entry.Offset, entry.DueAt));
                    if (!CommitmentRules.IsOwnerNotice(Slots.KindOf(entry.Offset))) lateFor = r => CommitmentRules.SkipReason(commitment!, entry.Offset, r, now);
                }
                else
                {
                    if (!cache.TryGetValue(entry.MeetingId, out var meeting))
                        cache[entry.MeetingId] = meeting = (await meetings.GetAsync(entry.MeetingId, cancellationToken))?.Meeting;
                    decision = Decide(entry, meeting, now);
                    recipientsOf = () => RecipientsAsync(entry, meeting!, cancellationToken);
                    if (Slots.KindOf(entry.Offset) == MessageKind.Reminder) lateFor = r => OvertakenBy(entry, meeting!, r, now);
                }

                switch (decision)
                {
                    case Decision.Publish:
                        // An escalation or an undeliverable notice goes to the coordinator; a removal to those it removed; the rest to each participant.
                        var recipients = await recipientsOf();
                        // A reminder or rung sent late whose next one is also due for that recipient: only the next one goes.
                        var late = recipients.Select(r => (Recipient: r, Reason: lateFor(r))).Where(x => x.Reason is not null).ToList();
                        foreach (var (recipient, reason) in late)
                        {
                            var id = NotificationIds.For(entry.MeetingId, entry.PlanId, entry.Offset, recipient);
                            await ledger.RecordSkippedAsync(entry.MeetingId,
                                new DeliveryRecord(id, entry.PlanId, entry.Offset, recipient, DeliveryState.Skipped, now, Reason: reason), cancellationToken);
                        }
                        if (late.Count > 0 && late.Count == recipients.Count)
                        {
                            await batch.RemoveAsync(entry, cancellationToken);
                            LogSkipped(logger, entry.MeetingId, entry.Offset, late[0].Reason!);
                            skipped++;
                            break;
                        }
                        recipients = recipients.Except(late.Select(x => x.Recipient)).ToList();
                        var batchMessages = recipients
                            .Select(recipient => new ReminderMessage(
                                NotificationIds.For(entry.MeetingId, entry.PlanId, entry.Offset, recipient),
                                entry.MeetingId, entry.PlanId, entry.PlanVersion, entry.Offset, recipient, entry.DueAt,
                                NotBefore: entry.DueAt > now ? entry.DueAt : null))
                            .ToList();
                        await PublishAsync(entry, batchMessages, cancellationToken);
                        await ledger.MarkQueuedAsync(entry.MeetingId, new QueuedSlot(entry.PlanId, entry.Offset, now, batchMessages.Count), cancellationToken);
                        await batch.RemoveAsync(entry, cancellationToken);
                        LogPublished(logger, entry.MeetingId, entry.Offset, entry.PlanVersion, batchMessages.Count);
                        published++;
                        messages += batchMessages.Count;
                        break;
                    case Decision.Skip skip:
                        var skippedFor = await recipientsOf();
                        foreach (var recipient in skippedFor)
                        {
                            var id = NotificationIds.For(entry.MeetingId, entry.PlanId, entry.Offset, recipient);
                            await ledger.RecordSkippedAsync(entry.MeetingId,
                                new DeliveryRecord(id, entry.PlanId, entry.Offset, recipient, DeliveryState.Skipped, now, Reason: skip.Reason), cancellationToken);
                        }
                        await batch.RemoveAsync(entry, cancellationToken);
                        LogSkipped(logger, entry.MeetingId, entry.Offset, skip.Reason);
                        skipped++;
                        break;
                    case Decision.Discard discard:
                        await batch.RemoveAsync(entry, cancellationToken);
                        LogDiscarded(logger, entry.MeetingId, entry.PlanId, discard.Reason);
                        discarded++;
                        break;
                    case Decision.Wait:
                        await batch.ReleaseAsync(entry, cancellationToken);
                        break;
                }
            }
            catch (Exception ex) when (ex is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
            {
                failed++;
                LogSlotFailed(logger, ex, entry.MeetingId, entry.Offset);
                try { await batch.ReleaseAsync(entry, cancellationToken); }
                catch (Exception releaseError) when (releaseError is not OperationCanceledException) { /* the lease runs out on its own */ }
            }
        }

        await batch.CommitAsync(cancellationToken);
        var result = new SchedulerTickResult(batch.Entries.Count, published, messages, skipped, discarded, contended, failed);
        LogTick(logger, result.Read, result.Published, result.Messages, result.Skipped, result.Discarded, result.Contended, result.Failed);
        return result;
    }

    /// <summary>One slot's messages under a producer span, whose context each message carries (the adapter writes it
    /// into the message), so every delivery span links back to this publish.</summary>
    private async Task PublishAsync(DueEntry entry, IReadOnlyList<ReminderMessage> messages, CancellationToken cancellationToken)
    {
        var kind = Slots.KindOf(entry.Offset);
        using var span = SummitTelemetry.Source.StartActivity(SummitTelemetry.Spans.Publish, ActivityKind.Producer);
        span?.SetTag(SummitTelemetry.Attributes.Kind, Slots.Category(kind));
        span?.SetTag(SummitTelemetry.Attributes.MeetingId, entry.MeetingId);
        span?.SetTag(SummitTelemetry.Attributes.PlanVersion, entry.PlanVersion);
        span?.SetTag(SummitTelemetry.Attributes.Messages, messages.Count);
        span?.SetTag("messaging.operation.type", "send");
        try
        {
            await queue.PublishAsync(messages, cancellationToken);
        }
        catch (Exception ex)
        {
            span?.SetStatus(ActivityStatusCode.Error, ex.GetType().Name);
            throw;
        }
        metrics.SlotPublished(kind);
    }

    private abstract record Decision
    {
        public sealed record Publish : Decision;
        public sealed record Skip(string Reason) : Decision;
        public sealed record Discard(string Reason) : Decision;
        public sealed record Wait : Decision;
    }

    /// <summary>An escalation and an undeliverable notice go to the coordinator, a removal to those the update took off the
    /// list, the rest to every participant; reminders and the escalation only to those whose moment this entry is (their
    /// send window may have moved it: <see cref="ReminderPlan.IsFor"/>).</summary>
    private async Task<List<string>> RecipientsAsync(DueEntry entry, Meeting meeting, CancellationToken cancellationToken) => Slots.KindOf(entry.Offset) switch
    {
        MessageKind.Escalation => meeting.Plan.IsFor(Slots.Escalation, SendWindows.Recipient.CoordinatorOf(meeting).Key, meeting.EscalationDue ?? entry.DueAt, entry.DueAt)
            ? [Slots.Coordinator] : [],
        MessageKind.Reminder when meeting.Plan.FindSlot(entry.Offset) is { } slot => meeting.Participants
            .Where(p => meeting.Plan.IsFor(entry.Offset, SendWindows.Recipient.Of(meeting, p).Key, slot.DueAt, entry.DueAt))
            .Select(p => p.Id).ToList(),
        MessageKind.Undeliverable => [Slots.Coordinator],
        MessageKind.Removal => (await meetings.ListRemovedAsync(entry.MeetingId, entry.PlanId, cancellationToken)).Select(p => p.Id)
            .Concat(meeting.RemovedParticipants.Where(r => r.RemovedInPlanVersion == entry.PlanVersion).Select(r => r.Participant.Id))
            .Distinct().Where(id => meeting.FindParticipant(id) is null).ToList(), // someone added back since has nothing to cancel
        _ => meeting.Participants.Select(p => p.Id).ToList(),
    };

    private Decision Decide(DueEntry entry, Meeting? meeting, DateTimeOffset now)
    {
        var young = now - entry.CreatedAt < _options.OrphanGrace;
        if (meeting is null)
            return young ? new Decision.Wait() : new Decision.Discard("no such meeting");
        if (Slots.KindOf(entry.Offset) == MessageKind.Removal)
        {
            // Owed to the people that update removed even if a later change replaced its plan (or cancelled the meeting).
            if (meeting.Plan.PlanVersion < entry.PlanVersion)
                return young ? new Decision.Wait() : new Decision.Discard("the update that removed participants was not stored");
            if (meeting.Plan.PlanVersion == entry.PlanVersion && meeting.Plan.PlanId != entry.PlanId)
                return young ? new Decision.Wait() : new Decision.Discard("the update that removed participants was not stored");
            return now >= meeting.StartUtc ? new Decision.Discard("the meeting had already started") : new Decision.Publish();
        }
        if (Slots.KindOf(entry.Offset) == MessageKind.Undeliverable)
        {
            // About the participants, not about a plan: a change since it was planned does not make it wrong.
            if (meeting.Status != MeetingStatus.Scheduled) return new Decision.Discard($"meeting {meeting.Status.ToString().ToLowerInvariant()}");
            return now >= meeting.StartUtc ? new Decision.Skip("the meeting had already started") : new Decision.Publish();
        }
        if (meeting.Plan.PlanId != entry.PlanId)
        {
            if (entry.PlanVersion >= meeting.Plan.PlanVersion && young) return new Decision.Wait();
            return new Decision.Discard($"plan replaced by version {meeting.Plan.PlanVersion}");
        }
        var kind = Slots.KindOf(entry.Offset);
        if (kind == MessageKind.Cancellation)
        {
            // Queued just before the meeting was cancelled: publish once the cancellation is stored; drop it if it never was.
            if (meeting.Status == MeetingStatus.Cancelled) return new Decision.Publish();
            if (meeting.Status == MeetingStatus.Scheduled && young) return new Decision.Wait();
            return new Decision.Discard("the meeting was not cancelled");
        }
        if (meeting.Status != MeetingStatus.Scheduled)
            return new Decision.Discard($"meeting {meeting.Status.ToString().ToLowerInvariant()}");
        if (now >= meeting.StartUtc)
            return new Decision.Skip("the meeting had already started when this reminder could be sent");
        return new Decision.Publish();
    }

    /// <summary>
    /// A subscriber's digest of one day. Checked against the subscription as it is now (gone or re-planned: discarded).
    /// The next day's entry is added first, so that whatever fails after it (publishing, a crash) leaves the chain going:
    /// the claimed entry comes back after its lease and adds the same next entry again, which replaces itself. Then the
    /// day's one message goes (its id is the subscriber's day, so a second publish is a duplicate the queue and the ledger
    /// drop), or, when the day is already over on the subscriber's clock, a skip is recorded.
    /// </summary>
    private async Task<Decision> DigestAsync(DueEntry entry, IDueBatch batch, DateTimeOffset now, CancellationToken cancellationToken)
    {
        var young = now - entry.CreatedAt < _options.OrphanGrace;
        var stored = await digests.GetAsync(entry.MeetingId, cancellationToken);
        if (stored is null || stored.Subscription.PlanId != entry.PlanId)
        {
            // Written just before its subscription (which may not be stored yet): wait, as for a meeting's plan.
            if (young && (stored is null || entry.PlanVersion > stored.Subscription.PlanVersion))
            {
                await batch.ReleaseAsync(entry, cancellationToken);
                return new Decision.Wait();
            }
            var why = stored is null ? "no such digest subscription (unsubscribed)" : $"digest re-planned by subscription version {stored.Subscription.PlanVersion}";
            await batch.RemoveAsync(entry, cancellationToken);
            LogDiscarded(logger, entry.MeetingId, entry.PlanId, why);
            return new Decision.Discard(why);
        }
        var subscription = stored.Subscription;
        var zone = subscription.Subscriber.TimeZone;
        var day = Slots.DayOfDigest(entry.Offset) ?? throw new InvalidOperationException($"{entry.Offset} is not a digest slot.");
        var (nextDay, nextAt) = DigestSchedule.NextAfter(zone, entry.DueAt > now ? entry.DueAt : now);
        await dueIndex.AddAsync([DigestSchedule.Entry(subscription, nextDay, nextAt, now)], cancellationToken);
        // Only what the subscription shows (its next digest): lost to a concurrent change or an unsubscribe, it does not matter.
        if (subscription.NextDigestAt < nextAt) await digests.TryReplaceAsync(subscription with { NextDigestAt = nextAt }, stored.ConcurrencyToken, cancellationToken);

        var id = DigestIds.EmailOf(entry.MeetingId, day);
        if (DigestSchedule.IsOver(zone, day, now))
        {
            const string reason = "the subscriber's day was over when this digest could be sent";
            await ledger.RecordSkippedAsync(entry.MeetingId,
                new DeliveryRecord(id, DigestIds.Daily, entry.Offset, Slots.Coordinator, DeliveryState.Skipped, now, Reason: reason), cancellationToken);
            await batch.RemoveAsync(entry, cancellationToken);
            LogSkipped(logger, entry.MeetingId, entry.Offset, reason);
            return new Decision.Skip(reason);
        }
        var message = new ReminderMessage(id, entry.MeetingId, DigestIds.Daily, entry.PlanVersion, entry.Offset, Slots.Coordinator, entry.DueAt,
            NotBefore: entry.DueAt > now ? entry.DueAt : null);
        await PublishAsync(entry, [message], cancellationToken);
        await ledger.MarkQueuedAsync(entry.MeetingId, new QueuedSlot(DigestIds.Daily, entry.Offset, now, 1), cancellationToken);
        await batch.RemoveAsync(entry, cancellationToken);
        LogPublished(logger, entry.MeetingId, entry.Offset, entry.PlanVersion, 1);
        return new Decision.Publish();
    }

    /// <summary>Why a reminder must not go to <paramref name="participantId"/> at <paramref name="now"/>: a later reminder
    /// of the plan is also due for them (at their own moment), so only that one is sent.</summary>
    private static string? OvertakenBy(DueEntry entry, Meeting meeting, string participantId, DateTimeOffset now)
    {
        if (meeting.Plan.FindSlot(entry.Offset) is not { } slot || meeting.FindParticipant(participantId) is not { } participant) return null;
        var key = SendWindows.Recipient.Of(meeting, participant).Key;
        var later = meeting.Plan.Slots.FirstOrDefault(s => s.IsPlanned && s.DueAt > slot.DueAt && meeting.Plan.SendAt(s.Offset, key, s.DueAt) is { } at && at <= now);
        return later is null ? null : $"sent late, and the {later.Offset} reminder was also due: only that one is sent";
    }

    /// <summary>A commitment's slot: sent while the commitment is open under the same plan; a reminder only before the due
    /// moment, and of several slots of one kind overdue at once only the latest (never a rung twice, never a stale one).</summary>
    private Decision DecideCommitment(DueEntry entry, Commitment? commitment, DateTimeOffset now)
    {
        var young = now - entry.CreatedAt < _options.OrphanGrace;
        if (commitment is null)
            return young ? new Decision.Wait() : new Decision.Discard("no such commitment");
        var kind = Slots.KindOf(entry.Offset);
        if (CommitmentRules.IsOwnerNotice(kind))
        {
            // Queued before the change that asked for it was stored: wait for it, as for a plan not stored yet.
            if (CommitmentRules.IsAhead(commitment, entry.Offset))
                return young ? new Decision.Wait() : new Decision.Discard("the change that asked for it was not stored");
            return CommitmentRules.OwnerNoticeSkipReason(commitment, entry.Offset) is { } moot ? new Decision.Discard(moot) : new Decision.Publish();
        }
        if (commitment.Plan.PlanId != entry.PlanId)
        {
            if (entry.PlanVersion >= commitment.Plan.PlanVersion && young) return new Decision.Wait();
            return new Decision.Discard($"plan replaced by version {commitment.Plan.PlanVersion}");
        }
        if (commitment.Status != CommitmentStatus.Open)
            return new Decision.Discard($"commitment {commitment.Status.ToString().ToLowerInvariant()}");
        // A reminder once the commitment is due is skipped for everyone; one overtaken by a later slot of a recipient's
        // own is skipped for that recipient when it is published.
        if (Slots.KindOf(entry.Offset) == MessageKind.CommitmentReminder && now >= commitment.DueUtc)
            return new Decision.Skip("the commitment was already due when this reminder could be sent");
        return new Decision.Publish();
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Queued reminder slot {Offset} of meeting {MeetingId} (plan {PlanVersion}) for {Recipients} participants")]
    private static partial void LogPublished(ILogger logger, string meetingId, string offset, int planVersion, int recipients);

    [LoggerMessage(Level = LogLevel.Information, Message = "Skipped reminder slot {Offset} of meeting {MeetingId}: {Reason}")]
    private static partial void LogSkipped(ILogger logger, string meetingId, string offset, string reason);

    [LoggerMessage(Level = LogLevel.Information, Message = "Discarded due entry of meeting {MeetingId} plan {PlanId}: {Reason}")]
    private static partial void LogDiscarded(ILogger logger, string meetingId, string planId, string reason);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Could not queue reminder slot {Offset} of meeting {MeetingId}; the next tick retries it")]
    private static partial void LogSlotFailed(ILogger logger, Exception exception, string meetingId, string offset);

    [LoggerMessage(Level = LogLevel.Information, Message = "Scheduler tick: {Read} due, {Published} slots queued as {Messages} messages, {Skipped} skipped, {Discarded} discarded, {Contended} held by another tick, {Failed} failed")]
    private static partial void LogTick(ILogger logger, int read, int published, int messages, int skipped, int discarded, int contended, int failed);
}
