using Summit.Reminders.Ports;

namespace Summit.Reminders.Infrastructure.SendGrid;

/// <summary>With SendGrid the app keeps no copy of what it sent. SendGrid's own Email Activity history (recipient and
/// subject, for its plan's retention) is outside the app's reach: docs/data-protection.md says how to ask SendGrid.</summary>
public sealed class SendGridKeepsNoCopies : ISentEmails
{
    public Task<int> EraseAsync(string meetingId, IReadOnlySet<string>? recipientIds, IReadOnlySet<string>? mentioning, CancellationToken cancellationToken) => Task.FromResult(0);
}
