using Cohorts.Domain.Access;
using Microsoft.DurableTask.Client;

namespace Cohorts.Server.Hosting;

/// <summary>
/// Purges orchestration histories through the server's durable client: an instance still running (an open review of
/// an erased person) is terminated first, and purged once it has stopped.
/// </summary>
public sealed class HistoryPurger(DurableTaskClient client, TimeProvider time) : IHistoryPurger
{
    private static readonly TimeSpan StopWithin = TimeSpan.FromSeconds(60);

    /// <inheritdoc/>
    public async Task<int> PurgeAsync(IReadOnlyList<string> instanceIds, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(instanceIds);
        int purged = 0;
        foreach (string instanceId in instanceIds)
        {
            if (await client.GetInstanceAsync(instanceId, getInputsAndOutputs: false, cancellationToken) is not { } instance)
            {
                continue;
            }

            if (!instance.IsCompleted)
            {
                await client.TerminateInstanceAsync(instanceId, "erased on request", cancellationToken);
                DateTimeOffset giveUp = time.GetUtcNow() + StopWithin;
                while ((await client.GetInstanceAsync(instanceId, getInputsAndOutputs: false, cancellationToken)) is { IsCompleted: false })
                {
                    if (time.GetUtcNow() > giveUp)
                    {
                        throw new TimeoutException($"Instance {instanceId} did not stop within {StopWithin.TotalSeconds} s of being terminated; the erasure retries.");
                    }

                    await Task.Delay(TimeSpan.FromMilliseconds(250), time, cancellationToken);
                }
            }

            purged += (await client.PurgeInstanceAsync(instanceId, cancellation: cancellationToken)).PurgedInstanceCount;
        }

        return purged;
    }
}
