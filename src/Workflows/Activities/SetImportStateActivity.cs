using Cohorts.Domain.Enrolment;
using Cohorts.Domain.Events;
using Cohorts.Workflows.Contracts;
using Microsoft.DurableTask;

namespace Cohorts.Workflows.Activities;

/// <summary>Records an import's new state. Idempotent: an ended import keeps its end state.</summary>
public sealed class SetImportStateActivity(IImportStore imports, WorkflowEvents events) : TaskActivity<ImportStateChange, ImportState>
{
    /// <inheritdoc/>
    public override async Task<ImportState> RunAsync(TaskActivityContext context, ImportStateChange input)
    {
        ArgumentNullException.ThrowIfNull(input);
        ImportRecord record = await imports.UpdateAsync(
            input.CohortId,
            input.ImportId,
            r =>
            {
                ImportRecord moved = r.WithState(input.State, input.At);
                return input.Error is null || ReferenceEquals(moved, r) ? moved : moved with { Error = input.Error };
            },
            CancellationToken.None);
        if (record.State == input.State && CohortEvents.Import(record) is { } happened)
        {
            await events.RaiseAsync(happened, CancellationToken.None);
        }

        return record.State;
    }
}
