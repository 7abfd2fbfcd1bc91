// The Flex Consumption function app (dotnet-isolated, .NET 10). AzureWebJobsStorage is reached by the user-assigned
// identity (no connection string exists: shared keys are off), and so are the deployment package and telemetry.
param planName string
param appName string
param location string
param tags object
param identityId string
param identityClientId string
param storageAccountName string
param storageBlobEndpoint string
param deploymentContainerName string
param applicationInsightsConnectionString string
param authClientId string
param maximumInstanceCount int

resource plan 'Microsoft.Web/serverfarms@2024-04-01' = {
  name: planName
  location: location
  tags: tags
  kind: 'functionapp'
  sku: {
    name: 'FC1'
    tier: 'FlexConsumption'
  }
  properties: {
    reserved: true
  }
}

resource app 'Microsoft.Web/sites@2024-04-01' = {
  name: appName
  location: location
  tags: tags
  kind: 'functionapp,linux'
  identity: {
    type: 'UserAssigned'
    userAssignedIdentities: { '${identityId}': {} }
  }
  properties: {
    serverFarmId: plan.id
    httpsOnly: true
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
        instanceMemoryMB: 2048
      }
      runtime: {
        name: 'dotnet-isolated'
        version: '10.0'
      }
    }
    siteConfig: {
      minTlsVersion: '1.2'
      ftpsState: 'Disabled'
      appSettings: [
        // the host's own storage, by identity: account name + credential + which identity
        { name: 'AzureWebJobsStorage__accountName', value: storageAccountName }
        { name: 'AzureWebJobsStorage__credential', value: 'managedidentity' }
        { name: 'AzureWebJobsStorage__clientId', value: identityClientId }
        // the HR-import blob trigger's connection, the same account by the same identity
        { name: 'HrImports__blobServiceUri', value: storageBlobEndpoint }
        { name: 'HrImports__credential', value: 'managedidentity' }
        { name: 'HrImports__clientId', value: identityClientId }
        // the app's own stores (cohort records, reports) and the Graph connector, as the same identity
        { name: 'Storage__AccountName', value: storageAccountName }
        { name: 'Storage__ManagedIdentityClientId', value: identityClientId }
        { name: 'Graph__ManagedIdentityClientId', value: identityClientId }
        // the timer trigger of the directory sync (cohorts enrolled from an Entra ID group), NCRONTAB
        { name: 'DirectorySyncSchedule', value: '0 */15 * * * *' }
        // the manager digest's timer trigger: Mondays 07:00 UTC, covering the week that ended
        { name: 'DigestSchedule', value: '0 0 7 * * 1' }
        { name: 'WebhookDispatchSchedule', value: '*/5 * * * * *' }
        // retention (import sources, finished histories, personal data after completion): hourly
        { name: 'RetentionSchedule', value: '0 0 * * * *' }
        { name: 'ReviewSweepSchedule', value: '0 */5 * * * *' }
        { name: 'APPLICATIONINSIGHTS_CONNECTION_STRING', value: applicationInsightsConnectionString }
        { name: 'APPLICATIONINSIGHTS_AUTHENTICATION_STRING', value: 'ClientId=${identityClientId};Authorization=AAD' }
      ]
    }
  }
}

// Entra ID in front of every call (App Service authentication): the app reads the caller's app roles from the
// principal the platform forwards; function keys stay on as a second factor for machine callers.
resource auth 'Microsoft.Web/sites/config@2024-04-01' = if (!empty(authClientId)) {
  parent: app
  name: 'authsettingsV2'
  properties: {
    globalValidation: {
      requireAuthentication: true
      unauthenticatedClientAction: 'Return401'
      excludedPaths: [ '/api/health', '/api/openapi.json', '/runtime/webhooks/blobs' ]
    }
    identityProviders: {
      azureActiveDirectory: {
        enabled: true
        registration: {
          clientId: authClientId
          openIdIssuer: '${environment().authentication.loginEndpoint}${tenant().tenantId}/v2.0'
        }
        validation: {
          allowedAudiences: [ 'api://${authClientId}', authClientId ]
        }
      }
    }
    platform: { enabled: true }
  }
}

output name string = app.name
output url string = 'https://${app.properties.defaultHostName}'
