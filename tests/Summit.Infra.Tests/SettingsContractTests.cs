using System.Reflection;
using System.Text.Json;
using System.Text.RegularExpressions;

namespace Summit.Infra.Tests;

/// <summary>
/// The settings contract: every setting the function app reads (its options classes and the %Setting% expressions of
/// its triggers) is provided by infra/ and by local.settings.sample.json, and neither provides one nobody reads.
/// </summary>
public sealed class SettingsContractTests
{
    /// <summary>Read by the Functions host (or Core Tools), not by our code.</summary>
    private static readonly Dictionary<string, string> HostSettings = new()
    {
        ["FUNCTIONS_WORKER_RUNTIME"] = "Core Tools locally; Flex Consumption takes the runtime from functionAppConfig",
        ["AzureWebJobsStorage"] = "the host's storage, locally (Azurite)",
        ["AzureWebJobsStorage__accountName"] = "the host's storage in Azure, identity-based",
        ["AzureWebJobsStorage__credential"] = "the host's storage in Azure, identity-based",
        ["AzureWebJobsStorage__clientId"] = "the host's storage in Azure, identity-based",
        ["APPLICATIONINSIGHTS_CONNECTION_STRING"] = "the host's telemetry",
        ["APPLICATIONINSIGHTS_AUTHENTICATION_STRING"] = "the host's telemetry with Entra ID",
    };

    /// <summary>Settings the app reads that only local runs and tests set; in Azure the identity-based ones stand in.</summary>
    private static readonly Dictionary<string, string> LocalOnly = new()
    {
        ["Storage__ConnectionString"] = "Azurite; Azure uses Storage__TableServiceUri with the identity",
        ["ServiceBus__ConnectionString"] = "a local broker or emulator; Azure uses ServiceBus__FullyQualifiedNamespace",
        ["SendGrid__Host"] = "a local recording endpoint; Azure talks to api.sendgrid.com",
        ["Email__PickupFolder"] = "the local pickup-folder transport",
        ["Telemetry__OtlpEndpoint"] = "a local OTLP collector; Azure exports to Application Insights",
    };

    /// <summary>Whole sections only local runs use.</summary>
    private static readonly string[] LocalOnlySections = ["StorageQueue__"];

    private static IReadOnlySet<string> AppReads()
    {
        var keys = new HashSet<string>(StringComparer.Ordinal);
        var assemblies = new[] { typeof(Summit.Functions.AppComposition).Assembly, typeof(Summit.Reminders.Infrastructure.AzureConnection).Assembly, typeof(Summit.Reminders.Meetings.Meeting).Assembly };
        foreach (var type in assemblies.SelectMany(a => a.GetTypes()))
        {
            if (type.GetField("Section", BindingFlags.Public | BindingFlags.Static) is not { IsLiteral: true } sectionField) continue;
            var section = (string)sectionField.GetRawConstantValue()!;
            foreach (var property in type.GetProperties(BindingFlags.Public | BindingFlags.Instance).Where(p => p.SetMethod is { IsPublic: true }))
            {
                if (property.PropertyType.IsGenericType && property.PropertyType.GetGenericTypeDefinition() == typeof(Dictionary<,>))
                {
                    // A dictionary section: its keys are the ones the class declares (SendGrid:DynamicTemplates:{kind}).
                    // A dictionary of objects (Automation:Keys:{name}:Secret and :Roles) has their settable properties under each key.
                    var declared = type.GetFields(BindingFlags.Public | BindingFlags.Static).Single(f => f.FieldType == typeof(IReadOnlyList<string>));
                    var value = property.PropertyType.GetGenericArguments()[1];
                    var inner = value == typeof(string) ? [] : value.GetProperties(BindingFlags.Public | BindingFlags.Instance).Where(p => p.SetMethod is { IsPublic: true }).Select(p => p.Name).ToList();
                    foreach (var key in (IReadOnlyList<string>)declared.GetValue(null)!)
                        if (inner.Count == 0) keys.Add($"{section}__{property.Name}__{key}");
                        else foreach (var name in inner) keys.Add($"{section}__{property.Name}__{key}__{name}");
                }
                else keys.Add($"{section}__{property.Name}");
            }
        }
        // Read directly from configuration to choose the queue transport.
        keys.Add(Summit.Reminders.Infrastructure.ServiceCollectionExtensions.QueueTransportSetting.Replace(":", "__", StringComparison.Ordinal));
        // %Setting% expressions in the triggers, as the SDK wrote them into functions.metadata.
        var metadata = JsonDocument.Parse(File.ReadAllText(Path.Combine(FunctionAppOutput, "functions.metadata"))).RootElement;
        foreach (Match match in Regex.Matches(metadata.GetRawText(), "%([A-Za-z0-9_]+)%")) keys.Add(match.Groups[1].Value);
        return keys;
    }

    private static string FunctionAppOutput => Path.Combine(Summit.TestSupport.Repository.Root, "src", "Summit.Functions", "bin",
        typeof(Bicep).Assembly.GetCustomAttribute<BuildConfigurationAttribute>()!.Configuration, "net10.0");

    private static IReadOnlySet<string> Sample() =>
        JsonDocument.Parse(File.ReadAllText(Path.Combine(Summit.TestSupport.Repository.Root, "local.settings.sample.json")))
            .RootElement.GetProperty("Values").EnumerateObject().Select(p => p.Name).ToHashSet(StringComparer.Ordinal);

    private static IReadOnlySet<string> Bicep() => Template.AppSettings().Keys.ToHashSet(StringComparer.Ordinal);

    private static bool IsLocalOnly(string key) => LocalOnly.ContainsKey(key) || LocalOnlySections.Any(s => key.StartsWith(s, StringComparison.Ordinal));

    [Fact]
    public void TheAppReadsTheSettingsWeThinkItReads()
    {
        var reads = AppReads();
        // A few anchors, so a broken reflection cannot pass the other tests with an empty set.
        Assert.Contains("Storage__TableServiceUri", reads);
        Assert.Contains("Links__SigningKey", reads);
        Assert.Contains("SendGrid__DynamicTemplates__reminder", reads);
        Assert.Contains("ScheduleDueRemindersCron", reads);
        Assert.Contains("ReminderQueue__Transport", reads);
        Assert.True(reads.Count > 50, $"only {reads.Count} settings found");
    }

    [Fact]
    public void EverySettingTheAppReadsIsInTheBicepAppSettingsUnlessOnlyLocalRunsUseIt()
    {
        var missing = AppReads().Where(k => !IsLocalOnly(k)).Except(Bicep()).Order().ToList();
        Assert.True(missing.Count == 0, "Not in infra/modules/functionapp.bicep: " + string.Join(", ", missing));
    }

    [Fact]
    public void TheBicepAppSettingsHoldNothingUnread()
    {
        var unread = Bicep().Except(AppReads()).Where(k => !HostSettings.ContainsKey(k)).Order().ToList();
        Assert.True(unread.Count == 0, "Read by nobody: " + string.Join(", ", unread));
        Assert.DoesNotContain(Bicep(), IsLocalOnly); // no connection string, no local transport in Azure
    }

    [Fact]
    public void EverySettingTheAppReadsIsInTheSample()
    {
        var missing = AppReads().Except(Sample()).Order().ToList();
        Assert.True(missing.Count == 0, "Not in local.settings.sample.json: " + string.Join(", ", missing));
    }

    [Fact]
    public void TheSampleHoldsNothingUnread()
    {
        var localHost = typeof(Summit.LocalHost.LocalHostOptions).GetProperties(BindingFlags.Public | BindingFlags.Instance)
            .Where(p => p.SetMethod is { IsPublic: true }).Select(p => $"{Summit.LocalHost.LocalHostOptions.Section}__{p.Name}").ToHashSet();
        var unread = Sample().Except(AppReads()).Where(k => !HostSettings.ContainsKey(k) && !localHost.Contains(k)).Order().ToList();
        Assert.True(unread.Count == 0, "Read by nobody: " + string.Join(", ", unread));
    }

    /// <summary>The benchmarks (docs/benchmarks.md) run the code's defaults; Azure and local runs must run the same.</summary>
    [Fact]
    public void AzureAndTheSampleRunTheDeliveryTuningTheBenchmarksMeasured()
    {
        var defaults = new Summit.Reminders.Delivery.DeliveryOptions();
        var expected = typeof(Summit.Reminders.Delivery.DeliveryOptions).GetProperties(BindingFlags.Public | BindingFlags.Instance)
            .Where(p => p.SetMethod is { IsPublic: true })
            .ToDictionary(p => $"{Summit.Reminders.Delivery.DeliveryOptions.Section}__{p.Name}",
                p => Convert.ToString(p.GetValue(defaults), System.Globalization.CultureInfo.InvariantCulture)!);
        expected["ServiceBus__PrefetchCount"] = new Summit.Reminders.Infrastructure.ServiceBus.ServiceBusQueueOptions().PrefetchCount.ToString(System.Globalization.CultureInfo.InvariantCulture);
        var sample = JsonDocument.Parse(File.ReadAllText(Path.Combine(Summit.TestSupport.Repository.Root, "local.settings.sample.json"))).RootElement.GetProperty("Values");
        var bicep = Template.AppSettings();
        foreach (var (key, value) in expected)
        {
            Assert.True(value == sample.GetProperty(key).GetString(), $"local.settings.sample.json has {key} = {sample.GetProperty(key).GetString()}, the code's default is {value}");
            Assert.True(value == Template.Literal(bicep[key]), $"the Bicep has {key} = {Template.Literal(bicep[key])}, the code's default is {value}");
        }
    }
}
