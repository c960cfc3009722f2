using Azure.Core;
using Azure.Identity;
using Azure.Monitor.OpenTelemetry.Exporter;
using Microsoft.Azure.Functions.Worker.OpenTelemetry;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using OpenTelemetry;
using OpenTelemetry.Metrics;
using OpenTelemetry.Trace;
using Summit.Reminders.Telemetry;

namespace Summit.Functions.Telemetry;

/// <summary>
/// Traces and metrics, composed in one place for the function app (Program.cs), the local host and the tests: our
/// ActivitySource and Meter (<see cref="SummitTelemetry.Name"/>), the Functions worker's own spans, outgoing HTTP
/// (SendGrid, storage) as dependencies, the redaction every span goes through, and the exporter
/// <c>Telemetry:Exporter</c> asks for. docs/telemetry.md says what is emitted and how to see it.
/// </summary>
public static class TelemetryComposition
{
    /// <summary>The exporter the settings choose; with <see cref="TelemetryExporter.None"/> no pipeline is built at all.</summary>
    public static IServiceCollection AddSummitTelemetry(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddOptions<TelemetryOptions>().BindConfiguration(TelemetryOptions.Section)
            .Configure(o => o.ConnectionString = configuration[TelemetryOptions.ConnectionStringSetting])
            .ValidateDataAnnotations().ValidateOnStart();
        var options = new TelemetryOptions { ConnectionString = configuration[TelemetryOptions.ConnectionStringSetting] };
        configuration.GetSection(TelemetryOptions.Section).Bind(options);
        if (options.Exporter == TelemetryExporter.None) return services;

        var telemetry = services.AddSummitOpenTelemetry();
        switch (options.Exporter)
        {
            case TelemetryExporter.Console:
                telemetry.WithTracing(t => t.AddConsoleExporter()).WithMetrics(m => m.AddConsoleExporter());
                break;
            case TelemetryExporter.Otlp:
                if (string.IsNullOrWhiteSpace(options.OtlpEndpoint)) telemetry.UseOtlpExporter();
                else telemetry.UseOtlpExporter(OpenTelemetry.Exporter.OtlpExportProtocol.Grpc, new Uri(options.OtlpEndpoint));
                break;
            case TelemetryExporter.AzureMonitor:
                // Entra ID with the app's managed identity (the host does the same with APPLICATIONINSIGHTS_AUTHENTICATION_STRING):
                // the resource refuses the instrumentation key alone (infra sets DisableLocalAuth).
                telemetry.UseAzureMonitorExporter(o =>
                {
                    o.ConnectionString = options.ConnectionString;
                    o.Credential = ManagedIdentity(options.ClientId);
                });
                break;
        }
        return services;
    }

    /// <summary>The pipeline every exporter sits behind: what the app emits and the redaction before any export. The tests
    /// add their in-memory exporter to exactly this.</summary>
    public static IOpenTelemetryBuilder AddSummitOpenTelemetry(this IServiceCollection services)
    {
        services.TryAddSummitMetrics();
        return services.AddOpenTelemetry()
            .UseFunctionsWorkerDefaults()
            .WithTracing(tracing => tracing
                .AddSource(SummitTelemetry.Name)
                .AddHttpClientInstrumentation()
                // First processor, so every exporter added after it sees redacted spans only.
                .AddProcessor(new TelemetryRedaction()))
            .WithMetrics(metrics => metrics.AddMeter(SummitTelemetry.Name));
    }

    /// <summary>The worker's log levels that keep request URLs (and so <c>?code=</c> and <c>?token=</c>) out of the logs:
    /// ASP.NET Core's request logging ("Request starting … ?code=…") and HttpClient's ("Sending HTTP request …" with a
    /// storage SAS's <c>sig</c>) log whole URLs at Information. Warnings and errors still come through.</summary>
    public static ILoggingBuilder KeepUrlsOutOfLogs(this ILoggingBuilder logging)
    {
        foreach (var category in UrlLoggingCategories) logging.AddFilter(category, LogLevel.Warning);
        return logging;
    }

    /// <summary>Categories that log whole request or dependency URLs below Warning.</summary>
    public static readonly IReadOnlyList<string> UrlLoggingCategories =
        ["Microsoft.AspNetCore.Hosting", "Microsoft.AspNetCore.HttpLogging", "Microsoft.AspNetCore.Routing", "System.Net.Http.HttpClient"];

    private static void TryAddSummitMetrics(this IServiceCollection services) =>
        Microsoft.Extensions.DependencyInjection.Extensions.ServiceCollectionDescriptorExtensions.TryAddSingleton<SummitMetrics>(services);

    private static TokenCredential ManagedIdentity(string? clientId) => new ManagedIdentityCredential(
        string.IsNullOrWhiteSpace(clientId) ? ManagedIdentityId.SystemAssigned : ManagedIdentityId.FromUserAssignedClientId(clientId));
}
