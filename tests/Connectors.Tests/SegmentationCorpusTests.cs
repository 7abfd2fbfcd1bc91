using Cohorts.Connectors.Csv;
using Cohorts.Domain;
using Cohorts.Domain.Enrolment;
using Cohorts.TestSupport;

namespace Cohorts.Connectors.Tests;

/// <summary>
/// Every job title in the two HR corpus files lands where a person reading the title would put it. The table is that
/// reading, written by hand (null: deliberately triage), not the rules' output.
/// </summary>
public class SegmentationCorpusTests
{
    private static readonly Dictionary<string, Track?> IbmJobRoles = new()
    {
        ["Sales Executive"] = Track.Consumers,           // sells with AI-assisted forecasts and leads
        ["Research Scientist"] = Track.Builders,         // builds models
        ["Laboratory Technician"] = Track.Consumers,
        ["Manufacturing Director"] = Track.Leaders,
        ["Healthcare Representative"] = Track.Consumers,
        ["Manager"] = null,                              // a manager of what? an admin decides
        ["Sales Representative"] = Track.Consumers,
        ["Research Director"] = Track.Leaders,
        ["Human Resources"] = Track.Consumers,
    };

    private static readonly Dictionary<string, Track?> HrDatasetPositions = new()
    {
        ["Production Technician I"] = Track.Consumers,
        ["Production Technician II"] = Track.Consumers,
        ["Area Sales Manager"] = Track.Consumers,        // runs sales operations with AI outputs
        ["Production Manager"] = Track.Consumers,
        ["Software Engineer"] = Track.Builders,
        ["IT Support"] = Track.Consumers,
        ["Data Analyst"] = Track.Translators,            // interprets outputs for the business
        ["Database Administrator"] = Track.Builders,     // the organisation's data stack
        ["Sr. Network Engineer"] = Track.Consumers,
        ["Network Engineer"] = Track.Consumers,
        ["BI Developer"] = Track.Builders,
        ["Accountant I"] = Track.Consumers,
        ["Sales Manager"] = Track.Consumers,
        ["Administrative Assistant"] = Track.Consumers,
        ["Senior BI Developer"] = Track.Builders,
        ["Sr. DBA"] = Track.Builders,
        ["Sr. Accountant"] = Track.Consumers,
        ["IT Manager - DB"] = Track.Translators,         // leads technical projects
        ["Enterprise Architect"] = Track.Translators,
        ["Software Engineering Manager"] = Track.Translators,
        ["BI Director"] = Track.Leaders,
        ["Director of Operations"] = Track.Leaders,
        ["IT Manager - Support"] = Track.Translators,
        ["IT Director"] = Track.Leaders,
        ["Director of Sales"] = Track.Leaders,
        ["President & CEO"] = Track.Leaders,
        ["Shared Services Manager"] = Track.Consumers,
        ["IT Manager - Infra"] = Track.Translators,
        ["Principal Data Architect"] = Track.Builders,
        ["Data Architect"] = Track.Builders,
        ["CIO"] = Track.Leaders,
    };

    private static async Task<List<HrRecord>> ReadAsync(string file)
    {
        var records = new List<HrRecord>();
        await using FileStream stream = File.OpenRead(Path.Combine(RepoPaths.Corpus, "hr", file));
        await foreach (HrRow row in HrCsvReader.ReadAsync(stream, new HrImportOptions { Today = new DateOnly(2026, 11, 27) }))
        {
            Assert.True(row.Record is not null, $"row {row.Row} rejected: {row.Rejected}");
            records.Add(row.Record!);
        }

        return records;
    }

    [Theory]
    [InlineData("ibm_hr_employee_attrition.csv")]
    [InlineData("HRDataset_v14.csv")]
    public async Task DefaultRules_EveryTitleInTheFile_LandsWhereAPersonWouldPutIt(string file)
    {
        Dictionary<string, Track?> expected = file.StartsWith("ibm", StringComparison.Ordinal) ? IbmJobRoles : HrDatasetPositions;
        var segmenter = new Segmenter(DefaultSegmentationRules.All);

        List<HrRecord> records = await ReadAsync(file);

        Assert.Equal(expected.Keys.Order(StringComparer.Ordinal), records.Select(r => r.JobTitle!).Distinct().Order(StringComparer.Ordinal));
        foreach (HrRecord record in records.DistinctBy(r => r.JobTitle))
        {
            TrackAssignment assignment = segmenter.Assign(record);
            Assert.True(expected[record.JobTitle!] == assignment.Track, $"'{record.JobTitle}': expected {expected[record.JobTitle!]?.ToString() ?? "triage"}, rule {assignment.Rule} gave {assignment.Track?.ToString() ?? "triage"}");
            Assert.False(string.IsNullOrEmpty(assignment.Reason));
        }
    }

    [Fact]
    public async Task IbmFile_ReadsEveryRow_WithAttritionAsLeavers()
    {
        List<HrRecord> records = await ReadAsync("ibm_hr_employee_attrition.csv");

        Assert.Equal(1470, records.Count);
        Assert.Equal(237, records.Count(r => r.Terminated)); // Attrition = Yes
        Assert.Equal("1", records[0].EmployeeId);             // EmployeeNumber of the first row
        Assert.Equal("Sales", records[0].Department);
    }

    [Fact]
    public async Task HrDataset_PaddedValuesAreNormalised_AndTerminationsAreLeavers()
    {
        List<HrRecord> records = await ReadAsync("HRDataset_v14.csv");

        Assert.Equal(311, records.Count);
        Assert.Equal(104, records.Count(r => r.Terminated)); // 88 voluntarily terminated + 16 for cause
        HrRecord first = records[0];
        Assert.Equal("10026", first.EmployeeId);
        Assert.Equal("Production", first.Department);        // "Production       " in the file
        Assert.Equal("Adinolfi, Wilson K", first.DisplayName); // "Adinolfi, Wilson  K" in the file
        Assert.Equal("22", first.ManagerId);
        Assert.Equal("Data Analyst", records.Single(r => r.EmployeeId == "10229").JobTitle); // "Data Analyst " (trailing space) in the file
    }

    [Fact]
    public void Segmenter_ExplicitTrackColumn_WinsOverTheRules()
    {
        var segmenter = new Segmenter(DefaultSegmentationRules.All);

        TrackAssignment assignment = segmenter.Assign(new HrRecord("1", JobTitle: "CIO", ExplicitTrack: "Governors"));

        Assert.Equal(Track.Governors, assignment.Track);
        Assert.Equal(Segmenter.ExplicitRule, assignment.Rule);
    }

    [Fact]
    public void Segmenter_TrackNotInUse_IsNeverADefault()
    {
        var segmenter = new Segmenter(DefaultSegmentationRules.All, [Track.Builders]);

        Assert.True(segmenter.Assign(new HrRecord("1", JobTitle: "CIO")).IsTriage);
        Assert.Equal(Track.Builders, segmenter.Assign(new HrRecord("2", JobTitle: "Data Scientist")).Track);
    }
}
