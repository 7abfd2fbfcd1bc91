using Cohorts.Connectors.Lms;
using Cohorts.Domain.Learning;

namespace Cohorts.Connectors.Tests;

/// <summary>LMS completion reports read by hand-checked rows: a plain export and a OneRoster results.csv.</summary>
public class CompletionCsvTests
{
    private static readonly DateTimeOffset March1 = new(2026, 3, 1, 10, 0, 0, TimeSpan.Zero);

    [Fact]
    public void PlainReport_ReadsIsoAndUnixDates_AndNamesTheBadRows()
    {
        const string Csv = "participant_id,step_id,completed_at\r\n"
            + "E1,builders-1,2026-03-01T10:00:00Z\r\n"
            + "E2,builders-2,1772359200\r\n"          // 2026-03-01T10:00:00Z in Unix seconds
            + ",builders-1,2026-03-01\r\n"
            + "E3,builders-1,yesterday\r\n"
            + ",,\r\n";                                  // a blank row is skipped

        (List<CompletionRow> rows, List<CompletionRowError> errors) = CompletionCsv.Read(new StringReader(Csv), "c1");

        Assert.Equal([new CompletionRow(2, "E1", "builders-1", March1), new CompletionRow(3, "E2", "builders-2", March1)], rows);
        Assert.Equal([(4, "participant_id"), (5, "completed_at")], errors.Select(e => (e.Row, e.Field)));
    }

    [Fact]
    public void OneRosterResults_TakeFullyGradedRowsOfThisCohortsLineItems()
    {
        const string Csv = "sourcedId,status,dateLastModified,lineItemSourcedId,studentSourcedId,scoreStatus,score,scoreDate,comment\r\n"
            + "r1,active,2026-03-02T00:00:00Z,c1-translators-2,T1,fully graded,100,2026-03-01T10:00:00Z,\r\n"
            + "r2,active,2026-03-02T00:00:00Z,c1-translators-3,T1,partially graded,40,2026-03-01,\r\n"   // not finished: skipped
            + "r3,active,2026-03-02T00:00:00Z,other-translators-2,T2,fully graded,100,2026-03-01,\r\n";  // another cohort's line item

        (List<CompletionRow> rows, List<CompletionRowError> errors) = CompletionCsv.Read(new StringReader(Csv), "c1");

        Assert.Equal([new CompletionRow(2, "T1", "translators-2", March1)], rows);
        CompletionRowError error = Assert.Single(errors);
        Assert.Equal((4, "lineItemSourcedId"), (error.Row, error.Field));
    }

    [Fact]
    public void HeaderWithoutAStepColumn_IsRefusedAtRowOne()
    {
        (List<CompletionRow> rows, List<CompletionRowError> errors) = CompletionCsv.Read(new StringReader("user_id,when\r\nE1,2026-03-01\r\n"), "c1");

        Assert.Empty(rows);
        Assert.Contains(errors, e => e.Row == 1 && e.Field == "header" && e.Reason.Contains("step column", StringComparison.Ordinal));
    }
}
