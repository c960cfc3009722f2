namespace Summit.Reminders.Notifications;

/// <summary>
/// The rules of a delivery row, whatever stores it: who may claim it, when a skip may overwrite it, when a replay may
/// reopen it, and the state people see. A store adapter applies them under its own concurrency control.
/// </summary>
public static class DeliveryRules
{
    /// <summary>What a claim at <paramref name="at"/> meets in an existing row: finished rows are never sent again, a live
    /// lease belongs to another sender; null means the claim may take the row over (it waits for a retry, or its sender
    /// died and the lease ran out).</summary>
    public static LedgerClaim? ClaimAgainst(DeliveryRecord existing, DateTimeOffset at) => existing.State switch
    {
        DeliveryState.Sent or DeliveryState.Failed or DeliveryState.Skipped => new LedgerClaim.Finished(existing.State),
        DeliveryState.Sending when existing.LeaseUntil is { } lease && lease > at => new LedgerClaim.Busy(lease),
        _ => null,
    };

    /// <summary>A skip may end a row that only waits for a retry, or whose sender's lease ran out; a final row stays.</summary>
    public static bool MayBeSkipped(DeliveryRecord existing, DateTimeOffset at) =>
        existing.State == DeliveryState.Retrying || (existing.State == DeliveryState.Sending && existing.LeaseUntil is { } lease && lease <= at);

    /// <summary>A replay reopens only a failed row, as retrying with a fresh attempt budget.</summary>
    public static DeliveryRecord? Reopen(DeliveryRecord existing, string reason, DateTimeOffset at) =>
        existing.State == DeliveryState.Failed ? existing with { State = DeliveryState.Retrying, Reason = reason, UpdatedAt = at, Attempts = 0 } : null;

    /// <summary>The state coordinators see: a row being sent or waiting for a retry is "queued".</summary>
    public static string Display(DeliveryState state) => state switch
    {
        DeliveryState.Sending or DeliveryState.Retrying => "queued",
        _ => state.ToString().ToLowerInvariant(),
    };
}
