namespace Summit.Reminders.DeliveryStatus;

/// <summary>
/// How events make a status, whatever order they arrive in: processed, then deferred, then delivered; a bounce or a drop
/// outranks them (a bounce may come after "delivered": the receiving server accepted, then returned it), and a spam
/// report outranks everything. A later event of the same rank refreshes the time and reason (another deferral).
/// Unsubscribe events change no status: they unsubscribe the participant (<see cref="DeliveryEventService"/>).
/// </summary>
public static class ProviderStatusRules
{
    /// <summary>How many applied event ids a status keeps to recognise a replay (a webhook batch is retried whole).</summary>
    public const int RememberedEvents = 32;

    public static int Rank(ProviderEventKind kind) => kind switch
    {
        ProviderEventKind.Processed => 1,
        ProviderEventKind.Deferred => 2,
        ProviderEventKind.Delivered => 3,
        ProviderEventKind.Bounce or ProviderEventKind.Dropped => 4,
        ProviderEventKind.SpamReport => 5,
        _ => 0,
    };

    public static string Name(ProviderEventKind kind) => kind switch
    {
        ProviderEventKind.SpamReport => "spamreport",
        ProviderEventKind.GroupUnsubscribe => "group_unsubscribe",
        _ => kind.ToString().ToLowerInvariant(),
    };

    private static readonly Dictionary<string, ProviderEventKind> ByName = Enum.GetValues<ProviderEventKind>().ToDictionary(Name);

    private static int Rank(string? status) => status is not null && ByName.TryGetValue(status, out var kind) ? Rank(kind) : 0;

    /// <summary>The status after <paramref name="e"/>, or null when it changes nothing (seen before).</summary>
    public static ProviderStatus? Apply(ProviderStatus? current, string participantId, ProviderEvent e)
    {
        if (current?.EventIds.Contains(e.EventId) == true) return null;
        var ids = (current?.EventIds ?? []).Append(e.EventId).TakeLast(RememberedEvents).ToList();
        // Once undeliverable, always: nothing after a hard bounce or a drop makes the address good again, and a hard bounce
        // that arrives after a spam report still counts.
        var undeliverable = current?.Undeliverable == true || e.Kind == ProviderEventKind.Dropped
            || (e.Kind == ProviderEventKind.Bounce && !string.Equals(e.BounceType, "blocked", StringComparison.OrdinalIgnoreCase));
        var rank = Rank(e.Kind);
        var currentRank = Rank(current?.Status);
        if (rank == 0 || rank < currentRank || (rank == currentRank && current is not null && e.At <= current.At))
        {
            // No new status, but the event is remembered (an unsubscribe acts once).
            return current is null
                ? new ProviderStatus(e.ReminderId, participantId, null, e.At, null, undeliverable, ids)
                : current with { EventIds = ids, Undeliverable = undeliverable };
        }
        return new ProviderStatus(e.ReminderId, participantId, Name(e.Kind), e.At, e.Detail, undeliverable, ids);
    }
}
