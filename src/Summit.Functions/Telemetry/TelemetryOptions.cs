using System.ComponentModel.DataAnnotations;

namespace Summit.Functions.Telemetry;

/// <summary>Where traces and metrics go (setting <c>Telemetry:Exporter</c>).</summary>
public enum TelemetryExporter
{
    /// <summary>Nowhere: no OpenTelemetry pipeline is built (local default).</summary>
    None,

    /// <summary>Spans and metrics written to the console, for a look while developing.</summary>
    Console,

    /// <summary>To an OTLP endpoint (<c>Telemetry:OtlpEndpoint</c>, or the standard OTEL_EXPORTER_OTLP_* variables).</summary>
    Otlp,

    /// <summary>To Application Insights (APPLICATIONINSIGHTS_CONNECTION_STRING), authenticated with the app's managed
    /// identity (Entra ID), never with the instrumentation key alone. What Azure runs.</summary>
    AzureMonitor,
}

/// <summary>Section "Telemetry" (docs/telemetry.md).</summary>
public sealed class TelemetryOptions : IValidatableObject
{
    public const string Section = "Telemetry";

    /// <summary>The connection string Application Insights gives, the setting the Functions host reads too.</summary>
    public const string ConnectionStringSetting = "APPLICATIONINSIGHTS_CONNECTION_STRING";

    public TelemetryExporter Exporter { get; set; } = TelemetryExporter.None;

    /// <summary>The OTLP collector's address (e.g. http://localhost:4317); empty: the OTLP exporter's own default.</summary>
    public string? OtlpEndpoint { get; set; }

    /// <summary>The client id of the user-assigned managed identity the Azure Monitor exporter authenticates with; empty:
    /// the system-assigned identity.</summary>
    public string? ClientId { get; set; }

    /// <summary>Copied from <see cref="ConnectionStringSetting"/> when the section is bound.</summary>
    internal string? ConnectionString { get; set; }

    public IEnumerable<ValidationResult> Validate(ValidationContext validationContext)
    {
        if (!Enum.IsDefined(Exporter))
            yield return new($"{Section}:Exporter must be none, console, otlp or azuremonitor.");
        if (Exporter == TelemetryExporter.Otlp && !string.IsNullOrWhiteSpace(OtlpEndpoint) && !Uri.TryCreate(OtlpEndpoint, UriKind.Absolute, out _))
            yield return new($"{Section}:OtlpEndpoint must be an absolute address such as http://localhost:4317.");
        if (Exporter == TelemetryExporter.AzureMonitor && string.IsNullOrWhiteSpace(ConnectionString))
            yield return new($"{Section}:Exporter is azuremonitor but {ConnectionStringSetting} is not set.");
    }
}
