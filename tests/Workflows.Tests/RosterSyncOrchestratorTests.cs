using Cohorts.Domain.Enrolment;
using Cohorts.Workflows.Activities;
using Cohorts.Workflows.Contracts;
using Cohorts.Workflows.Orchestrators;
using Microsoft.DurableTask;
using NSubstitute;

namespace Cohorts.Workflows.Tests;

/// <summary>
/// The activity calls of an import's apply, with a substituted <see cref="TaskOrchestrationContext"/>: 2,350 changes in
/// batches of 100 are 24 batches, applied five a call (five calls: 0, 5, 10, 15, 20) or ten (0, 10, 20), each followed
/// by the LMS push, five batches at most a push, when a platform was configured at the start, and by nothing when none
/// was.
/// </summary>
public class RosterSyncOrchestratorTests
{
    private readonly TaskOrchestrationContext context = Substitute.For<TaskOrchestrationContext>();
    private readonly List<(string Activity, int Batch, int Batches)> calls = [];

    public RosterSyncOrchestratorTests()
    {
        context.CurrentUtcDateTime.Returns(new DateTime(2026, 11, 28, 9, 0, 0, DateTimeKind.Utc));
        context.CallActivityAsync<ImportReadResult>(Arg.Any<TaskName>(), Arg.Any<object?>(), Arg.Any<TaskOptions?>())
            .Returns(new ImportReadResult(false, 2350, 2350, 0, 0, 0, 0, false, false));
        context.CallActivityAsync<int>(Arg.Any<TaskName>(), Arg.Any<object?>(), Arg.Any<TaskOptions?>()).Returns(call =>
        {
            var batch = (ApplyBatchInput)call.ArgAt<object>(1);
            calls.Add((call.Arg<TaskName>().Name, batch.Batch, batch.Batches));
            return Task.FromResult(batch.Batches * batch.BatchSize);
        });
        context.CallActivityAsync<ImportState>(Arg.Any<TaskName>(), Arg.Any<object?>(), Arg.Any<TaskOptions?>()).Returns(ImportState.Applied);
    }

    [Fact]
    public async Task WithAPlatform_EachApplyCallIsFollowedByItsPush()
    {
        RosterSyncResult result = await new RosterSyncOrchestrator().RunAsync(context, Input(pushAssignments: true));

        Assert.Equal(ImportState.Applied, result.State);
        (string, int, int)[] expected =
        [
            (nameof(ApplyImportBatchActivity), 0, 5), (nameof(PushAssignmentsActivity), 0, 5),
            (nameof(ApplyImportBatchActivity), 5, 5), (nameof(PushAssignmentsActivity), 5, 5),
            (nameof(ApplyImportBatchActivity), 10, 5), (nameof(PushAssignmentsActivity), 10, 5),
            (nameof(ApplyImportBatchActivity), 15, 5), (nameof(PushAssignmentsActivity), 15, 5),
            (nameof(ApplyImportBatchActivity), 20, 4), (nameof(PushAssignmentsActivity), 20, 4),
        ];
        Assert.Equal(expected, calls);
    }

    [Fact]
    public async Task TenBatchesACall_ArePushedFiveAtATime()
    {
        RosterSyncResult result = await new RosterSyncOrchestrator().RunAsync(context, Input(pushAssignments: true, batchesPerCall: 10));

        Assert.Equal(ImportState.Applied, result.State);
        (string, int, int)[] expected =
        [
            (nameof(ApplyImportBatchActivity), 0, 10), (nameof(PushAssignmentsActivity), 0, 5), (nameof(PushAssignmentsActivity), 5, 5),
            (nameof(ApplyImportBatchActivity), 10, 10), (nameof(PushAssignmentsActivity), 10, 5), (nameof(PushAssignmentsActivity), 15, 5),
            (nameof(ApplyImportBatchActivity), 20, 4), (nameof(PushAssignmentsActivity), 20, 4),
        ];
        Assert.Equal(expected, calls);
    }

    [Fact]
    public async Task WithoutAPlatform_NoPushIsScheduled()
    {
        RosterSyncResult result = await new RosterSyncOrchestrator().RunAsync(context, Input(pushAssignments: false));

        Assert.Equal(ImportState.Applied, result.State);
        (string, int, int)[] expected =
        [
            (nameof(ApplyImportBatchActivity), 0, 5), (nameof(ApplyImportBatchActivity), 5, 5), (nameof(ApplyImportBatchActivity), 10, 5),
            (nameof(ApplyImportBatchActivity), 15, 5), (nameof(ApplyImportBatchActivity), 20, 4),
        ];
        Assert.Equal(expected, calls);
    }

    [Fact]
    public async Task AfterItsCallsPerGeneration_TheApplyContinuesAsNewFromTheNextBatch()
    {
        // by hand: 24 batches, five a call, two calls a generation: (0, 5) (5, 5) | from 10: (10, 5) (15, 5) | from 20: (20, 4)
        RosterSyncInput first = Input(pushAssignments: false) with { CallsPerGeneration = 2 };
        var continued = new List<RosterSyncInput>();
        context.When(c => c.ContinueAsNew(Arg.Any<object?>(), Arg.Any<bool>())).Do(call => continued.Add((RosterSyncInput)call.ArgAt<object>(0)));

        await new RosterSyncOrchestrator().RunAsync(context, first);
        await new RosterSyncOrchestrator().RunAsync(context, continued[0]);
        RosterSyncResult last = await new RosterSyncOrchestrator().RunAsync(context, continued[1]);

        Assert.Equal([new ResumePoint(10, 2350), new ResumePoint(20, 2350)], continued.Select(c => c.ResumeAt));
        Assert.All(continued, c => Assert.Equal(first with { ResumeAt = c.ResumeAt }, c));
        (string, int, int)[] expected =
        [
            (nameof(ApplyImportBatchActivity), 0, 5), (nameof(ApplyImportBatchActivity), 5, 5),
            (nameof(ApplyImportBatchActivity), 10, 5), (nameof(ApplyImportBatchActivity), 15, 5),
            (nameof(ApplyImportBatchActivity), 20, 4),
        ];
        Assert.Equal(expected, calls);
        Assert.Equal(2, continued.Count); // the last generation ends the import
        Assert.Equal(new RosterSyncResult(ImportState.Applied, 2350), last);
        await context.Received(1).CallActivityAsync<ImportReadResult>(Arg.Any<TaskName>(), Arg.Any<object?>(), Arg.Any<TaskOptions?>()); // read once
    }

    [Fact]
    public void AnImportStartedBeforeTheFlag_StillPushes()
    {
        // its input was stored without the member: read back, it keeps the calls its history has
        RosterSyncInput stored = Microsoft.DurableTask.Converters.JsonDataConverter.Default.Deserialize<RosterSyncInput>(
            "{\"CohortId\":\"c1\",\"ImportId\":\"i1\",\"ApplyWindow\":\"1.00:00:00\",\"BatchesPerCall\":5}")!;
        Assert.Equal(5, stored.BatchesPerCall);
        Assert.True(stored.PushAssignments);
    }

    // five batches a call, as imports were started before calls took ten: the hand tables above are in fives
    private static RosterSyncInput Input(bool pushAssignments, int batchesPerCall = 5) =>
        new("c1", "20261128090000-aaaaaaaa", TimeSpan.FromDays(1), BatchesPerCall: batchesPerCall, PushAssignments: pushAssignments);
}
