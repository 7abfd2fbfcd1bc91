using System.Net;
using System.Text;
using System.Text.Json.Nodes;
using Azure.Data.Tables;
using Cohorts.TestSupport;

namespace Cohorts.Server.Tests;

[Collection(EndToEnd.Name)]
public sealed class CohortApiContractTests(ServerFixture fixture)
{
    private ServerProcess Server => fixture.Server;

    [Fact]
    public async Task Cohorts_AreListedInPages_ByStatus_ToHrAndLeaders()
    {
        string prefix = Plans.UniqueId("list");
        string[] ids = [$"{prefix}-a", $"{prefix}-b", $"{prefix}-c"];
        foreach (string id in ids)
        {
            Assert.Equal(HttpStatusCode.Created, (await Server.PostJsonAsync("hr", "/api/cohorts", Plans.Compressed(id, "P30D"))).Status);
        }

        Assert.Equal(HttpStatusCode.Accepted, (await Server.PostJsonAsync("hr", $"/api/cohorts/{ids[1]}/cancel", new { })).Status);
        await Eventually.WaitAsync(() => Server.GetJsonAsync("hr", $"/api/cohorts/{ids[1]}"), c => c["status"]!.GetValue<string>() == "cancelled", TimeSpan.FromSeconds(30), "the cancel");

        // every page in id order, two at a time, until the token runs out
        List<JsonNode> all = await ListAsync("hr", string.Empty);
        List<JsonNode> ours = all.Where(c => c["id"]!.GetValue<string>().StartsWith(prefix, StringComparison.Ordinal)).ToList();
        Assert.Equal(ids, ours.Select(c => c["id"]!.GetValue<string>()));
        Assert.Equal(all.Select(c => c["id"]!.GetValue<string>()).Order(StringComparer.Ordinal), all.Select(c => c["id"]!.GetValue<string>()));
        Assert.Equal(("Claims triage cohort", 0), (ours[0]["name"]!.GetValue<string>(), ours[0]["participants"]!.GetValue<int>()));

        // by status; and leaders may list too
        List<JsonNode> cancelled = await ListAsync("leader", "status=cancelled&");
        Assert.Contains(cancelled, c => c["id"]!.GetValue<string>() == ids[1]);
        Assert.All(cancelled, c => Assert.Equal("cancelled", c["status"]!.GetValue<string>()));
        Assert.DoesNotContain(cancelled, c => c["id"]!.GetValue<string>() == ids[0]);

        using HttpClient hr = Server.As("hr");
        foreach ((string query, string field) in new[] { ("status=paused", "status"), ("pageSize=101", "pageSize"), ("continuationToken=abc", "continuationToken") })
        {
            using HttpResponseMessage refused = await hr.GetAsync(new Uri($"/api/cohorts?{query}", UriKind.Relative));
            Assert.Equal((HttpStatusCode.BadRequest, field), (refused.StatusCode, JsonNode.Parse(await refused.Content.ReadAsStringAsync())!["field"]!.GetValue<string>()));
        }

        using HttpClient integrator = Server.As("integrator");
        Assert.Equal(HttpStatusCode.Forbidden, (await integrator.GetAsync(new Uri("/api/cohorts", UriKind.Relative))).StatusCode);
    }

    private async Task<List<JsonNode>> ListAsync(string role, string query)
    {
        var items = new List<JsonNode>();
        string? token = null;
        for (int pages = 0; pages < 500; pages++)
        {
            JsonNode page = await Server.GetJsonAsync(role, $"/api/cohorts?{query}pageSize=2{(token is null ? string.Empty : "&continuationToken=" + Uri.EscapeDataString(token))}");
            Assert.True(page["items"]!.AsArray().Count <= 2);
            items.AddRange(page["items"]!.AsArray().Select(c => c!));
            token = page["continuationToken"]?.GetValue<string>();
            if (token is null)
            {
                return items;
            }
        }

        throw new InvalidOperationException("The list did not end in 500 pages.");
    }

    [Fact]
    public async Task Create_WithItsOwnBuildersPath_AssignsThatPath_AndKeepsItThroughTheStore()
    {
        string id = Plans.UniqueId("paths");
        Dictionary<string, object?> plan = Plans.Compressed(id, "PT1H");
        plan["paths"] = new Dictionary<string, object?>
        {
            ["builders"] = new object[]
            {
                new { kind = "problemFraming", title = "Frame the claims problem", instructions = "Who decides with the output?", day = 3 },
                new { kind = "capabilityDemonstration", title = "A reviewed routing model", instructions = "Submit it with its evaluation.", day = 60 },
            },
        };
        Assert.Equal(HttpStatusCode.Created, (await Server.PostJsonAsync("hr", "/api/cohorts", plan)).Status);
        byte[] csv = Encoding.UTF8.GetBytes("employee_id,email,first_name,last_name,job_title,department,status\nP1,p1@example.com,Pat,One,Data Scientist,Analytics,Active\n");
        Assert.Equal("applied", (await Imports.ImportAsync(Server, id, csv))["state"]!.GetValue<string>());

        JsonNode person = await Server.GetJsonAsync("integrator", $"/api/cohorts/{id}/participants/P1");
        Assert.Equal(["builders-1", "builders-2"], person["assignments"]!.AsArray().Select(a => a!["stepId"]!.GetValue<string>()));
        Assert.Equal(["Frame the claims problem", "A reviewed routing model"], person["assignments"]!.AsArray().Select(a => a!["title"]!.GetValue<string>()));
        Assert.Equal("capabilityDemonstration", person["assignments"]![1]!["kind"]!.GetValue<string>());

        // a path that does not start from the problem is refused, naming the step
        Dictionary<string, object?> taskFirst = Plans.Compressed(Plans.UniqueId("badpath"), "PT1H");
        taskFirst["paths"] = new Dictionary<string, object?> { ["builders"] = new object[] { new { kind = "task", title = "t", instructions = "i", day = 3 } } };
        (HttpStatusCode bad, JsonNode? problem) = await Server.PostJsonAsync("hr", "/api/cohorts", taskFirst);
        Assert.Equal(HttpStatusCode.BadRequest, bad);
        Assert.Contains(problem!["errors"]!.AsArray(), e => e!["field"]!.GetValue<string>() == "paths.builders[0].kind");
    }

    [Fact]
    public async Task Create_SamePlanTwice_ThenAnotherPlanWithTheId_Gives201Then200Then409AndOneLifecycle()
    {
        string id = Plans.UniqueId("idem");
        Dictionary<string, object?> plan = Plans.Compressed(id, "PT1H");

        (HttpStatusCode first, JsonNode? created) = await Server.PostJsonAsync("hr", "/api/cohorts", plan);
        string executionId = await LifecycleExecutionIdAsync(id);
        (HttpStatusCode second, JsonNode? again) = await Server.PostJsonAsync("hr", "/api/cohorts", plan);
        Dictionary<string, object?> other = Plans.Compressed(id, "PT2H");
        (HttpStatusCode third, JsonNode? conflict) = await Server.PostJsonAsync("hr", "/api/cohorts", other);

        Assert.Equal(HttpStatusCode.Created, first);
        Assert.Equal(HttpStatusCode.OK, second);
        Assert.Equal(created!["createdAt"]!.GetValue<string>(), again!["createdAt"]!.GetValue<string>());
        Assert.Equal(HttpStatusCode.Conflict, third);
        Assert.Equal("cohortConflict", conflict!["code"]!.GetValue<string>());
        // the repeated requests neither started a twin nor restarted the one lifecycle
        Assert.Equal(executionId, await LifecycleExecutionIdAsync(id));
    }

    [Fact]
    public async Task Create_SamePlanWithOtherWhitespaceAndMemberOrder_IsTheSameRequest()
    {
        string id = Plans.UniqueId("canon");
        string a = $$"""{"id":"{{id}}","name":"N","useCase":{"title":"T","problem":"P"},"leaders":["l@example.com"],"programLead":"p@example.com","checkpoints":["PT1H"]}""";
        string b = $$"""
            { "checkpoints": [ "PT1H" ], "programLead": "p@example.com", "leaders": [ "l@example.com" ],
              "useCase": { "problem": "P", "title": "T" }, "name": "N", "id": "{{id}}" }
            """;

        Assert.Equal(HttpStatusCode.Created, await PostRawAsync("hr", a));
        Assert.Equal(HttpStatusCode.OK, await PostRawAsync("hr", b));
    }

    [Fact]
    public async Task Create_InvalidPlan_Gives400NamingEachField()
    {
        Dictionary<string, object?> plan = Plans.Compressed(Plans.UniqueId("bad"), "PT10S", "PT5S");
        plan["leaders"] = new[] { "not-an-email" };

        (HttpStatusCode status, JsonNode? problem) = await Server.PostJsonAsync("hr", "/api/cohorts", plan);

        Assert.Equal(HttpStatusCode.BadRequest, status);
        Assert.Equal("invalidPlan", problem!["code"]!.GetValue<string>());
        Assert.Equal(400, problem["status"]!.GetValue<int>());
        Assert.Equal("checkpoints[1]", problem["field"]!.GetValue<string>());
        Assert.Equal(
            ["checkpoints[1]", "leaders[0]"],
            problem["errors"]!.AsArray().Select(e => e!["field"]!.GetValue<string>()));
    }

    [Fact]
    public async Task Create_MisspeltMember_Gives400NamingIt()
    {
        string id = Plans.UniqueId("typo");
        string body = $$"""{"id":"{{id}}","name":"N","useCase":{"title":"T","problem":"P"},"leaders":["l@example.com"],"programLead":"p@example.com","checkpoint":["PT5S"]}""";

        using HttpClient client = Server.As("hr");
        using HttpResponseMessage response = await client.PostAsync(new Uri("/api/cohorts", UriKind.Relative), new StringContent(body, Encoding.UTF8, "application/json"));
        JsonNode problem = JsonNode.Parse(await response.Content.ReadAsStringAsync())!;

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        Assert.Equal("invalidJson", problem["code"]!.GetValue<string>());
        Assert.Equal("checkpoint", problem["field"]!.GetValue<string>());
    }

    [Fact]
    public async Task Create_NotJson_Gives415()
    {
        using HttpClient client = Server.As("hr");
        using HttpResponseMessage response = await client.PostAsync(new Uri("/api/cohorts", UriKind.Relative), new StringContent("id,name", Encoding.UTF8, "text/csv"));

        Assert.Equal(HttpStatusCode.UnsupportedMediaType, response.StatusCode);
    }

    [Fact]
    public async Task Create_BodyOverTheLimit_Gives413()
    {
        string huge = "{\"name\":\"" + new string('x', 1024 * 1024 + 10) + "\"}";

        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, await PostRawAsync("hr", huge));
    }

    [Fact]
    public async Task Create_WithoutKey_Gives401_WithUnknownKey_Gives401()
    {
        using HttpResponseMessage none = await Server.Http.PostAsync(new Uri("/api/cohorts", UriKind.Relative), new StringContent("{}", Encoding.UTF8, "application/json"));
        using HttpClient wrongClient = Server.WithKey("not-a-key-of-this-server");
        using HttpResponseMessage wrong = await wrongClient.PostAsync(new Uri("/api/cohorts", UriKind.Relative), new StringContent("{}", Encoding.UTF8, "application/json"));

        Assert.Equal(HttpStatusCode.Unauthorized, none.StatusCode);
        Assert.Equal("unauthenticated", JsonNode.Parse(await none.Content.ReadAsStringAsync())!["code"]!.GetValue<string>());
        Assert.Equal(HttpStatusCode.Unauthorized, wrong.StatusCode);
    }

    [Theory]
    [InlineData("leader")]
    [InlineData("integrator")]
    [InlineData("reviewer")]
    public async Task Create_WithARoleOtherThanHr_Gives403(string role)
    {
        (HttpStatusCode status, JsonNode? problem) = await Server.PostJsonAsync(role, "/api/cohorts", Plans.Compressed(Plans.UniqueId("role"), "PT1H"));

        Assert.Equal(HttpStatusCode.Forbidden, status);
        Assert.Equal("forbidden", problem!["code"]!.GetValue<string>());
    }

    [Fact]
    public async Task Create_AsAdmin_IsAllowed_AndGet_AsIntegrator_Gives403()
    {
        string id = Plans.UniqueId("admin");

        Assert.Equal(HttpStatusCode.Created, (await Server.PostJsonAsync("admin", "/api/cohorts", Plans.Compressed(id, "PT1H"))).Status);
        using HttpClient integrator = Server.As("integrator");
        using HttpResponseMessage response = await integrator.GetAsync(new Uri($"/api/cohorts/{id}", UriKind.Relative));
        Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
    }

    [Fact]
    public async Task Get_UnknownCohort_Gives404_Cancel_UnknownCohort_Gives404()
    {
        using HttpClient hr = Server.As("hr");
        using HttpResponseMessage get = await hr.GetAsync(new Uri("/api/cohorts/no-such-cohort", UriKind.Relative));
        (HttpStatusCode cancel, _) = await Server.PostJsonAsync("hr", "/api/cohorts/no-such-cohort/cancel", new { });

        Assert.Equal(HttpStatusCode.NotFound, get.StatusCode);
        Assert.Equal("cohortNotFound", JsonNode.Parse(await get.Content.ReadAsStringAsync())!["code"]!.GetValue<string>());
        Assert.Equal(HttpStatusCode.NotFound, cancel);
    }

    [Fact]
    public async Task HealthAndOpenApi_AnswerWithoutAKey()
    {
        JsonNode health = JsonNode.Parse(await Server.Http.GetStringAsync(new Uri("/api/health", UriKind.Relative)))!;
        JsonNode openApi = JsonNode.Parse(await Server.Http.GetStringAsync(new Uri("/api/openapi.json", UriKind.Relative)))!;

        Assert.Equal("healthy", health["status"]!.GetValue<string>());
        Assert.Equal("reachable", health["durableBackend"]!.GetValue<string>());
        Assert.NotNull(openApi["paths"]!["/cohorts/{cohortId}/cancel"]!["post"]);
    }

    private async Task<HttpStatusCode> PostRawAsync(string role, string json)
    {
        using HttpClient client = Server.As(role);
        using HttpResponseMessage response = await client.PostAsync(new Uri("/api/cohorts", UriKind.Relative), new StringContent(json, Encoding.UTF8, "application/json"));
        return response.StatusCode;
    }

    /// <summary>The execution id the Azure Storage backend holds for the lifecycle: a restart or a twin would change or add one.</summary>
    private async Task<string> LifecycleExecutionIdAsync(string cohortId)
    {
        var table = new TableClient(fixture.Azurite.ConnectionString, fixture.TaskHub + "Instances");
        TableEntity entity = await Eventually.WaitAsync(
            async () => (await table.GetEntityIfExistsAsync<TableEntity>($"cohort:{cohortId}", string.Empty)).HasValue
                ? (await table.GetEntityAsync<TableEntity>($"cohort:{cohortId}", string.Empty)).Value
                : new TableEntity(),
            e => e.GetString("ExecutionId") is { Length: > 0 },
            TimeSpan.FromSeconds(30),
            "the lifecycle instance row");
        return entity.GetString("ExecutionId");
    }
}
