// Logs and traces. Local (key) authentication is off: telemetry is accepted only from the app's identity.
param logAnalyticsName string
param applicationInsightsName string
param location string
param tags object
param identityPrincipalId string

resource logs 'Microsoft.OperationalInsights/workspaces@2023-09-01' = {
  name: logAnalyticsName
  location: location
  tags: tags
  properties: {
    sku: { name: 'PerGB2018' }
    retentionInDays: 30
  }
}

resource insights 'Microsoft.Insights/components@2020-02-02' = {
  name: applicationInsightsName
  location: location
  tags: tags
  kind: 'web'
  properties: {
    Application_Type: 'web'
    WorkspaceResourceId: logs.id
    DisableLocalAuth: true
  }
}

// Monitoring Metrics Publisher: lets the identity send telemetry with Entra ID authentication.
resource publisher 'Microsoft.Authorization/roleAssignments@2022-04-01' = {
  name: guid(insights.id, identityPrincipalId, '3913510d-42f4-4e42-8a64-420c390055eb')
  scope: insights
  properties: {
    principalId: identityPrincipalId
    principalType: 'ServicePrincipal'
    roleDefinitionId: subscriptionResourceId('Microsoft.Authorization/roleDefinitions', '3913510d-42f4-4e42-8a64-420c390055eb')
  }
}

// The connection string names the ingestion endpoint and resource; it is not a credential (local auth is disabled).
output connectionString string = insights.properties.ConnectionString
output logAnalyticsId string = logs.id
