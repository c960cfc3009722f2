namespace Summit.Reminders.Delivery;

/// <summary>One dead-lettered message: why it is there and, when it is one of ours, the reminder it carries.</summary>
/// <param name="Id">The transport's id of the dead letter (Service Bus: sequence number; Storage Queue: message id).</param>
public sealed record DeadLetter(
    string Id, string Reason, string? Description, DateTimeOffset? DeadLetteredAt, int DeliveryCount,
    ReminderMessage? Reminder, string? ParseError);
