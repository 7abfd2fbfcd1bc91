using Cohorts.Domain;
using Cohorts.Domain.Events;
using Cohorts.Workflows.Contracts;
using Microsoft.DurableTask;

namespace Cohorts.Workflows.Activities;

/// <summary>Records a cohort's new status and raises cohort.completed or cohort.cancelled. Idempotent: a repeated or stale change leaves the record as it is.</summary>
public sealed class SetCohortStatusActivity(ICohortStore store, WorkflowEvents events) : TaskActivity<CohortStatusChange, CohortStatus>
{
    /// <inheritdoc/>
    public override async Task<CohortStatus> RunAsync(TaskActivityContext context, CohortStatusChange input)
    {
        ArgumentNullException.ThrowIfNull(input);
        CohortRecord record = await store.UpdateAsync(input.CohortId, r => r.WithStatus(input.Status, input.At), CancellationToken.None);
        if (record.Status == input.Status && CohortEvents.Closed(record) is { } closed)
        {
            await events.RaiseAsync(closed, CancellationToken.None);
        }

        return record.Status;
    }
}
