using System.Text.Json;
using System.Text.RegularExpressions;

namespace Summit.Infra.Tests;

/// <summary>
/// The alerts an operator needs (infra/modules/alerts.bicep) read what the app really emits: the telemetry contract
/// below, as Azure Monitor stores it in the workspace (AppMetrics, AppRequests); every alert emails the action group;
/// Key Vault and Service Bus send their logs to the workspace.
/// </summary>
public sealed class AlertsTests
{
    /// <summary>The names the app's OpenTelemetry (Meter and ActivitySource "Summit.Reminders") promises to emit.</summary>
    private static readonly HashSet<string> ContractNames =
    [
        // metrics (AppMetrics.Name)
        "summit.emails", "summit.delivery.lateness", "summit.scheduler.tick.duration", "summit.scheduler.slots_published",
        "summit.queue.waiting", "summit.email_provider.credentials_refused",
        // attributes (Properties of AppMetrics and AppRequests)
        "summit.kind", "summit.outcome", "summit.lateness_s",
    ];

    private static readonly Dictionary<string, HashSet<string>> Columns = new()
    {
        ["AppMetrics"] = ["TimeGenerated", "Name", "Sum", "ItemCount", "Min", "Max", "Properties"],
        ["AppRequests"] = ["TimeGenerated", "Name", "Success", "ResultCode", "DurationMs", "Properties"],
    };

    private static JsonElement AlertsTemplate => Template.Module("alerts").GetProperty("properties").GetProperty("template");

    private static string ActionGroupReference => "[resourceId('Microsoft.Insights/actionGroups', parameters('actionGroupName'))]";

    private sealed record LogAlert(string Name, string Query, string WindowSize, int Severity);

    /// <summary>
    /// The log alerts, one per entry of the module's `logAlerts` list, after checking that the one scheduledQueryRules
    /// resource really makes a rule of each entry with that entry's query and window.
    /// </summary>
    private static IReadOnlyDictionary<string, LogAlert> LogAlerts()
    {
        var rule = Template.Resource("Microsoft.Insights/scheduledQueryRules");
        Assert.Equal("[length(variables('logAlerts'))]", rule.GetProperty("copy").GetProperty("count").GetString());
        var properties = rule.GetProperty("properties");
        Assert.Equal("[variables('logAlerts')[copyIndex()].name]", rule.GetProperty("name").GetString());
        Assert.Equal("[variables('logAlerts')[copyIndex()].windowSize]", properties.GetProperty("windowSize").GetString());
        Assert.Equal("[variables('logAlerts')[copyIndex()].severity]", properties.GetProperty("severity").GetString());
        Assert.Equal("[variables('logAlerts')[copyIndex()].query]",
            Assert.Single(properties.GetProperty("criteria").GetProperty("allOf").EnumerateArray()).GetProperty("query").GetString());
        return AlertsTemplate.GetProperty("variables").GetProperty("logAlerts").EnumerateArray()
            .Select(a => new LogAlert(a.GetProperty("name").GetString()!, a.GetProperty("query").GetString()!,
                a.GetProperty("windowSize").GetString()!, a.GetProperty("severity").GetInt32()))
            .ToDictionary(a => a.Name);
    }

    /// <summary>The query's lines after its first `summarize`: what decides whether the rule gets a row.</summary>
    private static string AfterSummarize(string query) => query[query.IndexOf("| summarize", StringComparison.Ordinal)..];

    [Fact]
    public void TheActionGroupEmailsTheAddressAzdAsksFor()
    {
        var group = Template.Resource("Microsoft.Insights/actionGroups").GetProperty("properties");
        Assert.True(group.GetProperty("enabled").GetBoolean());
        Assert.InRange(group.GetProperty("groupShortName").GetString()!.Length, 1, 12); // Azure's limit
        var receiver = Assert.Single(group.GetProperty("emailReceivers").EnumerateArray());
        Assert.Equal("[parameters('alertEmail')]", receiver.GetProperty("emailAddress").GetString());
        Assert.Equal("[parameters('alertEmail')]", Template.ModuleParameter("alerts", "alertEmail"));
        var parameter = Bicep.Compiled.GetProperty("parameters").GetProperty("alertEmail");
        Assert.False(parameter.TryGetProperty("defaultValue", out _)); // required: azd asks for it when ALERT_EMAIL is unset
        Assert.Equal("${ALERT_EMAIL}", FlexConsumptionTests.MainParameter("alertEmail"));
    }

    [Fact]
    public void EveryAlertIsEnabledAndNotifiesTheActionGroup()
    {
        var metricAlerts = Template.Resources("Microsoft.Insights/metricAlerts").ToList();
        Assert.NotEmpty(metricAlerts);
        foreach (var alert in metricAlerts)
        {
            Assert.True(alert.GetProperty("properties").GetProperty("enabled").GetBoolean());
            var action = Assert.Single(alert.GetProperty("properties").GetProperty("actions").EnumerateArray());
            Assert.Equal(ActionGroupReference, action.GetProperty("actionGroupId").GetString());
        }
        foreach (var rule in Template.Resources("Microsoft.Insights/scheduledQueryRules"))
        {
            Assert.True(rule.GetProperty("properties").GetProperty("enabled").GetBoolean());
            var group = Assert.Single(rule.GetProperty("properties").GetProperty("actions").GetProperty("actionGroups").EnumerateArray());
            Assert.Equal(ActionGroupReference, group.GetString());
        }
        // The five the issue asks for, and no other alert that would email nobody.
        Assert.Equal(5, metricAlerts.Count + LogAlerts().Count);
        Assert.Single(Template.Resources("Microsoft.Insights/actionGroups"));
    }

    [Fact]
    public void DeadLettersOnTheReminderQueueAlertAtTheFirstOne()
    {
        var alert = Assert.Single(Template.Resources("Microsoft.Insights/metricAlerts")).GetProperty("properties");
        Assert.Equal("[parameters('serviceBusNamespaceId')]", Assert.Single(alert.GetProperty("scopes").EnumerateArray()).GetString());
        var criterion = Assert.Single(alert.GetProperty("criteria").GetProperty("allOf").EnumerateArray());
        Assert.Equal("Microsoft.ServiceBus/namespaces", criterion.GetProperty("metricNamespace").GetString());
        Assert.Equal("DeadletteredMessages", criterion.GetProperty("metricName").GetString());
        Assert.Equal("GreaterThan", criterion.GetProperty("operator").GetString());
        Assert.Equal(0, criterion.GetProperty("threshold").GetDouble());
        // DeadletteredMessages is a gauge with Average/Minimum/Maximum only: Maximum sees one message in the window.
        Assert.Equal("Maximum", criterion.GetProperty("timeAggregation").GetString());
        // Only our queue: the namespace metric split by EntityName, with the name the queue really has.
        var dimension = Assert.Single(criterion.GetProperty("dimensions").EnumerateArray());
        Assert.Equal("EntityName", dimension.GetProperty("name").GetString());
        Assert.Equal("Include", dimension.GetProperty("operator").GetString());
        Assert.Equal("[parameters('queueName')]", Assert.Single(dimension.GetProperty("values").EnumerateArray()).GetString());
        Assert.Contains("'servicebus'", Template.ModuleParameter("alerts", "queueName"), StringComparison.Ordinal);
        Assert.EndsWith(".outputs.queueName.value]", Template.ModuleParameter("alerts", "queueName"), StringComparison.Ordinal);
        Assert.EndsWith(".outputs.namespaceId.value]", Template.ModuleParameter("alerts", "serviceBusNamespaceId"), StringComparison.Ordinal);
        Assert.Equal("reminders", Template.ModuleParameter("servicebus", "queueName"));
    }

    [Fact]
    public void LogAlertsReadTheWorkspaceAndFireWhenTheirQueryReturnsARow()
    {
        foreach (var rule in Template.Resources("Microsoft.Insights/scheduledQueryRules"))
        {
            Assert.Equal("LogAlert", rule.GetProperty("kind").GetString());
            var properties = rule.GetProperty("properties");
            Assert.Equal("[parameters('logAnalyticsWorkspaceId')]", Assert.Single(properties.GetProperty("scopes").EnumerateArray()).GetString());
            Assert.Equal("PT5M", properties.GetProperty("evaluationFrequency").GetString());
            var condition = Assert.Single(properties.GetProperty("criteria").GetProperty("allOf").EnumerateArray());
            Assert.Equal("Count", condition.GetProperty("timeAggregation").GetString());
            Assert.Equal("GreaterThan", condition.GetProperty("operator").GetString());
            Assert.Equal(0, condition.GetProperty("threshold").GetDouble());
            Assert.False(condition.TryGetProperty("metricMeasureColumn", out _));
        }
        Assert.Contains("'monitoring'", Template.ModuleParameter("alerts", "logAnalyticsWorkspaceId"), StringComparison.Ordinal);
        Assert.EndsWith(".outputs.logAnalyticsId.value]", Template.ModuleParameter("alerts", "logAnalyticsWorkspaceId"), StringComparison.Ordinal);

        foreach (var alert in LogAlerts().Values)
        {
            // Each query reads one of the workspace's Application Insights tables, with columns that table has, and
            // names only what the app's telemetry contract emits (a typo would make the alert silently never fire).
            var table = alert.Query.Split('\n', StringSplitOptions.RemoveEmptyEntries)[0].Trim();
            Assert.True(Columns.ContainsKey(table), $"{alert.Name} reads {table}");
            foreach (Match name in Regex.Matches(alert.Query, "\"(summit\\.[a-z_.]+)\""))
                Assert.True(ContractNames.Contains(name.Groups[1].Value), $"{alert.Name}: {name.Groups[1].Value} is not in the telemetry contract");
            foreach (Match column in Regex.Matches(alert.Query, @"\b(Name|Sum|ItemCount|Min|Max|Properties|Success|ResultCode|DurationMs)\b"))
                Assert.Contains(column.Groups[1].Value, Columns[table]);
            // The condition follows the only summarize, which has no `by`: one row in, at most one row out.
            Assert.Single(Regex.Matches(alert.Query, @"\|\s*summarize\b"));
            Assert.DoesNotMatch(@"\bby\b", AfterSummarize(alert.Query));
            Assert.Matches(@"\|\s*where\s+[^|]+$", AfterSummarize(alert.Query).TrimEnd());
        }
    }

    [Fact]
    public void LatenessAlertIsTheP95OfTheDeliverSpansOver60SecondsIn15Minutes()
    {
        var alert = LogAlerts()["summit-delivery-lateness-p95"];
        Assert.Equal("PT15M", alert.WindowSize);
        Assert.StartsWith("AppRequests", alert.Query, StringComparison.Ordinal);
        Assert.Contains("Name == \"Deliver\"", alert.Query, StringComparison.Ordinal);
        Assert.Matches(@"LatenessSeconds\s*=\s*todouble\(Properties\[""summit\.lateness_s""\]\)", alert.Query);
        Assert.Matches(@"LatenessP95\s*=\s*percentile\(LatenessSeconds,\s*95\)", alert.Query);
        Assert.Matches(@"LatenessP95\s*>\s*60\b", AfterSummarize(alert.Query));
        // Azure Monitor keeps only sum/count/min/max of a histogram: the lateness metric cannot give a percentile.
        Assert.DoesNotContain("summit.delivery.lateness", alert.Query, StringComparison.Ordinal);
    }

    [Fact]
    public void SendGridRefusingOurKeyAlertsAtTheFirstRefusal()
    {
        var alert = LogAlerts()["summit-sendgrid-refuses-api-key"];
        Assert.Equal(1, alert.Severity);
        Assert.StartsWith("AppMetrics", alert.Query, StringComparison.Ordinal);
        Assert.Contains("Name == \"summit.email_provider.credentials_refused\"", alert.Query, StringComparison.Ordinal);
        Assert.Matches(@"Refusals\s*=\s*sum\(Sum\)", alert.Query); // a counter: its increments are in Sum
        Assert.Matches(@"Refusals\s*>\s*0\b", AfterSummarize(alert.Query));
    }

    [Fact]
    public void FailureRateAlertIsFailedAndDeadLetteredOverAllEmailsAbove10PercentWithAMinimumVolume()
    {
        var alert = LogAlerts()["summit-delivery-failure-rate"];
        Assert.Equal("PT30M", alert.WindowSize);
        Assert.StartsWith("AppMetrics", alert.Query, StringComparison.Ordinal);
        Assert.Contains("Name == \"summit.emails\"", alert.Query, StringComparison.Ordinal);
        Assert.Matches(@"Outcome\s*=\s*tostring\(Properties\[""summit\.outcome""\]\)", alert.Query);
        Assert.Matches(@"Emails\s*=\s*sum\(Sum\)", alert.Query);
        Assert.Matches(@"Failed\s*=\s*sumif\(Sum,\s*Outcome in \(""failed"",\s*""dead_lettered""\)\)", alert.Query);
        var condition = AfterSummarize(alert.Query);
        Assert.Matches(@"Failed\s*>\s*0\.10?\s*\*\s*Emails", condition);
        var minimum = Regex.Match(condition, @"Emails\s*>=\s*(\d+)");
        Assert.True(minimum.Success, "no minimum volume: one failed email out of two would page someone");
        Assert.InRange(int.Parse(minimum.Groups[1].Value, System.Globalization.CultureInfo.InvariantCulture), 10, 100);
    }

    [Fact]
    public void NoTickAlertFiresWhenNoSchedulerTickWasRecordedIn10Minutes()
    {
        var alert = LogAlerts()["summit-no-scheduler-tick"];
        Assert.Equal("PT10M", alert.WindowSize);
        Assert.Equal(1, alert.Severity);
        Assert.StartsWith("AppMetrics", alert.Query, StringComparison.Ordinal);
        Assert.Contains("Name == \"summit.scheduler.tick.duration\"", alert.Query, StringComparison.Ordinal);
        // A histogram record carries the number of ticks of its export interval in ItemCount. A summarize without `by`
        // over no rows still yields one row, with sum() = 0: silence is what produces the row that fires the rule.
        Assert.Matches(@"Ticks\s*=\s*sum\(ItemCount\)", alert.Query);
        Assert.Matches(@"Ticks\s*==\s*0\b", AfterSummarize(alert.Query));
    }

    [Fact]
    public void KeyVaultAuditAndServiceBusOperationalLogsGoToTheWorkspace()
    {
        var settings = Template.Resources("Microsoft.Insights/diagnosticSettings").ToList();
        Assert.Equal(2, settings.Count);
        var vault = Assert.Single(settings, s => s.GetProperty("scope").GetString()!.Contains("Microsoft.KeyVault/vaults", StringComparison.Ordinal));
        var bus = Assert.Single(settings, s => s.GetProperty("scope").GetString()!.Contains("Microsoft.ServiceBus/namespaces", StringComparison.Ordinal));
        foreach (var setting in settings)
        {
            var properties = setting.GetProperty("properties");
            Assert.Equal("[parameters('logAnalyticsWorkspaceId')]", properties.GetProperty("workspaceId").GetString());
            // Resource-specific tables (AZKVAuditLogs, AZMSOperationalLogs), which docs/deploy.md's queries read.
            Assert.Equal("Dedicated", properties.GetProperty("logAnalyticsDestinationType").GetString());
            Assert.All(properties.GetProperty("logs").EnumerateArray(), l => Assert.True(l.GetProperty("enabled").GetBoolean()));
        }
        var vaultLog = Assert.Single(vault.GetProperty("properties").GetProperty("logs").EnumerateArray());
        Assert.Equal("audit", vaultLog.GetProperty("categoryGroup").GetString());
        var busLog = Assert.Single(bus.GetProperty("properties").GetProperty("logs").EnumerateArray());
        Assert.Equal("OperationalLogs", busLog.GetProperty("category").GetString());
        foreach (var module in new[] { "keyvault", "servicebus" })
        {
            Assert.Contains("'monitoring'", Template.ModuleParameter(module, "logAnalyticsWorkspaceId"), StringComparison.Ordinal);
            Assert.EndsWith(".outputs.logAnalyticsId.value]", Template.ModuleParameter(module, "logAnalyticsWorkspaceId"), StringComparison.Ordinal);
        }
    }
}
