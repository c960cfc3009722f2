using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Summit.Reminders.Delivery;
using Summit.Reminders.Meetings;
using Summit.Reminders.Scheduling;

namespace Summit.Reminders;

public static class ServiceCollectionExtensions
{
    /// <summary>The use cases. Options are bound by the host; ports are registered by the infrastructure.</summary>
    public static IServiceCollection AddReminderUseCases(this IServiceCollection services)
    {
        services.TryAddSingleton(TimeProvider.System);
        services.AddSingleton<Audit.AuditTrail>();
        services.AddSingleton<Audit.HistoryService>();
        services.AddSingleton<MeetingService>();
        services.AddSingleton<Commitments.CommitmentService>();
        services.AddSingleton<Commitments.CommitmentRetention>();
        services.AddSingleton<Commitments.ProgressService>();
        services.AddSingleton<Digest.DigestService>();
        services.AddSingleton<ReminderScheduler>();
        services.AddSingleton<ReminderDelivery>();
        services.AddSingleton<EmailProviderStatus>();
        services.TryAddSingleton<Telemetry.SummitMetrics>();
        services.AddSingleton<Operations.HealthService>();
        services.AddSingleton<DeadLetterService>();
        services.AddSingleton<Participation.LinkSigner>();
        services.AddSingleton<Participation.ParticipantLinks>();
        services.AddSingleton<Participation.ParticipantIds>();
        services.AddSingleton<Participation.ParticipantLinkService>();
        services.AddSingleton<Participation.CommitmentLinkService>();
        services.AddSingleton<Email.IEmailComposer, Email.EmailComposer>();
        services.AddSingleton<Erasure.MeetingErasure>();
        services.AddSingleton<Erasure.PersonErasureService>();
        services.AddSingleton<Erasure.DataRetention>();
        services.AddSingleton<DeliveryStatus.DeliveryEventService>();
        return services;
    }
}
