using Microsoft.DurableTask;
using Microsoft.DurableTask.Client;

namespace Cohorts.Application;

/// <summary>Starting orchestrations under deterministic instance ids, once.</summary>
public static class DurableStarts
{
    /// <summary>
    /// Starts <paramref name="orchestrator"/> as <paramref name="instanceId"/> unless that instance exists. A
    /// concurrent identical request may start it between the check and the start: one instance, as wanted; any other
    /// failure is rethrown. True when this call started it.
    /// </summary>
    public static async Task<bool> EnsureStartedAsync(DurableTaskClient client, string orchestrator, object input, string instanceId, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(client);
        if (await client.GetInstanceAsync(instanceId, getInputsAndOutputs: false, cancellationToken) is not null)
        {
            return false;
        }

        try
        {
            await client.ScheduleNewOrchestrationInstanceAsync(orchestrator, input, new StartOrchestrationOptions { InstanceId = instanceId }, cancellationToken);
            return true;
        }
        catch (Exception)
        {
            if (await client.GetInstanceAsync(instanceId, getInputsAndOutputs: false, cancellationToken) is null)
            {
                throw;
            }

            return false;
        }
    }

    /// <summary>
    /// Raises <paramref name="eventName"/> on <paramref name="instanceId"/> when that instance exists and has not
    /// finished; an instance that is gone or done has nobody to hear it.
    /// </summary>
    public static async Task RaiseIfRunningAsync(DurableTaskClient client, string instanceId, string eventName, object? payload, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(client);
        if (await client.GetInstanceAsync(instanceId, cancellationToken) is { IsCompleted: false })
        {
            await client.RaiseEventAsync(instanceId, eventName, payload, cancellationToken);
        }
    }
}
