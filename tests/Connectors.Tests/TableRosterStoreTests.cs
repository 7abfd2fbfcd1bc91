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

        string batch = Assert.Single(sent.Bodies, b => b.Contains("\"EmployeeId\":\"E1\"", StringComparison.Ordinal));
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
