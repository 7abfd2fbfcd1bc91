using Cohorts.Domain;
using Cohorts.Workflows.Activities;
using Cohorts.Workflows.Contracts;
using Microsoft.DurableTask;
using Microsoft.Extensions.Logging;

namespace Cohorts.Workflows.Orchestrators;

/// <summary>
/// One per cohort, living as long as the cohort (about 90 days): waits for the start, walks the checkpoint schedule
/// with durable timers (each checkpoint its own sub-orchestration) and completes after the last one. A
/// <see cref="CancelEvent"/> stops it at whichever wait it is in; what was recorded stays.
/// </summary>
public sealed class CohortLifecycleOrchestrator : TaskOrchestrator<CohortLifecycleInput, CohortLifecycleResult>
{
    /// <summary>The external event that cancels a cohort.</summary>
    public const string CancelEvent = "CancelCohort";


    /// <inheritdoc/>
    public override async Task<CohortLifecycleResult> RunAsync(TaskOrchestrationContext context, CohortLifecycleInput input)
    {
        ArgumentNullException.ThrowIfNull(context);
        ArgumentNullException.ThrowIfNull(input);
        ILogger log = context.CreateReplaySafeLogger<CohortLifecycleOrchestrator>();

        // Created once and shared by every wait: an event that arrives while a checkpoint runs is seen at the next wait.
        Task cancelled = context.WaitForExternalEvent<string>(CancelEvent);
        int recorded = 0;
        try
        {
            if (!await WaitUntilAsync(context, input.StartsAt, cancelled))
            {
                return await FinishAsync(context, input.CohortId, CohortStatus.Cancelled, recorded);
            }

            await SetStatusAsync(context, input.CohortId, CohortStatus.Running);
            foreach (CheckpointDue checkpoint in input.Checkpoints)
            {
                if (!await WaitUntilAsync(context, checkpoint.DueAt, cancelled))
                {
                    log.LogInformation("Cohort {CohortId} cancelled before checkpoint {Ordinal}", input.CohortId, checkpoint.Ordinal);
                    return await FinishAsync(context, input.CohortId, CohortStatus.Cancelled, recorded);
                }

                await context.CallSubOrchestratorAsync<CheckpointOutcome>(
                    nameof(CheckpointOrchestrator),
                    new CheckpointInput(input.CohortId, checkpoint),
                    new SubOrchestrationOptions { InstanceId = InstanceIds.Checkpoint(input.CohortId, checkpoint.Ordinal) });
                recorded++;
            }

            return await FinishAsync(context, input.CohortId, CohortStatus.Completed, recorded);
        }
        catch (TaskFailedException failure)
        {
            log.LogError(failure, "Cohort {CohortId} lifecycle failed", input.CohortId);
            await SetStatusAsync(context, input.CohortId, CohortStatus.Failed);
            throw;
        }
    }

    /// <summary>Waits until <paramref name="dueAt"/> unless cancelled first; true when the time came.</summary>
    private static async Task<bool> WaitUntilAsync(TaskOrchestrationContext context, DateTimeOffset dueAt, Task cancelled) =>
        !await TimerRace.SignalFirstAsync(context, cancelled, dueAt);

    private static async Task<CohortLifecycleResult> FinishAsync(TaskOrchestrationContext context, string cohortId, CohortStatus status, int recorded)
    {
        await SetStatusAsync(context, cohortId, status);
        // the team stays; the sandbox group is emptied Sandbox:RevokeAfter from now
        context.SendEvent(InstanceIds.Practice(cohortId), PracticeOrchestrator.ChangedEvent, PracticeOrchestrator.CohortEnded);
        return new CohortLifecycleResult(status, recorded);
    }

    private static Task<CohortStatus> SetStatusAsync(TaskOrchestrationContext context, string cohortId, CohortStatus status) =>
        context.CallActivityAsync<CohortStatus>(
            nameof(SetCohortStatusActivity),
            new CohortStatusChange(cohortId, status, context.CurrentUtcDateTime),
            WorkflowRetries.Store);
}
