using Microsoft.Extensions.DependencyInjection;
using Summit.Reminders;
using Summit.Reminders.Infrastructure;

namespace Summit.Functions;

/// <summary>The whole composition of the app, in one place, shared by Program.cs, the local host and the tests.</summary>
public static class AppComposition
{
    public static IServiceCollection AddSummitFunctions(this IServiceCollection services)
    {
        services.AddReminderUseCases();
        services.AddReminderOptions();
        services.AddTableStorage();
        services.AddServiceBusReminderQueue();
        services.AddSendGridEmail();
        return services;
    }
}
