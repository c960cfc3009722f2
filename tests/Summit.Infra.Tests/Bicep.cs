using System.Diagnostics;
using System.Reflection;
using System.Text.Json;

namespace Summit.Infra.Tests;

[AttributeUsage(AttributeTargets.Assembly)]
public sealed class BicepPathAttribute(string path) : Attribute
{
    public string Path { get; } = path;
}

[AttributeUsage(AttributeTargets.Assembly)]
public sealed class BuildConfigurationAttribute(string configuration) : Attribute
{
    public string Configuration { get; } = configuration;
}

/// <summary>The Bicep CLI that restore downloaded (package Azure.Bicep.CommandLine.linux-x64), run on infra/.</summary>
public static class Bicep
{
    public static string Executable => typeof(Bicep).Assembly.GetCustomAttribute<BicepPathAttribute>()!.Path;

    public static string Infra => Path.Combine(Summit.TestSupport.Repository.Root, "infra");

    public static (int ExitCode, string Output, string Errors) Run(params string[] args)
    {
        if (!OperatingSystem.IsWindows()) File.SetUnixFileMode(Executable, File.GetUnixFileMode(Executable) | UnixFileMode.UserExecute);
        var start = new ProcessStartInfo(Executable) { RedirectStandardOutput = true, RedirectStandardError = true, WorkingDirectory = Infra };
        foreach (var arg in args) start.ArgumentList.Add(arg);
        // Bicep would otherwise try to reach the internet for telemetry and module registries.
        start.Environment["BICEP_TELEMETRY_ENABLED"] = "false";
        start.Environment["DOTNET_CLI_TELEMETRY_OPTOUT"] = "1";
        using var process = Process.Start(start)!;
        var output = process.StandardOutput.ReadToEndAsync();
        var errors = process.StandardError.ReadToEndAsync();
        if (!process.WaitForExit(TimeSpan.FromMinutes(2))) { process.Kill(); throw new TimeoutException("bicep did not finish in 2 minutes"); }
        return (process.ExitCode, output.Result, errors.Result);
    }

    private static readonly Lazy<JsonElement> CompiledTemplate = new(() =>
    {
        var (code, output, errors) = Run("build", "main.bicep", "--stdout");
        if (code != 0) throw new InvalidOperationException($"bicep build failed ({code}):\n{errors}");
        return JsonDocument.Parse(output).RootElement.Clone();
    });

    /// <summary>The ARM template infra/main.bicep compiles to.</summary>
    public static JsonElement Compiled => CompiledTemplate.Value;
}
