using Summit.Reminders.Email;
using Summit.Reminders.Ports;

namespace Summit.LocalHost.DeliveryEvents;

/// <summary>
/// The pickup-folder transport as a provider that reports back: every email it accepts (written as an .eml) is handed to
/// <see cref="PickupEventPoster"/>, which posts SendGrid's <c>processed</c> and <c>delivered</c> events for it to this
/// host's Event Webhook. The send itself is not delayed, and nothing about the email but its ids travels.
/// </summary>
public sealed class PickupEventsEmailSender(IEmailSender inner, PickupEventPoster poster, TimeProvider time) : IEmailSender
{
    public async Task<SendResult> SendAsync(EmailMessage message, CancellationToken cancellationToken)
    {
        var result = await inner.SendAsync(message, cancellationToken);
        if (result is SendResult.Accepted accepted) poster.Enqueue(new PickupEmail(message.CustomArgs, accepted.ProviderMessageId, time.GetUtcNow()));
        return result;
    }
}
