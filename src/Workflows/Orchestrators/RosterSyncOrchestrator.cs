using Cohorts.Domain.Enrolment;
using Cohorts.Workflows.Activities;
using Cohorts.Workflows.Contracts;
using Microsoft.DurableTask;

namespace Cohorts.Workflows.Orchestrators;

/// <summary>
/// One per import (instance id <c>{cohortId}:import:{importId}</c>): reads the source and diffs it against the
/// roster in an activity, stops at a dry run or when leavers exceed the threshold until an admin applies it (or the
/// apply window passes), then applies the changes in batches. Only ids and counts cross the orchestration.
/// </summary>
public sealed class RosterSyncOrchestrator : TaskOrchestrator<RosterSyncInput, RosterSyncResult>
{
    /// <summary>The external event an apply request raises.</summary>
    public const string ApplyEvent = "ApplyImport";

    /// <summary>Changes per batch: a table transaction's hundred entities less the roster's count row.</summary>
    public const int BatchSize = ImportRecord.BatchSize;

    /// <summary>
    /// Batches one apply activity takes (9,900 changes): each activity call costs queue round trips, a turn of the
    /// orchestration, the import record's read and write and a read of its window of the change log, 50–60 ms in which
    /// the store has little to do. Measured on a 100k import (`bench … -- enrolment`), once a call's events were raised
    /// wave by wave beside its writes: 9.7–10.1 s at twenty batches a call, 9.6–9.7 s at forty, 8.8–9.4 s at a hundred.
    /// (At five batches a call, before, a sixth of the import's time went on calls; at fifty, while a call still raised
    /// all its events after its last batch, the store waited on them and fifty was slower than twenty.) A call that dies
    /// with its server is run again from its start: a hundred batches take about a second on Azurite. (The server keeps a
    /// running activity's message hidden however long it runs; before it did, 1,000 changes a call passed the visibility
    /// timeout late in a 100k import and were taken by a second worker.)
    /// </summary>
    public const int BatchesPerCall = 100;

    /// <summary>
    /// Batches one LMS push takes (500 people at most): the push waits on the platform for every person (a few at a
    /// time), so it is cut finer than the apply, and a push cut short by a crash repeats less of it.
    /// </summary>
    public const int PushBatchesPerCall = 5;

    /// <summary>
    /// Apply calls one generation of the orchestration makes before it continues as new from the next batch. The backend
    /// reads an orchestration's whole history back before each of its turns, so one generation for a 100k-person import
    /// (at five batches a call, 200 calls and 800 history rows by the end) read about 80,000 rows over the import; ten
    /// calls a generation keep the history under fifty rows (about four a call). With a learning platform the pushes
    /// count too (<see cref="CallsPerGenerationFor"/>).
    /// </summary>
    public const int CallsPerGeneration = 10;

    /// <summary>
    /// Apply calls a generation makes: <see cref="CallsPerGeneration"/>, or with pushes to a learning platform (twenty
    /// to an apply call of a hundred batches) one, so that a generation's history stays at about twenty calls.
    /// </summary>
    public static int CallsPerGenerationFor(bool pushAssignments) =>
        pushAssignments ? Math.Max(1, CallsPerGeneration * PushBatchesPerCall / BatchesPerCall) : CallsPerGeneration;

    /// <inheritdoc/>
    public override async Task<RosterSyncResult> RunAsync(TaskOrchestrationContext context, RosterSyncInput input)
    {
        ArgumentNullException.ThrowIfNull(context);
        ArgumentNullException.ThrowIfNull(input);
        var import = new ImportRef(input.CohortId, input.ImportId);
        try
        {
            if (input.ResumeAt is { } resume)
            {
                // a failed apply taken up again: the diff was read and stored, some batches applied
                return await ApplyAsync(context, input, resume.Batch, resume.ChangeLines);
            }

            ImportReadResult read = await context.CallActivityAsync<ImportReadResult>(nameof(ReadImportActivity), import, WorkflowRetries.Store);
            if (read.Failed)
            {
                return new RosterSyncResult(ImportState.Failed, 0);
            }

            if (read.DryRun || read.BlockedByLeavers)
            {
                await SetStateAsync(context, input, read.DryRun ? ImportState.AwaitingApply : ImportState.BlockedByLeavers);
                Task<ApplyDecision> apply = context.WaitForExternalEvent<ApplyDecision>(ApplyEvent);
                if (!await TimerRace.SignalFirstAsync(context, apply, context.CurrentUtcDateTime.Add(input.ApplyWindow)))
                {
                    await SetStateAsync(context, input, ImportState.Expired);
                    return new RosterSyncResult(ImportState.Expired, 0);
                }
            }

            await SetStateAsync(context, input, ImportState.Applying);
            return await ApplyAsync(context, input, 0, read.ChangeLines);
        }
        catch (TaskFailedException failure)
        {
            await SetStateAsync(context, input, ImportState.Failed, failure.FailureDetails.ErrorMessage);
            throw;
        }
    }

    private static async Task<RosterSyncResult> ApplyAsync(TaskOrchestrationContext context, RosterSyncInput input, int firstBatch, int changeLines)
    {
        int batches = (changeLines + BatchSize - 1) / BatchSize;
        int step = Math.Max(1, input.BatchesPerCall);
        int calls = 0;
        for (int batch = firstBatch; batch < batches; batch += step)
        {
            if (input.CallsPerGeneration > 0 && calls == input.CallsPerGeneration)
            {
                // the next generation starts from this batch with a short history (ids and counts only, as before)
                context.ContinueAsNew(input with { ResumeAt = new ResumePoint(batch, changeLines) }, preserveUnprocessedEvents: true);
                return new RosterSyncResult(ImportState.Applying, changeLines);
            }

            int taken = Math.Min(step, batches - batch);
            await context.CallActivityAsync<int>(nameof(ApplyImportBatchActivity), new ApplyBatchInput(input.CohortId, input.ImportId, batch, BatchSize, taken), WorkflowRetries.Store);
            if (input.PushAssignments)
            {
                // at most PushBatchesPerCall a push (an import started at five batches a call or fewer pushes as its history has)
                int pushStep = Math.Min(step, PushBatchesPerCall);
                for (int push = batch; push < batch + taken; push += pushStep)
                {
                    var pushInput = new ApplyBatchInput(input.CohortId, input.ImportId, push, BatchSize, Math.Min(pushStep, batch + taken - push));
                    await context.CallActivityAsync<int>(nameof(PushAssignmentsActivity), pushInput, WorkflowRetries.Store);
                }
            }

            calls++;
        }

        await SetStateAsync(context, input, ImportState.Applied);
        // the sandbox group and the team follow the roster: joiners in, leavers out
        context.SendEvent(InstanceIds.Practice(input.CohortId), PracticeOrchestrator.ChangedEvent, PracticeOrchestrator.RosterChanged);
        return new RosterSyncResult(ImportState.Applied, changeLines);
    }

    private static Task<ImportState> SetStateAsync(TaskOrchestrationContext context, RosterSyncInput input, ImportState state, string? error = null) =>
        context.CallActivityAsync<ImportState>(
            nameof(SetImportStateActivity),
            new ImportStateChange(input.CohortId, input.ImportId, state, context.CurrentUtcDateTime, error),
            WorkflowRetries.Store);
}
