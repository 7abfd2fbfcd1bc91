// The storage account: Functions host state, the Durable Task hub (queues, tables, blobs), cohort records, HR
// imports, reports and the deployment package. Shared-key access is off; the app's identity gets data roles.
param name string
param location string
param tags object
param dataPrincipalId string

@description('The container of a use case\'s data extract (its plan\'s useCase.dataExtract); empty for none.')
param sandboxExtractContainer string = ''

@description('The Entra security group whose members read that extract (the plan\'s useCase.sandboxGroupId); empty for none.')
param sandboxGroupId string = ''

var deploymentContainerName = 'deploymentpackage'
var importContainerName = 'hris-imports'

resource storage 'Microsoft.Storage/storageAccounts@2023-05-01' = {
  name: name
  location: location
  tags: tags
  kind: 'StorageV2'
  sku: { name: 'Standard_LRS' }
  properties: {
    allowSharedKeyAccess: false
    allowBlobPublicAccess: false
    defaultToOAuthAuthentication: true
    minimumTlsVersion: 'TLS1_2'
    supportsHttpsTrafficOnly: true
    publicNetworkAccess: 'Enabled'
  }
}

resource blobService 'Microsoft.Storage/storageAccounts/blobServices@2023-05-01' = {
  parent: storage
  name: 'default'
}

resource containers 'Microsoft.Storage/storageAccounts/blobServices/containers@2023-05-01' = [for container in [deploymentContainerName, importContainerName, 'cohorts', 'reports']: {
  parent: blobService
  name: container
}]

var blobDataOwner = 'b7e6dc6d-f1e8-4753-8033-0f276bb0955b'
var blobDataReader = '2a2b9908-6ea1-4ae2-8e65-a410df84e7d1'
var sandbox = !empty(sandboxExtractContainer) && !empty(sandboxGroupId)

resource extractContainer 'Microsoft.Storage/storageAccounts/blobServices/containers@2023-05-01' = if (sandbox) {
  parent: blobService
  name: empty(sandboxExtractContainer) ? 'unused' : sandboxExtractContainer
}

// Why: sandbox access is held by group membership (the app keeps the group equal to the active participants), so
// one assignment to the group, scoped to the extract's container, is all Azure RBAC holds; no per-person assignment.
resource sandboxReader 'Microsoft.Authorization/roleAssignments@2022-04-01' = if (sandbox) {
  name: guid(storage.id, sandboxExtractContainer, sandboxGroupId, blobDataReader)
  scope: extractContainer
  properties: {
    roleDefinitionId: subscriptionResourceId('Microsoft.Authorization/roleDefinitions', blobDataReader)
    principalId: sandboxGroupId
    principalType: 'Group'
  }
}
var queueDataContributor = '974c5e8b-45b9-4653-ba55-5f855dd0fb88'
var tableDataContributor = '0a9a7e1f-b9d0-4cc4-a60d-0319b160aaa3'

// Why: the Functions host keeps its leases and keys in blobs, Flex Consumption reads the deployment package from
// a blob container, Durable Task keeps large payloads and partition leases in blobs, and the app writes cohort
// records, imports and reports. Owner (not Contributor) because the host manages blob leases and containers.
resource blobRole 'Microsoft.Authorization/roleAssignments@2022-04-01' = {
  name: guid(storage.id, dataPrincipalId, blobDataOwner)
  scope: storage
  properties: {
    roleDefinitionId: subscriptionResourceId('Microsoft.Authorization/roleDefinitions', blobDataOwner)
    principalId: dataPrincipalId
    principalType: 'ServicePrincipal'
  }
}

// Why: Durable Task on the Azure Storage backend dispatches through control and work-item queues.
resource queueRole 'Microsoft.Authorization/roleAssignments@2022-04-01' = {
  name: guid(storage.id, dataPrincipalId, queueDataContributor)
  scope: storage
  properties: {
    roleDefinitionId: subscriptionResourceId('Microsoft.Authorization/roleDefinitions', queueDataContributor)
    principalId: dataPrincipalId
    principalType: 'ServicePrincipal'
  }
}

// Why: Durable Task keeps orchestration history and instance status in tables, and rosters live in tables.
resource tableRole 'Microsoft.Authorization/roleAssignments@2022-04-01' = {
  name: guid(storage.id, dataPrincipalId, tableDataContributor)
  scope: storage
  properties: {
    roleDefinitionId: subscriptionResourceId('Microsoft.Authorization/roleDefinitions', tableDataContributor)
    principalId: dataPrincipalId
    principalType: 'ServicePrincipal'
  }
}

output name string = storage.name
output id string = storage.id
output blobEndpoint string = storage.properties.primaryEndpoints.blob
output deploymentContainerName string = deploymentContainerName
output importContainerName string = importContainerName
