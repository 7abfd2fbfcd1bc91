using Cohorts.Domain;
using Cohorts.Domain.Enrolment;
using Cohorts.Domain.Events;
using Cohorts.Domain.Reviews;
using Cohorts.Workflows.Contracts;
using Microsoft.DurableTask;

namespace Cohorts.Workflows.Activities;

/// <summary>
/// Carries out one step of a review: records the reminder or the escalation on the submission (idempotent changes that
/// do nothing once it is decided) and sends the step's message through the notifier, which sends each message id at
/// most once. A step that finds the submission decided sends nothing but the decision. Each step raises its event
/// (<c>review.requested</c>, <c>.reminded</c>, <c>.escalated</c>, <c>.decided</c>), the same event however often it runs.
/// </summary>
public sealed class AdvanceReviewActivity(ISubmissionStore submissions, ICohortStore cohorts, IRosterStore roster, INotifier notifier, WorkflowEvents events)
    : TaskActivity<ReviewStepInput, ReviewStepResult>
{
    /// <inheritdoc/>
    public override async Task<ReviewStepResult> RunAsync(TaskActivityContext context, ReviewStepInput input)
    {
        ArgumentNullException.ThrowIfNull(input);
        Submission submission = await submissions.GetAsync(input.SubmissionId, CancellationToken.None)
            ?? throw new KeyNotFoundException($"There is no submission '{input.SubmissionId}'.");
        CohortPlan plan = (await cohorts.GetAsync(submission.CohortId, CancellationToken.None)
            ?? throw new KeyNotFoundException($"There is no cohort '{submission.CohortId}'.")).Plan;
        Participant? participant = await roster.GetAsync(submission.CohortId, submission.ParticipantId, CancellationToken.None);

        // a review whose reviewer left the plan (and whose move a crash interrupted) moves now
        Submission before = submission;
        submission = await ReviewerMoves.RepairAsync(submissions, plan, submission, input.At, CancellationToken.None);
        bool moved = !ReferenceEquals(before, submission);
        submission = input.Step switch
        {
            ReviewStep.Reminder => await submissions.UpdateAsync(input.SubmissionId, s => s.WithReminder(input.At), CancellationToken.None),
            ReviewStep.Escalation => await submissions.UpdateAsync(
                input.SubmissionId, s => s.WithEscalation(input.At, ReviewerPool.EscalationChain(plan, s.Track, s.ReviewerId)), CancellationToken.None),
            _ => submission,
        };

        OutboundMessage? message = (input.Step, submission.IsOpen) switch
        {
            (ReviewStep.Request, true) => ReviewMessages.Request(submission, plan, participant),
            (ReviewStep.Reminder, true) => ReviewMessages.Reminder(submission, plan, participant),
            (ReviewStep.Escalation, true) => ReviewMessages.Escalation(submission, plan, participant),
            (ReviewStep.Decision, false) => ReviewMessages.Decision(submission, plan, participant),
            (ReviewStep.Reassignment, true) when submission.Moves is { Count: > 0 } => ReviewMessages.Reassigned(submission, plan, participant),
            _ => null,
        };
        if (moved && input.Step != ReviewStep.Reassignment && submission.IsOpen)
        {
            await notifier.SendAsync(ReviewMessages.Reassigned(submission, plan, participant), CancellationToken.None);
        }

        if (message is not null)
        {
            await notifier.SendAsync(message, CancellationToken.None);
        }

        string? type = (input.Step, submission.IsOpen) switch
        {
            (ReviewStep.Request, true) => EventTypes.ReviewRequested,
            (ReviewStep.Reminder, true) => EventTypes.ReviewReminded,
            (ReviewStep.Escalation, true) => EventTypes.ReviewEscalated,
            (ReviewStep.Decision, false) => EventTypes.ReviewDecided,
            _ => null,
        };
        if (type is not null)
        {
            await events.RaiseAsync(CohortEvents.Review(type, submission, submission.Decision?.DecidedAt ?? input.At), CancellationToken.None);
        }

        return new ReviewStepResult(!submission.IsOpen, submission.Status, submission.SlaBreached);
    }
}
