using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Summit.Functions.Telemetry;
using Summit.Reminders;
using Summit.Reminders.Infrastructure;

namespace Summit.Functions;

/// <summary>The whole composition of the app, in one place, shared by Program.cs, the local host and the tests.
/// Adapters (queue and email transports) are chosen from <paramref name="configuration"/>.</summary>
public static class AppComposition
{
    public static IServiceCollection AddSummitFunctions(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddReminderUseCases();
        services.AddReminderAdapters(configuration);
        services.AddSummitTelemetry(configuration);
        services.AddSingleton<OpenApi.ApiDocument>();
        services.AddSingleton<Console.ConsoleFiles>();
        return services;
    }
}
