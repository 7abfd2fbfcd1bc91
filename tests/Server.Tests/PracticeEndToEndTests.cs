using System.Net;
using System.Text;
using System.Text.Json.Nodes;
using Cohorts.TestSupport;

namespace Cohorts.Server.Tests;

/// <summary>
/// The sandbox group and the Teams community kept by the server through the real Graph SDK, against a loopback
/// directory with state (<see cref="GraphPracticeFake"/>) that answers with Graph's shapes and quirks.
/// </summary>
[Collection(OwnServers.Name)]
public sealed class PracticeEndToEndTests(OwnServersFixture fixture, PracticeServer practice) : IClassFixture<PracticeServer>
{
    private const string Source = "0a0a0a0a-0000-4000-8000-0000000000a1";
    private const string Sandbox = "0b0b0b0b-0000-4000-8000-0000000000b1";
    private const string Lead = "1ead1ead-0000-4000-8000-000000000001";

    private static string U(int n) => $"aaaaaaaa-0000-4000-8000-{n:000000000000}";

    /// <summary>The practice settings (also the shared server's): Graph on the stub, communities on, short polls and revocation.</summary>
    public static Dictionary<string, string> Settings(GraphStub graph) => new()
    {
        ["Graph__BaseUrl"] = new Uri(graph.BaseAddress, "v1.0").ToString(),
        ["Graph__Anonymous"] = "true",
        ["Community__Enabled"] = "true",
        ["Community__PollInterval"] = "PT1S",
        ["Sandbox__RevokeAfter"] = "PT3S",
    };

    private static GraphPracticeFake Directory(GraphStub graph, int people) => People(GraphPracticeFake.On(graph), graph, people);

    private static GraphPracticeFake People(GraphPracticeFake fake, GraphStub graph, int people)
    {
        fake.StubBase = graph.BaseAddress.ToString().TrimEnd('/');
        fake.User(Lead, "lead@example.com", "LEAD");
        for (int n = 1; n <= people; n++)
        {
            fake.User(U(n), $"u{n}@example.com", $"E{n}", n % 2 == 0 ? "Claims Clerk" : "Data Scientist");
        }

        return fake;
    }

    [Fact]
    public async Task SandboxGroup_FollowsJoinersAndLeavers_AndIsEmptiedAfterTheCohortEnds()
    {
        await practice.StartAsync(fixture.Azurite);
        GraphStub graph = practice.Graph;
        GraphPracticeFake directory = People(practice.Directory, graph, 4);
        directory.Group(Source, U(1), U(2), U(3));
        directory.Group(Sandbox, U(1), U(4)); // u1 is in already; u4 has no place in this cohort
        ServerProcess server = practice.Server;

        string cohortId = Plans.UniqueId("sbxgroup");
        Dictionary<string, object?> plan = Plans.Compressed(cohortId, "PT25S");
        plan["useCase"] = new Dictionary<string, object?> { ["title"] = "Claims triage model", ["problem"] = "Route claims", ["sandboxGroupId"] = Sandbox };
        Assert.Equal(HttpStatusCode.Created, (await server.PostJsonAsync("hr", "/api/cohorts", plan)).Status);

        await ImportGroupAsync(server, cohortId);
        await Eventually.WaitAsync(() => Task.FromResult(directory.MembersOf(Sandbox)), m => m.SequenceEqual([U(1), U(2), U(3)]), TimeSpan.FromSeconds(30), "the sandbox group equal to the roster");
        // by hand: u2 and u3 in one members@odata.bind request, u4 out by one $ref removal
        Assert.Equal((1, 1), (Count(graph, "PATCH", $"/groups/{Sandbox}"), Count(graph, "DELETE", $"/groups/{Sandbox}/members/")));

        // u3 leaves the source group and u4 joins it: one request each way
        directory.Group(Source, U(1), U(2), U(4));
        await ImportGroupAsync(server, cohortId);
        await Eventually.WaitAsync(() => Task.FromResult(directory.MembersOf(Sandbox)), m => m.SequenceEqual([U(1), U(2), U(4)]), TimeSpan.FromSeconds(30), "the joiner in and the leaver out");
        Assert.Equal((2, 2), (Count(graph, "PATCH", $"/groups/{Sandbox}"), Count(graph, "DELETE", $"/groups/{Sandbox}/members/")));

        // the cohort completes (PT25S), and Sandbox:RevokeAfter (PT3S) later the group is empty
        await Eventually.WaitAsync(() => Task.FromResult(directory.MembersOf(Sandbox)), m => m.Count == 0, TimeSpan.FromSeconds(90), "the sandbox group emptied after the cohort ended", TimeSpan.FromSeconds(1));
        Assert.Equal("completed", (await server.GetJsonAsync("hr", $"/api/cohorts/{cohortId}"))["status"]!.GetValue<string>());
        Assert.Equal(5, Count(graph, "DELETE", $"/groups/{Sandbox}/members/"));
    }

    [Fact]
    public async Task TeamsCommunity_OneTeam_ChannelPerTrack_MembersInBatchesOf200_LeaverRemoved_AndA409TakenAsDone()
    {
        await practice.StartAsync(fixture.Azurite);
        GraphStub graph = practice.Graph;
        GraphPracticeFake directory = People(practice.Directory, graph, 203);
        directory.ThrottleOnce("/members/add"); // the first batch is throttled once: waited out, then sent again
        ServerProcess server = practice.Server;

        string cohortId = Plans.UniqueId("team");
        Dictionary<string, object?> plan = Plans.Compressed(cohortId, "P30D", "P60D", "P90D");
        plan["community"] = new Dictionary<string, object?> { ["kind"] = "teams" };
        Assert.Equal(HttpStatusCode.Created, (await server.PostJsonAsync("hr", "/api/cohorts", plan)).Status);
        Assert.Equal("applied", (await Imports.ImportAsync(server, cohortId, Roster(203, except: 0)))["state"]!.GetValue<string>());

        JsonNode community = await Eventually.WaitAsync(
            async () => (await server.GetJsonAsync("hr", $"/api/cohorts/{cohortId}"))["community"]!,
            c => c["state"]!.GetValue<string>() == "created" && c["members"]!.GetValue<int>() == 204,
            TimeSpan.FromSeconds(60), "the team created with its members");
        string teamId = community["teamId"]!.GetValue<string>();
        GraphPracticeFake.FakeTeam team = directory.Teams[teamId];
        // by hand: 102 Data Scientists (odd) are builders, 101 Claims Clerks (even) consumers: two channels beside General
        Assert.Equal(["Builders", "Consumers", "General"], team.Channels.Order(StringComparer.Ordinal));
        Assert.Equal(204, team.Members.Count); // the lead as owner and 203 members
        Assert.Equal([200, 3], directory.TeamAddBatches);
        Assert.Equal(3, Count(graph, "POST", $"/teams/{teamId}/members/add")); // the throttled one, then the two batches
        Assert.Equal(1, Count(graph, "POST", "/v1.0/teams", exact: true));
        Assert.True(Count(graph, "GET", "/operations(") >= 2, "the operation was polled until it succeeded");

        // u7 leaves: removed from the team, the owner stays
        Assert.Equal("applied", (await Imports.ImportAsync(server, cohortId, Roster(203, except: 7)))["state"]!.GetValue<string>());
        await Eventually.WaitAsync(() => Task.FromResult(directory.Teams[teamId].Members.Count), n => n == 203, TimeSpan.FromSeconds(30), "the leaver removed from the team");
        Assert.DoesNotContain(directory.Teams[teamId].Members.Values, m => m.UserId == U(7));
        Assert.Contains(directory.Teams[teamId].Members.Values, m => m.UserId == Lead && m.Owner);
        Assert.Equal(1, Count(graph, "DELETE", $"/teams/{teamId}/members/"));

        // a cohort whose team exists already (an earlier create whose answer was lost): Graph answers 409, taken as done
        string second = Plans.UniqueId("team409");
        Dictionary<string, object?> secondPlan = Plans.Compressed(second, "P30D", "P60D", "P90D");
        secondPlan["community"] = new Dictionary<string, object?> { ["kind"] = "teams", ["ownerId"] = Lead };
        string existing = directory.ExistingTeam($"Claims triage cohort ({second})", Lead);
        Assert.Equal(HttpStatusCode.Created, (await server.PostJsonAsync("hr", "/api/cohorts", secondPlan)).Status);
        JsonNode adopted = await Eventually.WaitAsync(
            async () => (await server.GetJsonAsync("hr", $"/api/cohorts/{second}"))["community"]!,
            c => c["state"]!.GetValue<string>() == "created", TimeSpan.FromSeconds(60), "the existing team adopted");
        Assert.Equal(existing, adopted["teamId"]!.GetValue<string>());
        Assert.Equal(2, directory.Teams.Count);
    }

    [Fact]
    public async Task VivaEngageCommunity_CreatedWithItsOwner_MembersThroughItsGroup20ARequest_LeaverRemoved()
    {
        await practice.StartAsync(fixture.Azurite);
        GraphStub graph = practice.Graph;
        GraphPracticeFake directory = People(practice.Directory, graph, 23);
        ServerProcess server = practice.Server;
        string cohortId = Plans.UniqueId("engage");
        Dictionary<string, object?> plan = Plans.Compressed(cohortId, "P30D", "P60D", "P90D");
        plan["community"] = new Dictionary<string, object?> { ["kind"] = "vivaEngage" };
        Assert.Equal(HttpStatusCode.Created, (await server.PostJsonAsync("hr", "/api/cohorts", plan)).Status);
        Assert.Equal("applied", (await Imports.ImportAsync(server, cohortId, Roster(23, except: 0)))["state"]!.GetValue<string>());

        JsonNode community = await Eventually.WaitAsync(
            async () => (await server.GetJsonAsync("hr", $"/api/cohorts/{cohortId}"))["community"]!,
            c => c["state"]!.GetValue<string>() == "created" && c["members"]!.GetValue<int>() == 23,
            TimeSpan.FromSeconds(60), "the community created with its members");
        (string name, string groupId, string owner) = directory.Communities[community["communityId"]!.GetValue<string>()];
        Assert.Equal(($"Claims triage cohort ({cohortId})", Lead), (name, owner)); // the program lead owns it
        Assert.Null(community["teamId"]?.GetValue<string>());
        Assert.Equal(Enumerable.Range(1, 23).Select(U).Order(StringComparer.Ordinal), directory.MembersOf(groupId));
        Assert.Equal(2, Count(graph, "PATCH", $"/groups/{groupId}")); // 23 people: 20, then 3

        Assert.Equal("applied", (await Imports.ImportAsync(server, cohortId, Roster(23, except: 5)))["state"]!.GetValue<string>());
        await Eventually.WaitAsync(() => Task.FromResult(directory.MembersOf(groupId)), m => m.Count == 22 && !m.Contains(U(5)), TimeSpan.FromSeconds(30), "the leaver out of the community's group");
    }

    [Fact]
    public async Task TeamCreation_PendingWhenTheServerIsKilled_FinishesAfterRestart_WithOneTeam()
    {
        await using GraphStub graph = await GraphStub.StartAsync();
        GraphPracticeFake directory = Directory(graph, 3);
        directory.PollsBeforeDone = 1000; // pending until the test lets it finish
        string folder = Path.Combine(fixture.Azurite.DataFolder, "practice-crash");
        string cohortId = Plans.UniqueId("teamcrash");
        await using (ServerProcess first = await ServerProcess.StartAsync(folder, "practicecrash", fixture.Azurite.ConnectionString, Settings(graph)))
        {
            Dictionary<string, object?> plan = Plans.Compressed(cohortId, "P30D", "P60D", "P90D");
            plan["community"] = new Dictionary<string, object?> { ["kind"] = "teams" };
            Assert.Equal(HttpStatusCode.Created, (await first.PostJsonAsync("hr", "/api/cohorts", plan)).Status);
            await Eventually.WaitAsync(() => Task.FromResult(Count(graph, "GET", "/operations(")), n => n >= 2, TimeSpan.FromSeconds(60), "the team's operation being polled");
            await first.CrashAsync();
        }

        directory.FinishOperations();
        await using ServerProcess second = await ServerProcess.StartAsync(folder, "practicecrash", fixture.Azurite.ConnectionString, Settings(graph));
        JsonNode community = await Eventually.WaitAsync(
            async () => (await second.GetJsonAsync("hr", $"/api/cohorts/{cohortId}"))["community"]!,
            c => c["state"]!.GetValue<string>() == "created", TimeSpan.FromSeconds(90), "the team finished after the restart");
        Assert.Equal(1, Count(graph, "POST", "/v1.0/teams", exact: true));
        Assert.Equal(Assert.Single(directory.Teams).Key, community["teamId"]!.GetValue<string>());
    }

    private static async Task ImportGroupAsync(ServerProcess server, string cohortId)
    {
        (HttpStatusCode status, JsonNode? started) = await server.PostJsonAsync("hr", $"/api/cohorts/{cohortId}/imports", new { graphGroupId = Source });
        Assert.Equal(HttpStatusCode.Accepted, status);
        JsonNode import = await Imports.SettledAsync(server, cohortId, started!["importId"]!.GetValue<string>());
        Assert.Equal("applied", import["state"]!.GetValue<string>());
    }

    private static byte[] Roster(int people, int except)
    {
        var csv = new StringBuilder("employee_id,email,first_name,last_name,job_title,department,status\n");
        for (int n = 1; n <= people; n++)
        {
            if (n != except)
            {
                csv.Append(System.Globalization.CultureInfo.InvariantCulture, $"E{n},u{n}@example.com,P{n},Person,{(n % 2 == 0 ? "Claims Clerk" : "Data Scientist")},Claims,Active\n");
            }
        }

        return Encoding.UTF8.GetBytes(csv.ToString());
    }

    private static int Count(GraphStub graph, string method, string path, bool exact = false) =>
        graph.Requests.Count(r => r.Method == method && (exact ? r.PathAndQuery.Split('?')[0] == path : r.PathAndQuery.Contains(path, StringComparison.Ordinal)));
}

/// <summary>
/// One server for the practice tests, on the shared Azurite, started by the first test that asks: Graph on a loopback
/// stub with a directory with state behind it, communities on, short polls and revocation. (The shared server has no
/// Graph: some tests need a server without.)
/// </summary>
public sealed class PracticeServer : IAsyncLifetime
{
    private readonly SemaphoreSlim starting = new(1, 1);
    private ServerProcess? server;
    private GraphStub? graph;

    public ServerProcess Server => server ?? throw new InvalidOperationException("Call StartAsync first.");

    public GraphStub Graph => graph ?? throw new InvalidOperationException("Call StartAsync first.");

    public GraphPracticeFake Directory { get; private set; } = null!;

    public async Task StartAsync(AzuriteFixture azurite)
    {
        await starting.WaitAsync();
        try
        {
            if (server is null)
            {
                graph = await GraphStub.StartAsync();
                Directory = GraphPracticeFake.On(graph);
                Directory.StubBase = graph.BaseAddress.ToString().TrimEnd('/');
                server = await ServerProcess.StartAsync(Path.Combine(azurite.DataFolder, "practice"), "practice" + Guid.NewGuid().ToString("N")[..8], azurite.ConnectionString, PracticeEndToEndTests.Settings(graph));
            }
        }
        finally
        {
            starting.Release();
        }
    }

    public Task InitializeAsync() => Task.CompletedTask;

    public async Task DisposeAsync()
    {
        try
        {
            if (server is not null)
            {
                await server.DisposeAsync();
            }
        }
        finally
        {
            if (graph is not null)
            {
                await graph.DisposeAsync();
            }

            starting.Dispose();
        }
    }
}
