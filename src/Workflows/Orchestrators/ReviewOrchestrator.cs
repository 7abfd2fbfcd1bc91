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

    /// <summary>The external event raised when the review moved to another reviewer (the data is the new reviewer's id).</summary>
    public const string ReviewerChangedEvent = "ReviewerChanged";

    /// <inheritdoc/>
    public override Task<ReviewStepResult> RunAsync(TaskOrchestrationContext context, ReviewInput input) =>
        RunCourseAsync(context, input, nameof(AdvanceReviewActivity));

    /// <summary>
    /// The course of a review with <paramref name="stepActivity"/> carrying out each step: the product's
    /// <see cref="AdvanceReviewActivity"/>, or a benchmark's no-op with the same shape. A move to another reviewer
    /// (<see cref="ReviewerChangedEvent"/>) at any wait tells the new reviewer and waits on for the same times.
    /// </summary>
    public static async Task<ReviewStepResult> RunCourseAsync(TaskOrchestrationContext context, ReviewInput input, TaskName stepActivity)
    {
        ArgumentNullException.ThrowIfNull(context);
        ArgumentNullException.ThrowIfNull(input);
        Task<string> verdict = context.WaitForExternalEvent<string>(ReviewCompletedEvent);
        Task<string> moved = context.WaitForExternalEvent<string>(ReviewerChangedEvent);
        Task NextMove() => moved;
        async Task<bool> TellNewReviewerAsync()
        {
            moved = context.WaitForExternalEvent<string>(ReviewerChangedEvent);
            return (await StepAsync(context, input, stepActivity, ReviewStep.Reassignment)).Decided;
        }

        ReviewStepResult state = await StepAsync(context, input, stepActivity, ReviewStep.Request);
        if (!state.Decided && !await TimerRace.SignalFirstAsync(context, verdict, input.RemindAt, NextMove, TellNewReviewerAsync))
        {
            state = await StepAsync(context, input, stepActivity, ReviewStep.Reminder);
            if (!state.Decided && !await TimerRace.SignalFirstAsync(context, verdict, input.DueAt, NextMove, TellNewReviewerAsync))
            {
                state = await StepAsync(context, input, stepActivity, ReviewStep.Escalation);
                // the promise is broken, but the work still gets its review (from whoever it moves to meanwhile)
                while (!state.Decided && await Task.WhenAny(verdict, moved) != verdict)
                {
                    state = state with { Decided = await TellNewReviewerAsync() };
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
