using System.Text.Json;

namespace Summit.Infra.Tests;

/// <summary>infra/main.bicep compiles cleanly and describes the system the issue asks for, with no key anywhere.</summary>
public sealed class BicepTests
{
    [Fact]
    public void MainBicepCompilesWithoutAnErrorOrALinterWarning()
    {
        var (build, _, buildErrors) = Bicep.Run("build", "main.bicep", "--stdout");
        Assert.True(build == 0 && buildErrors.Trim().Length == 0, $"bicep build: exit {build}\n{buildErrors}");
        var (lint, lintOutput, lintErrors) = Bicep.Run("lint", "main.bicep");
        Assert.True(lint == 0 && (lintOutput + lintErrors).Trim().Length == 0, $"bicep lint: exit {lint}\n{lintOutput}{lintErrors}");
    }

    [Fact]
    public void EverySecretIsAKeyVaultReferenceAndNothingAsksForAKey()
    {
        var settings = Template.AppSettings();
        foreach (var name in new[] { "SendGrid__ApiKey", "Links__SigningKey", "Links__PreviousSigningKey" })
            Assert.Matches(@"^@Microsoft\.KeyVault\(VaultName=.+;SecretName=[a-z0-9-]+\)$", Template.Literal(settings[name]));
        // Identity-based connections, never a connection string or key (Application Insights' connection string
        // names an ingestion endpoint; local auth is disabled on the component, so it grants nothing).
        Assert.DoesNotContain(settings.Keys, k => k.EndsWith("ConnectionString", StringComparison.OrdinalIgnoreCase) || k.EndsWith("__ConnectionString", StringComparison.Ordinal));
        Assert.Equal("managedidentity", Template.Literal(settings["AzureWebJobsStorage__credential"]));
        Assert.Equal("managedidentity", Template.Literal(settings["Storage__Credential"]));
        Assert.Equal("managedidentity", Template.Literal(settings["ServiceBus__Credential"]));
        var raw = Bicep.Compiled.GetRawText();
        Assert.DoesNotContain("listKeys", raw);
        Assert.DoesNotContain("listConnectionStrings", raw);
        Assert.DoesNotContain("AccountKey=", raw);
        Assert.DoesNotContain("SharedAccessKey", raw);
        Assert.False(Template.Resource("Microsoft.Storage/storageAccounts").GetProperty("properties").GetProperty("allowSharedKeyAccess").GetBoolean());
        Assert.True(Template.Resource("Microsoft.ServiceBus/namespaces").GetProperty("properties").GetProperty("disableLocalAuth").GetBoolean());
        Assert.True(Template.Resource("Microsoft.Insights/components").GetProperty("properties").GetProperty("DisableLocalAuth").GetBoolean());
        Assert.True(Template.Resource("Microsoft.KeyVault/vaults").GetProperty("properties").GetProperty("enableRbacAuthorization").GetBoolean());
    }

    [Fact]
    public void NoOutputCarriesASecret()
    {
        foreach (var output in Template.AllOutputs())
        {
            var value = output.Value.GetProperty("value").GetRawText();
            Assert.DoesNotContain("listKeys", value);
            Assert.DoesNotContain("@Microsoft.KeyVault", value);
            Assert.DoesNotContain("Microsoft.KeyVault/vaults/secrets", value);
            Assert.DoesNotContain("secret", value, StringComparison.OrdinalIgnoreCase);
            Assert.False(output.Value.TryGetProperty("type", out var type) && type.GetString() is "securestring" or "secureObject" && output.Name.StartsWith("AZURE", StringComparison.Ordinal));
        }
        Assert.Equal(["AZURE_FUNCTION_APP_NAME", "AZURE_KEY_VAULT_NAME", "AZURE_LOCATION", "SERVICE_BUS_NAMESPACE", "SUMMIT_API_URL"],
            Bicep.Compiled.GetProperty("outputs").EnumerateObject().Select(o => o.Name).Order(StringComparer.Ordinal));
    }

    [Fact]
    public void TheReminderQueueHasExplicitDuplicateDetectionDeliveryCountLockAndExpiryDeadLettering()
    {
        var queue = Template.Resource("Microsoft.ServiceBus/namespaces/queues").GetProperty("properties");
        Assert.True(queue.GetProperty("requiresDuplicateDetection").GetBoolean());
        Assert.Equal("P1D", queue.GetProperty("duplicateDetectionHistoryTimeWindow").GetString());
        Assert.Equal(10, queue.GetProperty("maxDeliveryCount").GetInt32());
        Assert.Equal("PT1M", queue.GetProperty("lockDuration").GetString());
        Assert.True(queue.GetProperty("deadLetteringOnMessageExpiration").GetBoolean());
    }

    [Fact]
    public void TheFunctionAppIsFlexConsumptionDotnet10IsolatedWithOneUserAssignedIdentity()
    {
        Assert.Equal("FlexConsumption", Template.Resource("Microsoft.Web/serverfarms").GetProperty("sku").GetProperty("tier").GetString());
        var site = Template.Resource("Microsoft.Web/sites");
        Assert.Equal("UserAssigned", site.GetProperty("identity").GetProperty("type").GetString());
        var config = site.GetProperty("properties").GetProperty("functionAppConfig");
        Assert.Equal("dotnet-isolated", config.GetProperty("runtime").GetProperty("name").GetString());
        Assert.Equal("10.0", config.GetProperty("runtime").GetProperty("version").GetString());
        Assert.Equal("UserAssignedIdentity", config.GetProperty("deployment").GetProperty("storage").GetProperty("authentication").GetProperty("type").GetString());
        Assert.Single(Template.Resources("Microsoft.ManagedIdentity/userAssignedIdentities"));
    }

    [Fact]
    public void TheIdentityGetsExactlyTheDataRolesItNeeds()
    {
        // Role ids appear in the assignments themselves, or in the `roles` variable a module loops over.
        var guid = new System.Text.RegularExpressions.Regex("[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}");
        var roles = Template.Resources("Microsoft.Authorization/roleAssignments")
            .SelectMany(r => guid.Matches(r.GetProperty("properties").GetProperty("roleDefinitionId").GetString()!).Select(m => m.Value))
            .Concat(Template.Variables("roles").SelectMany(v => v.EnumerateObject().Select(p => p.Value.GetString()!)))
            .ToHashSet();
        Assert.Equal(new HashSet<string>
        {
            "b7e6dc6d-f1e8-4753-8033-0f276bb0955b", // Storage Blob Data Owner (host leases, deployment package)
            "974c5e8b-45b9-4653-ba55-5f855dd0fb88", // Storage Queue Data Contributor
            "0a9a7e1f-b9d0-4cc4-a60d-0319b160aaa3", // Storage Table Data Contributor (meetings, due index, ledger)
            "69a216fc-b8fb-44d8-bc22-1f3c2cd27a39", // Azure Service Bus Data Sender (on the queue)
            "4f6d3b9b-027b-4f4c-9142-0e5a2a2247e0", // Azure Service Bus Data Receiver (on the queue)
            "4633458b-17de-408a-b874-0445c86b69e6", // Key Vault Secrets User
            "3913510d-42f4-4e42-8a64-420c390055eb", // Monitoring Metrics Publisher (telemetry with Entra ID)
            "b86a8fe4-44ce-4948-aee5-eccb2c155cd7", // Key Vault Secrets Officer, for the deployer only (optional)
        }, roles);
        Assert.DoesNotContain("8e3af657-a8ff-443c-a75c-2fe8c4bcb635", Bicep.Compiled.GetRawText()); // never Owner
        Assert.DoesNotContain("b24988ac-6180-42a0-ab88-20f7382dd24c", Bicep.Compiled.GetRawText()); // never Contributor
    }
}

/// <summary>Reads the compiled ARM template, nested module deployments included.</summary>
public static class Template
{
    public static IEnumerable<JsonElement> Resources(string type) => All(Bicep.Compiled).Where(r => r.GetProperty("type").GetString() == type);

    public static JsonElement Resource(string type) => Assert.Single(Resources(type));

    /// <summary>Every resource of the template and its modules, the module deployments included.</summary>
    public static IEnumerable<JsonElement> AllResources() => All(Bicep.Compiled);

    /// <summary>The module deployment of that name in main.bicep (its parameters, and its template under properties.template).</summary>
    public static JsonElement Module(string name) => Assert.Single(Bicep.Compiled.GetProperty("resources").EnumerateArray(),
        r => r.GetProperty("type").GetString() == "Microsoft.Resources/deployments" && r.GetProperty("name").GetString() == name);

    /// <summary>The value main.bicep passes to a module's parameter (a literal, or an ARM expression as text).</summary>
    public static string ModuleParameter(string module, string parameter) =>
        Module(module).GetProperty("properties").GetProperty("parameters").GetProperty(parameter).GetProperty("value").ToString();

    public static IReadOnlyDictionary<string, JsonElement> AppSettings() =>
        Resources("Microsoft.Web/sites/config").Single().GetProperty("properties").EnumerateObject().ToDictionary(p => p.Name, p => p.Value);

    /// <summary>A setting's literal value; an ARM expression such as "[format('...', ...)]" gives its format string.</summary>
    public static string Literal(JsonElement value)
    {
        var text = value.GetString()!;
        var format = System.Text.RegularExpressions.Regex.Match(text, @"^\[format\('(.*?)',");
        return format.Success ? format.Groups[1].Value.Replace("''", "'") : text;
    }

    /// <summary>Every variable of that name in the template and its modules.</summary>
    public static IEnumerable<JsonElement> Variables(string name) => Templates()
        .Select(t => t.TryGetProperty("variables", out var v) && v.TryGetProperty(name, out var value) ? value : default)
        .Where(v => v.ValueKind != JsonValueKind.Undefined);

    private static IEnumerable<JsonElement> Templates() =>
        new[] { Bicep.Compiled }.Concat(All(Bicep.Compiled).Where(r => r.GetProperty("type").GetString() == "Microsoft.Resources/deployments")
            .Select(r => r.GetProperty("properties").GetProperty("template")));

    public static IEnumerable<JsonProperty> AllOutputs()
    {
        var templates = new List<JsonElement> { Bicep.Compiled };
        templates.AddRange(All(Bicep.Compiled).Where(r => r.GetProperty("type").GetString() == "Microsoft.Resources/deployments")
            .Select(r => r.GetProperty("properties").GetProperty("template")));
        return templates.SelectMany(t => t.TryGetProperty("outputs", out var o) ? o.EnumerateObject() : Enumerable.Empty<JsonProperty>());
    }

    private static IEnumerable<JsonElement> All(JsonElement template)
    {
        foreach (var resource in template.GetProperty("resources").EnumerateArray())
        {
            yield return resource;
            if (resource.GetProperty("type").GetString() == "Microsoft.Resources/deployments")
                foreach (var inner in All(resource.GetProperty("properties").GetProperty("template"))) yield return inner;
        }
    }
}
