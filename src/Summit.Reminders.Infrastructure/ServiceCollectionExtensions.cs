using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;
using Summit.Reminders.Infrastructure.Mail;
using Summit.Reminders.Infrastructure.SendGrid;
using Summit.Reminders.Infrastructure.ServiceBus;
using Summit.Reminders.Infrastructure.StorageQueues;
using Summit.Reminders.Infrastructure.Tables;
using Summit.Reminders.Ports;

namespace Summit.Reminders.Infrastructure;

/// <summary>Which queue carries reminders from the scheduler to delivery (setting <c>ReminderQueue:Transport</c>).</summary>
public enum ReminderQueueTransport
{
    /// <summary>Azure Service Bus, the production default (duplicate detection, dead-letter queue).</summary>
    ServiceBus,

    /// <summary>Azure Storage Queues, for local runs on Azurite.</summary>
    StorageQueue,
}

public static class ServiceCollectionExtensions
{
    public const string QueueTransportSetting = "ReminderQueue:Transport";

    /// <summary>
    /// Every adapter, chosen by settings: Table Storage always; the queue by <c>ReminderQueue:Transport</c>
    /// (ServiceBus by default); email by <c>Email:Transport</c> (see <see cref="EmailOptions.Transport"/>).
    /// Only the chosen adapters' settings are required.
    /// </summary>
    public static IServiceCollection AddReminderAdapters(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddReminderOptions();
        services.AddTableStorage();
        switch (ChooseQueue(configuration))
        {
            case ReminderQueueTransport.StorageQueue: services.AddStorageQueueReminderQueue(); break;
            default: services.AddServiceBusReminderQueue(); break;
        }
        // The Event Webhook whatever the transport: locally the pickup folder's events are signed like SendGrid's.
        services.AddOptions<EventWebhookOptions>().BindConfiguration(EventWebhookOptions.Section).ValidateDataAnnotations().ValidateOnStart();
        services.AddSingleton<IProviderEventSource, SendGridEventWebhook>();
        switch (ChooseEmail(configuration))
        {
            case EmailTransport.PickupFolder: services.AddPickupFolderEmail(); break;
            default: services.AddSendGridEmail(); break;
        }
        return services;
    }

    public static ReminderQueueTransport ChooseQueue(IConfiguration configuration)
    {
        var value = configuration[QueueTransportSetting];
        if (string.IsNullOrWhiteSpace(value)) return ReminderQueueTransport.ServiceBus;
        return Enum.TryParse<ReminderQueueTransport>(value, ignoreCase: true, out var transport) && Enum.IsDefined(transport)
            ? transport
            : throw new OptionsValidationException(QueueTransportSetting, typeof(ReminderQueueTransport),
                [$"{QueueTransportSetting} is '{value}'; use ServiceBus or StorageQueue."]);
    }

    /// <summary>The email transport: the explicit setting, else SendGrid when it has an API key, else the pickup folder in a
    /// Development environment; anywhere else a missing key is a start-up error rather than mail silently kept on disk.</summary>
    public static EmailTransport ChooseEmail(IConfiguration configuration)
    {
        var value = configuration[$"{EmailOptions.Section}:{nameof(EmailOptions.Transport)}"];
        if (!string.IsNullOrWhiteSpace(value))
            return Enum.TryParse<EmailTransport>(value, ignoreCase: true, out var transport) && Enum.IsDefined(transport)
                ? transport
                : throw new OptionsValidationException("Email:Transport", typeof(EmailTransport), [$"Email:Transport is '{value}'; use SendGrid or PickupFolder."]);
        if (!string.IsNullOrWhiteSpace(configuration[$"{SendGridOptions.Section}:{nameof(SendGridOptions.ApiKey)}"])) return EmailTransport.SendGrid;
        return IsDevelopment(configuration) ? EmailTransport.PickupFolder : EmailTransport.SendGrid;
    }

    /// <summary>Core Tools and the local host set AZURE_FUNCTIONS_ENVIRONMENT=Development; Azure leaves it Production.</summary>
    public static bool IsDevelopment(IConfiguration configuration) =>
        string.Equals(configuration["AZURE_FUNCTIONS_ENVIRONMENT"] ?? configuration["DOTNET_ENVIRONMENT"] ?? configuration["ASPNETCORE_ENVIRONMENT"],
            "Development", StringComparison.OrdinalIgnoreCase);

    /// <summary>Meetings, due index and delivery ledger on Azure Table Storage (section "Storage").</summary>
    public static IServiceCollection AddTableStorage(this IServiceCollection services)
    {
        services.AddOptions<StorageOptions>().BindConfiguration(StorageOptions.Section).ValidateDataAnnotations().ValidateOnStart();
        services.AddSingleton<SummitTables>();
        services.AddSingleton<IDependencyProbe>(sp => sp.GetRequiredService<SummitTables>());
        services.AddSingleton<IMeetingStore, TableMeetingStore>();
        services.AddSingleton<ICommitmentStore, TableCommitmentStore>();
        services.AddSingleton<IDueIndex, TableDueIndex>();
        services.AddSingleton<IDeliveryLedger, TableDeliveryLedger>();
        services.AddSingleton<IParticipantResponses, TableParticipantResponses>();
        services.AddSingleton<IPersonErasures, TablePersonErasures>();
        services.AddSingleton<IAuditLog, TableAuditLog>();
        services.AddSingleton<IDigestSubscriptions, TableDigestSubscriptions>();
        return services;
    }

    /// <summary>The reminder queue on Azure Service Bus (section "ServiceBus").</summary>
    public static IServiceCollection AddServiceBusReminderQueue(this IServiceCollection services)
    {
        services.AddOptions<ServiceBusQueueOptions>().BindConfiguration(ServiceBusQueueOptions.Section).ValidateDataAnnotations().ValidateOnStart();
        services.AddSingleton<ServiceBusReminderQueue>();
        services.AddSingleton<IReminderQueue>(sp => sp.GetRequiredService<ServiceBusReminderQueue>());
        services.AddSingleton<IDeadLetterQueue>(sp => sp.GetRequiredService<ServiceBusReminderQueue>());
        services.AddSingleton<IDependencyProbe>(sp => sp.GetRequiredService<ServiceBusReminderQueue>());
        return services;
    }

    /// <summary>The reminder queue on Azure Storage Queues (section "StorageQueue").</summary>
    public static IServiceCollection AddStorageQueueReminderQueue(this IServiceCollection services)
    {
        services.AddOptions<StorageQueueOptions>().BindConfiguration(StorageQueueOptions.Section).ValidateDataAnnotations().ValidateOnStart();
        services.AddSingleton<StorageQueueReminderQueue>();
        services.AddSingleton<IReminderQueue>(sp => sp.GetRequiredService<StorageQueueReminderQueue>());
        services.AddSingleton<IDeadLetterQueue>(sp => sp.GetRequiredService<StorageQueueReminderQueue>());
        services.AddSingleton<IDependencyProbe>(sp => sp.GetRequiredService<StorageQueueReminderQueue>());
        return services;
    }

    /// <summary>Email through SendGrid (sections "Email" and "SendGrid").</summary>
    public static IServiceCollection AddSendGridEmail(this IServiceCollection services)
    {
        services.AddEmailOptions();
        services.AddOptions<SendGridOptions>().BindConfiguration(SendGridOptions.Section).ValidateDataAnnotations().ValidateOnStart();
        services.AddHttpClient(SendGridEmailSender.HttpClientName, (sp, http) =>
            http.Timeout = sp.GetRequiredService<IOptions<SendGridOptions>>().Value.Timeout);
        services.AddSingleton<IEmailSender, SendGridEmailSender>();
        services.TryAddSingleton<Summit.Reminders.Delivery.EmailProviderStatus>();
        services.AddSingleton<IDependencyProbe, SendGridHealthProbe>();
        services.AddSingleton<ISentEmails, SendGridKeepsNoCopies>();
        return services;
    }

    /// <summary>Email as .eml files in a folder (section "Email"), for local runs.</summary>
    public static IServiceCollection AddPickupFolderEmail(this IServiceCollection services)
    {
        services.AddEmailOptions();
        services.AddSingleton<PickupFolderEmailSender>();
        services.AddSingleton<IEmailSender>(sp => sp.GetRequiredService<PickupFolderEmailSender>());
        services.AddSingleton<ISentEmails>(sp => sp.GetRequiredService<PickupFolderEmailSender>());
        services.AddSingleton<IDependencyProbe>(sp => sp.GetRequiredService<PickupFolderEmailSender>());
        return services;
    }

    private static void AddEmailOptions(this IServiceCollection services) =>
        services.AddOptions<EmailOptions>().BindConfiguration(EmailOptions.Section).ValidateDataAnnotations().ValidateOnStart();

    /// <summary>Options of the core use cases, bound from their sections.</summary>
    public static IServiceCollection AddReminderOptions(this IServiceCollection services)
    {
        services.AddOptions<Scheduling.SchedulerOptions>().BindConfiguration(Scheduling.SchedulerOptions.Section).ValidateDataAnnotations().ValidateOnStart();
        services.AddOptions<SendWindows.SendWindowOptions>().BindConfiguration(SendWindows.SendWindowOptions.Section).ValidateDataAnnotations().ValidateOnStart();
        services.AddOptions<Delivery.DeliveryOptions>().BindConfiguration(Delivery.DeliveryOptions.Section).ValidateDataAnnotations().ValidateOnStart();
        services.AddOptions<Participation.LinkOptions>().BindConfiguration(Participation.LinkOptions.Section).ValidateDataAnnotations().ValidateOnStart();
        services.AddOptions<Erasure.RetentionOptions>().BindConfiguration(Erasure.RetentionOptions.Section).ValidateDataAnnotations().ValidateOnStart();
        return services;
    }
}
