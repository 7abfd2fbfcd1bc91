using Cohorts.Domain;
using Cohorts.Domain.Enrolment;
using Cohorts.Domain.Learning;
using Cohorts.Domain.Outcomes;
using Cohorts.Workflows.Activities;
using Cohorts.Workflows.Contracts;
using Microsoft.DurableTask;
using Microsoft.Extensions.Time.Testing;
using NSubstitute;

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
        IRosterStore roster = Substitute.For<IRosterStore>();
        roster.ListAsync(default!, default, default, default, default, default, default).ReturnsForAnyArgs(new ParticipantPage([], null));
        var outcomes = new InMemoryOutcomeStore();
        var reports = new InMemoryReportArchive();
        var activity = new RecordCheckpointActivity(store, roster, new InMemorySubmissionStore(), outcomes, new InMemoryCompletionStore(), reports, new WorkflowEvents(new InMemoryEventOutbox(), NSubstitute.Substitute.For<Cohorts.Domain.Access.IAuditLog>()), time, Substitute.For<IImportStore>(), Substitute.For<IScoreStore>());
        var input = new CheckpointInput("c1", plan.Schedule()[0]);

        CheckpointResult first = await activity.RunAsync(new Context(), input);
        time.Advance(TimeSpan.FromSeconds(30));
        // an event arriving between the runs does not change the stored figures
        await outcomes.AddAsync(new OutcomeEvent("late", "c1", OutcomeType.AdvisorySupport, "p1", start.AddSeconds(1), time.GetUtcNow(), Hours: 3), CancellationToken.None);
        CheckpointResult retry = await activity.RunAsync(new Context(), input);

        Assert.Equal(start.AddSeconds(5), first.RecordedAt);
        Assert.Equal(first, retry);
        Assert.Equal(1, store.Writes);
        Assert.Equal(0, (await reports.GetFiguresAsync("c1", 1, CancellationToken.None))!.Cohort.Advisory.Hours);
    }
}
