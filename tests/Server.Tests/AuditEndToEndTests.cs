using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json.Nodes;
using Cohorts.TestSupport;

namespace Cohorts.Server.Tests;

/// <summary>
/// The audit log through the API on Azurite (issue 13, Done when 4): a programme run end to end — create, dry-run
/// import, apply, track override, submission, verdict, cancel — and the cohort's log lists each change with the
/// caller and the role they acted in, in the order they were made, beside the workflow's own changes.
/// </summary>
[Collection(EndToEnd.Name)]
public sealed class AuditEndToEndTests(ServerFixture fixture)
{
    private ServerProcess Server => fixture.Server;

    [Fact]
    public async Task AnEndToEndRun_IsListedChangeByChange_WithItsActorsAndRoles_InOrder()
    {
        string cohortId = Plans.UniqueId("audit");
        Dictionary<string, object?> plan = Plans.Compressed(cohortId, "P30D", "P60D", "P90D");
        plan["reviewPolicy"] = new Dictionary<string, object?> { ["window"] = "PT10M", ["reminder"] = "PT5M" };
        plan["reviewers"] = new object[] { new Dictionary<string, object?> { ["id"] = "rev-a", ["email"] = "rev-a@example.com", ["tracks"] = new[] { "builders" } } };
        Assert.Equal(HttpStatusCode.Created, (await Server.PostJsonAsync("hr", "/api/cohorts", plan)).Status);

        byte[] csv = Encoding.UTF8.GetBytes("employee_id,email,first_name,last_name,job_title,department,status\nB1,b1@example.com,Bea,One,Data Scientist,Analytics,Active\nC1,c1@example.com,Cy,Two,Claims Handler,Claims,Active\n");
        JsonNode dryRun = await Imports.ImportAsync(Server, cohortId, csv, "?dryRun=true");
        string importId = dryRun["importId"]!.GetValue<string>();
        Assert.Equal("awaitingApply", dryRun["state"]!.GetValue<string>());
        Assert.Equal(HttpStatusCode.Accepted, (await Server.PostJsonAsync("hr", $"/api/cohorts/{cohortId}/imports/{importId}/apply", new { })).Status);
        await Imports.SettledAsync(Server, cohortId, importId);

        using (HttpClient hr = Server.As("hr"))
        using (var track = new StringContent("""{"track":"consumers","reason":"uses the model daily"}""", Encoding.UTF8, new MediaTypeHeaderValue("application/json")))
        {
            Assert.Equal(HttpStatusCode.OK, (await hr.PutAsync(new Uri($"/api/cohorts/{cohortId}/participants/C1/track", UriKind.Relative), track)).StatusCode);
        }

        string submissionId = await ReviewEndToEndTests.SubmitAsync(Server, cohortId, "B1");
        await ReviewEndToEndTests.DecideAsync(Server, "rev-a", submissionId, "rework", HttpStatusCode.OK);
        // the reworked submission: refused to a reviewer it is not assigned to, then decided by an admin
        string second = await ReviewEndToEndTests.SubmitAsync(Server, cohortId, "B1");
        await ReviewEndToEndTests.DecideAsync(Server, "rev-b", second, "accepted", HttpStatusCode.Forbidden);
        await ReviewEndToEndTests.DecideAsync(Server, "admin", second, "accepted", HttpStatusCode.OK);
        Assert.Equal(HttpStatusCode.Accepted, (await Server.PostJsonAsync("hr", $"/api/cohorts/{cohortId}/cancel", new { })).Status);

        // the log, newest first, read in pages of 3 so that paging is exercised; then oldest first for reading
        List<JsonNode> entries = await ReadAllAsync(Server, cohortId, pageSize: 3);
        entries.Reverse();
        var byRequest = entries.Where(e => e["actorRole"]!.GetValue<string>() != "system")
            .Select(e => (e["action"]!.GetValue<string>(), e["actorId"]!.GetValue<string>(), e["actorRole"]!.GetValue<string>(), e["outcome"]!.GetValue<string>()))
            .ToList();
        // a person's reading of the run above: who did what, in order
        (string, string, string, string)[] expected =
        [
            ("createCohort", "test-hr", "hr", "succeeded"),
            ("startImport", "test-hr", "hr", "succeeded"),
            ("applyImport", "test-hr", "hr", "succeeded"),
            ("setParticipantTrack", "test-hr", "hr", "succeeded"),
            ("createSubmission", "test-integrator", "integrator", "succeeded"),
            ("reviewSubmission", "rev-a", "reviewer", "succeeded"),
            ("createSubmission", "test-integrator", "integrator", "succeeded"),
            ("reviewSubmission", "rev-b", "reviewer", "refused"),
            ("reviewSubmission", "test-admin", "admin", "succeeded"),
            ("cancelCohort", "test-hr", "hr", "succeeded"),
        ];
        Assert.Equal(expected, byRequest);

        // each names what it touched
        JsonNode overrideEntry = entries.Single(e => e["action"]!.GetValue<string>() == "setParticipantTrack");
        Assert.Equal(("C1", false), (overrideEntry["targets"]!["participantId"]!.GetValue<string>(), overrideEntry["adminOverride"]!.GetValue<bool>()));
        Assert.Equal(importId, entries.Single(e => e["action"]!.GetValue<string>() == "applyImport")["targets"]!["importId"]!.GetValue<string>());
        Assert.Equal(submissionId, entries.First(e => e["action"]!.GetValue<string>() == "createSubmission")["targets"]!["created"]!.GetValue<string>());

        // the workflow's own changes sit among them, in order: the import applied before the override, the review
        // decided after the verdict, the cohort cancelled last
        List<string> actions = entries.Select(e => e["action"]!.GetValue<string>()).ToList();
        Assert.True(actions.IndexOf("import.applied") > actions.IndexOf("applyImport") && actions.IndexOf("import.applied") < actions.IndexOf("setParticipantTrack"), string.Join(", ", actions));
        Assert.Contains("participant.joined", actions);
        Assert.True(actions.IndexOf("review.decided") > actions.IndexOf("reviewSubmission"), string.Join(", ", actions));
        await Eventually.WaitAsync(async () => (await ReadAllAsync(Server, cohortId, 200)).Select(e => e["action"]!.GetValue<string>()).ToList(), a => a.Contains("cohort.cancelled"), TimeSpan.FromSeconds(30), "the cancel recorded by the workflow");
        Assert.All(entries.Where(e => e["actorRole"]!.GetValue<string>() == "system"), e => Assert.Equal("workflow", e["actorId"]!.GetValue<string>()));

        // an admin deciding a review is named as an override; a refused change carries the status it was answered
        List<JsonNode> decisions = entries.Where(e => e["action"]!.GetValue<string>() == "reviewSubmission").ToList();
        Assert.Equal((false, false, true), (decisions[0]["adminOverride"]!.GetValue<bool>(), decisions[1]["adminOverride"]!.GetValue<bool>(), decisions[2]["adminOverride"]!.GetValue<bool>()));
        Assert.Equal((200, 403, 200), (decisions[0]["status"]!.GetValue<int>(), decisions[1]["status"]!.GetValue<int>(), decisions[2]["status"]!.GetValue<int>()));
    }

    /// <summary>Every entry of the cohort's audit log, newest first, read page by page as hr.</summary>
    internal static async Task<List<JsonNode>> ReadAllAsync(ServerProcess server, string cohortId, int pageSize)
    {
        var all = new List<JsonNode>();
        string? token = null;
        do
        {
            string query = $"/api/cohorts/{cohortId}/audit?pageSize={pageSize}" + (token is null ? string.Empty : "&continuationToken=" + Uri.EscapeDataString(token));
            JsonNode page = await server.GetJsonAsync("hr", query);
            all.AddRange(page["items"]!.AsArray().Select(i => i!));
            token = page["continuationToken"]?.GetValue<string>();
        }
        while (token is not null);
        return all;
    }
}
