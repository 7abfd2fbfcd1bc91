using Cohorts.Domain.Practice;
using Cohorts.Workflows.Activities;
using Cohorts.Workflows.Contracts;
using Cohorts.Workflows.Orchestrators;
using Microsoft.DurableTask;
using NSubstitute;
using NSubstitute.ExceptionExtensions;

namespace Cohorts.Workflows.Tests;

/// <summary>
/// A practice round with a substituted <see cref="TaskOrchestrationContext"/>: a round the directory refused is tried
/// again when nothing changes for ten poll intervals (10 s here), or at the next change if one comes first; a round that
/// synced waits for the next change alone.
/// </summary>
public class PracticeOrchestratorTests
{
    private static readonly DateTime Start = new(2026, 11, 29, 9, 0, 0, DateTimeKind.Utc);
    private readonly TaskOrchestrationContext context = Substitute.For<TaskOrchestrationContext>();
    private readonly PracticeInput input = new("c1", TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(3));
    private readonly List<DateTime> timers = [];
    private DateTime now = Start;

    public PracticeOrchestratorTests()
    {
        context.CurrentUtcDateTime.Returns(_ => now);
        context.CreateTimer(Arg.Any<DateTime>(), Arg.Any<CancellationToken>()).Returns(call =>
        {
            timers.Add(call.Arg<DateTime>());
            now = call.Arg<DateTime>(); // the timer fires at its time
            return Task.CompletedTask;
        });
        context.CallActivityAsync<CommunityState?>(Arg.Any<TaskName>(), Arg.Any<object?>(), Arg.Any<TaskOptions?>()).Returns(CommunityState.Created);
    }

    private void SyncFails() =>
        context.CallActivityAsync<PracticeSyncResult>(Arg.Any<TaskName>(), Arg.Any<object?>(), Arg.Any<TaskOptions?>())
            .ThrowsAsync(new TaskFailedException(nameof(SyncPracticeActivity), 3, new TaskFailureDetails("HttpRequestException", "the directory was away", null, null, null)));

    [Fact]
    public async Task ARefusedRound_WithNoChange_IsTriedAgainTenPollsLater()
    {
        SyncFails();
        context.WaitForExternalEvent<string>(PracticeOrchestrator.ChangedEvent, Arg.Any<CancellationToken>()).Returns(new TaskCompletionSource<string>().Task);

        Task<int> round = new PracticeOrchestrator().RunAsync(context, input);

        Assert.True(await Task.WhenAny(round, Task.Delay(TimeSpan.FromSeconds(10))) == round, "the round waited for a change that never comes");
        Assert.Equal([Start.AddSeconds(10)], timers);
        context.Received(1).ContinueAsNew(input, true);
    }

    [Fact]
    public async Task ARefusedRound_WithAChangeFirst_GoesOnWithTheChange()
    {
        SyncFails();
        context.WaitForExternalEvent<string>(PracticeOrchestrator.ChangedEvent, Arg.Any<CancellationToken>()).Returns(PracticeOrchestrator.CohortEnded);

        await new PracticeOrchestrator().RunAsync(context, input);

        Assert.Empty(timers);
        context.Received(1).ContinueAsNew(input with { Ended = true }, true);
    }

    [Fact]
    public async Task ASyncedRound_WaitsForTheNextChangeAlone()
    {
        context.CallActivityAsync<PracticeSyncResult>(Arg.Any<TaskName>(), Arg.Any<object?>(), Arg.Any<TaskOptions?>()).Returns(new PracticeSyncResult(3, 0, 3, 0, 1, 0, 0));
        context.WaitForExternalEvent<string>(PracticeOrchestrator.ChangedEvent, Arg.Any<CancellationToken>()).Returns(PracticeOrchestrator.RosterChanged);

        await new PracticeOrchestrator().RunAsync(context, input);

        Assert.Empty(timers);
        context.Received(1).ContinueAsNew(input, true);
    }
}
