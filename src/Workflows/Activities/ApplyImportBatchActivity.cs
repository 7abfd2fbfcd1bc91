using Cohorts.Domain.Access;
using Cohorts.Domain.Enrolment;
using Cohorts.Domain.Events;
using Cohorts.Workflows.Contracts;
using Microsoft.DurableTask;

namespace Cohorts.Workflows.Activities;

/// <summary>
/// Applies batches of an import's changes, each batch one transaction, a few batches at once, skipping ids the diff
/// found more than once. Idempotent: the roster store applies an import's change to a person once, however often a
/// batch runs. Raises participant.joined, .moved and .left once their batches are written (one event per person and
/// import, the same on a retry; none for a person another import put in place first), and records the batches applied
/// once they all are and their events raised, so that a failed apply resumes after the last call that finished.
/// </summary>
public sealed class ApplyImportBatchActivity(IImportStore imports, IRosterStore roster, WorkflowEvents events, TimeProvider time) : TaskActivity<ApplyBatchInput, int>
{
    /// <summary>
    /// Batches written at once: ten. Transactions on one partition's distinct rows do not wait for one another in the
    /// table service; Azurite serves them one at a time (three at once measured the same as ten on it), and when a call
    /// was five batches, four at once left a fifth to go alone and a 100k-person apply took 10% longer.
    /// </summary>
    public const int Parallel = 10;

    /// <inheritdoc/>
    public override async Task<int> RunAsync(TaskActivityContext context, ApplyBatchInput input)
    {
        ArgumentNullException.ThrowIfNull(input);
        ImportRecord import = await imports.GetAsync(input.CohortId, input.ImportId, CancellationToken.None)
            ?? throw new KeyNotFoundException($"There is no import '{input.ImportId}' of cohort '{input.CohortId}'.");
        var duplicates = (import.Summary?.DuplicateIds ?? []).ToHashSet(StringComparer.Ordinal);
        // the batches are cut by position in the change log (what resuming counts), before anything is skipped
        var batches = new List<List<RosterChange>>(input.Batches);
        int position = 0;
        await foreach (RosterChange change in imports.ReadChangesAsync(input.CohortId, input.ImportId, input.Batch * input.BatchSize, input.BatchSize * input.Batches, CancellationToken.None))
        {
            if (position++ % input.BatchSize == 0)
            {
                batches.Add(new List<RosterChange>(input.BatchSize));
            }

            // a change rewritten by an erasure after the diff was read names a pseudonym: nobody to enrol
            if (!duplicates.Contains(change.EmployeeId) && !Pseudonymizer.IsPseudonym(change.EmployeeId))
            {
                batches[^1].Add(change);
            }
        }

        // the batches in waves of Parallel: a wave's events are raised (in the change log's order, a wave's events
        // together, as a retry cuts them again) while the next wave is written, so that the store is not left waiting
        // on the events' audit entries and outbox rows at the end of every call; their audit entries and outbox rows take
        // a transaction or two a wave, where a batch at a time took two a hundred people
        // only what a batch applied is reported: a person another import put in place first raises nothing
        DateTimeOffset now = time.GetUtcNow();
        Task raised = Task.CompletedTask;
        int applied = 0;
        for (int first = 0; first < batches.Count; first += Parallel)
        {
            List<List<RosterChange>> wave = batches.GetRange(first, Math.Min(Parallel, batches.Count - first));
            var done = new IReadOnlyList<RosterChange>[wave.Count];
            Task written = System.Threading.Tasks.Parallel.ForAsync(0, wave.Count, new ParallelOptions { MaxDegreeOfParallelism = Parallel }, async (i, _) =>
                done[i] = await roster.ApplyAsync(input.CohortId, input.ImportId, wave[i], now, CancellationToken.None));
            await Task.WhenAll(written, raised); // the wave before's events are raised before this wave's are
            applied += done.Sum(b => b.Count);
            raised = events.RaiseAllAsync(done.SelectMany(b => b).Select(c => CohortEvents.Participant(input.CohortId, input.ImportId, c, now)).OfType<CohortEvent>().ToList(), CancellationToken.None);
        }

        await raised;
        CohortsTelemetry.ImportChanges.Add(applied, new KeyValuePair<string, object?>("cohort.id", input.CohortId));
        // the import says what was applied, call by call: a failed apply shows how far it came, and resumes there
        await imports.UpdateAsync(input.CohortId, input.ImportId, r => r.WithBatchApplied(input.Batch + Math.Max(batches.Count, 1) - 1, applied, now), CancellationToken.None);
        return applied;
    }
}
