using System.Text;
using Azure.Core;
using Azure.Core.Pipeline;
using Azure.Data.Tables;
using Cohorts.Connectors.Tables;
using Cohorts.Domain;
using Cohorts.Domain.Enrolment;
using Cohorts.TestSupport;

namespace Cohorts.Connectors.Tests;

/// <summary>
/// A roster row on Azurite holds the values a person has and no property for those they lack (none is even sent as
/// null); a value taken away by a later write is gone from the row, not left behind.
/// </summary>
[Collection(SharedAzurite.Name)]
public sealed class TableRosterStoreTests(AzuriteFixture azurite)
{
    private static readonly DateTimeOffset At = new(2026, 11, 29, 9, 0, 0, TimeSpan.Zero);

    [Fact]
    public async Task ARow_HoldsNoPropertyForAnEmptyValue_AndAValueTakenAwayLeavesTheRow()
    {
        var sent = new Sent();
        var options = new TableClientOptions();
        options.AddPolicy(sent, HttpPipelinePosition.PerCall);
        var table = new TableClient(azurite.ConnectionString, "r" + Guid.NewGuid().ToString("N")[..20], options);
        var store = new TableRosterStore(table);
        var hr = new HrRecord("E1", Email: "ana@example.com", JobTitle: "Data Scientist");
        await store.ApplyAsync("c1", "imp1", [new RosterChange(ChangeKind.Join, "E1", 2, hr, null, Track.Builders, "title-data", "builds models")], At, CancellationToken.None);

        string batch = Assert.Single(sent.Bodies, b => b.Contains("\"RowKey\":\"E1\"", StringComparison.Ordinal));
        Assert.DoesNotContain("\":null", batch, StringComparison.Ordinal);   // no property sent as null (the history's own JSON is a string: its quotes are escaped)
        TableEntity row = (await table.GetEntityAsync<TableEntity>("c1", "E1")).Value;
        Assert.Equal("ana@example.com", row.GetString("Email"));
        Assert.Equal("Data Scientist", row.GetString("JobTitle"));
        Assert.DoesNotContain(row.Keys, k => k is "Upn" or "DisplayName" or "ManagerId" or "Department" or "JobFamily" or "JobLevel" or "ExplicitTrack" or "HireDate" or "OccupationCode" or "Group");
        Participant read = (await store.GetAsync("c1", "E1", CancellationToken.None))!;
        Assert.Equal((hr.Email, hr.JobTitle, (string?)null, Track.Builders, ParticipantGroup.Trained), (read.Hr.Email, read.Hr.JobTitle, read.Hr.Upn, read.Track, read.Group));

        await store.UpdateAsync("c1", "E1", p => p with { Hr = p.Hr with { Email = null } }, CancellationToken.None);

        Assert.DoesNotContain("Email", (await table.GetEntityAsync<TableEntity>("c1", "E1")).Value.Keys);
        Assert.Null((await store.GetAsync("c1", "E1", CancellationToken.None))!.Hr.Email);
    }

    [Fact]
    public async Task ARow_LeavesOutWhatItWouldRepeat_AndReadsBackTheSamePerson()
    {
        var table = new TableClient(azurite.ConnectionString, "r" + Guid.NewGuid().ToString("N")[..20]);
        var store = new TableRosterStore(table);
        // E1's id is its row key; "A/7" is escaped ("A%2F7"), so its id stays a column
        await store.ApplyAsync("c1", "imp1", [
            new RosterChange(ChangeKind.Join, "E1", 2, new HrRecord("E1", Email: "ana@example.com"), null, Track.Builders, "title-data", "builds models"),
            new RosterChange(ChangeKind.Join, "A/7", 3, new HrRecord("A/7", Email: "bo@example.com"), null, Track.Leaders, "title-lead", "leads"),
        ], At, CancellationToken.None);

        TableEntity plain = (await table.GetEntityAsync<TableEntity>("c1", "E1")).Value;
        Assert.DoesNotContain(plain.Keys, k => k is "EmployeeId" or "UpdatedAt" or "TrackOverridden");
        Assert.Equal("A/7", (await table.GetEntityAsync<TableEntity>("c1", "A%2F7")).Value.GetString("EmployeeId"));
        Participant ana = (await store.GetAsync("c1", "E1", CancellationToken.None))!;
        Assert.Equal(("E1", At, At, false), (ana.EmployeeId, ana.JoinedAt, ana.UpdatedAt, ana.TrackOverridden));
        // a history that is only the joining is the import's id: the change is the row's joining time, track and rule
        TrackChange joined = new(At, null, Track.Builders, "title-data", "imp1");
        Assert.Equal("imp1", plain.GetString("JoinedBy"));
        Assert.DoesNotContain("History", plain.Keys);
        Assert.Equal([joined], ana.History);
        Assert.Equal("A/7", (await store.GetAsync("c1", "A/7", CancellationToken.None))!.EmployeeId);
        IReadOnlyDictionary<string, RosterEntry> index = await store.LoadIndexAsync("c1", CancellationToken.None);
        Assert.Equal(["A/7", "E1"], index.Keys.Order());
        Assert.Equal(("E1", Track.Builders, false), (index["E1"].EmployeeId, index["E1"].Track, index["E1"].TrackOverridden));

        // a later change and an override are kept, as columns
        DateTimeOffset later = At.AddDays(3);
        await store.UpdateAsync("c1", "E1", p => p with { Track = Track.Leaders, TrackOverridden = true, UpdatedAt = later }, CancellationToken.None);
        Participant moved = (await store.GetAsync("c1", "E1", CancellationToken.None))!;
        Assert.Equal((At, later, true), (moved.JoinedAt, moved.UpdatedAt, moved.TrackOverridden));
        // the joining alone no longer says how the row came to its track: the history is kept whole
        TableEntity movedRow = (await table.GetEntityAsync<TableEntity>("c1", "E1")).Value;
        Assert.DoesNotContain("JoinedBy", movedRow.Keys);
        Assert.Equal([joined], moved.History);
        var twice = new TrackChange(later, Track.Builders, Track.Leaders, "override", "lead@example.com");
        await store.UpdateAsync("c1", "E1", p => p with { History = [.. p.History, twice] }, CancellationToken.None);
        Assert.Equal([joined, twice], (await store.GetAsync("c1", "E1", CancellationToken.None))!.History);
        Assert.True((await store.LoadIndexAsync("c1", CancellationToken.None))["E1"].TrackOverridden);

        // a row stored with every column, as rows were before, reads the same
        await table.UpsertEntityAsync(new TableEntity("c1", "E9")
        {
            ["EmployeeId"] = "E9", ["Track"] = "builders", ["TrackRule"] = "r", ["TrackReason"] = "r", ["TrackOverridden"] = false, ["Status"] = "active",
            ["JoinedAt"] = At, ["UpdatedAt"] = later, ["Fingerprint"] = "f", ["History"] = "[]",
        });
        Participant old = (await store.GetAsync("c1", "E9", CancellationToken.None))!;
        Assert.Equal(("E9", At, later, false), (old.EmployeeId, old.JoinedAt, old.UpdatedAt, old.TrackOverridden));
        Assert.Empty(old.History);
    }

    /// <summary>The bodies of the requests a table client sends.</summary>
    private sealed class Sent : HttpPipelinePolicy
    {
        public List<string> Bodies { get; } = [];

        public override void Process(HttpMessage message, ReadOnlyMemory<HttpPipelinePolicy> pipeline)
        {
            Record(message);
            ProcessNext(message, pipeline);
        }

        public override ValueTask ProcessAsync(HttpMessage message, ReadOnlyMemory<HttpPipelinePolicy> pipeline)
        {
            Record(message);
            return ProcessNextAsync(message, pipeline);
        }

        private void Record(HttpMessage message)
        {
            if (message.Request.Content is { } content)
            {
                using var body = new MemoryStream();
                content.WriteTo(body, CancellationToken.None);
                lock (Bodies)
                {
                    Bodies.Add(Encoding.UTF8.GetString(body.ToArray()));
                }
            }
        }
    }
}
