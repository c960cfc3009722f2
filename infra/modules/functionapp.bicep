// The function app on Flex Consumption (.NET 10 isolated), running as the user-assigned identity. Every connection is
// identity-based; secrets come from Key Vault references resolved with the same identity.
param name string
param planName string
param location string
param tags object
param identityId string
param identityClientId string
param storageAccountName string
param storageBlobEndpoint string
param storageTableEndpoint string
param deploymentContainerName string
param serviceBusNamespace string
param serviceBusQueueName string
param keyVaultName string
param applicationInsightsConnectionString string
param fromEmail string
param fromName string
param tablePrefix string
param maximumInstanceCount int
param timersAlwaysReady bool
param instanceMemoryMB int
@description('Client id of the Entra ID app registration of the API and console (scripts/entra-app.sh); empty: nobody signs in, only automation keys open the API.')
param entraClientId string = ''

resource plan 'Microsoft.Web/serverfarms@2024-04-01' = {
  name: planName
  location: location
  tags: tags
  kind: 'functionapp'
  sku: { tier: 'FlexConsumption', name: 'FC1' }
  properties: { reserved: true }
}

resource app 'Microsoft.Web/sites@2024-04-01' = {
  name: name
  location: location
  tags: union(tags, { 'azd-service-name': 'api' })
  kind: 'functionapp,linux'
  identity: {
    type: 'UserAssigned'
    userAssignedIdentities: { '${identityId}': {} }
  }
  properties: {
    serverFarmId: plan.id
    httpsOnly: true
    keyVaultReferenceIdentity: identityId
    // Flex Consumption rejects several siteConfig properties that other plans take (ARM error 51021, enforced region
    // by region): ftpsState, use32BitWorkerProcess, preWarmedInstanceCount, netFrameworkVersion, linuxFxVersion,
    // functionsRuntimeScaleMonitoringEnabled, functionAppScaleLimit, alwaysOn, ... (the list is in docs/deploy.md, with
    // its sources). Runtime, scale and memory live in functionAppConfig instead; minTlsVersion is on none of those
    // lists. There is no FTP on Flex to turn off.
    siteConfig: {
      minTlsVersion: '1.2'
    }
    functionAppConfig: {
      deployment: {
        storage: {
          type: 'blobContainer'
          value: '${storageBlobEndpoint}${deploymentContainerName}'
          authentication: {
            type: 'UserAssignedIdentity'
            userAssignedIdentityResourceId: identityId
          }
        }
      }
      scaleAndConcurrency: {
        maximumInstanceCount: maximumInstanceCount
        instanceMemoryMB: instanceMemoryMB
        // Optional warm instances for the timers. Without them the platform still fires every timer (it scales from zero
        // to run it); with them each tick starts without a cold start, at a baseline cost (docs/deploy.md).
        alwaysReady: timersAlwaysReady ? [
          { name: 'function:ScheduleDueReminders', instanceCount: 1 }
          { name: 'function:DeliverReminders', instanceCount: 1 }
        ] : []
      }
      runtime: { name: 'dotnet-isolated', version: '10.0' }
    }
  }
}

// App settings as their own resource, so they can use the site's host name. Every setting the app reads is here
// (tests/Summit.Infra.Tests check it against the code); none is a key or a connection string with a secret.
resource settings 'Microsoft.Web/sites/config@2024-04-01' = {
  parent: app
  name: 'appsettings'
  properties: {
    // The Functions host (timer leases) with the identity.
    AzureWebJobsStorage__accountName: storageAccountName
    AzureWebJobsStorage__credential: 'managedidentity'
    AzureWebJobsStorage__clientId: identityClientId
    APPLICATIONINSIGHTS_CONNECTION_STRING: applicationInsightsConnectionString
    APPLICATIONINSIGHTS_AUTHENTICATION_STRING: 'ClientId=${identityClientId};Authorization=AAD'

    ScheduleDueRemindersCron: '0 */1 * * * *'
    DeliverRemindersCron: '0 */1 * * * *'
    RetentionCron: '0 17 * * * *'

    Storage__TableServiceUri: storageTableEndpoint
    Storage__Credential: 'managedidentity'
    Storage__ClientId: identityClientId
    Storage__TablePrefix: tablePrefix
    Storage__DueIndexShards: '8'
    Storage__WatermarkSafetyMargin: '00:05:00'
    Storage__MaxEntriesPerTick: '10000'
    Storage__NetworkTimeout: '00:00:20'

    ReminderQueue__Transport: 'ServiceBus'
    ServiceBus__FullyQualifiedNamespace: serviceBusNamespace
    ServiceBus__Credential: 'managedidentity'
    ServiceBus__ClientId: identityClientId
    ServiceBus__QueueName: serviceBusQueueName
    ServiceBus__PrefetchCount: '0'
    ServiceBus__MaxRetries: '3'
    ServiceBus__TryTimeout: '00:00:30'

    Email__Transport: 'SendGrid'
    Email__FromEmail: fromEmail
    Email__FromName: fromName

    SendGrid__ApiKey: '@Microsoft.KeyVault(VaultName=${keyVaultName};SecretName=sendgrid-api-key)'
    SendGrid__Timeout: '00:00:30'
    SendGrid__OpenTracking: 'false'
    SendGrid__SubscriptionTracking: 'false'
    SendGrid__DynamicTemplates__reminder: ''
    SendGrid__DynamicTemplates__invitation: ''
    SendGrid__DynamicTemplates__update: ''
    SendGrid__DynamicTemplates__cancellation: ''
    SendGrid__DynamicTemplates__removal: ''
    SendGrid__DynamicTemplates__escalation: ''
    SendGrid__DynamicTemplates__undeliverable: ''

    // SendGrid's signed Event Webhook (POST /api/sendgrid/events): the verification key from SendGrid's settings.
    EventWebhook__PublicKey: '@Microsoft.KeyVault(VaultName=${keyVaultName};SecretName=sendgrid-webhook-public-key)'
    EventWebhook__MaxTimestampSkew: '00:05:00'

    // Coordinators sign in with Entra ID; the worker checks their tokens (docs/architecture.md, "Who may do what").
    Identity__Authority: empty(entraClientId) ? '' : '${environment().authentication.loginEndpoint}${tenant().tenantId}/v2.0'
    Identity__Audience: empty(entraClientId) ? '' : '${entraClientId} api://${entraClientId}'
    Identity__ConsoleClientId: entraClientId
    Identity__ConsoleScopes: empty(entraClientId) ? '' : 'api://${entraClientId}/access_as_user'
    // The automation key (scripts, CI): its secret in Key Vault, its roles here. Without the secret the key opens nothing.
    Automation__Keys__automation__Secret: '@Microsoft.KeyVault(VaultName=${keyVaultName};SecretName=automation-key)'
    Automation__Keys__automation__Roles: 'coordinator.* observer'

    Links__BaseUrl: 'https://${app.properties.defaultHostName}'
    Links__SigningKey: '@Microsoft.KeyVault(VaultName=${keyVaultName};SecretName=link-signing-key)'
    Links__PreviousSigningKey: '@Microsoft.KeyVault(VaultName=${keyVaultName};SecretName=link-signing-key-previous)'
    Links__ValidAfterMeeting: '7.00:00:00'

    // Traces and metrics of the worker to Application Insights with the identity (docs/telemetry.md).
    Telemetry__Exporter: 'azuremonitor'
    Telemetry__ClientId: identityClientId

    Scheduler__LookAhead: '00:01:00'
    Scheduler__ClaimLease: '00:02:00'
    Scheduler__OrphanGrace: '00:05:00'
    SendWindow__Start: '08:00'
    SendWindow__End: '21:00'

    Delivery__MaxMessagesPerRun: '50000'
    Delivery__MaxRunDuration: '00:00:50'
    Delivery__ReceiveBatchSize: '100'
    Delivery__ReceiveWait: '00:00:02'
    Delivery__MaxConcurrency: '128'
    Delivery__SendLease: '00:02:00'
    Delivery__MaxSendAttempts: '8'
    Delivery__RetryBaseDelay: '00:00:30'
    Delivery__RetryMaxDelay: '00:15:00'
    Delivery__OutageRetryDelay: '00:01:00'

    Retention__AfterMeetingEndDays: '90'
    Retention__PersonFollowUp: '01:00:00'
    Retention__MaxMeetingsPerRun: '500'
  }
}

output name string = app.name
output defaultHostName string = app.properties.defaultHostName
