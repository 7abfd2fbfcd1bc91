using System.Net;
using System.Text;
using System.Text.Json.Nodes;
using Azure.Data.Tables;
using Azure.Storage.Blobs;
using Cohorts.TestSupport;

namespace Cohorts.Server.Tests;

/// <summary>
/// Retention run by the server's scheduler, durations shrunk to seconds (issue 13): an ended import's stored source
/// is deleted, a finished lifecycle's history is purged (the cohort still reads as completed), and with
/// Retention:PersonalDataAfterCompletion set every participant of the completed cohort is erased.
/// </summary>
[Collection(OwnServers.Name)]
public sealed class RetentionEndToEndTests(OwnServersFixture fixture)
{
    [Fact]
    public async Task SourcesHistoriesAndPersonalData_GoWhenTheirRetentionEnds()
    {
        string folder = Path.Combine(fixture.Azurite.DataFolder, "retention-" + Guid.NewGuid().ToString("N")[..6]);
        string hub = "retain" + Guid.NewGuid().ToString("N")[..6];
        var settings = new Dictionary<string, string>
        {
            ["Retention__Interval"] = "PT2S",
            ["Retention__ImportSources"] = "PT1S",
            ["Retention__History"] = "PT1S",
            ["Retention__PersonalDataAfterCompletion"] = "PT1S",
        };
        await using ServerProcess server = await ServerProcess.StartAsync(folder, hub, fixture.Azurite.ConnectionString, settings);
        string cohortId = Plans.UniqueId("retain");
        Assert.Equal(HttpStatusCode.Created, (await server.PostJsonAsync("hr", "/api/cohorts", Plans.Compressed(cohortId, "PT10S"))).Status);
        JsonNode import = await Imports.ImportAsync(server, cohortId, Encoding.UTF8.GetBytes(
            "employee_id,email,first_name,last_name,job_title,department,status\nR1,r1.retain@example.com,Ria,One,Data Scientist,Analytics,Active\nR2,r2.retain@example.com,Rob,Two,Claims Handler,Claims,Active\n"));
        string importId = import["importId"]!.GetValue<string>();
        BlobClient source = new BlobServiceClient(fixture.Azurite.ConnectionString).GetBlobContainerClient("imports").GetBlobClient($"{cohortId}/{importId}/source.csv");

        // the applied import's source goes a second after it ended
        await Eventually.WaitAsync(async () => (bool)await source.ExistsAsync(), exists => !exists, TimeSpan.FromSeconds(30), "the stored source deleted");

        // the cohort completes; its lifecycle's history is purged, and the cohort still reads as completed
        await Eventually.WaitAsync(() => server.GetJsonAsync("hr", $"/api/cohorts/{cohortId}"), c => c["status"]!.GetValue<string>() == "completed", TimeSpan.FromSeconds(60), "the cohort completing");
        TableClient instances = new TableServiceClient(fixture.Azurite.ConnectionString).GetTableClient(hub + "Instances");
        await Eventually.WaitAsync(
            () => CountAsync(instances, "cohort:" + cohortId),
            rows => rows == 0, TimeSpan.FromSeconds(60), "the lifecycle's history purged");
        Assert.Equal("completed", (await server.GetJsonAsync("hr", $"/api/cohorts/{cohortId}"))["status"]!.GetValue<string>());

        // and its participants' personal data goes: only pseudonymous rows remain
        JsonNode roster = await Eventually.WaitAsync(
            () => server.GetJsonAsync("hr", $"/api/cohorts/{cohortId}/participants"),
            page => page["items"]!.AsArray().All(p => p!["status"]!.GetValue<string>() == "erased"),
            TimeSpan.FromSeconds(90),
            "every participant erased");
        Assert.Equal(2, roster["items"]!.AsArray().Count);
        Assert.DoesNotContain("retain@example.com", roster.ToJsonString(), StringComparison.Ordinal);
    }

    private static async Task<int> CountAsync(TableClient table, string partition)
    {
        int rows = 0;
        await foreach (TableEntity _ in table.QueryAsync<TableEntity>(TableClient.CreateQueryFilter($"PartitionKey eq {partition}")))
        {
            rows++;
        }

        return rows;
    }
}
