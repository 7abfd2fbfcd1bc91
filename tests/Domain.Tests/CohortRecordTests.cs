
namespace Cohorts.Domain.Tests;

public class CohortRecordTests
{
    private static readonly DateTimeOffset Start = new(2026, 1, 1, 0, 0, 0, TimeSpan.Zero);

    private static CohortRecord NewRecord()
    {
        CohortPlan plan = CohortPlanFactory.Create(
            new CohortPlanDraft
            {
                Id = "c1",
                Name = "n",
                UseCase = new UseCaseDraft { Title = "t", Problem = "p" },
                Checkpoints = ["PT5S", "PT10S"],
                Leaders = ["l@example.com"],
                ProgramLead = "p@example.com",
            },
            Start).Plan!;
        return CohortRecord.New(plan, "fp", Start);
    }

    [Fact]
    public void WithCheckpoint_SameOrdinalTwice_KeepsTheFirstSnapshot()
    {
        var first = new CheckpointSnapshot(1, Start.AddSeconds(5), Start.AddSeconds(5), 0);
        var retry = first with { RecordedAt = Start.AddSeconds(9) };

        CohortRecord once = NewRecord().WithCheckpoint(first);
        CohortRecord twice = once.WithCheckpoint(retry);

        Assert.Same(once, twice);
        Assert.Equal(Start.AddSeconds(5), Assert.Single(twice.Checkpoints).RecordedAt);
    }

    [Fact]
    public void WithCheckpoint_OrdinalBeyondTheSchedule_IsRefused()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => NewRecord().WithCheckpoint(new CheckpointSnapshot(3, Start, Start, 0)));
    }

    [Theory]
    [InlineData(CohortStatus.Completed)]
    [InlineData(CohortStatus.Cancelled)]
    [InlineData(CohortStatus.Failed)]
    public void WithStatus_AfterATerminalStatus_ChangesNothing(CohortStatus terminal)
    {
        CohortRecord closed = NewRecord().WithStatus(terminal, Start.AddSeconds(1));

        Assert.Same(closed, closed.WithStatus(CohortStatus.Running, Start.AddSeconds(2)));
        Assert.Equal(terminal, closed.Status);
    }

    [Fact]
    public void WithStatus_ScheduledAfterRunning_IsIgnored()
    {
        CohortRecord running = NewRecord().WithStatus(CohortStatus.Running, Start.AddSeconds(1));

        Assert.Equal(CohortStatus.Running, running.WithStatus(CohortStatus.Scheduled, Start.AddSeconds(2)).Status);
        Assert.Equal(Start.AddSeconds(1), running.StatusChangedAt);
    }
}
