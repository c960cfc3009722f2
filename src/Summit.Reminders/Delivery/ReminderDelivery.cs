using System.Collections.Concurrent;
using System.Diagnostics;
using System.Runtime.ExceptionServices;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Summit.Reminders.Commitments;
using Summit.Reminders.DeliveryStatus;
using Summit.Reminders.Digest;
using Summit.Reminders.Email;
using Summit.Reminders.Meetings;
using Summit.Reminders.Participation;
using Summit.Reminders.Ports;
using Summit.Reminders.Notifications;
using Summit.Reminders.Telemetry;

namespace Summit.Reminders.Delivery;

public enum DeliveryOutcome { Sent, Skipped, Duplicate, Deferred, RetryScheduled, Failed, DeadLettered, Abandoned, PostponedByOutage, PostponedByCredentials }

public sealed record DeliveryRunResult(int Received, IReadOnlyDictionary<DeliveryOutcome, int> Outcomes)
{
    public int Count(DeliveryOutcome outcome) => Outcomes.TryGetValue(outcome, out var n) ? n : 0;
}

/// <summary>
/// One run of the "DeliverReminders" timer: drains the reminder queue for a bounded time and count. Each message is
/// checked against the meeting as it is now and against the delivery ledger before anything is sent.
/// </summary>
public sealed partial class ReminderDelivery(
    IReminderQueue queue, IMeetingStore meetings, ICommitmentStore commitments, IDigestSubscriptions digests, IDeliveryLedger ledger, IParticipantResponses responses, IEmailSender sender,
    IEmailComposer composer, ParticipantLinks links, EmailProviderStatus providerStatus, TimeProvider time, IOptions<DeliveryOptions> options, SummitMetrics metrics,
    ILogger<ReminderDelivery> logger)
{
    private readonly DeliveryOptions _options = options.Value;

    public async Task<DeliveryRunResult> RunAsync(CancellationToken cancellationToken)
    {
        var started = time.GetTimestamp();
        var outcomes = new Dictionary<DeliveryOutcome, int>();
        var received = 0;
        // A stream, not batch by batch: the next receive starts as soon as the previous batch's messages have all
        // started, so one slow send never holds up the rest. At most MaxConcurrency messages are in flight and at most
        // one batch waits for a slot (its lock runs meanwhile, so batches stay small next to the lock).
        using var slots = new SemaphoreSlim(_options.MaxConcurrency, _options.MaxConcurrency);
        var run = new RunState();
        Exception? failure = null;
        try
        {
            while (received < _options.MaxMessagesPerRun && time.GetElapsedTime(started) < _options.MaxRunDuration)
            {
                // Storage is down: what was received is postponed; receiving more would only postpone more.
                lock (outcomes) if (outcomes.ContainsKey(DeliveryOutcome.PostponedByOutage)) break;
                // The provider refuses our key: every further email would be refused the same way.
                if (run.CredentialsRefusal is not null) break;
                var want = Math.Min(_options.ReceiveBatchSize, _options.MaxMessagesPerRun - received);
                var batch = await queue.ReceiveAsync(want, _options.ReceiveWait, cancellationToken);
                if (batch.Count == 0) break;
                received += batch.Count;
                var reads = new SharedReads(meetings, commitments, responses, ledger, cancellationToken);
                foreach (var message in batch)
                {
                    await slots.WaitAsync(cancellationToken);
                    _ = Task.Run(async () =>
                    {
                        try
                        {
                            var outcome = await ProcessAsync(message, reads, run, cancellationToken);
                            lock (outcomes) outcomes[outcome] = outcomes.GetValueOrDefault(outcome) + 1;
                        }
                        catch (Exception ex)
                        {
                            // Only settling a message can throw here (the queue is gone, or the run is cancelled): the
                            // message's lock runs out and it is delivered again. The run reports the first such error.
                            Interlocked.CompareExchange(ref failure, ex, null);
                        }
                        finally { slots.Release(); }
                    }, CancellationToken.None);
                }
            }
        }
        finally
        {
            // Every slot back means every message of the run is finished (ProcessAsync settles each one itself).
            for (var i = 0; i < _options.MaxConcurrency; i++) await slots.WaitAsync(CancellationToken.None);
        }
        if (failure is not null) ExceptionDispatchInfo.Throw(failure);
        LogRun(logger, received, string.Join(", ", outcomes.Select(o => $"{o.Key}={o.Value}")));
        // One error per run, not one per email: the key is wrong, and an operator must fix it.
        if (run.CredentialsRefusal is { } refusal) LogCredentialsRefused(logger, refusal, outcomes.GetValueOrDefault(DeliveryOutcome.PostponedByCredentials), _options.OutageRetryDelay);
        if (outcomes.ContainsKey(DeliveryOutcome.PostponedByOutage))
            throw new DependencyUnavailableException("Table Storage", new InvalidOperationException("Delivery postponed its messages."));
        await CountWaitingAsync(cancellationToken);
        return new DeliveryRunResult(received, outcomes);
    }

    /// <summary>What the run left on the queue, for the <c>summit.queue.waiting</c> gauge. A count that fails is reported
    /// as unknown (no value), never as a failed run.</summary>
    private int _countFailureLogged;

    private async Task CountWaitingAsync(CancellationToken cancellationToken)
    {
        try
        {
            metrics.QueueWaiting(await queue.CountWaitingAsync(cancellationToken));
        }
        catch (Exception ex) when (ex is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
        {
            metrics.QueueWaiting(null);
            // Once per process: on Service Bus without a role that may read the queue's count it fails every run.
            if (Interlocked.Exchange(ref _countFailureLogged, 1) == 0) LogCountFailed(logger, ex.GetType().Name);
        }
    }

    /// <summary>One message under a consumer span that links to the span that published it (the trace context the
    /// message carried), with its kind, outcome and, once sent, its lateness.</summary>
    private async Task<DeliveryOutcome> ProcessAsync(IReceivedReminder message, SharedReads reads, RunState run, CancellationToken cancellationToken)
    {
        using var span = SummitTelemetry.Source.StartActivity(SummitTelemetry.Spans.Deliver, ActivityKind.Consumer, parentContext: default,
            links: message.PublishedFrom is { } origin ? [new ActivityLink(origin)] : null);
        if (span is not null)
        {
            span.SetTag("messaging.operation.type", "process");
            span.SetTag(SummitTelemetry.Attributes.DeliveryCount, message.DeliveryCount);
            if (message.Reminder is { } r)
            {
                span.SetTag(SummitTelemetry.Attributes.Kind, Slots.Category(r.Kind));
                span.SetTag(SummitTelemetry.Attributes.MeetingId, r.MeetingId);
            }
        }
        try
        {
            var outcome = await ProcessCoreAsync(message, reads, run, span, cancellationToken);
            var final = FinalOutcome(outcome);
            if (final is not null) metrics.EmailFinished(message.Reminder?.Kind, final);
            span?.SetTag(SummitTelemetry.Attributes.Outcome, final ?? SpanOutcome(outcome));
            if (outcome is DeliveryOutcome.Failed or DeliveryOutcome.DeadLettered or DeliveryOutcome.Abandoned) span?.SetStatus(ActivityStatusCode.Error, outcome.ToString());
            return outcome;
        }
        catch (Exception ex)
        {
            span?.SetStatus(ActivityStatusCode.Error, ex.GetType().Name);
            throw;
        }
    }

    /// <summary>The outcomes that end an email's story, as <c>summit.emails</c> counts them; the others (a retry, a wait, a
    /// duplicate of one already counted) are not final and are not counted.</summary>
    private static string? FinalOutcome(DeliveryOutcome outcome) => outcome switch
    {
        DeliveryOutcome.Sent => SummitTelemetry.Outcomes.Sent,
        DeliveryOutcome.Skipped => SummitTelemetry.Outcomes.Skipped,
        DeliveryOutcome.Failed => SummitTelemetry.Outcomes.Failed,
        DeliveryOutcome.DeadLettered => SummitTelemetry.Outcomes.DeadLettered,
        _ => null,
    };

    private static string SpanOutcome(DeliveryOutcome outcome) => outcome switch
    {
        DeliveryOutcome.Duplicate => "duplicate",
        DeliveryOutcome.Deferred => "deferred",
        DeliveryOutcome.RetryScheduled => "retry_scheduled",
        DeliveryOutcome.Abandoned => "abandoned",
        DeliveryOutcome.PostponedByOutage => "postponed_by_outage",
        DeliveryOutcome.PostponedByCredentials => "postponed_by_credentials",
        _ => outcome.ToString().ToLowerInvariant(),
    };

    private async Task<DeliveryOutcome> ProcessCoreAsync(IReceivedReminder message, SharedReads reads, RunState run, Activity? span, CancellationToken cancellationToken)
    {
        if (message.Reminder is not { } reminder)
        {
            LogMalformed(logger, message.MessageId, message.ParseError ?? "unknown");
            await message.DeadLetterAsync("MalformedMessage", message.ParseError ?? "not a reminder message", cancellationToken);
            return DeliveryOutcome.DeadLettered;
        }
        if (run.CredentialsRefusal is not null)
        {
            // Not even tried: it would be refused like the one before. Handed back without spending a delivery attempt.
            await message.RetryLaterAsync(reminder with { Reschedules = reminder.Reschedules + 1 }, time.GetUtcNow() + _options.OutageRetryDelay, cancellationToken);
            return DeliveryOutcome.PostponedByCredentials;
        }
        try
        {
            return await DeliverAsync(message, reminder, reads, run, span, cancellationToken);
        }
        catch (DependencyUnavailableException ex)
        {
            // Our storage is down (not the reminder's fault): hand the message back for later without spending one of
            // the queue's delivery attempts, so an outage never pushes reminders into the dead letters.
            LogPostponed(logger, reminder.ReminderId, ex.Dependency);
            try
            {
                await message.RetryLaterAsync(reminder with { Reschedules = reminder.Reschedules + 1 }, time.GetUtcNow() + _options.OutageRetryDelay, cancellationToken);
            }
            catch (Exception retryError) when (retryError is not OperationCanceledException) { /* the queue is down too: the lock runs out on its own */ }
            return DeliveryOutcome.PostponedByOutage;
        }
        catch (Exception ex) when (ex is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
        {
            LogUnexpected(logger, ex, reminder.ReminderId);
            try { await message.AbandonAsync(cancellationToken); }
            catch (Exception abandonError) when (abandonError is not OperationCanceledException) { /* the lock runs out on its own */ }
            return DeliveryOutcome.Abandoned;
        }
    }

    /// <summary>A commitment's email: an owner's reminder or the coordinator's rung. Checked against the commitment as it
    /// is now before the claim, and again on a fresh read after it, so that from the claim on nothing goes for a
    /// commitment marked done, dropped or changed before it.</summary>
    private async Task<DeliveryOutcome> DeliverCommitmentAsync(IReceivedReminder message, ReminderMessage reminder, SharedReads reads, RunState run, Activity? span,
        CancellationToken cancellationToken)
    {
        if (await reads.CommitmentAsync(reminder.MeetingId) is not { } stored)
        {
            await message.DeadLetterAsync("CommitmentNotFound", $"commitment {reminder.MeetingId} does not exist", cancellationToken);
            return DeliveryOutcome.DeadLettered;
        }
        var now = time.GetUtcNow();
        if (reminder.Kind == MessageKind.CommitmentReminder && stored.Commitment.FindOwner(reminder.ParticipantId) is null
            && stored.Commitment.Plan.PlanId == reminder.PlanId && stored.Commitment.Status == CommitmentStatus.Open)
        {
            // Not an owner of the very plan that queued it: a data-subject erasure took them off (a change of owners
            // makes a new plan). Dropped without a ledger row, which would name them again.
            await message.CompleteAsync(cancellationToken);
            LogSkipped(logger, reminder.ReminderId, "the owner was erased from the commitment");
            return DeliveryOutcome.Skipped;
        }
        var skipReason = await CommitmentSkipReasonAsync(stored.Commitment, reminder, now, reads);
        if (skipReason is not null)
        {
            await ledger.RecordSkippedAsync(reminder.MeetingId, Record(reminder, DeliveryState.Skipped, now) with { Reason = skipReason }, cancellationToken);
            await message.CompleteAsync(cancellationToken);
            LogSkipped(logger, reminder.ReminderId, skipReason);
            return DeliveryOutcome.Skipped;
        }
        var (token, unclaimed) = await ClaimAsync(reminder.MeetingId, message, reminder, now, cancellationToken);
        if (token is null) return unclaimed!.Value;
        var fresh = (await commitments.GetAsync(reminder.MeetingId, cancellationToken))?.Commitment;
        var lateReason = fresh is null ? "the commitment no longer exists" : await CommitmentSkipReasonAsync(fresh, reminder, now, reads);
        if (lateReason is not null) return await SkipClaimedAsync(reminder.MeetingId, message, reminder, token, lateReason, now, cancellationToken);
        var owner = reminder.Kind == MessageKind.CommitmentReminder ? fresh!.FindOwner(reminder.ParticipantId) : null;
        var ownerLinks = owner is null ? null : links.ForCommitment(fresh!, owner);
        var progressUrl = owner is null ? links.ForProgress(fresh!.Track, fresh.Coordinator.Language, now) : null;
        return await SendClaimedAsync(reminder.MeetingId, message, reminder, token,
            () => Task.FromResult((composer.Compose(new CommitmentCompositionInput(fresh!, owner, reminder, now, ownerLinks, progressUrl)), (IReadOnlyList<string>)[])),
            run, span, now, cancellationToken);
    }

    /// <summary>
    /// A subscriber's digest of one day. The subscription is checked before the claim and again after it: once it is gone
    /// (unsubscribed, erased) nothing goes and nothing of it is kept. The claim is the ledger row of the subscriber's day,
    /// so a redelivered message or a second publish finds it taken and sends nothing. What it says is read now, at
    /// sending; with nothing to say it sends nothing and records the day as skipped, for ops to see.
    /// </summary>
    private async Task<DeliveryOutcome> DeliverDigestAsync(IReceivedReminder message, ReminderMessage reminder, RunState run, Activity? span, CancellationToken cancellationToken)
    {
        var subjectId = reminder.MeetingId;
        if (await digests.GetAsync(subjectId, cancellationToken) is null)
        {
            await message.CompleteAsync(cancellationToken);
            LogSkipped(logger, reminder.ReminderId, "the digest subscription was withdrawn");
            return DeliveryOutcome.Skipped;
        }
        var now = time.GetUtcNow();
        var day = Slots.DayOfDigest(reminder.Offset) ?? throw new InvalidOperationException($"{reminder.Offset} is not a digest slot.");
        var (token, unclaimed) = await ClaimAsync(subjectId, message, reminder, now, cancellationToken);
        if (token is null) return unclaimed!.Value;
        if ((await digests.GetAsync(subjectId, cancellationToken))?.Subscription is not { } subscription)
        {
            // Withdrawn between the two reads: its row goes as the rest of it did.
            await ledger.FinishAsync(subjectId, token, Record(reminder, DeliveryState.Skipped, now) with { Reason = "the digest subscription was withdrawn" }, cancellationToken);
            await ledger.EraseAsync(subjectId, null, cancellationToken);
            await message.CompleteAsync(cancellationToken);
            LogSkipped(logger, reminder.ReminderId, "the digest subscription was withdrawn");
            return DeliveryOutcome.Skipped;
        }
        if (subscription.HasLapsed(now))
            return await SkipClaimedAsync(subjectId, message, reminder, token, "the digest was not renewed within 35 days of the last opt-in (roles may have changed)", now, cancellationToken);
        if (DigestSchedule.IsOver(subscription.Subscriber.TimeZone, day, now))
            return await SkipClaimedAsync(subjectId, message, reminder, token, "the subscriber's day was over when this digest could be sent", now, cancellationToken);
        var report = await DigestReport.ReadAsync(subscription, day, now, meetings, commitments, responses, cancellationToken);
        if (report.IsEmpty) return await SkipClaimedAsync(subjectId, message, reminder, token, DigestReport.NothingToReport, now, cancellationToken);
        return await SendClaimedAsync(subjectId, message, reminder, token,
            () => Task.FromResult((composer.Compose(new DigestCompositionInput(report, reminder)), (IReadOnlyList<string>)[])), run, span, now, cancellationToken);
    }

    private static async Task<string?> CommitmentSkipReasonAsync(Commitment commitment, ReminderMessage message, DateTimeOffset now, SharedReads reads)
    {
        if (CommitmentRules.IsOwnerNotice(message.Kind)) return CommitmentRules.OwnerNoticeSkipReason(commitment, message.Offset);
        if (message.Kind != MessageKind.CommitmentReminder && commitment.Coordinator.Email.Length == 0) return "the commitment has no coordinator any more (erased)";
        if (commitment.Status != CommitmentStatus.Open) return $"the commitment is {commitment.Status.ToString().ToLowerInvariant()}";
        if (commitment.Plan.PlanId != message.PlanId)
            return $"the commitment was changed: plan {message.PlanVersion} was replaced by plan {commitment.Plan.PlanVersion}";
        if (message.Kind == MessageKind.CommitmentReminder)
        {
            if (commitment.FindOwner(message.ParticipantId) is null) return "the owner was taken off the commitment";
            var response = (await reads.AnswersAsync(commitment.Id)).FirstOrDefault(a => a.ParticipantId == message.ParticipantId);
            if (response?.IsUndeliverable == true) return $"the owner's address cannot receive email ({response.UndeliverableReason})";
            // A spam report or SendGrid unsubscribe counts as their wish: no more reminders of this commitment.
            if (response?.HasUnsubscribed == true) return "the owner reported these emails as spam or unsubscribed";
        }
        return CommitmentRules.SkipReason(commitment, message.Offset, message.ParticipantId, now);
    }

    private async Task<DeliveryOutcome> DeliverAsync(IReceivedReminder message, ReminderMessage reminder, SharedReads reads, RunState run, Activity? span, CancellationToken cancellationToken)
    {
        if (CommitmentRules.IsCommitmentKind(reminder.Kind)) return await DeliverCommitmentAsync(message, reminder, reads, run, span, cancellationToken);
        if (reminder.Kind == MessageKind.Digest) return await DeliverDigestAsync(message, reminder, run, span, cancellationToken);
        var stored = await reads.MeetingAsync(reminder.MeetingId);
        if (stored is null)
        {
            if (await meetings.GetTombstoneAsync(reminder.MeetingId, cancellationToken) is not null)
            {
                // Erased: its queued emails go nowhere, and leave no trace in the ledger.
                await message.CompleteAsync(cancellationToken);
                LogSkipped(logger, reminder.ReminderId, "the meeting was erased");
                return DeliveryOutcome.Skipped;
            }
            await message.DeadLetterAsync("MeetingNotFound", $"meeting {reminder.MeetingId} does not exist", cancellationToken);
            return DeliveryOutcome.DeadLettered;
        }
        var meeting = stored.Meeting;
        var now = time.GetUtcNow();
        var participant = reminder.Kind == MessageKind.Removal
            ? await RemovedAsync(meeting, reminder, cancellationToken)
            : meeting.FindParticipant(reminder.ParticipantId);
        if (await InvitationInFlightAsync(meeting, participant, reminder, now, reads) is { } leaseUntil)
        {
            // Whether this participant's invitation goes out is being decided right now: ask again when it is.
            await message.RetryLaterAsync(reminder with { Reschedules = reminder.Reschedules + 1 }, leaseUntil, cancellationToken);
            return DeliveryOutcome.Deferred;
        }
        if (participant is null && reminder.Kind is not (MessageKind.Removal or MessageKind.Escalation or MessageKind.Undeliverable) && reminder.PlanId == meeting.Plan.PlanId)
        {
            // Not on the list of the very plan that queued it: a data-subject erasure took them off (an update that
            // removes someone makes a new plan). Dropped without a ledger row, which would name them again.
            await message.CompleteAsync(cancellationToken);
            LogSkipped(logger, reminder.ReminderId, "the participant was erased from the meeting");
            return DeliveryOutcome.Skipped;
        }
        var skipReason = await SkipReasonAsync(meeting, participant, reminder, now, reads);
        if (skipReason is not null)
        {
            await ledger.RecordSkippedAsync(meeting.Id, Record(reminder, DeliveryState.Skipped, now) with { Reason = skipReason }, cancellationToken);
            await message.CompleteAsync(cancellationToken);
            LogSkipped(logger, reminder.ReminderId, skipReason);
            return DeliveryOutcome.Skipped;
        }

        if (reminder.Kind == MessageKind.Undeliverable && UndeliverableNotices.NextAllowed(meeting, now) is { } allowed)
        {
            // A retry, an outage or a backlog brought it outside the coordinator's hours: it waits for the morning.
            await message.RetryLaterAsync(reminder with { Reschedules = reminder.Reschedules + 1 }, allowed, cancellationToken);
            return DeliveryOutcome.Deferred;
        }

        var (token, unclaimed) = await ClaimAsync(meeting.Id, message, reminder, now, cancellationToken);
        if (token is null) return unclaimed!.Value;

        if (reminder.Kind is MessageKind.Invitation or MessageKind.Update)
        {
            // Checked again now that the claim is held, against the meeting as stored now (the receive's shared read may be
            // older): a cancellation that finds no sent or claimed invitation skips this person, so from this claim on an
            // invitation must never go out for a meeting cancelled, or a participant removed, before it.
            var fresh = (await meetings.GetAsync(meeting.Id, cancellationToken))?.Meeting;
            var lateReason = fresh is null ? "the meeting no longer exists"
                : await SkipReasonAsync(fresh, fresh.FindParticipant(reminder.ParticipantId), reminder, now, reads);
            if (lateReason is not null) return await SkipClaimedAsync(meeting.Id, message, reminder, token, lateReason, now, cancellationToken);
        }

        if (reminder.Kind == MessageKind.Undeliverable)
        {
            // Checked again now that the claim is held, on fresh reads: an escalation or another notice may have named
            // everyone since the receive.
            var (_, fresh) = await ledger.ListAsync(meeting.Id, cancellationToken);
            var reportedNow = UndeliverableNotices.Reported(fresh);
            if (UndeliverableNotices.Undeliverable(meeting, await responses.ListAsync(meeting.Id, cancellationToken)).All(x => reportedNow.Contains(x.Participant.Id)))
                return await SkipClaimedAsync(meeting.Id, message, reminder, token, "every undeliverable participant was already reported to the coordinator", now, cancellationToken);
        }

        return await SendClaimedAsync(meeting.Id, message, reminder, token, () => ComposeAsync(meeting, participant, reminder, now, reads, cancellationToken),
            run, span, now, cancellationToken);
    }

    /// <summary>Claims the ledger row of this email: the token to record its outcome with, or what became of the message
    /// (already finished: a duplicate; being sent elsewhere: handed back until that lease ends).</summary>
    private async Task<(string? Token, DeliveryOutcome? Outcome)> ClaimAsync(string subjectId, IReceivedReminder message, ReminderMessage reminder,
        DateTimeOffset now, CancellationToken cancellationToken)
    {
        var claim = await ledger.TryClaimAsync(subjectId,
            Record(reminder, DeliveryState.Sending, now) with { LeaseUntil = now + _options.SendLease }, cancellationToken);
        switch (claim)
        {
            case LedgerClaim.Finished finished:
                LogDuplicate(logger, reminder.ReminderId, finished.State);
                await message.CompleteAsync(cancellationToken);
                return (null, DeliveryOutcome.Duplicate);
            case LedgerClaim.Busy busy:
                await message.RetryLaterAsync(reminder with { Reschedules = reminder.Reschedules + 1 }, busy.LeaseUntil, cancellationToken);
                return (null, DeliveryOutcome.Deferred);
        }
        return (((LedgerClaim.Claimed)claim).Token, null);
    }

    /// <summary>Finishes a claimed row as skipped.</summary>
    private async Task<DeliveryOutcome> SkipClaimedAsync(string subjectId, IReceivedReminder message, ReminderMessage reminder, string token, string reason,
        DateTimeOffset now, CancellationToken cancellationToken)
    {
        await ledger.FinishAsync(subjectId, token, Record(reminder, DeliveryState.Skipped, now) with { Reason = reason }, cancellationToken);
        await message.CompleteAsync(cancellationToken);
        LogSkipped(logger, reminder.ReminderId, reason);
        return DeliveryOutcome.Skipped;
    }

    /// <summary>Writes and sends a claimed email and records what the provider answered: sent, a retry (rate limit,
    /// transient failure, our credentials refused) or a failure; the same for every kind of email, of a meeting or a
    /// commitment (<paramref name="subjectId"/>, the ledger partition).</summary>
    private async Task<DeliveryOutcome> SendClaimedAsync(string subjectId, IReceivedReminder message, ReminderMessage reminder, string token,
        Func<Task<(EmailMessage Email, IReadOnlyList<string> Reports)>> compose, RunState run, Activity? span, DateTimeOffset now, CancellationToken cancellationToken)
    {
        EmailMessage email;
        IReadOnlyList<string> reports;
        try
        {
            (email, reports) = await compose();
        }
        catch (Exception ex) when (ex is not (OperationCanceledException or DependencyUnavailableException))
        {
            // This recipient's email cannot be written (a bug, or data no template expected). Retrying writes the same
            // failure, so it fails once, here, alone: every other message, of this meeting too, goes on.
            var reason = $"the email could not be written ({ex.GetType().Name}: {Clip(PersonalData.WithoutAddresses(ex.Message))})";
            await ledger.FinishAsync(subjectId, token, Record(reminder, DeliveryState.Failed, now) with { Reason = reason, Attempts = reminder.FailedAttempts }, cancellationToken);
            await message.DeadLetterAsync("ComposeFailed", reason, cancellationToken);
            LogComposeFailed(logger, reminder.ReminderId, ex.GetType().Name);
            return DeliveryOutcome.Failed;
        }
        var result = await sender.SendAsync(email, cancellationToken);
        var after = time.GetUtcNow();
        // An answer about this email (not a network failure) means SendGrid took our key again.
        if (result is SendResult.Accepted or SendResult.RateLimited or SendResult.Permanent) providerStatus.Accepted();
        switch (result)
        {
            case SendResult.CredentialsRefused refused:
                providerStatus.Refused(refused.Status);
                metrics.CredentialsRefused(refused.Status);
                run.Refused(refused.Reason);
                await ledger.FinishAsync(subjectId, token,
                    Record(reminder, DeliveryState.Retrying, after) with { Reason = $"waiting: {refused.Reason} (our credentials, not this email; it goes once the key works)", Attempts = reminder.FailedAttempts },
                    cancellationToken);
                await message.RetryLaterAsync(reminder with { Reschedules = reminder.Reschedules + 1 }, after + _options.OutageRetryDelay, cancellationToken);
                return DeliveryOutcome.PostponedByCredentials;

            case SendResult.Accepted accepted:
                await ledger.FinishAsync(subjectId, token,
                    Record(reminder, DeliveryState.Sent, after) with { SentAt = after, ProviderMessageId = accepted.ProviderMessageId, Attempts = reminder.FailedAttempts + 1, Reports = reports },
                    cancellationToken);
                await message.CompleteAsync(cancellationToken);
                var lateness = after - reminder.DueAt;
                metrics.Lateness(reminder.Kind, lateness);
                span?.SetTag(SummitTelemetry.Attributes.LatenessSeconds, lateness.TotalSeconds);
                LogSent(logger, Slots.Category(reminder.Kind), reminder.ReminderId, accepted.ProviderMessageId, lateness);
                return DeliveryOutcome.Sent;

            case SendResult.RateLimited limited:
                var retryAt = limited.RetryAt > after ? limited.RetryAt : after + TimeSpan.FromSeconds(1);
                await ledger.FinishAsync(subjectId, token,
                    Record(reminder, DeliveryState.Retrying, after) with { Reason = $"rate limited by the email provider until {retryAt:O}", Attempts = reminder.FailedAttempts },
                    cancellationToken);
                await message.RetryLaterAsync(reminder with { Reschedules = reminder.Reschedules + 1 }, retryAt, cancellationToken);
                LogRateLimited(logger, reminder.ReminderId, retryAt);
                return DeliveryOutcome.Deferred;

            case SendResult.Transient transient:
                var attempts = reminder.FailedAttempts + 1;
                // A timeout leaves it open whether the provider took the email: the ledger says so, for whoever looks
                // into a participant's second email (the duplicate window of docs/reliability.md).
                if (transient.MayHaveBeenAccepted) transient = transient with { Reason = transient.Reason + "; SendGrid may have accepted it, so the participant can get this email twice" };
                if (attempts >= _options.MaxSendAttempts)
                {
                    var reason = $"gave up after {attempts} attempts: {transient.Reason}";
                    await ledger.FinishAsync(subjectId, token, Record(reminder, DeliveryState.Failed, after) with { Reason = reason, Attempts = attempts }, cancellationToken);
                    await message.DeadLetterAsync("SendFailed", reason, cancellationToken);
                    LogGaveUp(logger, reminder.ReminderId, attempts);
                    return DeliveryOutcome.Failed;
                }
                var delay = _options.Backoff(attempts);
                await ledger.FinishAsync(subjectId, token, Record(reminder, DeliveryState.Retrying, after) with { Reason = transient.Reason, Attempts = attempts }, cancellationToken);
                await message.RetryLaterAsync(reminder with { FailedAttempts = attempts, Reschedules = reminder.Reschedules + 1 }, after + delay, cancellationToken);
                LogRetry(logger, reminder.ReminderId, attempts, delay);
                return DeliveryOutcome.RetryScheduled;

            case SendResult.Permanent permanent:
                await ledger.FinishAsync(subjectId, token, Record(reminder, DeliveryState.Failed, after) with { Reason = permanent.Reason, Attempts = reminder.FailedAttempts + 1 }, cancellationToken);
                await message.DeadLetterAsync("RejectedByEmailProvider", permanent.Reason, cancellationToken);
                LogRejected(logger, reminder.ReminderId);
                return DeliveryOutcome.Failed;

            default:
                throw new InvalidOperationException($"Unknown send result {result}.");
        }
    }

    /// <summary>Whom a removal notice goes to: the participant that update took off the list, unless they are back on it.</summary>
    private async Task<Participant?> RemovedAsync(Meeting meeting, ReminderMessage reminder, CancellationToken cancellationToken)
    {
        if (meeting.FindParticipant(reminder.ParticipantId) is not null) return null; // added back: nothing to cancel
        return await meetings.FindRemovedAsync(meeting.Id, reminder.PlanId, reminder.ParticipantId, cancellationToken)
            ?? meeting.FindRemoved(reminder.ParticipantId, reminder.PlanVersion);
    }

    /// <summary>A cancellation (of the meeting, or of one removed participant's place) is owed only to someone whose
    /// calendar got the meeting: an invitation or update sent to them. While one of those is being sent, the answer is
    /// not known yet: this returns when its sender's lease ends.</summary>
    private static async Task<DateTimeOffset?> InvitationInFlightAsync(Meeting meeting, Participant? participant, ReminderMessage message, DateTimeOffset now, SharedReads reads)
    {
        if (message.Kind is not (MessageKind.Cancellation or MessageKind.Removal) || participant is null) return null;
        var calendarEmails = await reads.CalendarEmailsAsync(meeting.Id, participant.Id);
        if (calendarEmails.Any(d => d.State == DeliveryState.Sent)) return null;
        return calendarEmails.Where(d => d.State == DeliveryState.Sending && d.LeaseUntil > now).Select(d => d.LeaseUntil).Max();
    }

    /// <summary>Why this message must not be emailed now, checked against the meeting and the answers as they are now.</summary>
    private static async Task<string?> SkipReasonAsync(Meeting meeting, Participant? participant, ReminderMessage message, DateTimeOffset now, SharedReads reads)
    {
        var kind = message.Kind;
        if (kind == MessageKind.Cancellation)
        {
            if (meeting.Status != MeetingStatus.Cancelled) return "the meeting is not cancelled";
        }
        else if (kind == MessageKind.Removal)
        {
            if (participant is null) return "the participant was added back to the meeting";
            if (now >= meeting.StartUtc) return "the meeting had already started";
        }
        else
        {
            var reason = meeting.Status switch
            {
                MeetingStatus.Cancelled => "the meeting was cancelled",
                MeetingStatus.Completed => "the meeting was completed",
                _ when meeting.Plan.PlanId != message.PlanId && kind != MessageKind.Undeliverable => $"the meeting was changed: plan {message.PlanVersion} was replaced by plan {meeting.Plan.PlanVersion}",
                _ when now >= meeting.StartUtc => "the meeting had already started",
                _ => null,
            };
            if (reason is not null) return reason;
        }
        if (kind == MessageKind.Escalation)
        {
            var answers = await reads.AnswersAsync(meeting.Id);
            return meeting.Participants.All(p => answers.Any(a => a.ParticipantId == p.Id && a.HasAcknowledged(meeting)))
                ? "every participant had acknowledged"
                : null;
        }
        if (kind == MessageKind.Undeliverable)
        {
            // One notice a day at most, each participant reported once: by an earlier notice, or by the escalation.
            var undeliverable = UndeliverableNotices.Undeliverable(meeting, await reads.AnswersAsync(meeting.Id));
            var reported = UndeliverableNotices.Reported(await reads.DeliveriesAsync(meeting.Id));
            return undeliverable.Count == 0 ? "no participant is undeliverable any more"
                : undeliverable.All(x => reported.Contains(x.Participant.Id)) ? "every undeliverable participant was already reported to the coordinator"
                : null;
        }
        if (participant is null) return "the participant was removed from the meeting";
        if (kind is MessageKind.Cancellation or MessageKind.Removal
            && !(await reads.CalendarEmailsAsync(meeting.Id, participant.Id)).Any(d => d.State == DeliveryState.Sent))
            return "no invitation was sent to this participant: there is nothing in their calendar to cancel";
        // (A removed participant's own cancellation is the one email that still goes.)
        if ((await reads.AnswersAsync(meeting.Id)).FirstOrDefault(a => a.ParticipantId == participant.Id) is { } response)
        {
            if (response.HasUnsubscribed) return "the participant unsubscribed from this meeting";
            if (response.IsUndeliverable) return $"the participant's address cannot receive email ({response.UndeliverableReason})";
            // Acknowledging stops reminders; news about the meeting (an update, a cancellation) still goes out.
            if (kind == MessageKind.Reminder && response.HasAcknowledged(meeting)) return "the participant acknowledged the meeting";
        }
        return null;
    }

    /// <summary>The email, and for the coordinator's emails the participants it reports as undeliverable (kept on its
    /// ledger row once sent, so that no later notice reports them again).</summary>
    private async Task<(EmailMessage Email, IReadOnlyList<string> Reports)> ComposeAsync(Meeting meeting, Participant? participant, ReminderMessage message,
        DateTimeOffset now, SharedReads reads, CancellationToken cancellationToken)
    {
        IReadOnlyList<DeliveryRecord> deliveries = [];
        IReadOnlyList<ParticipantResponse> answers = [];
        if (message.Kind is MessageKind.Escalation or MessageKind.Undeliverable)
        {
            // Read now, not shared: the escalation lists each participant's delivery state as it is at this moment, and
            // the notice who was reported since the receive.
            (_, deliveries) = await ledger.ListAsync(meeting.Id, cancellationToken);
            answers = await responses.ListAsync(meeting.Id, cancellationToken);
        }
        var email = composer.Compose(new CompositionInput(meeting, participant, message, now, deliveries, answers));
        return (email, UndeliverableNotices.ReportedBy(message.Kind, meeting, answers));
    }

    private static string Clip(string text) => text.Length <= 300 ? text : text[..300] + "…";

    /// <summary>What the messages of one run learn together: the provider refused our credentials.</summary>
    private sealed class RunState
    {
        private string? _credentialsRefusal;
        public string? CredentialsRefusal => Volatile.Read(ref _credentialsRefusal);
        public void Refused(string reason) => Interlocked.CompareExchange(ref _credentialsRefusal, reason, null);
    }

    /// <summary>
    /// The reads that the messages of one receive share: each meeting, and its participants' answers, is read once, on
    /// first need after the receive. A message is therefore checked against state read after it was received, as
    /// before; only messages received together share it. A failed read fails every message that shares it.
    /// </summary>
    private sealed class SharedReads(IMeetingStore meetings, ICommitmentStore commitments, IParticipantResponses responses, IDeliveryLedger ledger, CancellationToken cancellationToken)
    {
        private readonly ConcurrentDictionary<string, Lazy<Task<(IReadOnlyList<QueuedSlot>, IReadOnlyList<DeliveryRecord>)>>> _ledgers = new();
        private readonly ConcurrentDictionary<string, Lazy<Task<StoredMeeting?>>> _meetings = new();
        private readonly ConcurrentDictionary<string, Lazy<Task<StoredCommitment?>>> _commitments = new();
        private readonly ConcurrentDictionary<string, Lazy<Task<IReadOnlyList<ParticipantResponse>>>> _answers = new();

        public Task<StoredCommitment?> CommitmentAsync(string commitmentId) =>
            _commitments.GetOrAdd(commitmentId, id => new(() => commitments.GetAsync(id, cancellationToken))).Value;

        public Task<StoredMeeting?> MeetingAsync(string meetingId) =>
            _meetings.GetOrAdd(meetingId, id => new(() => meetings.GetAsync(id, cancellationToken))).Value;

        public Task<IReadOnlyList<ParticipantResponse>> AnswersAsync(string meetingId) =>
            _answers.GetOrAdd(meetingId, id => new(() => responses.ListAsync(id, cancellationToken))).Value;

        public async Task<IReadOnlyList<DeliveryRecord>> DeliveriesAsync(string meetingId) =>
            (await _ledgers.GetOrAdd(meetingId, id => new(() => ledger.ListAsync(id, cancellationToken))).Value).Item2;

        /// <summary>The emails that put the meeting in one participant's calendar (invitations, updates, and reminders, which
        /// carry the invitation too), sent or being sent.</summary>
        public async Task<IReadOnlyList<DeliveryRecord>> CalendarEmailsAsync(string meetingId, string participantId)
        {
            var (_, deliveries) = await _ledgers.GetOrAdd(meetingId, id => new(() => ledger.ListAsync(id, cancellationToken))).Value;
            return deliveries.Where(d => d.ParticipantId == participantId && Slots.KindOf(d.Offset) is MessageKind.Invitation or MessageKind.Update or MessageKind.Reminder).ToList();
        }
    }

    private static DeliveryRecord Record(ReminderMessage r, DeliveryState state, DateTimeOffset at) =>
        new(r.ReminderId, r.PlanId, r.Offset, r.ParticipantId, state, at);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Could not count the messages waiting on the queue ({ExceptionType}); summit.queue.waiting reports nothing until a count succeeds")]
    private static partial void LogCountFailed(ILogger logger, string exceptionType);

    [LoggerMessage(Level = LogLevel.Information, Message = "Delivery run: {Received} messages ({Outcomes})")]
    private static partial void LogRun(ILogger logger, int received, string outcomes);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Dead-lettered malformed message {MessageId}: {Reason}")]
    private static partial void LogMalformed(ILogger logger, string messageId, string reason);

    [LoggerMessage(Level = LogLevel.Error, Message = "Unexpected error delivering reminder {ReminderId}; the message goes back to the queue")]
    private static partial void LogUnexpected(ILogger logger, Exception exception, string reminderId);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Reminder {ReminderId} postponed: {Dependency} is unavailable")]
    private static partial void LogPostponed(ILogger logger, string reminderId, string dependency);

    [LoggerMessage(Level = LogLevel.Information, Message = "Skipped reminder {ReminderId}: {Reason}")]
    private static partial void LogSkipped(ILogger logger, string reminderId, string reason);

    [LoggerMessage(Level = LogLevel.Information, Message = "Reminder {ReminderId} was already {State}; message completed without sending")]
    private static partial void LogDuplicate(ILogger logger, string reminderId, DeliveryState state);

    [LoggerMessage(Level = LogLevel.Information, Message = "Sent {Kind} {ReminderId} (provider id {ProviderMessageId}, {Lateness} after due)")]
    private static partial void LogSent(ILogger logger, string kind, string reminderId, string? providerMessageId, TimeSpan lateness);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Rate limited sending reminder {ReminderId}; retrying at {RetryAt}")]
    private static partial void LogRateLimited(ILogger logger, string reminderId, DateTimeOffset retryAt);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Transient failure sending reminder {ReminderId} (attempt {Attempts}); retrying in {Delay}")]
    private static partial void LogRetry(ILogger logger, string reminderId, int attempts, TimeSpan delay);

    [LoggerMessage(Level = LogLevel.Error, Message = "Reminder {ReminderId} failed after {Attempts} attempts and was dead-lettered")]
    private static partial void LogGaveUp(ILogger logger, string reminderId, int attempts);

    [LoggerMessage(Level = LogLevel.Error, Message = "The email of {ReminderId} could not be written ({ExceptionType}) and was dead-lettered; the other emails go on")]
    private static partial void LogComposeFailed(ILogger logger, string reminderId, string exceptionType);

    [LoggerMessage(Level = LogLevel.Error, Message = "The email provider refused our credentials: {Reason}. {Postponed} emails of this run wait in the queue and are tried again in {RetryIn}; fix the API key (docs/deploy.md)")]
    private static partial void LogCredentialsRefused(ILogger logger, string reason, int postponed, TimeSpan retryIn);

    [LoggerMessage(Level = LogLevel.Error, Message = "Reminder {ReminderId} was rejected by the email provider and dead-lettered")]
    private static partial void LogRejected(ILogger logger, string reminderId);
}
