using System.Text.Json;
using Microsoft.Extensions.Configuration;
using Summit.Functions;

namespace Summit.LocalHost.Tests;

/// <summary>The local host reads routes, methods, auth levels and schedules from the functions' attributes; the Worker
/// SDK writes the same attributes into functions.metadata for the real host. The two must agree, function by function.</summary>
public sealed class FunctionTableTests
{
    private static readonly IConfiguration Settings = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
    {
        ["ScheduleDueRemindersCron"] = "0 */1 * * * *",
        ["DeliverRemindersCron"] = "30 */1 * * * *",
        ["RetentionCron"] = "0 17 * * * *",
    }).Build();

    private static LocalFunctions Local() =>
        LocalFunctions.Create(typeof(AppComposition).Assembly, Settings, Path.Combine(Paths.FunctionAppOutput, "host.json"));

    /// <summary>functions.metadata rows in the local host's terms.</summary>
    private static List<FunctionRow> Metadata()
    {
        var rows = new List<FunctionRow>();
        foreach (var function in JsonDocument.Parse(File.ReadAllText(Path.Combine(Paths.FunctionAppOutput, "functions.metadata"))).RootElement.EnumerateArray())
        {
            var trigger = function.GetProperty("bindings").EnumerateArray().Single(b => b.GetProperty("type").GetString()!.EndsWith("Trigger", StringComparison.Ordinal));
            var type = trigger.GetProperty("type").GetString()!;
            string? Text(string name) => trigger.TryGetProperty(name, out var v) && v.ValueKind == JsonValueKind.String ? v.GetString() : null;
            rows.Add(new FunctionRow(
                function.GetProperty("name").GetString()!, function.GetProperty("entryPoint").GetString()!, type, Text("route"),
                trigger.TryGetProperty("methods", out var methods) ? methods.EnumerateArray().Select(m => m.GetString()!.ToLowerInvariant()).ToList() : null,
                Text("authLevel"), Text("schedule"), null, false));
        }
        return rows.OrderBy(r => r.Name, StringComparer.Ordinal).ToList();
    }

    private static string Describe(FunctionRow r) =>
        $"{r.Name} {r.EntryPoint} {r.Trigger} route={r.Route} methods={string.Join(",", r.Methods ?? [])} auth={r.AuthLevel} schedule={r.Schedule}";

    [Fact]
    public void TheLocalRouteAndScheduleTableIsExactlyWhatFunctionsMetadataSays()
    {
        var metadata = Metadata().Select(Describe).ToList();
        var local = Local().Table().Select(Describe).ToList();

        Assert.Equal(36, metadata.Count);
        Assert.Equal(metadata, local);
    }

    [Fact]
    public void RoutesAreServedUnderTheHostJsonPrefixAndSchedulesAreResolvedFromSettings()
    {
        var local = Local();

        Assert.Equal("", local.RoutePrefix); // the routes carry their own "api/" (see FunctionsMetadataTests)
        Assert.Contains(local.Http, h => h.Function.Name == "GetMeeting" && h.Pattern == "api/meetings/{id}");
        var deliver = local.FindTimer("DeliverReminders")!;
        Assert.Equal("%DeliverRemindersCron%", deliver.Trigger.Schedule);
        Assert.Equal("30 */1 * * * *", deliver.Schedule.Expression);
        Assert.Equal(new DateTimeOffset(2026, 11, 27, 9, 0, 30, TimeSpan.Zero), deliver.Schedule.Next(new DateTimeOffset(2026, 11, 27, 9, 0, 0, TimeSpan.Zero)));
    }

    [Fact]
    public void AMissingScheduleSettingStopsTheStartWithItsName()
    {
        var empty = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?> { ["DeliverRemindersCron"] = "0 * * * * *", ["RetentionCron"] = "0 17 * * * *" }).Build();

        var error = Assert.Throws<InvalidOperationException>(() =>
            LocalFunctions.Create(typeof(AppComposition).Assembly, empty, Path.Combine(Paths.FunctionAppOutput, "host.json")));

        Assert.Contains("'ScheduleDueRemindersCron'", error.Message);
    }

    [Theory]
    [InlineData("0 */5 * * * *", "2026-11-27T09:05:00Z")]
    [InlineData("00:00:30", "2026-11-27T09:00:30Z")]
    [InlineData("0 0 9 * * 1-5", "2026-11-30T09:00:00Z")] // Friday 09:00 has passed: next is Monday
    public void SchedulesAreSixFieldCronOrAnInterval(string expression, string next)
    {
        var schedule = TimerSchedule.Resolve("T", expression, Settings);

        Assert.Equal(DateTimeOffset.Parse(next, System.Globalization.CultureInfo.InvariantCulture),
            schedule.Next(new DateTimeOffset(2026, 11, 27, 9, 0, 0, TimeSpan.Zero)));
    }

    [Theory]
    [InlineData("*/5 * * * *")]
    [InlineData("every minute")]
    public void AScheduleThatIsNotSixFieldCronIsRefusedWithTheFunctionName(string expression)
    {
        var error = Assert.Throws<InvalidOperationException>(() => TimerSchedule.Resolve("DeliverReminders", expression, Settings));
        Assert.Contains("'DeliverReminders'", error.Message);
    }

    [Fact]
    public void AFunctionCanBeDisabledByTheSameSettingAsOnTheRealHost()
    {
        var settings = new ConfigurationBuilder().AddConfiguration(Settings)
            .AddInMemoryCollection(new Dictionary<string, string?> { ["AzureWebJobs.DeliverReminders.Disabled"] = "true" }).Build();

        var local = LocalFunctions.Create(typeof(AppComposition).Assembly, settings, Path.Combine(Paths.FunctionAppOutput, "host.json"));

        Assert.True(local.FindTimer("DeliverReminders")!.Disabled);
        Assert.False(local.FindTimer("ScheduleDueReminders")!.Disabled);
    }

    [Fact]
    public void TheBuildOutputIsAFunctionAppRootThatCoreToolsCanStart()
    {
        foreach (var file in new[] { "host.json", "functions.metadata", "worker.config.json", "Summit.Functions.dll" })
            Assert.True(File.Exists(Path.Combine(Paths.FunctionAppOutput, file)), file + " is missing from the function app root");
        var worker = JsonDocument.Parse(File.ReadAllText(Path.Combine(Paths.FunctionAppOutput, "worker.config.json"))).RootElement;
        Assert.Equal("Summit.Functions.dll", Path.GetFileName(worker.GetProperty("description").GetProperty("defaultWorkerPath").GetString()));
    }

    private static FunctionDefinition Http(string name, string route) =>
        new(name, typeof(FunctionTableTests).GetMethod(nameof(Http), System.Reflection.BindingFlags.NonPublic | System.Reflection.BindingFlags.Static)!,
            new HttpFunctionTrigger(route, ["get"], Microsoft.Azure.Functions.Worker.AuthorizationLevel.Function));

    [Theory]
    [InlineData("admin/dead-letters")]
    [InlineData("/Admin")]
    [InlineData("administration/health")]
    [InlineData("runtime/status")]
    public void ARouteInTheHostsReservedSpaceStopsTheStartAsTheRealHostWould(string route)
    {
        var error = Assert.Throws<InvalidOperationException>(() =>
            LocalFunctions.Create([Http("Reserved", route)], Settings, Path.Combine(Paths.FunctionAppOutput, "host.json")));
        Assert.Contains("Reserved", error.Message);
        Assert.Contains("reserves for its own API", error.Message);
    }

    [Fact]
    public void TheHostJsonPrefixIsPutInFrontOfEachRouteAndAMissingHostJsonStopsTheStart()
    {
        var folder = Directory.CreateTempSubdirectory("summit-hostjson-").FullName;
        try
        {
            File.WriteAllText(Path.Combine(folder, "host.json"), "{ \"version\": \"2.0\", \"extensions\": { \"http\": { \"routePrefix\": \"/v1/\" } } }");
            var local = LocalFunctions.Create([Http("Open", "api/admin/things")], Settings, Path.Combine(folder, "host.json"));
            Assert.Equal("v1/api/admin/things", Assert.Single(local.Http).Pattern); // "api/admin/..." is not reserved: only the start counts

            Assert.Throws<FileNotFoundException>(() => LocalFunctions.Create([Http("Open", "things")], Settings, Path.Combine(folder, "missing", "host.json")));
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
        }
    }
}
