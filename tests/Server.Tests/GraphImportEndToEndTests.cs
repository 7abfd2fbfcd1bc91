using System.Net;
using System.Text.Json.Nodes;
using Cohorts.TestSupport;

namespace Cohorts.Server.Tests;

/// <summary>Enrolment from an Entra ID group: the server's Graph connector pointed at a loopback server with Graph's payloads.</summary>
[Collection(EndToEnd.Name)]
public sealed class GraphImportEndToEndTests(ServerFixture fixture)
{
    [Fact]
    public async Task GroupImport_EnrolsTheGroupsUsers_AndReportsAMemberWithoutAnId()
    {
        await using GraphStub graph = await GraphStub.StartAsync();
        const string Members = "v1.0/groups/5b0a0d1e-0000-4000-8000-00000000c0de/transitiveMembers/graph.user";
        // Derived, as in GraphDirectoryTests: a nextLink added to the one-page example; the second page's users have no
        // ids in the doc, one gets an id and an employeeId here.
        graph.On(Members, null, new GraphStub.Reply(200, graph.Corpus("groups.transitiveMembers.example1.response.json", json =>
            json.Replace("\"value\"", $"\"@odata.nextLink\": \"{graph.BaseAddress}{Members}?$skiptoken=p2\", \"value\"", StringComparison.Ordinal))));
        graph.On(Members, "p2", new GraphStub.Reply(200, graph.Corpus("users.list.search-guest-and-bad-mail.response.json", json =>
        {
            JsonNode page = JsonNode.Parse(json)!;
            page["value"]![1]!["id"] = "c0ffee00-0000-4000-8000-000000000002";
            page["value"]![1]!["employeeId"] = "E-0042";
            return page.ToJsonString();
        })));
        await using ServerProcess server = await ServerProcess.StartAsync(
            Path.Combine(fixture.Azurite.DataFolder, "graph"),
            "graphhub",
            fixture.Azurite.ConnectionString,
            new Dictionary<string, string> { ["Graph__BaseUrl"] = new Uri(graph.BaseAddress, "v1.0").ToString(), ["Graph__Anonymous"] = "true" });
        string cohortId = await Plans.CreateAsync(server, "group");

        (HttpStatusCode status, JsonNode? started) = await server.PostJsonAsync("hr", $"/api/cohorts/{cohortId}/imports", new { graphGroupId = "5b0a0d1e-0000-4000-8000-00000000c0de" });
        Assert.Equal(HttpStatusCode.Accepted, status);
        JsonNode import = await Imports.SettledAsync(server, cohortId, started!["importId"]!.GetValue<string>());

        Assert.Equal("applied", import["state"]!.GetValue<string>());
        Assert.Equal(["11111111-2222-3333-4444-555555555555", "E-0042"], Imports.Ids(import, "joiners"));
        JsonNode rejected = Assert.Single(import["rejected"]!.AsArray())!;
        Assert.Equal(2, rejected["row"]!.GetValue<int>());
        Assert.Equal("employeeId", rejected["field"]!.GetValue<string>());
        JsonNode member = await server.GetJsonAsync("hr", $"/api/cohorts/{cohortId}/participants/E-0042");
        Assert.Null(member["email"]?.GetValue<string>()); // the doc's "'contosoadmin1@fabrikam.com" is not trusted
    }

    private const string VivaProviderId = "01e8f81b-3060-4dec-acf0-0389665a0a38";
    private const string VivaLearner = "aaaaaaaa-0000-4000-8000-000000000001";

    [Fact]
    public async Task CsvImport_WithVivaLearningConfigured_PushesEachOpenStepOnce_AsARequiredAssignmentOfTheLearner()
    {
        await using GraphStub graph = await GraphStub.StartAsync();
        string cohortId = Plans.UniqueId("viva");
        ScriptVivaPush(graph, cohortId);
        await using ServerProcess server = await StartVivaServerAsync(graph, "viva", "viva", []);
        Assert.Equal(HttpStatusCode.Created, (await server.PostJsonAsync("hr", "/api/cohorts", Plans.Compressed(cohortId, "P30D", "P60D", "P90D"))).Status);
        Assert.Equal("applied", (await Imports.ImportAsync(server, cohortId, VivaCsv))["state"]!.GetValue<string>());

        List<GraphStub.StubRequest> posts = graph.Requests.Where(r => r.Method == "POST").ToList();
        Assert.Equal(5, posts.Count);
        JsonNode person = await server.GetJsonAsync("hr", $"/api/cohorts/{cohortId}/participants/V1");
        for (int n = 1; n <= 5; n++)
        {
            JsonNode sent = JsonNode.Parse(Assert.Single(posts, p => JsonNode.Parse(p.Body)!["learningContentId"]!.GetValue<string>() == $"content-{n}").Body)!;
            Assert.Equal(VivaLearner, sent["learnerUserId"]!.GetValue<string>());
            Assert.Equal("required", sent["assignmentType"]!.GetValue<string>());
            Assert.Equal($"{cohortId}-builders-{n}-V1", sent["externalcourseActivityId"]!.GetValue<string>());
            DateTimeOffset due = person["assignments"]![n - 1]!["dueAt"]!.GetValue<DateTimeOffset>();
            Assert.Equal(due.UtcDateTime, DateTime.Parse(sent["dueDateTime"]!["dateTime"]!.GetValue<string>(), System.Globalization.CultureInfo.InvariantCulture, System.Globalization.DateTimeStyles.AdjustToUniversal | System.Globalization.DateTimeStyles.AssumeUniversal));
        }

        Assert.All(graph.Requests.Where(r => r.Method == "PATCH"), r => Assert.Contains("https://cohorts.example.com/cohorts/", JsonNode.Parse(r.Body)!["contentWebUrl"]!.GetValue<string>(), StringComparison.Ordinal));
        // one lookup of the learner, then per step one content upsert, one look for the assignment and one creation: no more
        Assert.Equal(16, graph.Requests.Count);
    }

    [Fact]
    public async Task CsvImport_WhenTheLmsPushOutlastsTheQueueVisibilityTimeout_PushesOnce()
    {
        // Graph answers each of the push's 16 calls after 400 ms: the push runs about 6.5 s against a visibility timeout
        // of 2 s, with two servers on the task hub. Unless the activity's message is kept invisible while it runs, the
        // other server takes it after 2 s and pushes again (and the server running it cannot delete it when it ends).
        await using GraphStub graph = await GraphStub.StartAsync();
        graph.Delay = TimeSpan.FromMilliseconds(400);
        string cohortId = Plans.UniqueId("vivaslow");
        ScriptVivaPush(graph, cohortId);
        var settings = new Dictionary<string, string> { ["Server__QueueVisibilityTimeout"] = "00:00:02" };
        await using ServerProcess server = await StartVivaServerAsync(graph, "vivaslow", "vivaslow", settings);
        await using ServerProcess other = await StartVivaServerAsync(graph, "vivaslow2", "vivaslow", settings);
        Assert.Equal(HttpStatusCode.Created, (await server.PostJsonAsync("hr", "/api/cohorts", Plans.Compressed(cohortId, "P30D", "P60D", "P90D"))).Status);

        Assert.Equal("applied", (await Imports.ImportAsync(server, cohortId, VivaCsv))["state"]!.GetValue<string>());
        // and nothing comes back after the push ended: wait out two more timeouts
        await Task.Delay(TimeSpan.FromSeconds(5));

        Assert.True(graph.Requests.Max(r => r.At) - graph.Requests.Min(r => r.At) > TimeSpan.FromSeconds(4), "the push did not outlast the timeout");
        Assert.Equal(16, graph.Requests.Count);
        Assert.Equal(5, graph.Requests.Count(r => r.Method == "POST"));
        // the push's message was deleted when it ended, not left taken and shown again every two seconds (counted with
        // the messages in flight; the backend's queue of activity messages is the task hub's "workitems")
        var workItems = new Azure.Storage.Queues.QueueClient(fixture.Azurite.ConnectionString, "vivaslowhub-workitems");
        Assert.Equal(0, (await workItems.GetPropertiesAsync()).Value.ApproximateMessagesCount);
    }

    [Fact]
    public async Task CsvImport_WhenVivaLearningRefusesThePush_FailsWithTheReason_AndNoField()
    {
        await using GraphStub graph = await GraphStub.StartAsync();
        string cohortId = Plans.UniqueId("vivadeny");
        // the provider is not this app's: every content upsert is refused (the retries' included)
        graph.Fallback = (_, path, _, _) => path.Contains("/learningContents", StringComparison.Ordinal)
            ? new GraphStub.Reply(403, """{"error":{"code":"Forbidden","message":"The caller is not the provider's owner."}}""")
            : path.EndsWith("/users/vic@example.com", StringComparison.Ordinal) ? new GraphStub.Reply(200, $$"""{"id":"{{VivaLearner}}"}""") : null;
        await using ServerProcess server = await StartVivaServerAsync(graph, "vivadeny", "vivadeny", []);
        Assert.Equal(HttpStatusCode.Created, (await server.PostJsonAsync("hr", "/api/cohorts", Plans.Compressed(cohortId, "P30D", "P60D", "P90D"))).Status);

        // read through the contract check: a failure that is no one field's has a null field, as the document says
        JsonNode import = await Imports.ImportAsync(server, cohortId, VivaCsv);

        Assert.Equal("failed", import["state"]!.GetValue<string>());
        Assert.Null(import["error"]!["field"]);
        Assert.Equal("Viva Learning refused the content of step 'builders-1' (403 Forbidden): The caller is not the provider's owner.", import["error"]!["reason"]!.GetValue<string>());
        Assert.DoesNotContain(graph.Requests, r => r.Method == "POST");
    }

    private static byte[] VivaCsv => System.Text.Encoding.UTF8.GetBytes("employee_id,email,first_name,last_name,job_title,department,status\nV1,vic@example.com,Vic,One,Data Scientist,Analytics,Active\n");

    // one learner on the builders track: looked up once, then per step an existing content, no assignment yet, one created
    private static void ScriptVivaPush(GraphStub graph, string cohortId)
    {
        const string Provider = "v1.0/employeeExperience/learningProviders/" + VivaProviderId;
        // derived: the learner looked up by sign-in name answers with an id only (the select the connector asks for)
        graph.On("v1.0/users/vic@example.com", null, new GraphStub.Reply(200, $$"""{"id":"{{VivaLearner}}"}"""));
        for (int n = 1; n <= 5; n++)
        {
            graph.On($"{Provider}/learningContents(externalId='{cohortId}-builders-{n}')", null,
                new GraphStub.Reply(200, $$"""{"id":"content-{{n}}","externalId":"{{cohortId}}-builders-{{n}}"}"""));
            graph.On($"{Provider}/learningCourseActivities(externalcourseActivityId='{cohortId}-builders-{n}-V1')", null,
                new GraphStub.Reply(404, """{"error":{"code":"NotFound","message":"Not found"}}"""));
            graph.On($"{Provider}/learningCourseActivities", null, new GraphStub.Reply(201, graph.Corpus("learningCourseActivities.create-assignment.response-201.json")));
        }
    }

    private Task<ServerProcess> StartVivaServerAsync(GraphStub graph, string folder, string hub, Dictionary<string, string> settings) =>
        ServerProcess.StartAsync(
            Path.Combine(fixture.Azurite.DataFolder, folder),
            hub + "hub",
            fixture.Azurite.ConnectionString,
            new Dictionary<string, string>(settings)
            {
                ["Graph__BaseUrl"] = new Uri(graph.BaseAddress, "v1.0").ToString(),
                ["Graph__Anonymous"] = "true",
                ["VivaLearning__ProviderId"] = VivaProviderId,
                ["VivaLearning__ContentBaseUrl"] = "https://cohorts.example.com",
            });

    [Fact]
    public async Task DirectorySync_AfterAGroupImport_MovesAChangedMember_AndSuspendsARemovedOne()
    {
        await using GraphStub graph = await GraphStub.StartAsync();
        const string Group = "5b0a0d1e-0000-4000-8000-00000000d17a";
        const string Members = $"v1.0/groups/{Group}/transitiveMembers/graph.user";
        const string Delta = "v1.0/users/delta";
        const string Lidia = "25dcffff-959e-4ece-9973-e5d9b800e8cc";
        const string Removed = "8ffff70c-1c63-4860-b963-e34ec660931d";
        // Derived: the one-member example, its member given the ids of the two users the corpus delta rounds change and
        // remove (neither has an employeeId, so each is keyed by their object id).
        graph.On(Members, null, new GraphStub.Reply(200, graph.Corpus("groups.transitiveMembers.example1.response.json", json =>
        {
            JsonNode page = JsonNode.Parse(json)!;
            JsonNode first = page["value"]![0]!;
            first["id"] = Lidia;
            page["value"]!.AsArray().Add(JsonNode.Parse($$"""{"@odata.type": "#microsoft.graph.user", "id": "{{Removed}}", "mail": "group2@contoso.com"}"""));
            return page.ToJsonString();
        })));
        // the first round: the corpus's last page of an initial sync, whose deltaLink is the baseline
        graph.On(Delta, null, new GraphStub.Reply(200, graph.Corpus("users.delta.3-final-with-deltalink.response.json")));
        await using ServerProcess server = await ServerProcess.StartAsync(
            Path.Combine(fixture.Azurite.DataFolder, "graphdelta"),
            "graphdeltahub",
            fixture.Azurite.ConnectionString,
            new Dictionary<string, string>
            {
                ["Graph__BaseUrl"] = new Uri(graph.BaseAddress, "v1.0").ToString(),
                ["Graph__Anonymous"] = "true",
                ["DirectorySync__Interval"] = "00:00:01",
            });
        string cohortId = await Plans.CreateAsync(server, "delta");

        (HttpStatusCode status, JsonNode? started) = await server.PostJsonAsync("hr", $"/api/cohorts/{cohortId}/imports", new { graphGroupId = Group });
        Assert.Equal(HttpStatusCode.Accepted, status);
        JsonNode import = await Imports.SettledAsync(server, cohortId, started!["importId"]!.GetValue<string>());
        Assert.Equal([Lidia, Removed], Imports.Ids(import, "joiners"));
        Assert.True((await server.GetJsonAsync("hr", $"/api/cohorts/{cohortId}/participants/{Lidia}"))["inTriage"]!.GetValue<bool>());
        await Eventually.WaitAsync(
            () => Task.FromResult(graph.Requests.Count(r => r.PathAndQuery.Contains("users/delta", StringComparison.Ordinal))),
            n => n >= 1,
            TimeSpan.FromSeconds(30),
            "the baseline delta round");

        // the next round, scripted only now that the roster holds both: the corpus's changes-and-removal round, with a
        // job title added to its changed user (derived: the corpus change carries names only)
        string token = graph.Corpus("users.delta.3-final-with-deltalink.response.json").Split("$deltatoken=")[1].Split('"')[0];
        graph.On(Delta, token, new GraphStub.Reply(200, graph.Corpus("users.delta.4b-deltalink-changes-removed.response.json", json =>
        {
            JsonNode page = JsonNode.Parse(json)!;
            page["value"]![0]!["jobTitle"] = "Data Scientist";
            return page.ToJsonString();
        })));

        JsonNode moved = await Eventually.WaitAsync(
            () => server.GetJsonAsync("hr", $"/api/cohorts/{cohortId}/participants/{Lidia}"),
            p => p["track"]?.GetValue<string>() == "builders",
            TimeSpan.FromSeconds(60),
            "the changed member moved by the delta round");
        JsonNode suspended = await Eventually.WaitAsync(
            () => server.GetJsonAsync("hr", $"/api/cohorts/{cohortId}/participants/{Removed}"),
            p => p["status"]!.GetValue<string>() == "suspended",
            TimeSpan.FromSeconds(60),
            "the removed member suspended");

        Assert.Equal("MOD Administrator", moved["displayName"]!.GetValue<string>()); // reported by the round
        Assert.Equal("group1@contoso.com", moved["email"]!.GetValue<string>());       // not reported, so kept
        Assert.Equal("group2@contoso.com", suspended["email"]!.GetValue<string>()); // suspended, not deleted: the record stays
        // the round read only the delta: the group itself was read once, by the import that linked it
        Assert.Single(graph.Requests, r => r.PathAndQuery.Contains("transitiveMembers", StringComparison.Ordinal));
    }

    [Fact]
    public async Task GroupImport_OnAServerWithoutGraph_FailsNamingTheSettings()
    {
        string cohortId = await Plans.CreateAsync(fixture.Server, "nograph");

        (HttpStatusCode status, JsonNode? started) = await fixture.Server.PostJsonAsync("hr", $"/api/cohorts/{cohortId}/imports", new { graphGroupId = "5b0a0d1e-0000-4000-8000-00000000c0de" });
        Assert.Equal(HttpStatusCode.Accepted, status);
        JsonNode import = await Imports.SettledAsync(fixture.Server, cohortId, started!["importId"]!.GetValue<string>());

        Assert.Equal("failed", import["state"]!.GetValue<string>());
        Assert.Equal("graphGroupId", import["error"]!["field"]!.GetValue<string>());
        Assert.Contains("Graph:", import["error"]!["reason"]!.GetValue<string>(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task GroupImport_BadGroupId_Gives400()
    {
        string cohortId = await Plans.CreateAsync(fixture.Server, "badgroup");

        (HttpStatusCode status, JsonNode? problem) = await fixture.Server.PostJsonAsync("hr", $"/api/cohorts/{cohortId}/imports", new { graphGroupId = "../../users" });

        Assert.Equal(HttpStatusCode.BadRequest, status);
        Assert.Equal("graphGroupId", problem!["field"]!.GetValue<string>());
    }
}
