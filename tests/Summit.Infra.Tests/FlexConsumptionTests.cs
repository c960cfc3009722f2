using System.Text.Json;
using System.Text.RegularExpressions;

namespace Summit.Infra.Tests;

/// <summary>
/// What Azure would refuse before the Bicep CLI notices: properties Flex Consumption rejects, a region without Flex,
/// preview API versions. The sources of each list are in docs/deploy.md ("Why the template looks the way it does").
/// </summary>
public sealed class FlexConsumptionTests
{
    /// <summary>
    /// Site and siteConfig properties that Flex Consumption rejects (ARM error 51021, "... for Flex Consumption sites is
    /// invalid", enforced region by region) or lists as deprecated: Microsoft's "Flex Consumption plan deprecations", the
    /// ARM messages quoted in Azure/terraform-azurerm-avm-res-web-site#345/#360 and Azure/azure-functions-host#10643.
    /// </summary>
    private static readonly string[] RejectedSiteProperties =
    [
        "ftpsState", "use32BitWorkerProcess", "preWarmedInstanceCount", "netFrameworkVersion", "linuxFxVersion",
        "windowsFxVersion", "javaVersion", "powerShellVersion", "functionsRuntimeScaleMonitoringEnabled",
        "functionAppScaleLimit", "alwaysOn", "containerSize", "isReserved", "reserved", "isXenon",
        "vnetRouteAllEnabled", "vnetContentShareEnabled", "vnetImagePullEnabled", "vnetBackupRestoreEnabled",
    ];

    /// <summary>App settings the same deprecation list replaces with functionAppConfig or forbids on Flex.</summary>
    private static readonly string[] RejectedAppSettings =
    [
        "FUNCTIONS_WORKER_RUNTIME", "FUNCTIONS_WORKER_RUNTIME_VERSION", "FUNCTIONS_EXTENSION_VERSION",
        "FUNCTIONS_MAX_HTTP_CONCURRENCY", "FUNCTIONS_WORKER_PROCESS_COUNT", "FUNCTIONS_WORKER_DYNAMIC_CONCURRENCY_ENABLED",
        "SCM_DO_BUILD_DURING_DEPLOYMENT", "ENABLE_ORYX_BUILD", "WEBSITE_RUN_FROM_PACKAGE", "WEBSITE_CONTENTSHARE",
        "WEBSITE_CONTENTAZUREFILECONNECTIONSTRING", "WEBSITE_CONTENTOVERVNET", "WEBSITE_SKIP_CONTENTSHARE_VALIDATION",
        "WEBSITE_MAX_DYNAMIC_APPLICATION_SCALE_OUT", "WEBSITE_NODE_DEFAULT_VERSION", "WEBSITE_DNS_SERVER",
        "WEBSITE_VNET_ROUTE_ALL", "WEBSITE_TIME_ZONE", "TZ",
    ];

    [Fact]
    public void TheSiteSetsNoPropertyFlexConsumptionRejects()
    {
        var site = Template.Resource("Microsoft.Web/sites").GetProperty("properties");
        var set = site.EnumerateObject().Select(p => p.Name)
            .Concat(site.GetProperty("siteConfig").EnumerateObject().Select(p => p.Name))
            .ToList();
        var rejected = set.Where(p => RejectedSiteProperties.Contains(p, StringComparer.OrdinalIgnoreCase)).ToList();
        Assert.True(rejected.Count == 0, "Flex Consumption rejects: " + string.Join(", ", rejected));
        // What we do want stays: TLS 1.2 at least, HTTPS only, Key Vault references resolved with our identity.
        Assert.Equal("1.2", site.GetProperty("siteConfig").GetProperty("minTlsVersion").GetString());
        Assert.True(site.GetProperty("httpsOnly").GetBoolean());
        Assert.True(site.TryGetProperty("keyVaultReferenceIdentity", out _));
    }

    [Fact]
    public void NoAppSettingIsOneFlexConsumptionReplacedOrForbids()
    {
        var rejected = Template.AppSettings().Keys.Where(k => RejectedAppSettings.Contains(k, StringComparer.OrdinalIgnoreCase)).ToList();
        Assert.True(rejected.Count == 0, "Not for Flex Consumption: " + string.Join(", ", rejected));
    }

    [Fact]
    public void TheLocationMustBeAFlexConsumptionRegionAndAzdAsksForOne()
    {
        var location = Bicep.Compiled.GetProperty("parameters").GetProperty("location");
        var allowed = location.GetProperty("allowedValues").EnumerateArray().Select(v => v.GetString()!).ToList();
        Assert.True(allowed.Count >= 20, $"only {allowed.Count} regions allowed");
        Assert.All(allowed, r => Assert.Matches("^[a-z0-9]+$", r)); // ARM names, not display names
        Assert.DoesNotContain("eastus2euap", allowed); // a canary region: ordinary subscriptions cannot deploy there
        // No default: a default of resourceGroup().location would put the app wherever the group happens to be.
        Assert.False(location.TryGetProperty("defaultValue", out _));
        Assert.Equal("location", location.GetProperty("metadata").GetProperty("azd").GetProperty("type").GetString());
        Assert.Equal("${AZURE_LOCATION}", MainParameter("location"));

        // Every region docs/deploy.md tells people to use is one the template accepts.
        var docs = File.ReadAllText(Path.Combine(Summit.TestSupport.Repository.Root, "docs", "deploy.md"));
        var suggested = Regex.Matches(docs, @"azd env set AZURE_LOCATION\s+([a-z0-9]+)|\blocation=([a-z0-9]+)|az group create .*?-l\s+([a-z0-9]+)")
            .Select(m => m.Groups.Values.Skip(1).Single(g => g.Success).Value).ToList();
        Assert.NotEmpty(suggested);
        Assert.All(suggested, r => Assert.Contains(r, allowed));
    }

    [Fact]
    public void EveryResourceUsesAGaApiVersionExceptDiagnosticSettings()
    {
        var preview = Template.AllResources()
            .Where(r => r.GetProperty("apiVersion").GetString()!.Contains("preview", StringComparison.OrdinalIgnoreCase))
            .Select(r => r.GetProperty("type").GetString()!).ToHashSet();
        // The one exception: no GA version of diagnosticSettings takes category groups (audit) yet.
        preview.Remove("Microsoft.Insights/diagnosticSettings");
        Assert.True(preview.Count == 0, "On a preview API version: " + string.Join(", ", preview));
        Assert.All(Template.AllResources().Where(r => r.GetProperty("type").GetString()!.StartsWith("Microsoft.ServiceBus/", StringComparison.Ordinal)),
            r => Assert.Equal("2024-01-01", r.GetProperty("apiVersion").GetString()));
        Assert.Equal(2, Template.AllResources().Count(r => r.GetProperty("type").GetString()!.StartsWith("Microsoft.ServiceBus/", StringComparison.Ordinal)));
    }

    internal static string MainParameter(string name) =>
        JsonDocument.Parse(File.ReadAllText(Path.Combine(Bicep.Infra, "main.parameters.json")))
            .RootElement.GetProperty("parameters").GetProperty(name).GetProperty("value").GetString()!;
}
