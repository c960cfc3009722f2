using Microsoft.Extensions.DependencyInjection;
using Summit.Reminders.Infrastructure.SendGrid;
using Summit.Reminders.Infrastructure.ServiceBus;
using Summit.Reminders.Infrastructure.Tables;
using Summit.Reminders.Ports;

namespace Summit.Reminders.Infrastructure;

public static class ServiceCollectionExtensions
{
    /// <summary>Meetings, due index and delivery ledger on Azure Table Storage (section "Storage").</summary>
    public static IServiceCollection AddTableStorage(this IServiceCollection services)
    {
        services.AddOptions<StorageOptions>().BindConfiguration(StorageOptions.Section).ValidateDataAnnotations().ValidateOnStart();
        services.AddSingleton<SummitTables>();
        services.AddSingleton<IDependencyProbe>(sp => sp.GetRequiredService<SummitTables>());
        services.AddSingleton<IMeetingStore, TableMeetingStore>();
        services.AddSingleton<IDueIndex, TableDueIndex>();
        services.AddSingleton<IDeliveryLedger, TableDeliveryLedger>();
        return services;
    }

    /// <summary>The reminder queue on Azure Service Bus (section "ServiceBus").</summary>
    public static IServiceCollection AddServiceBusReminderQueue(this IServiceCollection services)
    {
        services.AddOptions<ServiceBusQueueOptions>().BindConfiguration(ServiceBusQueueOptions.Section).ValidateDataAnnotations().ValidateOnStart();
        services.AddSingleton<ServiceBusReminderQueue>();
        services.AddSingleton<IReminderQueue>(sp => sp.GetRequiredService<ServiceBusReminderQueue>());
        services.AddSingleton<IDependencyProbe>(sp => sp.GetRequiredService<ServiceBusReminderQueue>());
        return services;
    }

    /// <summary>Email through SendGrid (section "SendGrid").</summary>
    public static IServiceCollection AddSendGridEmail(this IServiceCollection services)
    {
        services.AddOptions<SendGridOptions>().BindConfiguration(SendGridOptions.Section).ValidateDataAnnotations().ValidateOnStart();
        services.AddHttpClient(SendGridEmailSender.HttpClientName, (sp, http) =>
            http.Timeout = sp.GetRequiredService<Microsoft.Extensions.Options.IOptions<SendGridOptions>>().Value.Timeout);
        services.AddSingleton<IEmailSender, SendGridEmailSender>();
        return services;
    }

    /// <summary>Options of the core use cases, bound from their sections.</summary>
    public static IServiceCollection AddReminderOptions(this IServiceCollection services)
    {
        services.AddOptions<Scheduling.SchedulerOptions>().BindConfiguration(Scheduling.SchedulerOptions.Section);
        services.AddOptions<Delivery.DeliveryOptions>().BindConfiguration(Delivery.DeliveryOptions.Section);
        return services;
    }
}
