using System.Reflection;

namespace Summit.LocalHost.Tests;

[AttributeUsage(AttributeTargets.Assembly)]
public sealed class BuildConfigurationAttribute(string configuration) : Attribute
{
    public string Configuration { get; } = configuration;
}

/// <summary>Where the repository and the build outputs are, for the configuration these tests were built in.</summary>
public static class Paths
{
    public static string Repository => Summit.TestSupport.Repository.Root;

    private static string Configuration => typeof(Paths).Assembly.GetCustomAttribute<BuildConfigurationAttribute>()!.Configuration;

    /// <summary>The function app root that Core Tools and the Functions host read (functions.metadata, host.json).</summary>
    public static string FunctionAppOutput => Path.Combine(Repository, "src", "Summit.Functions", "bin", Configuration, "net10.0");

    public static string LocalHostOutput => Path.Combine(Repository, "src", "Summit.LocalHost", "bin", Configuration, "net10.0");

    /// <summary>A local host process for this build, not yet started.</summary>
    public static Summit.TestSupport.LocalHost.LocalHostProcess NewLocalHost() =>
        new(Repository, Path.Combine(LocalHostOutput, "Summit.LocalHost.dll"));
}
