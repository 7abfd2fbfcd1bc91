using Cohorts.Workflows.Activities;
using Cohorts.Workflows.Contracts;
using Microsoft.DurableTask;

namespace Cohorts.Workflows.Orchestrators;

/// <summary>
/// One per erasure request (<c>erasure:{erasureId}</c>): writes the tombstone and finds the cohorts, erases the person
/// from every store in each cohort, purges the histories of their review orchestrations, then records the erasure
/// completed (audited, and raised as erasure.completed). Its input and output carry ids and counts only; a host that
/// stops mid-way resumes at the step it was in, and every step is idempotent.
/// </summary>
public sealed class ErasureOrchestrator : TaskOrchestrator<ErasureInput, IReadOnlyDictionary<string, int>>
{
    /// <inheritdoc/>
    public override async Task<IReadOnlyDictionary<string, int>> RunAsync(TaskOrchestrationContext context, ErasureInput input)
    {
        ArgumentNullException.ThrowIfNull(context);
        ArgumentNullException.ThrowIfNull(input);
        IReadOnlyList<string> cohorts = await context.CallActivityAsync<IReadOnlyList<string>>(nameof(BeginErasureActivity), input.ErasureId, WorkflowRetries.Store);
        var totals = new SortedDictionary<string, int>(StringComparer.Ordinal);
        var reviews = new List<string>();
        foreach (string cohortId in cohorts)
        {
            ErasedInCohort erased = await context.CallActivityAsync<ErasedInCohort>(nameof(EraseFromCohortActivity), new ErasureStep(input.ErasureId, cohortId), WorkflowRetries.Store);
            foreach ((string kind, int count) in erased.Counts)
            {
                totals[kind] = totals.GetValueOrDefault(kind) + count;
            }

            reviews.AddRange(erased.ReviewInstances);
        }

        totals["reviewHistories"] = await context.CallActivityAsync<int>(nameof(PurgeHistoriesActivity), reviews, WorkflowRetries.Store);
        var result = new Dictionary<string, int>(totals, StringComparer.Ordinal);
        await context.CallActivityAsync(nameof(FinishErasureActivity), new ErasureFinish(input.ErasureId, result, context.CurrentUtcDateTime), WorkflowRetries.Store);
        return result;
    }
}
