using System.Text.Json;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Configuration.Memory;

namespace Summit.LocalHost;

/// <summary>
/// Reads <c>local.settings.json</c> the way Core Tools does: its <c>Values</c> become app settings (<c>A__B</c> is the
/// configuration key <c>A:B</c>) and <c>Host.LocalHttpPort</c> the port. Environment variables and the command line
/// override the file.
/// </summary>
public static class LocalSettings
{
    public const string FileName = "local.settings.json";

    /// <summary><c>--settings path</c>, else <c>local.settings.json</c> in the working directory, else next to the host.
    /// Null when there is none (then only environment variables and the command line configure the app).</summary>
    public static string? Locate(string[] args)
    {
        var index = Array.IndexOf(args, "--settings");
        if (index >= 0 && index + 1 < args.Length) return Path.GetFullPath(args[index + 1]);
        foreach (var candidate in new[] { Path.Combine(Directory.GetCurrentDirectory(), FileName), Path.Combine(AppContext.BaseDirectory, FileName) })
            if (File.Exists(candidate)) return candidate;
        return null;
    }

    public static Dictionary<string, string?> Read(string path)
    {
        using var document = JsonDocument.Parse(File.ReadAllText(path), new JsonDocumentOptions { CommentHandling = JsonCommentHandling.Skip, AllowTrailingCommas = true });
        var settings = new Dictionary<string, string?>(StringComparer.OrdinalIgnoreCase);
        if (document.RootElement.TryGetProperty("Values", out var values))
        {
            foreach (var value in values.EnumerateObject())
                settings[value.Name.Replace("__", ConfigurationPath.KeyDelimiter, StringComparison.Ordinal)] =
                    value.Value.ValueKind == JsonValueKind.String ? value.Value.GetString() : value.Value.GetRawText();
        }
        if (document.RootElement.TryGetProperty("Host", out var host) && host.TryGetProperty("LocalHttpPort", out var port))
            settings.TryAdd(LocalHostOptions.PortKey, port.GetRawText());
        return settings;
    }

    /// <summary>Puts the file's settings (and the Development environment) underneath every other configuration source.</summary>
    public static void AddUnderneath(IConfigurationBuilder configuration, string? path)
    {
        var settings = path is null ? new Dictionary<string, string?>() : Read(path);
        settings.TryAdd("AZURE_FUNCTIONS_ENVIRONMENT", "Development");
        // A quiet console unless the settings ask for more (any level is safe: RedactingConsole).
        settings.TryAdd("Logging:LogLevel:Microsoft.AspNetCore", "Warning");
        settings.TryAdd("Logging:LogLevel:Microsoft.Hosting.Lifetime", "Warning");
        settings.TryAdd("Logging:LogLevel:Azure.Core", "Warning");
        configuration.Sources.Insert(0, new MemoryConfigurationSource { InitialData = settings });
    }
}
