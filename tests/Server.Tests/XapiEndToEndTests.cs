using System.Net;
using System.Text;
using System.Text.Json.Nodes;
using Cohorts.TestSupport;

namespace Cohorts.Server.Tests;

/// <summary>
/// The xAPI Statement resource on Azurite through the API, with statements shaped as learning platforms send them (an
/// account-identified actor as LinkedIn Learning's integration maps learners, an mbox actor as Udemy Business sends by
/// default) and the LRS rules of the ADL specification that Cohorts keeps: the version header, one statement per id, a
/// conflicting repeat refused, a bad batch stored not at all.
/// </summary>
[Collection(EndToEnd.Name)]
public sealed class XapiEndToEndTests(ServerFixture fixture)
{
    private const string Version = "1.0.3";

    private ServerProcess Server => fixture.Server;

    [Fact]
    public async Task Statements_CompleteAndScoreSteps_AreKeptOncePerId_AndUnmatchedOnesAreCounted()
    {
        string cohortId = await Plans.CreateAsync(Server, "xapi");
        const string People = "employee_id,email,first_name,last_name,job_title,department,status\n"
            + "B1,b1@example.com,Bea,One,Data Scientist,Analytics,Active\nB2,b2@example.com,Bo,Two,Data Scientist,Analytics,Active\n";
        Assert.Equal("applied", (await Imports.ImportAsync(Server, cohortId, Encoding.UTF8.GetBytes(People)))["state"]!.GetValue<string>());
        string framing = $"urn:cohorts:{cohortId}:steps:builders-1";
        DateTimeOffset sent = DateTimeOffset.UtcNow.AddMinutes(-1);

        // as an account-identified learner (the employee id), completing the framing step
        string completedId = Guid.NewGuid().ToString();
        var completed = new JsonObject
        {
            ["id"] = completedId,
            ["actor"] = new JsonObject { ["objectType"] = "Agent", ["name"] = "Bea One", ["account"] = new JsonObject { ["homePage"] = "https://www.linkedin.com", ["name"] = "B1" } },
            ["verb"] = new JsonObject { ["id"] = "http://adlnet.gov/expapi/verbs/completed", ["display"] = new JsonObject { ["en-US"] = "completed" } },
            ["object"] = new JsonObject
            {
                ["objectType"] = "Activity",
                ["id"] = framing,
                ["definition"] = new JsonObject { ["type"] = "http://adlnet.gov/expapi/activities/course", ["name"] = new JsonObject { ["en-US"] = "Framing the claims model" } },
            },
            ["result"] = new JsonObject { ["completion"] = true, ["duration"] = "PT42M" },
            ["timestamp"] = sent.ToString("O"),
        };

        // without the version header: 400, and the answer still names the version
        using (HttpResponseMessage bare = await SendAsync(HttpMethod.Post, "/api/xapi/statements", completed.ToJsonString(), version: null))
        {
            Assert.Equal((HttpStatusCode.BadRequest, "xapiVersionRequired"), (bare.StatusCode, await CodeAsync(bare)));
            Assert.Equal(Version, bare.Headers.GetValues("X-Experience-API-Version").Single());
        }

        Assert.Equal([completedId], await PostAsync(completed));
        JsonNode participant = await Server.GetJsonAsync("hr", $"/api/cohorts/{cohortId}/participants/B1");
        Assert.Equal("completed", participant["assignments"]!.AsArray().Single(a => a!["stepId"]!.GetValue<string>() == "builders-1")!["state"]!.GetValue<string>());

        // the same statement again is accepted and changes nothing; the same id with other content is refused
        Assert.Equal([completedId], await PostAsync(completed));
        var changed = (JsonObject)completed.DeepClone();
        changed["result"]!["duration"] = "PT5M";
        using (HttpResponseMessage conflict = await SendAsync(HttpMethod.Post, "/api/xapi/statements", changed.ToJsonString()))
        {
            Assert.Equal((HttpStatusCode.Conflict, "statementConflict"), (conflict.StatusCode, await CodeAsync(conflict)));
        }

        // as an mbox learner (a work email) with a scaled score, by PUT under its id
        string scoredId = Guid.NewGuid().ToString();
        var scored = new JsonObject
        {
            ["actor"] = new JsonObject { ["mbox"] = "mailto:b2@example.com", ["name"] = "Bo Two" },
            ["verb"] = new JsonObject { ["id"] = "http://adlnet.gov/expapi/verbs/passed", ["display"] = new JsonObject { ["en-US"] = "passed" } },
            ["object"] = new JsonObject { ["id"] = framing },
            ["result"] = new JsonObject { ["score"] = new JsonObject { ["scaled"] = 0.8 }, ["success"] = true, ["completion"] = true },
            ["timestamp"] = sent.ToString("O"),
        };
        using (HttpResponseMessage put = await SendAsync(HttpMethod.Put, $"/api/xapi/statements?statementId={scoredId}", scored.ToJsonString()))
        {
            Assert.Equal(HttpStatusCode.NoContent, put.StatusCode);
        }

        Assert.Equal("completed", (await Server.GetJsonAsync("hr", $"/api/cohorts/{cohortId}/participants/B2"))["assignments"]!.AsArray()
            .Single(a => a!["stepId"]!.GetValue<string>() == "builders-1")!["state"]!.GetValue<string>());

        // an actor nobody knows, and an object that is no step: kept and counted, not refused
        var stranger = (JsonObject)scored.DeepClone();
        stranger["actor"] = new JsonObject { ["account"] = new JsonObject { ["homePage"] = "https://lms.example.com", ["name"] = "NOBODY" } };
        var course = (JsonObject)scored.DeepClone();
        course["object"] = new JsonObject { ["id"] = "https://www.udemy.com/course/some-course/" };
        Assert.Equal(2, (await PostAsync(new JsonArray(stranger, course))).Count);
        JsonNode records = (await Server.GetJsonAsync("hr", $"/api/cohorts/{cohortId}"))["learningRecords"]!;
        Assert.Equal((3, 1), (records["received"]!.GetValue<int>(), records["unmatched"]!.GetValue<int>()));

        // a batch with one bad statement is refused whole, naming it; its good statement is not stored
        string goodId = Guid.NewGuid().ToString();
        var good = (JsonObject)scored.DeepClone();
        good["id"] = goodId;
        var noVerb = (JsonObject)scored.DeepClone();
        noVerb.Remove("verb");
        using (HttpResponseMessage bad = await SendAsync(HttpMethod.Post, "/api/xapi/statements", new JsonArray(good, noVerb).ToJsonString()))
        {
            Assert.Equal((HttpStatusCode.BadRequest, "invalidStatement", "[1].verb.id"), (bad.StatusCode, await CodeAsync(bad), JsonNode.Parse(await bad.Content.ReadAsStringAsync())!["field"]!.GetValue<string>()));
        }

        using (HttpResponseMessage missing = await SendAsync(HttpMethod.Get, $"/api/xapi/statements?statementId={goodId}", null))
        {
            Assert.Equal((HttpStatusCode.NotFound, "statementNotFound"), (missing.StatusCode, await CodeAsync(missing)));
        }

        // read back: one by id as sent, and the stored ones a page at a time
        using (HttpResponseMessage one = await SendAsync(HttpMethod.Get, $"/api/xapi/statements?statementId={completedId}", null))
        {
            JsonNode back = JsonNode.Parse(await one.Content.ReadAsStringAsync())!;
            Assert.Equal(("B1", "PT42M"), (back["actor"]!["account"]!["name"]!.GetValue<string>(), back["result"]!["duration"]!.GetValue<string>()));
        }

        var seen = new List<string>();
        string next = $"/api/xapi/statements?since={Uri.EscapeDataString(sent.AddMinutes(-5).ToString("O"))}&limit=2";
        while (next.Length > 0)
        {
            using HttpResponseMessage page = await SendAsync(HttpMethod.Get, next, null);
            JsonNode result = JsonNode.Parse(await page.Content.ReadAsStringAsync())!;
            Assert.True(result["statements"]!.AsArray().Count <= 2);
            seen.AddRange(result["statements"]!.AsArray().Select(s => s!["id"]!.GetValue<string>()));
            next = result["more"]!.GetValue<string>();
        }

        Assert.Contains(completedId, seen);
        Assert.Contains(scoredId, seen);
        Assert.Single(seen, completedId); // stored once, though sent twice
        Assert.DoesNotContain(goodId, seen);
    }

    private async Task<List<string>> PostAsync(JsonNode body)
    {
        using HttpResponseMessage response = await SendAsync(HttpMethod.Post, "/api/xapi/statements", body.ToJsonString());
        string text = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == HttpStatusCode.OK, $"POST statements answered {(int)response.StatusCode}: {text}");
        Assert.Equal(Version, response.Headers.GetValues("X-Experience-API-Version").Single());
        return JsonNode.Parse(text)!.AsArray().Select(i => i!.GetValue<string>()).ToList();
    }

    private async Task<HttpResponseMessage> SendAsync(HttpMethod method, string path, string? json, string? version = Version)
    {
        using HttpClient client = Server.As("integrator");
        using var request = new HttpRequestMessage(method, new Uri(path, UriKind.Relative));
        if (json is not null)
        {
            request.Content = new StringContent(json, Encoding.UTF8, "application/json");
        }

        if (version is not null)
        {
            request.Headers.Add("X-Experience-API-Version", version);
        }

        return await client.SendAsync(request);
    }

    private static async Task<string?> CodeAsync(HttpResponseMessage response) =>
        JsonNode.Parse(await response.Content.ReadAsStringAsync())?["code"]?.GetValue<string>();
}
