using Cohorts.Workflows.Activities;
using Cohorts.Workflows.Contracts;
using Microsoft.DurableTask;

namespace Cohorts.Workflows.Orchestrators;

/// <summary>
/// One per submission (<c>review:{submissionId}</c>): asks the assigned reviewer, then races
/// <see cref="ReviewCompletedEvent"/> against the reminder timer and then against the deadline; at the deadline it
/// records the SLA breach and calls in the backup reviewer and the program lead, then keeps waiting for the verdict.
/// The verdict itself is recorded by the API before the event is raised (exactly one decision, whoever wins); each
/// step also reads the store, so a verdict whose event was lost is still seen at the next timer. The losing timer is
/// cancelled, so the instance completes as soon as the verdict arrives.
/// </summary>
public sealed class ReviewOrchestrator : TaskOrchestrator<ReviewInput, ReviewStepResult>
{
    /// <summary>The external event the API raises once it has recorded a verdict.</summary>
    public const string ReviewCompletedEvent = "ReviewCompleted";

    /// <inheritdoc/>
    public override Task<ReviewStepResult> RunAsync(TaskOrchestrationContext context, ReviewInput input) =>
        RunCourseAsync(context, input, nameof(AdvanceReviewActivity));

    /// <summary>
    /// The course of a review with <paramref name="stepActivity"/> carrying out each step: the product's
    /// <see cref="AdvanceReviewActivity"/>, or a benchmark's no-op with the same shape.
    /// </summary>
    public static async Task<ReviewStepResult> RunCourseAsync(TaskOrchestrationContext context, ReviewInput input, TaskName stepActivity)
    {
        ArgumentNullException.ThrowIfNull(context);
        ArgumentNullException.ThrowIfNull(input);
        Task<string> verdict = context.WaitForExternalEvent<string>(ReviewCompletedEvent);

        ReviewStepResult state = await StepAsync(context, input, stepActivity, ReviewStep.Request);
        if (!state.Decided && !await TimerRace.SignalFirstAsync(context, verdict, input.RemindAt))
        {
            state = await StepAsync(context, input, stepActivity, ReviewStep.Reminder);
            if (!state.Decided && !await TimerRace.SignalFirstAsync(context, verdict, input.DueAt))
            {
                state = await StepAsync(context, input, stepActivity, ReviewStep.Escalation);
                if (!state.Decided)
                {
                    await verdict; // the promise is broken, but the work still gets its review
                }
            }
        }

        return await StepAsync(context, input, stepActivity, ReviewStep.Decision);
    }

    private static Task<ReviewStepResult> StepAsync(TaskOrchestrationContext context, ReviewInput input, TaskName stepActivity, ReviewStep step) =>
        context.CallActivityAsync<ReviewStepResult>(
            stepActivity,
            new ReviewStepInput(input.SubmissionId, step, context.CurrentUtcDateTime),
            WorkflowRetries.Store);
}
