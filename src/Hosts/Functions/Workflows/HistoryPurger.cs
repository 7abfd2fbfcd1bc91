using Cohorts.Connectors.Storage;
using Cohorts.Domain.Access;
using DurableTask.AzureStorage;
using DurableTask.Core;

namespace Cohorts.Functions.Workflows;

/// <summary>
/// Purges orchestration histories of the Functions app's task hub on the Azure Storage backend directly (an activity
/// has no durable client binding): an instance still running is terminated first, and purged once it has stopped.
/// </summary>
public sealed class HistoryPurger(StorageOptions storage, string taskHub, TimeProvider time) : IHistoryPurger
{
    private static readonly TimeSpan StopWithin = TimeSpan.FromSeconds(60);
    private AzureStorageOrchestrationService? service;

    /// <inheritdoc/>
    public async Task<int> PurgeAsync(IReadOnlyList<string> instanceIds, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(instanceIds);
        service ??= new AzureStorageOrchestrationService(new AzureStorageOrchestrationServiceSettings
        {
            TaskHubName = taskHub,
            StorageAccountClientProvider = !string.IsNullOrWhiteSpace(storage.ConnectionString)
                ? new StorageAccountClientProvider(storage.ConnectionString)
                : new StorageAccountClientProvider(storage.ResolveEndpoint("blob"), storage.ResolveEndpoint("queue"), storage.ResolveEndpoint("table"), storage.CreateCredential()),
        });
        int purged = 0;
        foreach (string instanceId in instanceIds)
        {
            if ((await service.GetOrchestrationStateAsync(instanceId, allExecutions: false)).FirstOrDefault() is not { } state)
            {
                continue;
            }

            if (state.OrchestrationStatus is OrchestrationStatus.Running or OrchestrationStatus.Pending or OrchestrationStatus.Suspended)
            {
                await service.ForceTerminateTaskOrchestrationAsync(instanceId, "erased on request");
                DateTimeOffset giveUp = time.GetUtcNow() + StopWithin;
                while ((await service.GetOrchestrationStateAsync(instanceId, allExecutions: false)).FirstOrDefault()?.OrchestrationStatus is OrchestrationStatus.Running or OrchestrationStatus.Pending or OrchestrationStatus.Suspended)
                {
                    if (time.GetUtcNow() > giveUp)
                    {
                        throw new TimeoutException($"Instance {instanceId} did not stop within {StopWithin.TotalSeconds} s of being terminated; the erasure retries.");
                    }

                    await Task.Delay(TimeSpan.FromMilliseconds(500), time, cancellationToken);
                }
            }

            purged += (await service.PurgeInstanceHistoryAsync(instanceId)).InstancesDeleted;
        }

        return purged;
    }
}
