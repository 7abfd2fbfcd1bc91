// On Flex Consumption a blob trigger must use the Event Grid source: blob-created events of the HR-import container
// go to the trigger's webhook. The webhook needs the app's blobs_extension system key, which exists only once the
// app is deployed, so the subscription is created on the second provision (the postdeploy hook turns it on).
param systemTopicName string
param location string
param tags object
param storageAccountName string
param functionAppName string
param importContainerName string
param enableSubscription bool

@description('The blob-trigger function fed by these events (its [Function] name in the Functions app).')
param functionName string = 'ImportHrExportBlob'

resource storage 'Microsoft.Storage/storageAccounts@2023-05-01' existing = {
  name: storageAccountName
}

resource app 'Microsoft.Web/sites@2024-04-01' existing = {
  name: functionAppName
}

resource topic 'Microsoft.EventGrid/systemTopics@2024-06-01-preview' = {
  name: systemTopicName
  location: location
  tags: tags
  properties: {
    source: storage.id
    topicType: 'Microsoft.Storage.StorageAccounts'
  }
}

resource subscription 'Microsoft.EventGrid/systemTopics/eventSubscriptions@2024-06-01-preview' = if (enableSubscription) {
  parent: topic
  name: 'hr-imports-to-${functionName}'
  properties: {
    destination: {
      endpointType: 'WebHook'
      properties: {
        endpointUrl: 'https://${app.properties.defaultHostName}/runtime/webhooks/blobs?functionName=Host.Functions.${functionName}&code=${listKeys('${app.id}/host/default', '2024-04-01').systemKeys.blobs_extension}'
      }
    }
    filter: {
      includedEventTypes: [ 'Microsoft.Storage.BlobCreated' ]
      subjectBeginsWith: '/blobServices/default/containers/${importContainerName}/'
    }
    eventDeliverySchema: 'EventGridSchema'
    retryPolicy: {
      maxDeliveryAttempts: 30
      eventTimeToLiveInMinutes: 1440
    }
  }
}
