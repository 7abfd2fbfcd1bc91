using System.Net;
using System.Text;
using System.Text.Json.Nodes;
using Cohorts.TestSupport;

namespace Cohorts.Server.Tests;

/// <summary>
/// A programme changing under way, through the API on Azurite: found in the list, changed by merge patch under
/// If-Match (428, 412, 200), a reviewer replaced whose open review moves — same due time — to the new reviewer, who sees
/// it in their queue and decides it while the old one is refused; and the schedule of a running cohort is fixed.
/// </summary>
[Collection(EndToEnd.Name)]
public sealed class CohortChangeEndToEndTests(ServerFixture fixture)
{
    private ServerProcess Server => fixture.Server;

    [Fact]
    public async Task ReplacingAReviewer_MovesTheirOpenReview_KeepingItsDueTime_AndOnlyTheNewReviewerMayDecide()
    {
        string cohortId = Plans.UniqueId("change");
        Dictionary<string, object?> plan = Plans.Compressed(cohortId, "P30D", "P60D", "P90D");
        plan["reviewPolicy"] = new Dictionary<string, object?> { ["window"] = "PT10M", ["reminder"] = "PT5M" };
        plan["reviewers"] = new object[]
        {
            new Dictionary<string, object?> { ["id"] = "rev-a", ["email"] = "rev-a@example.com", ["tracks"] = new[] { "builders" } },
            new Dictionary<string, object?> { ["id"] = "rev-backup", ["email"] = "backup@example.com", ["backup"] = true },
        };
        Assert.Equal(HttpStatusCode.Created, (await Server.PostJsonAsync("hr", "/api/cohorts", plan)).Status);
        JsonNode import = await Imports.ImportAsync(Server, cohortId, Encoding.UTF8.GetBytes(
            "employee_id,email,first_name,last_name,job_title,department,status\nB1,b1@example.com,Bea,One,Data Scientist,Analytics,Active\n"));
        Assert.Equal("applied", import["state"]!.GetValue<string>());
        string submissionId = await ReviewEndToEndTests.SubmitAsync(Server, cohortId, "B1");
        JsonNode before = await Server.GetJsonAsync("integrator", $"/api/submissions/{submissionId}");
        Assert.Equal("rev-a", before["reviewerId"]!.GetValue<string>());
        await ReviewEndToEndTests.WaitForMessageAsync(Server, fixture.DataFolder, submissionId, "request");

        // found in the list of cohorts
        Assert.Contains(await AllCohortIdsAsync(), id => id == cohortId);

        // without If-Match: 428; with a made-up revision: 412; nothing changed by either
        JsonObject replaceReviewer = new()
        {
            ["reviewers"] = new JsonArray(
                new JsonObject { ["id"] = "rev-b", ["email"] = "rev-b@example.com", ["tracks"] = new JsonArray("builders") },
                new JsonObject { ["id"] = "rev-backup", ["email"] = "backup@example.com", ["backup"] = true }),
            ["name"] = "Claims triage cohort (spring)",
        };
        (HttpStatusCode status, JsonNode body, _) = await Plans.PatchAsync(Server, cohortId, replaceReviewer, ifMatch: null);
        Assert.Equal((HttpStatusCode)428, status);
        Assert.Equal("preconditionRequired", body["code"]!.GetValue<string>());
        (status, body, _) = await Plans.PatchAsync(Server, cohortId, replaceReviewer, ifMatch: "\"7\"");
        Assert.Equal(HttpStatusCode.PreconditionFailed, status);
        Assert.Equal("preconditionFailed", body["code"]!.GetValue<string>());
        (string etag, JsonNode unchanged) = await Plans.GetWithETagAsync(Server, cohortId);
        Assert.Equal("\"1\"", etag);
        Assert.Equal("Claims triage cohort", unchanged["name"]!.GetValue<string>());

        // with the current ETag: 200, a new ETag, the change recorded with who made it and what it changed
        (status, body, string? newTag) = await Plans.PatchAsync(Server, cohortId, replaceReviewer, etag);
        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Equal("\"2\"", newTag);
        Assert.Equal("Claims triage cohort (spring)", body["name"]!.GetValue<string>());
        JsonNode change = Assert.Single(body["changes"]!.AsArray())!;
        Assert.Equal(("test-hr", 2), (change["by"]!.GetValue<string>(), change["revision"]!.GetValue<int>()));
        Assert.Equal(["name", "reviewers"], change["fields"]!.AsArray().Select(f => f!.GetValue<string>()).Order());
        // the ETag read before the change is stale now
        Assert.Equal(HttpStatusCode.PreconditionFailed, (await Plans.PatchAsync(Server, cohortId, new JsonObject { ["name"] = "Again" }, etag)).Status);

        // the open review moved to the new reviewer with its due time, and the new reviewer was told
        JsonNode after = await Server.GetJsonAsync("integrator", $"/api/submissions/{submissionId}");
        Assert.Equal("rev-b", after["reviewerId"]!.GetValue<string>());
        Assert.Equal(before["dueAt"]!.GetValue<DateTimeOffset>(), after["dueAt"]!.GetValue<DateTimeOffset>());
        Assert.Equal(before["submittedAt"]!.GetValue<DateTimeOffset>(), after["submittedAt"]!.GetValue<DateTimeOffset>());
        JsonNode move = Assert.Single(after["moves"]!.AsArray())!;
        Assert.Equal(("rev-a", "rev-b"), (move["from"]!.GetValue<string>(), move["to"]!.GetValue<string>()));
        await ReviewEndToEndTests.WaitForMessageAsync(Server, fixture.DataFolder, submissionId, "reassigned-1");
        using (MimeKit.MimeMessage told = MimeKit.MimeMessage.Load(Path.Combine(fixture.DataFolder, "outbox", $"{submissionId}.reassigned-1.eml")))
        {
            Assert.Equal(["rev-b@example.com"], told.To.Mailboxes.Select(m => m.Address));
        }

        // the new reviewer sees it in their queue; the old one no longer does, and may not ask for another's queue
        JsonNode queue = await GetAsReviewerAsync("rev-b", "/api/submissions?status=open", HttpStatusCode.OK);
        Assert.Contains(queue["items"]!.AsArray(), s => s!["submissionId"]!.GetValue<string>() == submissionId);
        JsonNode oldQueue = await GetAsReviewerAsync("rev-a", $"/api/submissions?cohortId={cohortId}", HttpStatusCode.OK);
        Assert.Empty(oldQueue["items"]!.AsArray());
        Assert.Equal("notYourReview", (await GetAsReviewerAsync("rev-a", "/api/submissions?reviewerId=rev-b", HttpStatusCode.Forbidden))["code"]!.GetValue<string>());

        // the old reviewer is refused; the new one decides
        Assert.Equal("notYourReview", (await ReviewEndToEndTests.DecideAsync(Server, "rev-a", submissionId, "accepted", HttpStatusCode.Forbidden))["code"]!.GetValue<string>());
        JsonNode decided = await ReviewEndToEndTests.DecideAsync(Server, "rev-b", submissionId, "accepted", HttpStatusCode.OK);
        Assert.Equal(("accepted", "rev-b"), (decided["status"]!.GetValue<string>(), decided["decidedBy"]!.GetValue<string>()));
        await ReviewEndToEndTests.WaitForMessageAsync(Server, fixture.DataFolder, submissionId, "decision");

        // a running cohort keeps its schedule: 409 naming the field, and nothing changes
        await Eventually.WaitAsync(() => Server.GetJsonAsync("hr", $"/api/cohorts/{cohortId}"), c => c["status"]!.GetValue<string>() == "running", TimeSpan.FromSeconds(30), "running");
        (status, body, _) = await Plans.PatchAsync(Server, cohortId, new JsonObject { ["checkpoints"] = new JsonArray("P10D", "P20D") }, newTag);
        Assert.Equal(HttpStatusCode.Conflict, status);
        Assert.Equal(("immutableField", "checkpoints"), (body["code"]!.GetValue<string>(), body["field"]!.GetValue<string>()));
        // an unknown member is named; a patch that makes the plan invalid names the field; neither changes anything
        (status, body, _) = await Plans.PatchAsync(Server, cohortId, new JsonObject { ["nmae"] = "typo" }, newTag);
        Assert.Equal((HttpStatusCode.BadRequest, "invalidJson", "nmae"), (status, body["code"]!.GetValue<string>(), body["field"]!.GetValue<string>()));
        (status, body, _) = await Plans.PatchAsync(Server, cohortId, new JsonObject { ["leaders"] = new JsonArray("not an address") }, newTag);
        Assert.Equal((HttpStatusCode.BadRequest, "invalidPlan"), (status, body["code"]!.GetValue<string>()));
        Assert.Equal("\"2\"", (await Plans.GetWithETagAsync(Server, cohortId)).ETag);
    }

    private async Task<List<string>> AllCohortIdsAsync()
    {
        var ids = new List<string>();
        string? token = null;
        do
        {
            JsonNode page = await Server.GetJsonAsync("hr", "/api/cohorts?pageSize=100" + (token is null ? string.Empty : "&continuationToken=" + Uri.EscapeDataString(token)));
            ids.AddRange(page["items"]!.AsArray().Select(c => c!["id"]!.GetValue<string>()));
            token = page["continuationToken"]?.GetValue<string>();
        }
        while (token is not null);
        return ids;
    }

    private async Task<JsonNode> GetAsReviewerAsync(string reviewer, string path, HttpStatusCode expected)
    {
        using HttpClient client = Server.WithKey(ReviewEndToEndTests.ReviewerKeys[reviewer]);
        using HttpResponseMessage response = await client.GetAsync(new Uri(path, UriKind.Relative));
        string body = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == expected, $"GET {path} as {reviewer} answered {(int)response.StatusCode}: {body}");
        return JsonNode.Parse(body)!;
    }
}
