// What wakes an operator: one action group (email) and five alerts. docs/deploy.md ("Alerts") says what each one means
// and what to do first. The log alerts read the app's OpenTelemetry as Azure Monitor stores it in the workspace:
// custom metrics of the Meter "Summit.Reminders" in AppMetrics (Name, Sum, ItemCount, Min, Max, Properties), and the
// "Deliver" span of the ActivitySource "Summit.Reminders" (ActivityKind.Consumer) in AppRequests. Histograms arrive there
// as sum/count/min/max only, so percentiles come from the spans, not from summit.delivery.lateness.
param location string
param tags object
param actionGroupName string
@description('Where the alerts are emailed.')
param alertEmail string
param logAnalyticsWorkspaceId string
param serviceBusNamespaceId string
param queueName string

resource actionGroup 'Microsoft.Insights/actionGroups@2023-01-01' = {
  name: actionGroupName
  location: 'global'
  tags: tags
  properties: {
    groupShortName: 'summit'
    enabled: true
    emailReceivers: [{ name: 'operator', emailAddress: alertEmail, useCommonAlertSchema: true }]
  }
}

// Dead letters are a gauge: the alert stays fired until the queue's dead-letter subqueue is empty again (replayed or
// removed), then resolves itself.
resource deadLetters 'Microsoft.Insights/metricAlerts@2018-03-01' = {
  name: 'summit-dead-lettered-reminders'
  location: 'global'
  tags: tags
  properties: {
    description: 'A reminder was dead-lettered on the Service Bus queue "${queueName}": it will not be sent unless an operator replays it.'
    severity: 1
    enabled: true
    scopes: [serviceBusNamespaceId]
    evaluationFrequency: 'PT5M'
    windowSize: 'PT5M'
    autoMitigate: true
    criteria: {
      'odata.type': 'Microsoft.Azure.Monitor.SingleResourceMultipleMetricCriteria'
      allOf: [
        {
          criterionType: 'StaticThresholdCriterion'
          name: 'DeadLetteredMessages'
          metricNamespace: 'Microsoft.ServiceBus/namespaces'
          metricName: 'DeadletteredMessages'
          dimensions: [{ name: 'EntityName', operator: 'Include', values: [queueName] }]
          operator: 'GreaterThan'
          threshold: 0
          timeAggregation: 'Maximum'
        }
      ]
    }
    actions: [{ actionGroupId: actionGroup.id }]
  }
}

// Each log alert's query returns a row only when the condition holds, and the rule fires on "more than 0 rows": the
// threshold lives in the query, readable where the data is. A summarize without `by` returns one row even over no
// input (sum() of nothing is 0), which the no-tick query relies on and the others guard against.
var logAlerts = [
  {
    name: 'summit-delivery-lateness-p95'
    description: 'The 95th percentile of delivery lateness (due moment to SendGrid acceptance) was over 60 s in the last 15 minutes.'
    severity: 2
    windowSize: 'PT15M'
    query: '''
AppRequests
| where Name == "Deliver"
| extend LatenessSeconds = todouble(Properties["summit.lateness_s"])
| where isnotnull(LatenessSeconds)
| summarize Deliveries = count(), LatenessP95 = percentile(LatenessSeconds, 95)
| where Deliveries > 0 and LatenessP95 > 60
'''
  }
  {
    name: 'summit-sendgrid-refuses-api-key'
    description: 'SendGrid answered 401/403 to our API key: no email goes out until a working key is in Key Vault.'
    severity: 1
    windowSize: 'PT5M'
    query: '''
AppMetrics
| where Name == "summit.email_provider.credentials_refused"
| summarize Refusals = sum(Sum)
| where Refusals > 0
'''
  }
  {
    name: 'summit-delivery-failure-rate'
    description: 'More than 10 % of the emails of the last 30 minutes failed or were dead-lettered (at least 20 emails).'
    severity: 2
    windowSize: 'PT30M'
    query: '''
AppMetrics
| where Name == "summit.emails"
| extend Outcome = tostring(Properties["summit.outcome"])
| summarize Emails = sum(Sum), Failed = sumif(Sum, Outcome in ("failed", "dead_lettered"))
| where Emails >= 20 and Failed > 0.10 * Emails
'''
  }
  {
    name: 'summit-no-scheduler-tick'
    description: 'No scheduler tick was recorded in the last 10 minutes: reminders are not being published (the app is down, its timers are not firing, or its telemetry is not arriving).'
    severity: 1
    windowSize: 'PT10M'
    query: '''
AppMetrics
| where Name == "summit.scheduler.tick.duration"
| summarize Ticks = sum(ItemCount)
| where Ticks == 0
'''
  }
]

resource logAlertRules 'Microsoft.Insights/scheduledQueryRules@2023-12-01' = [
  for alert in logAlerts: {
    name: alert.name
    location: location
    tags: tags
    kind: 'LogAlert'
    properties: {
      displayName: alert.name
      description: alert.description
      severity: alert.severity
      enabled: true
      scopes: [logAnalyticsWorkspaceId]
      evaluationFrequency: 'PT5M'
      windowSize: alert.windowSize
      autoMitigate: true
      // A new workspace may not have the App* tables until the app has sent telemetry, and Azure validates a rule's
      // query against the workspace when the rule is created: skipping that keeps the first `azd up` from failing on
      // this race (the Azure Monitor team's advice for the same race: mspnp/aks-baseline#422).
      // tests/Summit.Infra.Tests check the tables, columns and names instead.
      skipQueryValidation: true
      criteria: {
        allOf: [
          {
            query: alert.query
            timeAggregation: 'Count'
            operator: 'GreaterThan'
            threshold: 0
            failingPeriods: { numberOfEvaluationPeriods: 1, minFailingPeriodsToAlert: 1 }
          }
        ]
      }
      actions: { actionGroups: [actionGroup.id] }
    }
  }
]
