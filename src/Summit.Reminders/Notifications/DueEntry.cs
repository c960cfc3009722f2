namespace Summit.Reminders.Notifications;

/// <summary>One reminder slot (an offset of a plan, for every participant) waiting for its moment.</summary>
public sealed record DueEntry(string MeetingId, string PlanId, int PlanVersion, string Offset, DateTimeOffset DueAt, DateTimeOffset CreatedAt);
