using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json.Nodes;
using Cohorts.TestSupport;

namespace Cohorts.Server.Tests;

/// <summary>
/// Object-level access through the API on Azurite (issue 13, DESIGN.md "HTTP API"): a leader sees only the cohorts
/// they lead, a key confined to <c>claims-*</c> reaches no other cohort, a reviewer sees only what is assigned or
/// escalated to them, an integrator reads a participant without their personal data, and a subscription is its
/// creator's. What a caller may not see answers the same 404 as what does not exist.
/// </summary>
[Collection(EndToEnd.Name)]
public sealed class AccessEndToEndTests(ServerFixture fixture)
{
    /// <summary>The keys this test adds to the shared server: name, key, role and the cohort patterns it is confined to.</summary>
    internal static readonly (string Name, string Key, string Role, string[] Cohorts)[] Keys =
    [
        ("cfo@example.com", "cfo-leader-key-0123456789", "leader", []),
        ("int-claims", "int-claims-key-0123456789", "integrator", ["claims-*"]),
    ];

    private ServerProcess Server => fixture.Server;

    [Fact]
    public async Task EachCallerReachesOnlyWhatIsTheirs_AndWhatIsNotAnswersAsIfAbsent()
    {
        // two cohorts: claims-… led by cio@example.com (the test leader key), fraud-… led by cfo@example.com
        string claims = Plans.UniqueId("claims");
        string fraud = Plans.UniqueId("fraud");
        foreach ((string id, string leader) in new[] { (claims, "cio@example.com"), (fraud, "cfo@example.com") })
        {
            Dictionary<string, object?> plan = Plans.Compressed(id, "P30D", "P60D", "P90D");
            plan["leaders"] = new[] { leader };
            plan["reviewPolicy"] = new Dictionary<string, object?> { ["window"] = "PT10M", ["reminder"] = "PT5M" };
            plan["reviewers"] = new object[]
            {
                new Dictionary<string, object?> { ["id"] = "rev-a", ["email"] = "rev-a@example.com", ["tracks"] = new[] { "builders" } },
                new Dictionary<string, object?> { ["id"] = "rev-backup", ["email"] = "backup@example.com", ["backup"] = true },
            };
            Assert.Equal(HttpStatusCode.Created, (await Server.PostJsonAsync("hr", "/api/cohorts", plan)).Status);
            JsonNode import = await Imports.ImportAsync(Server, id, Encoding.UTF8.GetBytes(
                "employee_id,email,first_name,last_name,job_title,department,status\nA1,ana.ito@example.com,Ana,Ito,Data Scientist,Analytics,Active\n"));
            Assert.Equal("applied", import["state"]!.GetValue<string>());
        }

        // 1. a leader: their own cohort in the list and by id; the other cohort, its report and report list are 404,
        //    worded exactly as for a cohort that does not exist
        List<string> led = await ListIdsAsync(Server.As("leader"));
        Assert.Contains(claims, led);
        Assert.DoesNotContain(fraud, led);
        Assert.Equal(HttpStatusCode.OK, await StatusAsync(Server.As("leader"), HttpMethod.Get, $"/api/cohorts/{claims}"));
        JsonNode hidden = await ProblemAsync(Server.As("leader"), HttpMethod.Get, $"/api/cohorts/{fraud}", HttpStatusCode.NotFound);
        JsonNode absent = await ProblemAsync(Server.As("leader"), HttpMethod.Get, "/api/cohorts/no-such-cohort", HttpStatusCode.NotFound);
        Assert.Equal(("cohortNotFound", "cohortNotFound"), (hidden["code"]!.GetValue<string>(), absent["code"]!.GetValue<string>()));
        Assert.Equal(absent["detail"]!.GetValue<string>().Replace("no-such-cohort", fraud, StringComparison.Ordinal), hidden["detail"]!.GetValue<string>());
        await ProblemAsync(Server.As("leader"), HttpMethod.Get, $"/api/cohorts/{fraud}/reports/1", HttpStatusCode.NotFound, "cohortNotFound");
        await ProblemAsync(Server.As("leader"), HttpMethod.Get, $"/api/cohorts/{fraud}/reports", HttpStatusCode.NotFound, "cohortNotFound");
        // the other leader sees the other cohort only
        List<string> cfo = await ListIdsAsync(Server.WithKey(Keys[0].Key));
        Assert.Contains(fraud, cfo);
        Assert.DoesNotContain(claims, cfo);

        // 2. an integrator confined to claims-*: fraud's outcomes, LMS export, participants and submissions are 404
        HttpClient confined = Server.WithKey(Keys[1].Key);
        string outcome = ServerProcess.ToJson(new { eventId = "ev-1", type = "advisorySupport", participantId = "A1", occurredAt = DateTimeOffset.UtcNow, hours = 2 });
        await ProblemAsync(confined, HttpMethod.Post, $"/api/cohorts/{fraud}/outcomes", HttpStatusCode.NotFound, "cohortNotFound", outcome);
        await ProblemAsync(confined, HttpMethod.Get, $"/api/cohorts/{fraud}/lms/canvas", HttpStatusCode.NotFound, "cohortNotFound");
        await ProblemAsync(confined, HttpMethod.Get, $"/api/cohorts/{fraud}/participants/A1", HttpStatusCode.NotFound, "cohortNotFound");
        Assert.Equal(HttpStatusCode.Created, await StatusAsync(confined, HttpMethod.Post, $"/api/cohorts/{claims}/outcomes", outcome));
        Assert.Equal(HttpStatusCode.OK, await StatusAsync(confined, HttpMethod.Get, $"/api/cohorts/{claims}/lms/canvas"));

        // 3. a participant read by an integrator carries ids, track and assignments, no name, email or manager
        string asIntegrator = await BodyAsync(Server.As("integrator"), $"/api/cohorts/{claims}/participants/A1");
        JsonNode participant = JsonNode.Parse(asIntegrator)!;
        Assert.Equal(("A1", "builders"), (participant["participantId"]!.GetValue<string>(), participant["track"]!.GetValue<string>()));
        Assert.NotEmpty(participant["assignments"]!.AsArray());
        Assert.DoesNotContain("ana.ito@example.com", asIntegrator, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain("Ana", asIntegrator, StringComparison.Ordinal);
        Assert.DoesNotContain("Data Scientist", asIntegrator, StringComparison.Ordinal);
        string asHr = await BodyAsync(Server.As("hr"), $"/api/cohorts/{claims}/participants/A1");
        Assert.Contains("ana.ito@example.com", asHr, StringComparison.Ordinal);

        // 4. a reviewer: the submission assigned to rev-a is 404 to rev-b, by id and in their queue; rev-a sees it
        string submissionId = await ReviewEndToEndTests.SubmitAsync(Server, claims, "A1");
        HttpClient revA = Server.WithKey(ReviewEndToEndTests.ReviewerKeys["rev-a"]);
        HttpClient revB = Server.WithKey(ReviewEndToEndTests.ReviewerKeys["rev-b"]);
        Assert.Equal(HttpStatusCode.OK, await StatusAsync(revA, HttpMethod.Get, $"/api/submissions/{submissionId}"));
        await ProblemAsync(revB, HttpMethod.Get, $"/api/submissions/{submissionId}", HttpStatusCode.NotFound, "submissionNotFound");
        Assert.DoesNotContain(submissionId, await BodyAsync(revB, "/api/submissions"), StringComparison.Ordinal);
        Assert.Contains(submissionId, await BodyAsync(revA, "/api/submissions"), StringComparison.Ordinal);
        // the confined integrator cannot read fraud's submissions in a list either
        string fraudSubmission = await ReviewEndToEndTests.SubmitAsync(Server, fraud, "A1");
        Assert.DoesNotContain(fraudSubmission, await BodyAsync(confined, "/api/submissions?pageSize=200"), StringComparison.Ordinal);
        await ProblemAsync(confined, HttpMethod.Get, $"/api/submissions/{fraudSubmission}", HttpStatusCode.NotFound, "submissionNotFound");

        // 5. a subscription is its creator's: another integrator neither lists, reads nor deletes it; a confined key
        //    must name one of its cohorts
        string subscription = ServerProcess.ToJson(new { url = "http://127.0.0.1:9/hook", events = new[] { "*" }, cohortId = claims });
        string created = await BodyAsync(confined, "/api/subscriptions", subscription, HttpStatusCode.Created);
        string subscriptionId = JsonNode.Parse(created)!["id"]!.GetValue<string>();
        Assert.DoesNotContain(subscriptionId, await BodyAsync(Server.As("integrator"), "/api/subscriptions?pageSize=100"), StringComparison.Ordinal);
        await ProblemAsync(Server.As("integrator"), HttpMethod.Get, $"/api/subscriptions/{subscriptionId}", HttpStatusCode.NotFound, "subscriptionNotFound");
        await ProblemAsync(Server.As("integrator"), HttpMethod.Delete, $"/api/subscriptions/{subscriptionId}", HttpStatusCode.NotFound, "subscriptionNotFound");
        await ProblemAsync(confined, HttpMethod.Post, "/api/subscriptions", HttpStatusCode.BadRequest, "invalidSubscription",
            ServerProcess.ToJson(new { url = "http://127.0.0.1:9/hook", events = new[] { "*" } }));
        Assert.Equal(HttpStatusCode.NoContent, await StatusAsync(confined, HttpMethod.Delete, $"/api/subscriptions/{subscriptionId}"));
    }

    private static async Task<List<string>> ListIdsAsync(HttpClient client)
    {
        using (client)
        {
            JsonNode page = JsonNode.Parse(await client.GetStringAsync(new Uri("/api/cohorts?pageSize=100", UriKind.Relative)))!;
            var ids = page["items"]!.AsArray().Select(i => i!["id"]!.GetValue<string>()).ToList();
            Assert.True(page["continuationToken"] is null, "the test assumes one page of cohorts per caller");
            return ids;
        }
    }

    private static async Task<HttpStatusCode> StatusAsync(HttpClient client, HttpMethod method, string path, string? json = null)
    {
        using HttpResponseMessage response = await SendAsync(client, method, path, json);
        return response.StatusCode;
    }

    private static async Task<string> BodyAsync(HttpClient client, string path, string? json = null, HttpStatusCode expected = HttpStatusCode.OK)
    {
        using HttpResponseMessage response = await SendAsync(client, json is null ? HttpMethod.Get : HttpMethod.Post, path, json);
        string body = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == expected, $"{path} answered {(int)response.StatusCode}: {body}");
        return body;
    }

    private static async Task<JsonNode> ProblemAsync(HttpClient client, HttpMethod method, string path, HttpStatusCode expected, string? code = null, string? json = null)
    {
        using HttpResponseMessage response = await SendAsync(client, method, path, json);
        string body = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == expected, $"{method} {path} answered {(int)response.StatusCode}, not {(int)expected}: {body}");
        JsonNode problem = JsonNode.Parse(body)!;
        if (code is not null)
        {
            Assert.Equal(code, problem["code"]!.GetValue<string>());
        }

        return problem;
    }

    private static Task<HttpResponseMessage> SendAsync(HttpClient client, HttpMethod method, string path, string? json)
    {
        var request = new HttpRequestMessage(method, new Uri(path, UriKind.Relative));
        if (json is not null)
        {
            request.Content = new StringContent(json, Encoding.UTF8, new MediaTypeHeaderValue("application/json"));
        }

        return client.SendAsync(request);
    }
}
