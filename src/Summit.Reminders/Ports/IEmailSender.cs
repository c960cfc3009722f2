using Summit.Reminders.Email;

namespace Summit.Reminders.Ports;

public interface IEmailSender
{
    Task<SendResult> SendAsync(EmailMessage message, CancellationToken cancellationToken);
}
