using Cohorts.Domain.Access;
using Cohorts.Domain.Enrolment;
using Cohorts.Domain.Events;
using Cohorts.Workflows.Contracts;
using Microsoft.DurableTask;

namespace Cohorts.Workflows.Activities;

/// <summary>
/// Applies one batch of an import's changes as one transaction, skipping ids the diff found more than once.
/// Idempotent: the roster store applies an import's change to a person once, however often the batch runs. Raises
/// participant.joined, .moved and .left for the batch (one event per person and import, the same on a retry).
/// </summary>
public sealed class ApplyImportBatchActivity(IImportStore imports, IRosterStore roster, WorkflowEvents events, TimeProvider time) : TaskActivity<ApplyBatchInput, int>
{
    /// <inheritdoc/>
    public override async Task<int> RunAsync(TaskActivityContext context, ApplyBatchInput input)
    {
        ArgumentNullException.ThrowIfNull(input);
        ImportRecord import = await imports.GetAsync(input.CohortId, input.ImportId, CancellationToken.None)
            ?? throw new KeyNotFoundException($"There is no import '{input.ImportId}' of cohort '{input.CohortId}'.");
        var duplicates = (import.Summary?.DuplicateIds ?? []).ToHashSet(StringComparer.Ordinal);
        var changes = new List<RosterChange>(input.BatchSize);
        await foreach (RosterChange change in imports.ReadChangesAsync(input.CohortId, input.ImportId, input.Batch * input.BatchSize, input.BatchSize, CancellationToken.None))
        {
            // a change rewritten by an erasure after the diff was read names a pseudonym: nobody to enrol
            if (!duplicates.Contains(change.EmployeeId) && !Pseudonymizer.IsPseudonym(change.EmployeeId))
            {
                changes.Add(change);
            }
        }

        DateTimeOffset now = time.GetUtcNow();
        await roster.ApplyAsync(input.CohortId, input.ImportId, changes, now, CancellationToken.None);
        await events.RaiseAllAsync(changes.Select(c => CohortEvents.Participant(input.CohortId, input.ImportId, c, now)).OfType<CohortEvent>().ToList(), CancellationToken.None);
        CohortsTelemetry.ImportChanges.Add(changes.Count, new KeyValuePair<string, object?>("cohort.id", input.CohortId));
        // the import says what was applied, batch by batch: a failed apply shows how far it came, and resumes there
        await imports.UpdateAsync(input.CohortId, input.ImportId, r => r.WithBatchApplied(input.Batch, changes.Count, now), CancellationToken.None);
        return changes.Count;
    }
}
