using Cohorts.Workflows.Activities;
using Cohorts.Workflows.Contracts;
using Microsoft.DurableTask;

namespace Cohorts.Workflows.Orchestrators;

/// <summary>
/// One per cohort and checkpoint ordinal (instance id <c>{cohortId}:checkpoint:{ordinal}</c>): records the
/// checkpoint's snapshot. Metrics, rendering and the leaders' email join here as later steps.
/// </summary>
public sealed class CheckpointOrchestrator : TaskOrchestrator<CheckpointInput, CheckpointResult>
{

    /// <inheritdoc/>
    public override Task<CheckpointResult> RunAsync(TaskOrchestrationContext context, CheckpointInput input)
    {
        ArgumentNullException.ThrowIfNull(context);
        return context.CallActivityAsync<CheckpointResult>(nameof(RecordCheckpointActivity), input, WorkflowRetries.Store);
    }
}
