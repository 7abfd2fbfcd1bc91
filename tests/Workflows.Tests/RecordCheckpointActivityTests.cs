using Cohorts.Domain;
using Cohorts.Workflows.Activities;
using Cohorts.Workflows.Contracts;
using Microsoft.DurableTask;
using Microsoft.Extensions.Time.Testing;

namespace Cohorts.Workflows.Tests;

public class RecordCheckpointActivityTests
{
    private sealed class Context : TaskActivityContext
    {
        public override TaskName Name => nameof(RecordCheckpointActivity);

        public override string InstanceId => "c1:checkpoint:1";
    }

    [Fact]
    public async Task RunAsync_RetriedAfterSuccess_ReturnsTheFirstRecordingAndWritesOnce()
    {
        var start = new DateTimeOffset(2026, 3, 1, 8, 0, 0, TimeSpan.Zero);
        var time = new FakeTimeProvider(start.AddSeconds(5));
        var store = new InMemoryCohortStore();
        CohortPlan plan = CohortPlanFactory.Create(
            new CohortPlanDraft { Id = "c1", Name = "n", UseCase = new UseCaseDraft { Title = "t", Problem = "p" }, Checkpoints = ["PT5S"], Leaders = ["l@example.com"], ProgramLead = "p@example.com" },
            start).Plan!;
        await store.CreateAsync(CohortRecord.New(plan, "fp", start), CancellationToken.None);
        var activity = new RecordCheckpointActivity(store, time);
        var input = new CheckpointInput("c1", plan.Schedule()[0]);

        CheckpointResult first = await activity.RunAsync(new Context(), input);
        time.Advance(TimeSpan.FromSeconds(30));
        CheckpointResult retry = await activity.RunAsync(new Context(), input);

        Assert.Equal(start.AddSeconds(5), first.RecordedAt);
        Assert.Equal(first, retry);
        Assert.Equal(1, store.Writes);
    }
}
