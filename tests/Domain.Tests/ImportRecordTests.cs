using Cohorts.Domain.Enrolment;

namespace Cohorts.Domain.Tests;

/// <summary>An apply's progress, batch by batch, and taking a failed apply up again.</summary>
public class ImportRecordTests
{
    private static readonly DateTimeOffset At = new(2026, 11, 28, 9, 0, 0, TimeSpan.Zero);

    // a diff of 250 change lines: three batches of 100, 100 and 50
    private static ImportRecord Read(ImportState state) => new(
        "c1", "i1", state, new ImportSettings(ImportSources.Csv, null, null, null, null, false, false, 0.1), At, At, 1000,
        new DiffSummary(250, 250, 0, 0, 0, 0, 0, 0, 0, 0, 0, [], []), ChangeLines: 250);

    [Fact]
    public void ABatchAppliedAgain_CountsOnce()
    {
        ImportRecord record = Read(ImportState.Applying)
            .WithBatchApplied(0, 100, At)
            .WithBatchApplied(1, 100, At)
            .WithBatchApplied(1, 100, At)   // the second batch's activity ran twice
            .WithBatchApplied(0, 100, At);  // and the first again, after a restart

        Assert.Equal((2, 200), (record.AppliedBatches, record.AppliedChanges));
    }

    [Fact]
    public void AFailedApply_ResumesFromItsFirstBatchNotApplied_AndOnlyThen()
    {
        ImportRecord failed = Read(ImportState.Applying).WithBatchApplied(0, 100, At) with { State = ImportState.Failed, Error = "storage said no" };

        ImportRecord resumed = failed.Resumed(At.AddMinutes(5));

        Assert.True(failed.Resumable);
        Assert.Equal((ImportState.Applying, null, 1, 100), (resumed.State, resumed.Error, resumed.AppliedBatches, resumed.AppliedChanges));
        // a read that failed (no diff), an import applied to the end, or one applying already: nothing to resume
        Assert.False((Read(ImportState.Failed) with { Summary = null }).Resumable);
        Assert.False((Read(ImportState.Failed) with { AppliedBatches = 3, AppliedChanges = 250 }).Resumable);
        Assert.Same(resumed, resumed.Resumed(At.AddMinutes(6)));
    }
}
