using Cohorts.Domain;
using Cohorts.Domain.Enrolment;
using Cohorts.Domain.Events;
using Cohorts.Domain.Learning;
using Cohorts.Domain.Outcomes;
using Cohorts.Domain.Reviews;
using Cohorts.Workflows.Contracts;
using Microsoft.DurableTask;

namespace Cohorts.Workflows.Activities;

/// <summary>
/// Computes a checkpoint's outcome figures (as of its due time) from the roster, the submissions and the outcome
/// events, stores them as the checkpoint's snapshot and records the checkpoint on the cohort. Idempotent: the
/// activity runs at least once, and a second run finds the stored figures and the recorded checkpoint and returns them
/// instead of writing again; a later event never changes a stored snapshot.
/// </summary>
public sealed class RecordCheckpointActivity(
    ICohortStore store, IRosterStore roster, ISubmissionStore submissions, IOutcomeStore outcomes, ICompletionStore completions, IReportArchive reports, WorkflowEvents events, TimeProvider time,
    IImportStore imports,
    IScoreStore scores)
    : TaskActivity<CheckpointInput, CheckpointResult>
{
    private static readonly TimeSpan MaxEarly = TimeSpan.FromSeconds(10);

    /// <inheritdoc/>
    public override async Task<CheckpointResult> RunAsync(TaskActivityContext context, CheckpointInput input)
    {
        ArgumentNullException.ThrowIfNull(input);
        int ordinal = input.Checkpoint.Ordinal;
        // the orchestration waits for the due time; a clock a moment behind it waits the moment, so that nothing dated
        // before the due time is left out and the checkpoint is never recorded early
        TimeSpan early = input.Checkpoint.DueAt - time.GetUtcNow();
        if (early > TimeSpan.Zero)
        {
            await Task.Delay(early <= MaxEarly ? early : throw new InvalidOperationException($"Checkpoint {ordinal} of '{input.CohortId}' is due at {input.Checkpoint.DueAt:O}, {early} from now."), time);
        }

        OutcomeReport? figures = await reports.GetFiguresAsync(input.CohortId, ordinal, CancellationToken.None);
        if (figures is null)
        {
            CohortRecord cohort = await store.GetAsync(input.CohortId, CancellationToken.None)
                ?? throw new KeyNotFoundException($"There is no cohort '{input.CohortId}'.");
            List<Participant> people = await roster.ListAllAsync(input.CohortId, CancellationToken.None);
            List<Submission> work = await submissions.ListAsync(input.CohortId, CancellationToken.None).ToListAsync();
            List<OutcomeEvent> events = await outcomes.ListAsync(input.CohortId, CancellationToken.None).ToListAsync();
            List<StepCompletion> done = await completions.ListAsync(input.CohortId, CancellationToken.None).ToListAsync();
            List<Participant> comparable = await roster.ListAllAsync(input.CohortId, ParticipantGroup.Comparison, CancellationToken.None);
            ComparisonGroup? comparison = comparable.Count == 0 ? null : new ComparisonGroup(comparable, await MatchedOnAsync(input.CohortId));
            List<AssessmentScore> scored = await scores.ListAsync(input.CohortId, CancellationToken.None).ToListAsync();
            (figures, _) = await reports.SaveFiguresAsync(OutcomeMetrics.Compute(cohort.Plan, input.Checkpoint, people, work, events, done, comparison, scored), CancellationToken.None);
        }

        var snapshot = new CheckpointSnapshot(ordinal, input.Checkpoint.DueAt, time.GetUtcNow(), figures.Cohort.Participants);
        CohortRecord record = await store.UpdateAsync(input.CohortId, r => r.WithCheckpoint(snapshot), CancellationToken.None);
        CheckpointSnapshot stored = record.Checkpoints.Single(c => c.Ordinal == ordinal);
        await events.RaiseAsync(CohortEvents.CheckpointRecorded(input.CohortId, stored, ordinal == record.Plan.Checkpoints.Count), CancellationToken.None);
        return new CheckpointResult(stored.Ordinal, stored.RecordedAt);
    }

    // matched when the comparison group's last applied import picked it from a candidate pool
    private async Task<string> MatchedOnAsync(string cohortId)
    {
        ImportRecord? last = null;
        await foreach (string id in imports.ListIdsAsync(cohortId, CancellationToken.None))
        {
            if (await imports.GetAsync(cohortId, id, CancellationToken.None) is { State: ImportState.Applied, Settings.Group: ParticipantGroup.Comparison } applied
                && (last is null || string.CompareOrdinal(applied.ImportId, last.ImportId) > 0))
            {
                last = applied;
            }
        }

        return last?.Settings.Match == true ? ComparisonMatcher.MatchedOn : ComparisonGroup.NotMatched;
    }
}
