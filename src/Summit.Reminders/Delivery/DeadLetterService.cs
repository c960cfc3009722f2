using Microsoft.Extensions.Logging;
using Summit.Reminders.Ports;
using Summit.Reminders.Notifications;

namespace Summit.Reminders.Delivery;

public abstract record ReplayResult
{
    public sealed record Replayed(DeadLetter DeadLetter, ReminderMessage Requeued) : ReplayResult;
    public sealed record NotFound : ReplayResult;
    /// <summary>The dead letter is not a reminder (a malformed or foreign message): replaying it would only fail again.</summary>
    public sealed record NotAReminder(string Reason) : ReplayResult;
    /// <summary>The reminder was sent or skipped meanwhile: replaying it could only send it twice.</summary>
    public sealed record AlreadyFinal(DeliveryState State) : ReplayResult;
}

/// <summary>
/// Ops repair: list the reminder queue's dead letters and replay one after the cause is fixed (SendGrid back, an
/// address corrected). A replay reopens the reminder's "failed" ledger row, so delivery tries it again with a fresh
/// attempt budget; a reminder already sent or skipped is never replayed.
/// </summary>
public sealed partial class DeadLetterService(IDeadLetterQueue deadLetters, IDeliveryLedger ledger, Audit.AuditTrail audit, TimeProvider time, ILogger<DeadLetterService> logger)
{
    public Task<IReadOnlyList<DeadLetter>> ListAsync(int max, CancellationToken cancellationToken) => deadLetters.ListAsync(max, cancellationToken);

    public async Task<ReplayResult> ReplayAsync(string id, CancellationToken cancellationToken)
    {
        var letter = await deadLetters.FindAsync(id, cancellationToken);
        if (letter is null) return new ReplayResult.NotFound();
        if (letter.Reminder is not { } reminder) return new ReplayResult.NotAReminder(letter.ParseError ?? letter.Reason);

        var now = time.GetUtcNow();
        // In the history of the reminder's meeting (or commitment): which reminder went back on the queue.
        var entry = await audit.BeginAsync(reminder.MeetingId, Audit.AuditActions.DeadLetterReplayed,
            [new Audit.AuditChange("reminder", null, reminder.ReminderId)], null, cancellationToken);
        var replayed = await ReplayAsync(id, letter, reminder, now, cancellationToken);
        await audit.SettleAsync(reminder.MeetingId, entry, landed: replayed is ReplayResult.Replayed, cancellationToken);
        return replayed;
    }

    private async Task<ReplayResult> ReplayAsync(string id, DeadLetter letter, ReminderMessage reminder, DateTimeOffset now, CancellationToken cancellationToken)
    {
        var state = await ledger.ReopenAsync(reminder.MeetingId, reminder.ReminderId, $"replayed from the dead letters at {now:O}", now, cancellationToken);
        if (state is DeliveryState.Sent or DeliveryState.Skipped) return new ReplayResult.AlreadyFinal(state.Value);

        // A new transport id (one more reschedule than the dead letter had) so duplicate detection does not drop it.
        var requeued = reminder with { FailedAttempts = 0, Reschedules = reminder.Reschedules + 1, NotBefore = null };
        if (!await deadLetters.ReplayAsync(id, requeued, cancellationToken)) return new ReplayResult.NotFound();
        LogReplayed(logger, id, reminder.ReminderId);
        return new ReplayResult.Replayed(letter, requeued);
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Dead letter {DeadLetterId} replayed: reminder {ReminderId} is queued again")]
    private static partial void LogReplayed(ILogger logger, string deadLetterId, string reminderId);
}
