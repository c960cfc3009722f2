// The reminder queue. Duplicate detection makes a re-published reminder (same MessageId) a no-op within the window;
// the app's own retries are scheduled messages, so the lock and delivery count only cover crashed receivers.
param name string
param location string
param tags object
param identityPrincipalId string
param queueName string
@description('Log Analytics workspace that receives the namespace\'s operational logs.')
param logAnalyticsWorkspaceId string

resource namespace 'Microsoft.ServiceBus/namespaces@2024-01-01' = {
  name: name
  location: location
  tags: tags
  sku: { name: 'Standard', tier: 'Standard' }
  properties: {
    disableLocalAuth: true
    minimumTlsVersion: '1.2'
  }
}

resource queue 'Microsoft.ServiceBus/namespaces/queues@2024-01-01' = {
  parent: namespace
  name: queueName
  properties: {
    requiresDuplicateDetection: true
    duplicateDetectionHistoryTimeWindow: 'P1D'
    maxDeliveryCount: 10
    lockDuration: 'PT1M'
    deadLetteringOnMessageExpiration: true
    defaultMessageTimeToLive: 'P14D'
    enableBatchedOperations: true
  }
}

var roles = {
  dataSender: '69a216fc-b8fb-44d8-bc22-1f3c2cd27a39'
  dataReceiver: '4f6d3b9b-027b-4f4c-9142-0e5a2a2247e0'
}

// Scoped to the queue (and so its dead-letter subqueue), not the namespace.
resource assignments 'Microsoft.Authorization/roleAssignments@2022-04-01' = [for role in items(roles): {
  name: guid(queue.id, identityPrincipalId, role.value)
  scope: queue
  properties: {
    principalId: identityPrincipalId
    principalType: 'ServicePrincipal'
    roleDefinitionId: subscriptionResourceId('Microsoft.Authorization/roleDefinitions', role.value)
  }
}]

// Operational logs (management operations on the namespace and its queues: who created, changed or deleted what) go to
// the workspace's resource-specific table AZMSOperationalLogs. Data-plane sends and receives are not logged here (runtime
// audit logs are Premium only); the app's own telemetry covers them.
resource operationalLogs 'Microsoft.Insights/diagnosticSettings@2021-05-01-preview' = {
  name: 'operational-logs'
  scope: namespace
  properties: {
    workspaceId: logAnalyticsWorkspaceId
    logAnalyticsDestinationType: 'Dedicated'
    logs: [{ category: 'OperationalLogs', enabled: true }]
  }
}

// serviceBusEndpoint is https://{name}.servicebus.windows.net:443/; the client wants the host name.
output fullyQualifiedNamespace string = split(split(namespace.properties.serviceBusEndpoint, '//')[1], ':')[0]
output queueName string = queue.name
output namespaceId string = namespace.id
