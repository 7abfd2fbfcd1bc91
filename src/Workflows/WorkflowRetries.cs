using Microsoft.DurableTask;

namespace Cohorts.Workflows;

/// <summary>Retry policies shared by the orchestrators.</summary>
public static class WorkflowRetries
{
    /// <summary>
    /// For activities that read and write the store: a storage blip clears within seconds, so four attempts over
    /// about 3.5 s; a cohort that does not exist will not appear by retrying, so that failure is not retried.
    /// </summary>
    public static TaskOptions Store { get; } = TaskOptions.FromRetryPolicy(
        new RetryPolicy(4, TimeSpan.FromMilliseconds(500), backoffCoefficient: 2)
        {
            HandleFailure = failure => !failure.IsCausedBy<KeyNotFoundException>(),
        });
}
