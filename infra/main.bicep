// Cohorts on Azure: a Flex Consumption function app (dotnet-isolated, .NET 10) with Durable Task on the Azure
// Storage backend, reaching storage through a user-assigned managed identity (shared keys are off).
targetScope = 'subscription'

@minLength(1)
@maxLength(64)
@description('Name of the azd environment; part of every resource name.')
param environmentName string

@minLength(1)
@description('Primary location for all resources.')
param location string

@description('Client id of the Entra ID app registration that App Service authentication validates tokens for (its app roles: hr, reviewer, integrator, leader, admin). Empty: authentication is configured later.')
param authClientId string = ''

@description('Create the Event Grid subscription that feeds the HR-import blob trigger. Set by the postdeploy hook once the app (and so its blobs_extension key) exists.')
param enableHrImportEvents bool = false

@description('Largest number of instances the app scales out to.')
@minValue(1)
@maxValue(1000)
param maximumInstanceCount int = 100

@description('The container that holds a use case\'s data extract (the plan\'s useCase.dataExtract). With sandboxGroupId, that group gets Storage Blob Data Reader on it.')
param sandboxExtractContainer string = ''

@description('Object id of the Entra security group that holds sandbox access (the plan\'s useCase.sandboxGroupId); the app keeps its members equal to the active participants.')
param sandboxGroupId string = ''

var resourceToken = toLower(uniqueString(subscription().id, environmentName, location))
var tags = { 'azd-env-name': environmentName }

resource resourceGroup 'Microsoft.Resources/resourceGroups@2024-03-01' = {
  name: 'rg-${environmentName}'
  location: location
  tags: tags
}

module identity 'modules/identity.bicep' = {
  name: 'identity'
  scope: resourceGroup
  params: {
    name: 'id-cohorts-${resourceToken}'
    location: location
    tags: tags
  }
}

module monitoring 'modules/monitoring.bicep' = {
  name: 'monitoring'
  scope: resourceGroup
  params: {
    logAnalyticsName: 'log-cohorts-${resourceToken}'
    applicationInsightsName: 'appi-cohorts-${resourceToken}'
    location: location
    tags: tags
    publisherPrincipalId: identity.outputs.principalId
  }
}

module storage 'modules/storage.bicep' = {
  name: 'storage'
  scope: resourceGroup
  params: {
    name: 'stcohorts${resourceToken}'
    location: location
    tags: tags
    dataPrincipalId: identity.outputs.principalId
    sandboxExtractContainer: sandboxExtractContainer
    sandboxGroupId: sandboxGroupId
  }
}

module functionApp 'modules/functionapp.bicep' = {
  name: 'functionapp'
  scope: resourceGroup
  params: {
    planName: 'plan-cohorts-${resourceToken}'
    appName: 'func-cohorts-${resourceToken}'
    location: location
    tags: union(tags, { 'azd-service-name': 'functions' })
    identityId: identity.outputs.id
    identityClientId: identity.outputs.clientId
    storageAccountName: storage.outputs.name
    storageBlobEndpoint: storage.outputs.blobEndpoint
    deploymentContainerName: storage.outputs.deploymentContainerName
    applicationInsightsConnectionString: monitoring.outputs.applicationInsightsConnectionString
    authClientId: authClientId
    maximumInstanceCount: maximumInstanceCount
  }
}

module hrImportEvents 'modules/eventgrid.bicep' = {
  name: 'hr-import-events'
  scope: resourceGroup
  params: {
    systemTopicName: 'evgt-cohorts-${resourceToken}'
    location: location
    tags: tags
    storageAccountName: storage.outputs.name
    functionAppName: functionApp.outputs.name
    importContainerName: storage.outputs.importContainerName
    enableSubscription: enableHrImportEvents
  }
}

output AZURE_LOCATION string = location
output AZURE_TENANT_ID string = tenant().tenantId
output AZURE_RESOURCE_GROUP string = resourceGroup.name
output AZURE_FUNCTION_APP_NAME string = functionApp.outputs.name
output AZURE_FUNCTION_APP_URL string = functionApp.outputs.url
output AZURE_MANAGED_IDENTITY_PRINCIPAL_ID string = identity.outputs.principalId
output AZURE_MANAGED_IDENTITY_CLIENT_ID string = identity.outputs.clientId
output AZURE_STORAGE_ACCOUNT_NAME string = storage.outputs.name
output AZURE_STORAGE_BLOB_ENDPOINT string = storage.outputs.blobEndpoint
