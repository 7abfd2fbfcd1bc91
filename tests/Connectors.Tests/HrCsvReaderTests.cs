using System.Text;
using Cohorts.Connectors.Csv;
using Cohorts.Domain.Enrolment;

namespace Cohorts.Connectors.Tests;

public class HrCsvReaderTests
{
    private static async Task<List<HrRow>> ReadAsync(byte[] bytes, HrImportOptions? options = null)
    {
        var rows = new List<HrRow>();
        await foreach (HrRow row in HrCsvReader.ReadAsync(new MemoryStream(bytes), options ?? new HrImportOptions { Today = new DateOnly(2026, 11, 27) }))
        {
            rows.Add(row);
        }

        return rows;
    }

    /// <summary>4,000 ASCII rows (past the 64 KiB the reader sniffs), then row 4,002 with a Latin-1 "é".</summary>
    private static byte[] LateLatin1()
    {
        var text = new StringBuilder("employee_id,department\n");
        for (int i = 1; i <= 4000; i++)
        {
            text.Append(System.Globalization.CultureInfo.InvariantCulture, $"E{i:00000},Operations and logistics\n");
        }

        return [.. Encoding.ASCII.GetBytes(text.ToString()), .. Encoding.Latin1.GetBytes("E99999,Comité\n")];
    }

    [Fact]
    public async Task Read_Latin1ByteAfterTheSniffedStart_FailsTheWholeFileNamingTheRow()
    {
        byte[] file = LateLatin1();
        Assert.True(file.Length > 64 * 1024);

        var error = await Assert.ThrowsAsync<HrSourceException>(() => ReadAsync(file));

        Assert.Equal("encoding", error.Field);
        Assert.Contains("row 4002", error.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Read_TokenGivenByWithCancellation_StopsTheRead()
    {
        using var stop = new CancellationTokenSource();
        await stop.CancelAsync();
        var rows = HrCsvReader.ReadAsync(new MemoryStream(LateLatin1()), new HrImportOptions { Today = new DateOnly(2026, 11, 27), Csv = new CsvReadOptions { Encoding = "latin1" } });

        await Assert.ThrowsAnyAsync<OperationCanceledException>(async () =>
        {
            await foreach (HrRow row in rows.WithCancellation(stop.Token))
            {
                Assert.Fail($"row {row.Row} was read after the read was cancelled");
            }
        });
    }

    [Fact]
    public async Task Read_SameFileWithItsEncodingNamed_ReadsEveryRow()
    {
        List<HrRow> rows = await ReadAsync(LateLatin1(), new HrImportOptions { Today = new DateOnly(2026, 11, 27), Csv = new CsvReadOptions { Encoding = "latin1" } });

        Assert.Equal(4001, rows.Count);
        Assert.Equal("Comité", rows[^1].Record!.Department);
    }

    [Theory]
    [InlineData("ISCO-08", "2512")]
    [InlineData("ISCO", "2611")]
    [InlineData("SOC 2018", "15-2051")]
    [InlineData("O*NET-SOC Code", "13-1031.00")]
    [InlineData("Occupation Code", "3321")]
    public async Task Read_OccupationCodeColumn_ByItsUsualNames(string header, string code)
    {
        byte[] file = Encoding.UTF8.GetBytes($"Employee ID,Job Title,{header}\nE1,Data Scientist,{code}\n");

        List<HrRow> rows = await ReadAsync(file);

        HrRecord record = Assert.Single(rows).Record!;
        Assert.Equal((code, "Data Scientist"), (record.OccupationCode, record.JobTitle));
    }

    [Fact]
    public async Task Read_OccupationCodeInTheColumnMap()
    {
        byte[] file = Encoding.UTF8.GetBytes("Personalnummer;Funktion;Berufskennziffer\n0042;Jurist;2611\n");

        List<HrRow> rows = await ReadAsync(file, new HrImportOptions { Today = new DateOnly(2026, 11, 27), Columns = HrImportOptions.ParseColumns("employeeId:Personalnummer,jobTitle:Funktion,occupationCode:Berufskennziffer") });

        Assert.Equal("2611", Assert.Single(rows).Record!.OccupationCode);
    }

    [Fact]
    public async Task Read_ExplicitColumnMap_WinsOverTheProfile()
    {
        byte[] file = Encoding.UTF8.GetBytes("Personalnummer;Funktion;Abteilung\n0042;Data Scientist;Analytics\n");

        List<HrRow> rows = await ReadAsync(file, new HrImportOptions { Today = new DateOnly(2026, 11, 27), Columns = HrImportOptions.ParseColumns("employeeId:Personalnummer,jobTitle:Funktion,department:Abteilung") });

        HrRecord record = Assert.Single(rows).Record!;
        Assert.Equal("0042", record.EmployeeId); // leading zeroes kept: ids are text
        Assert.Equal("Data Scientist", record.JobTitle);
        Assert.Equal("Analytics", record.Department);
    }

    [Fact]
    public async Task Read_ColumnMapNamingAMissingHeader_SaysWhichHeadersExist()
    {
        var error = await Assert.ThrowsAsync<HrSourceException>(() => ReadAsync(Encoding.UTF8.GetBytes("id,title\n1,x\n"), new HrImportOptions { Today = new DateOnly(2026, 11, 27), Columns = HrImportOptions.ParseColumns("employeeId:EmpNo") }));

        Assert.Equal("columns", error.Field);
        Assert.Contains("EmpNo", error.Reason, StringComparison.Ordinal);
        Assert.Contains("id, title", error.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Read_LeaverMarkers_RowByRow_WhateverTheCase()
    {
        // by hand: each row's status, then the flags in any case; a flag that is neither yes nor no rejects its row
        const string csv = "employee_id,status,terminated,active\n"
            + "E1,Active,,\n"          // active
            + "E2,Active,,\n"          // the same status again: active
            + "E3,RETIRED,,\n"         // a leaver word in capitals
            + "E4,Active,,\n"          // active again after a leaver
            + "E5,Active,YES,\n"       // terminated flag in capitals
            + "E6,Active,n,False\n"    // not terminated, but not active
            + "E7,Active,No,TRUE\n"    // neither
            + "E8,Active,Maybe,\n";    // not yes/no
        List<HrRow> rows = await ReadAsync(Encoding.UTF8.GetBytes(csv));

        Assert.Equal([false, false, true, false, true, true, false], rows.Take(7).Select(r => r.Record!.Terminated));
        RejectedRow rejected = rows[7].Rejected!;
        Assert.Equal(("terminatedFlag", "'Maybe' is not yes/no"), (rejected.Field, rejected.Reason));
    }

    [Theory]
    [InlineData("employee_id,status\nE1,Terminated\n", true)]
    [InlineData("employee_id,status\nE1,On leave\n", false)]
    [InlineData("EmployeeID,Active\nE1,0\n", true)]
    [InlineData("employee_id,termination_date\nE1,2000-01-31\n", true)]
    [InlineData("employee_id,termination_date\nE1,2999-01-31\n", false)]
    [InlineData("userId,status\nE1,inactive\n", true)]
    public async Task Read_LeaverMarkers_MakeALeaver(string csv, bool terminated)
    {
        HrRecord record = Assert.Single(await ReadAsync(Encoding.UTF8.GetBytes(csv))).Record!;

        Assert.Equal(terminated, record.Terminated);
    }

    [Theory]
    [InlineData("EmployeeID,BusinessTitle,StatusTerminated,ManagerReference\nE1,Analyst,0,E9\n", "Analyst", "E9")]
    [InlineData("userId,title,manager/userId,department\nE1,Analyst,E9,Risk\n", "Analyst", "E9")]
    [InlineData("Employee ID,Job title,Work Email,Department,Supervisor EID\nE1,Analyst,a@example.com,Risk,E9\n", "Analyst", "E9")]
    public async Task Read_HrisProfiles_MapTheirOwnFieldNames(string csv, string title, string manager)
    {
        HrRecord record = Assert.Single(await ReadAsync(Encoding.UTF8.GetBytes(csv))).Record!;

        Assert.Equal("E1", record.EmployeeId);
        Assert.Equal(title, record.JobTitle);
        Assert.Equal(manager, record.ManagerId);
    }

    [Fact]
    public void Detect_WorkdayHeader_PicksWorkday()
    {
        Assert.Equal("workday", HrColumnProfiles.Detect(["EmployeeID", "BusinessTitle", "StatusTerminated"]).Name);
        Assert.Equal("successfactors", HrColumnProfiles.Detect(["userId", "manager/userId", "division"]).Name);
        Assert.Equal("bamboohr", HrColumnProfiles.Detect(["Employee ID", "Work Email", "Photo uploaded"]).Name);
        Assert.Equal("generic", HrColumnProfiles.Detect(["EmpID", "Position"]).Name);
    }
}
