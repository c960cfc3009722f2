using Summit.Reminders.Delivery;
using Summit.Reminders.Ports;

namespace Summit.Reminders.Infrastructure.SendGrid;

/// <summary>SendGrid in /api/health: unhealthy, with SendGrid's reason, while the last send was refused for our
/// credentials (401/403). It does not call SendGrid: health is anonymous and called often, and a send tells soon enough.</summary>
public sealed class SendGridHealthProbe(EmailProviderStatus status) : IDependencyProbe
{
    public string Name => "SendGrid";

    public Task ProbeAsync(CancellationToken cancellationToken) => status.ProbeAsync();
}
