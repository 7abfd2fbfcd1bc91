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
    public void OneRosterResults_CompleteFullyGradedRows_AndScoreEveryRowWithAScore()
    {
        const string Csv = "sourcedId,status,dateLastModified,lineItemSourcedId,studentSourcedId,scoreStatus,score,scoreDate,comment\r\n"
            + "r1,active,2026-03-02T00:00:00Z,c1-translators-2,T1,fully graded,100,2026-03-01T10:00:00Z,\r\n"
            + "r2,active,2026-03-02T00:00:00Z,c1-translators-3,T1,partially graded,40,2026-03-01,\r\n"   // not finished: a score only
            + "r3,active,2026-03-02T00:00:00Z,other-translators-2,T2,fully graded,100,2026-03-01,\r\n"   // another cohort's line item
            + "r4,active,2026-03-02T00:00:00Z,c1-translators-4,T1,submitted,,2026-03-01,\r\n";          // not finished, no score: skipped

        (List<CompletionRow> rows, List<CompletionRowError> errors) = CompletionCsv.Read(new StringReader(Csv), "c1");

        // the scale is the exported line items' 0-100 when the file does not carry one
        Assert.Equal(
            [new CompletionRow(2, "T1", "translators-2", March1, true, 100, 0, 100), new CompletionRow(3, "T1", "translators-3", March1.AddHours(-10), false, 40, 0, 100)],
            rows);
        CompletionRowError error = Assert.Single(errors);
        Assert.Equal((4, "lineItemSourcedId"), (error.Row, error.Field));
    }

    [Fact]
    public void OneRosterResults_WithTheLineItemsScale_ReadItAsGiven_AndNameAScoreThatIsNotANumber()
    {
        const string Csv = "lineItemSourcedId,studentSourcedId,scoreStatus,score,resultValueMin,resultValueMax,scoreDate\r\n"
            + "c1-builders-1,B1,fully graded,7.5,0,10,2026-03-01T10:00:00Z\r\n"
            + "c1-builders-1,B2,fully graded,high,0,10,2026-03-01T10:00:00Z\r\n";

        (List<CompletionRow> rows, List<CompletionRowError> errors) = CompletionCsv.Read(new StringReader(Csv), "c1");

        Assert.Equal([new CompletionRow(2, "B1", "builders-1", March1, true, 7.5, 0, 10)], rows);
        Assert.Equal((3, "score"), (Assert.Single(errors).Row, errors[0].Field));
        Assert.Equal(0.75, new AssessmentScore("c1", "B1", "builders-1", 7.5, 0, 10, "lms", March1).Scaled);
        Assert.Equal("12 is outside the scale 0–10", AssessmentScore.Problem(12, 0, 10));
        Assert.NotNull(AssessmentScore.Problem(5, 10, 10)); // no scale
    }

    [Fact]
    public void HeaderWithoutAStepColumn_IsRefusedAtRowOne()
    {
        (List<CompletionRow> rows, List<CompletionRowError> errors) = CompletionCsv.Read(new StringReader("user_id,when\r\nE1,2026-03-01\r\n"), "c1");

        Assert.Empty(rows);
        Assert.Contains(errors, e => e.Row == 1 && e.Field == "header" && e.Reason.Contains("step column", StringComparison.Ordinal));
    }
}
