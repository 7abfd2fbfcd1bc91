using Cohorts.Domain.Reviews;
using Cohorts.Workflows.Activities;
using Cohorts.Workflows.Contracts;
using Cohorts.Workflows.Orchestrators;
using Microsoft.DurableTask;
using NSubstitute;

namespace Cohorts.Workflows.Tests;

/// <summary>
/// Each branch of the review orchestration, fast, with a substituted <see cref="TaskOrchestrationContext"/> whose
/// verdict event and timers the test completes by hand (beside the real runs in the in-memory host and on Azurite).
/// </summary>
public class ReviewOrchestratorBranchTests
{
    private static readonly DateTime Now = new(2026, 11, 27, 9, 0, 0, DateTimeKind.Utc);
    private static readonly ReviewInput Input = new("c1.abc", Now.AddHours(24), Now.AddHours(48));

    private readonly TaskOrchestrationContext context = Substitute.For<TaskOrchestrationContext>();
    private readonly TaskCompletionSource<string> verdict = new();
    private readonly List<ReviewStep> steps = [];
    private readonly List<(DateTime FireAt, CancellationToken Token, TaskCompletionSource Fired)> timers = [];
    private readonly HashSet<ReviewStep> decidedBy = [];
    private readonly List<TaskCompletionSource<string>> moves = [];
    private DateTime now = Now;
    private TimeSpan earlyBy = TimeSpan.Zero;

    public ReviewOrchestratorBranchTests()
    {
        context.CurrentUtcDateTime.Returns(_ => now);
        context.WaitForExternalEvent<string>(ReviewOrchestrator.ReviewCompletedEvent, Arg.Any<CancellationToken>()).Returns(verdict.Task);
        context.WaitForExternalEvent<string>(ReviewOrchestrator.ReviewerChangedEvent, Arg.Any<CancellationToken>()).Returns(_ =>
        {
            var moved = new TaskCompletionSource<string>();
            moves.Add(moved);
            return moved.Task;
        });
        context.CallActivityAsync<ReviewStepResult>(Arg.Any<TaskName>(), Arg.Any<object?>(), Arg.Any<TaskOptions?>()).Returns(call =>
        {
            Assert.Equal(nameof(AdvanceReviewActivity), call.Arg<TaskName>().Name);
            ReviewStep step = ((ReviewStepInput)call.ArgAt<object>(1)).Step;
            steps.Add(step);
            bool decided = step == ReviewStep.Decision || decidedBy.Contains(step) || verdict.Task.IsCompleted;
            return Task.FromResult(new ReviewStepResult(decided, decided ? SubmissionStatus.Accepted : SubmissionStatus.AwaitingReview, step == ReviewStep.Escalation));
        });
        context.CreateTimer(Arg.Any<DateTime>(), Arg.Any<CancellationToken>()).Returns(call =>
        {
            var fired = new TaskCompletionSource();
            DateTime fireAt = call.Arg<DateTime>();
            timers.Add((fireAt, call.Arg<CancellationToken>(), fired));
            // a fired timer moves the orchestration's clock to its time (or, on this backend, a moment before it)
            return fired.Task.ContinueWith(_ => now = fireAt - earlyBy, CancellationToken.None, TaskContinuationOptions.ExecuteSynchronously, TaskScheduler.Default);
        });
    }

    [Fact]
    public async Task DecidedWhenAsked_GoesStraightToTheDecision_WithoutATimer()
    {
        decidedBy.Add(ReviewStep.Request);

        await new ReviewOrchestrator().RunAsync(context, Input);

        Assert.Equal([ReviewStep.Request, ReviewStep.Decision], steps);
        Assert.Empty(timers);
    }

    [Fact]
    public async Task AVerdictBeforeTheReminder_CancelsTheReminderTimer()
    {
        Task<ReviewStepResult> run = new ReviewOrchestrator().RunAsync(context, Input);
        Assert.Equal(Input.RemindAt.UtcDateTime, Assert.Single(timers).FireAt); // waiting on the reminder

        verdict.SetResult("accepted");
        ReviewStepResult result = await run;

        Assert.True(result.Decided);
        Assert.Equal([ReviewStep.Request, ReviewStep.Decision], steps);
        Assert.True(Assert.Single(timers).Token.IsCancellationRequested, "the losing timer is cancelled");
    }

    [Fact]
    public async Task AVerdictAfterTheReminder_CancelsTheDeadlineTimer_AndNeverEscalates()
    {
        Task<ReviewStepResult> run = new ReviewOrchestrator().RunAsync(context, Input);
        timers[0].Fired.SetResult();                                    // the reminder is due
        Assert.Equal(Input.DueAt.UtcDateTime, timers[1].FireAt);        // now waiting on the deadline

        verdict.SetResult("rework");
        await run;

        Assert.Equal([ReviewStep.Request, ReviewStep.Reminder, ReviewStep.Decision], steps);
        Assert.True(timers[1].Token.IsCancellationRequested);
    }

    [Fact]
    public async Task NobodyDecidesInTheWindow_Escalates_ThenStillWaitsForTheVerdict()
    {
        Task<ReviewStepResult> run = new ReviewOrchestrator().RunAsync(context, Input);
        timers[0].Fired.SetResult();
        timers[1].Fired.SetResult();

        Assert.False(run.IsCompleted, "after the escalation the review still waits for its verdict");
        Assert.Equal([ReviewStep.Request, ReviewStep.Reminder, ReviewStep.Escalation], steps);

        verdict.SetResult("accepted");
        await run;
        Assert.Equal(ReviewStep.Decision, steps[^1]);
        Assert.Equal(2, timers.Count);
    }

    [Fact]
    public async Task ADeadlineAlreadyPast_EscalatesWithoutATimer()
    {
        now = Now.AddHours(72); // replayed late, or started after a long outage

        Task<ReviewStepResult> run = new ReviewOrchestrator().RunAsync(context, Input);
        verdict.SetResult("accepted");
        await run;

        Assert.Equal([ReviewStep.Request, ReviewStep.Reminder, ReviewStep.Escalation, ReviewStep.Decision], steps);
        Assert.Empty(timers);
    }

    [Fact]
    public async Task ATimerThatFiresEarly_IsSetAgainForTheSameTime_SoTheReminderNeverComesEarly()
    {
        Task<ReviewStepResult> run = new ReviewOrchestrator().RunAsync(context, Input);
        earlyBy = TimeSpan.FromSeconds(0.67);
        timers[0].Fired.SetResult();                                    // fires 0.67 s before the reminder time

        Assert.Equal([ReviewStep.Request], steps);                      // no reminder yet
        Assert.Equal(Input.RemindAt.UtcDateTime, timers[1].FireAt);     // the same time, set again
        earlyBy = TimeSpan.Zero;
        timers[1].Fired.SetResult();
        Assert.Equal([ReviewStep.Request, ReviewStep.Reminder], steps);

        verdict.SetResult("accepted");
        await run;
    }

    [Fact]
    public async Task AMoveToAnotherReviewer_TellsThem_AndKeepsWaitingForTheSameTimes()
    {
        Task<ReviewStepResult> run = new ReviewOrchestrator().RunAsync(context, Input);
        moves[0].SetResult("rev-b");                                    // moved while waiting for the reminder

        Assert.Equal([ReviewStep.Request, ReviewStep.Reassignment], steps);
        Assert.Equal(Input.RemindAt.UtcDateTime, timers[^1].FireAt);    // still the reminder time
        timers[^1].Fired.SetResult();
        Assert.Equal(Input.DueAt.UtcDateTime, timers[^1].FireAt);
        timers[^1].Fired.SetResult();                                   // nobody decided: escalated
        moves[^1].SetResult("rev-c");                                   // moved after the escalation: told too
        Assert.Equal([ReviewStep.Request, ReviewStep.Reassignment, ReviewStep.Reminder, ReviewStep.Escalation, ReviewStep.Reassignment], steps);

        verdict.SetResult("accepted");
        ReviewStepResult result = await run;

        Assert.True(result.Decided);
        Assert.Equal(ReviewStep.Decision, steps[^1]);
    }
}
