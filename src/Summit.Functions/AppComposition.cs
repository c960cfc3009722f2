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
        services.AddCallerAuthentication(configuration);
        return services;
    }

    /// <summary>Who calls: Entra ID tokens and automation keys, checked in the worker (docs/architecture.md, "Who may do what").</summary>
    public static IServiceCollection AddCallerAuthentication(this IServiceCollection services, IConfiguration configuration)
    {
        services.Configure<Identity.IdentityOptions>(configuration.GetSection(Identity.IdentityOptions.Section));
        services.Configure<Identity.AutomationOptions>(configuration.GetSection(Identity.AutomationOptions.Section));
        services.AddHttpClient(nameof(Identity.OpenIdMetadata), client => client.Timeout = TimeSpan.FromSeconds(10));
        services.AddSingleton<Identity.OpenIdMetadata>();
        services.AddSingleton<Identity.CallerAuthentication>();
        services.AddSingleton<Http.Guard>();
        return services;
    }
}
