// Summit.Functions in one resource group: `azd up`, or
// `az deployment group create -g <group> -f infra/main.bicep -p infra/main.parameters.json`.
// No key or connection string anywhere: one user-assigned managed identity with least-privilege roles.
targetScope = 'resourceGroup'

@minLength(1)
@maxLength(20)
@description('Name of the environment (azd environment name), used in resource names and tags.')
param environmentName string

// Regions that offer Flex Consumption, as listed by Microsoft's Flex quickstart for .NET with azd
// (Azure-Samples/functions-quickstart-dotnet-azd, infra/main.bicep), without its canary region eastus2euap. The list
// grows: check it with `az functionapp list-flexconsumption-locations` and add a region here (docs/deploy.md).
@description('Azure region of every resource: one that offers Flex Consumption.')
@allowed([
  'australiaeast'
  'australiasoutheast'
  'brazilsouth'
  'canadacentral'
  'centralindia'
  'centralus'
  'eastasia'
  'eastus'
  'eastus2'
  'francecentral'
  'germanywestcentral'
  'italynorth'
  'japaneast'
  'koreacentral'
  'northcentralus'
  'northeurope'
  'norwayeast'
  'southafricanorth'
  'southcentralus'
  'southeastasia'
  'southindia'
  'spaincentral'
  'swedencentral'
  'uaenorth'
  'uksouth'
  'ukwest'
  'westcentralus'
  'westeurope'
  'westus'
  'westus2'
  'westus3'
])
@metadata({ azd: { type: 'location' } })
param location string

@description('The sender address of every email (a verified SendGrid sender).')
param fromEmail string

@description('The sender name of every email.')
param fromName string = 'Summit follow-up reminders'

@description('Email address that receives the alerts (dead letters, lateness, SendGrid refusing our key, failure rate, no scheduler tick).')
param alertEmail string

@description('Object id of the user or group that may set the Key Vault secrets (azd passes the signed-in user).')
param principalId string = ''

@description('Keep one warm instance for each timer function: no cold start per tick, at a baseline cost (docs/deploy.md).')
param timersAlwaysReady bool = false

@description('Memory of each instance: 512 is plenty for this app and the cheapest; 2048 or 4096 for more CPU.')
@allowed([512, 2048, 4096])
param instanceMemoryMB int = 512

@minValue(40)
@maxValue(1000)
param maximumInstanceCount int = 40

@description('Client id of the app registration scripts/entra-app.sh creates (docs/deploy.md); empty until then: only automation keys open the API.')
param entraClientId string = ''

var token = toLower(uniqueString(subscription().id, resourceGroup().id, environmentName))
var tags = { 'azd-env-name': environmentName, app: 'summit-functions' }
var tablePrefix = 'summit'
var deploymentContainerName = 'app-package-${take(token, 7)}'

module identity 'modules/identity.bicep' = {
  name: 'identity'
  params: { name: 'id-summit-${token}', location: location, tags: tags }
}

module monitoring 'modules/monitoring.bicep' = {
  name: 'monitoring'
  params: {
    logAnalyticsName: 'log-summit-${token}'
    applicationInsightsName: 'appi-summit-${token}'
    location: location
    tags: tags
    identityPrincipalId: identity.outputs.principalId
  }
}

module storage 'modules/storage.bicep' = {
  name: 'storage'
  params: {
    name: 'stsummit${take(token, 13)}'
    location: location
    tags: tags
    identityPrincipalId: identity.outputs.principalId
    deploymentContainerName: deploymentContainerName
    tablePrefix: tablePrefix
  }
}

module serviceBus 'modules/servicebus.bicep' = {
  name: 'servicebus'
  params: {
    name: 'sb-summit-${token}'
    location: location
    tags: tags
    identityPrincipalId: identity.outputs.principalId
    queueName: 'reminders'
    logAnalyticsWorkspaceId: monitoring.outputs.logAnalyticsId
  }
}

module keyVault 'modules/keyvault.bicep' = {
  name: 'keyvault'
  params: {
    name: 'kv-summit-${take(token, 13)}'
    location: location
    tags: tags
    identityPrincipalId: identity.outputs.principalId
    writerPrincipalId: principalId
    logAnalyticsWorkspaceId: monitoring.outputs.logAnalyticsId
  }
}

module functionApp 'modules/functionapp.bicep' = {
  name: 'functionapp'
  params: {
    name: 'func-summit-${token}'
    planName: 'plan-summit-${token}'
    location: location
    tags: tags
    identityId: identity.outputs.id
    identityClientId: identity.outputs.clientId
    storageAccountName: storage.outputs.name
    storageBlobEndpoint: storage.outputs.blobEndpoint
    storageTableEndpoint: storage.outputs.tableEndpoint
    deploymentContainerName: deploymentContainerName
    serviceBusNamespace: serviceBus.outputs.fullyQualifiedNamespace
    serviceBusQueueName: serviceBus.outputs.queueName
    keyVaultName: keyVault.outputs.name
    applicationInsightsConnectionString: monitoring.outputs.connectionString
    fromEmail: fromEmail
    fromName: fromName
    tablePrefix: tablePrefix
    maximumInstanceCount: maximumInstanceCount
    timersAlwaysReady: timersAlwaysReady
    instanceMemoryMB: instanceMemoryMB
    entraClientId: entraClientId
  }
}

module alerts 'modules/alerts.bicep' = {
  name: 'alerts'
  params: {
    location: location
    tags: tags
    actionGroupName: 'ag-summit-${token}'
    alertEmail: alertEmail
    logAnalyticsWorkspaceId: monitoring.outputs.logAnalyticsId
    serviceBusNamespaceId: serviceBus.outputs.namespaceId
    queueName: serviceBus.outputs.queueName
  }
}

output AZURE_LOCATION string = location
output AZURE_FUNCTION_APP_NAME string = functionApp.outputs.name
output SUMMIT_API_URL string = 'https://${functionApp.outputs.defaultHostName}/api'
output AZURE_KEY_VAULT_NAME string = keyVault.outputs.name
output SERVICE_BUS_NAMESPACE string = serviceBus.outputs.fullyQualifiedNamespace
