using System.Net;
using Cohorts.TestSupport;

namespace Cohorts.Server.Tests;

/// <summary>
/// Two servers on one storage account and task hub (<c>Server:Partitions</c> 4), as a scaled-out deployment runs: both
/// take requests and run reviews, one is killed mid-run, and the other takes over its partitions when their leases lapse
/// and finishes every review with exactly one request and one decision message each. The servers write to one outbox
/// folder, as a deployment's servers send through one mail service: a message is its own sent-marker there.
/// </summary>
[Collection(OwnServers.Name)]
public sealed class ScaleOutEndToEndTests(OwnServersFixture fixture)
{
    private const int People = 40;

    [Fact]
    public async Task TwoServersOnOneTaskHub_OneKilledMidRun_TheOtherFinishesEveryReview_WithOneMessageOfEachKind()
    {
        string root = Path.Combine(fixture.Azurite.DataFolder, "scaleout-" + Guid.NewGuid().ToString("N")[..6]);
        string outbox = Path.Combine(root, "outbox");
        string hub = "scaleout" + Guid.NewGuid().ToString("N")[..6];
        // short leases and visibility, so that the survivor takes over within seconds rather than the defaults' 15 and 30
        var settings = new Dictionary<string, string>
        {
            ["Server__Partitions"] = "4",
            ["Server__OutboxFolder"] = outbox,
            ["Server__LeaseInterval"] = "00:00:06",
            ["Server__QueueVisibilityTimeout"] = "00:00:10",
        };
        await using ServerProcess killed = await ReviewEndToEndTests.StartWithReviewersAsync(fixture.Azurite, Path.Combine(root, "a"), hub, settings);
        await using ServerProcess survivor = await ReviewEndToEndTests.StartWithReviewersAsync(fixture.Azurite, Path.Combine(root, "b"), hub, settings);

        string cohortId = Plans.UniqueId("scaleout");
        Dictionary<string, object?> plan = Plans.WithBuildersReviewer(cohortId, "rev-a"); // a two-day window: nothing but the verdict ends a review here
        Assert.Equal(HttpStatusCode.Created, (await killed.PostJsonAsync("hr", "/api/cohorts", plan)).Status);
        var csv = new System.Text.StringBuilder("employee_id,email,first_name,last_name,job_title,department,status\n");
        for (int i = 1; i <= People; i++)
        {
            csv.Append(System.Globalization.CultureInfo.InvariantCulture, $"S{i},s{i}@example.com,S,{i},Data Scientist,Analytics,Active\n");
        }

        Assert.Equal(People, Imports.Count(await Imports.ImportAsync(survivor, cohortId, System.Text.Encoding.UTF8.GetBytes(csv.ToString())), "joiners"));

        // a first wave on both servers, all at once; the one to be killed dies as soon as it has requested a review
        var ids = new List<string>(await Task.WhenAll(Enumerable.Range(1, People / 2).Select(i => ReviewEndToEndTests.SubmitAsync(i % 2 == 0 ? killed : survivor, cohortId, $"S{i}"))));
        await Eventually.WaitAsync(() => Task.FromResult(killed.ReadLog()), log => log.Contains($"review.requested in cohort {cohortId}", StringComparison.Ordinal), TimeSpan.FromSeconds(60), "a review requested by the server to be killed");
        await killed.CrashAsync();

        // a second wave on the survivor: the reviews in the dead server's partitions wait for their leases to lapse
        foreach (int i in Enumerable.Range(People / 2 + 1, People / 2))
        {
            ids.Add(await ReviewEndToEndTests.SubmitAsync(survivor, cohortId, $"S{i}"));
        }

        await Eventually.WaitAsync(() => Task.FromResult(Requests(outbox, cohortId).Length), n => n == People, TimeSpan.FromSeconds(120), "every review request, from the survivor");
        foreach (string id in ids)
        {
            await ReviewEndToEndTests.DecideAsync(survivor, "rev-a", id, "accepted", HttpStatusCode.OK);
        }

        await Eventually.WaitAsync(() => Task.FromResult(Messages(outbox, cohortId, "decision").Length), n => n == People, TimeSpan.FromSeconds(120), "every decision message");
        await Task.Delay(TimeSpan.FromSeconds(3)); // a duplicate would come now

        Assert.Equal(ids.Select(id => $"{id}.request.eml").Order(StringComparer.Ordinal), Requests(outbox, cohortId));
        Assert.Equal(ids.Select(id => $"{id}.decision.eml").Order(StringComparer.Ordinal), Messages(outbox, cohortId, "decision"));
        foreach (string id in ids)
        {
            JsonNodeStatus(await survivor.GetJsonAsync("integrator", $"/api/submissions/{id}"), id);
        }

        // the survivor ran reviews too (each server logs the events its activities raise)
        Assert.Contains($"review.requested in cohort {cohortId}", survivor.ReadLog(), StringComparison.Ordinal);
        await survivor.StopAsync();
    }

    private static void JsonNodeStatus(System.Text.Json.Nodes.JsonNode submission, string id) =>
        Assert.True(submission["status"]!.GetValue<string>() == "accepted", $"{id}: {submission["status"]}");

    private static string[] Requests(string outbox, string cohortId) => Messages(outbox, cohortId, "request");

    private static string[] Messages(string outbox, string cohortId, string kind) =>
        Directory.Exists(outbox)
            ? Directory.GetFiles(outbox, $"{cohortId}*.{kind}*.eml").Select(f => Path.GetFileName(f)!).Order(StringComparer.Ordinal).ToArray()
            : [];
}
