using System.Net;
using System.Text.Json.Nodes;
using Cohorts.TestSupport;

namespace Cohorts.Server.Tests;

[Collection(EndToEnd.Name)]
public sealed class CohortLifecycleEndToEndTests(ServerFixture fixture)
{
    private ServerProcess Server => fixture.Server;

    [Fact]
    public async Task Cohort_WithThreeFiveSecondCheckpoints_CompletesWithThreeSnapshots()
    {
        string id = Plans.UniqueId("life");
        (HttpStatusCode status, JsonNode? created) = await Server.PostJsonAsync("hr", "/api/cohorts", Plans.Compressed(id, "PT5S", "PT10S", "PT15S"));
        Assert.Equal(HttpStatusCode.Created, status);
        Assert.Equal("PT5S", created!["checkpoints"]![0]!["offset"]!.GetValue<string>());
        DateTimeOffset startsAt = created["startsAt"]!.GetValue<DateTimeOffset>();

        JsonNode done = await Eventually.WaitAsync(
            () => Server.GetJsonAsync("leader", $"/api/cohorts/{id}"),
            cohort => cohort["status"]!.GetValue<string>() != "running" && cohort["status"]!.GetValue<string>() != "scheduled",
            TimeSpan.FromSeconds(90),
            "the cohort finishing");

        Assert.Equal("completed", done["status"]!.GetValue<string>());
        JsonArray checkpoints = done["checkpoints"]!.AsArray();
        Assert.Equal([1, 2, 3], checkpoints.Select(c => c!["ordinal"]!.GetValue<int>()));
        Assert.All(checkpoints, c => Assert.Equal("recorded", c!["status"]!.GetValue<string>()));
        int[] offsets = [5, 10, 15];
        for (int i = 0; i < 3; i++)
        {
            // recorded at its due time: never before it (this backend's timers fire up to a second early; the lifecycle
            // sets them again), not much after
            DateTimeOffset recordedAt = checkpoints[i]!["recordedAt"]!.GetValue<DateTimeOffset>();
            Assert.Equal(startsAt.AddSeconds(offsets[i]), checkpoints[i]!["dueAt"]!.GetValue<DateTimeOffset>());
            Assert.InRange(recordedAt, startsAt.AddSeconds(offsets[i]), startsAt.AddSeconds(offsets[i] + 30));
        }

        Assert.True(checkpoints[2]!["final"]!.GetValue<bool>());
    }

    [Fact]
    public async Task Cohort_Cancelled_StopsAndKeepsWhatWasRecorded_ThenRefusesASecondCancel()
    {
        string id = Plans.UniqueId("cancel");
        Assert.Equal(HttpStatusCode.Created, (await Server.PostJsonAsync("hr", "/api/cohorts", Plans.Compressed(id, "PT2S", "PT1H"))).Status);
        await Eventually.WaitAsync(
            () => Server.GetJsonAsync("hr", $"/api/cohorts/{id}"),
            c => c["checkpoints"]![0]!["status"]!.GetValue<string>() == "recorded",
            TimeSpan.FromSeconds(60),
            "the first checkpoint");

        (HttpStatusCode accepted, _) = await Server.PostJsonAsync("hr", $"/api/cohorts/{id}/cancel", new { });
        Assert.Equal(HttpStatusCode.Accepted, accepted);

        JsonNode cancelled = await Eventually.WaitAsync(
            () => Server.GetJsonAsync("hr", $"/api/cohorts/{id}"),
            c => c["status"]!.GetValue<string>() == "cancelled",
            TimeSpan.FromSeconds(30),
            "the cancellation");
        Assert.Equal(["recorded", "pending"], cancelled["checkpoints"]!.AsArray().Select(c => c!["status"]!.GetValue<string>()));

        (HttpStatusCode again, JsonNode? problem) = await Server.PostJsonAsync("hr", $"/api/cohorts/{id}/cancel", new { });
        Assert.Equal(HttpStatusCode.Conflict, again);
        Assert.Equal("cohortClosed", problem!["code"]!.GetValue<string>());
    }
}
