using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json.Nodes;
using Cohorts.TestSupport;
using MimeKit;

namespace Cohorts.Server.Tests;

/// <summary>
/// The 48-hour promise compressed to seconds (reminder 4 s, window 8 s) through the HTTP API on Azurite: a review in
/// time, a reminded one and an escalated one, with the messages each leaves in the server's .eml outbox; repeated and
/// late verdicts; and a server killed mid-review.
/// </summary>
[Collection(OwnServers.Name)]
public sealed class ReviewEndToEndTests(OwnServersFixture fixture)
{
    private const string Step = "builders-4"; // the Builders path's first capability demonstration

    /// <summary>Reviewer keys: the key's name is the reviewer id; the program lead's key is named by their address.</summary>
    internal static readonly Dictionary<string, string> ReviewerKeys = new()
    {
        ["rev-a"] = "rev-a-key-0123456789abcdef",
        ["rev-b"] = "rev-b-key-0123456789abcdef",
        ["rev-backup"] = "rev-backup-key-0123456789",
        ["lead@example.com"] = "lead-key-0123456789abcdef",
    };

    [Fact]
    public async Task ReviewedInTime_Reminded_Escalated_EachEndRight_WithTheirMessages_AndOneDecisionEach()
    {
        string dataFolder = Path.Combine(fixture.Azurite.DataFolder, "reviews-" + Guid.NewGuid().ToString("N")[..6]);
        await using ServerProcess server = await StartAsync(dataFolder, "reviewhub");
        string cohortId = await CohortWithBuildersAsync(server, "B1", "B2", "B3");

        // in time: decided at once; the same verdict again is refused and changes nothing
        string inTime = await SubmitAsync(server, cohortId, "B1");
        await WaitForMessageAsync(server, dataFolder, inTime, "request"); // a verdict before the request would leave no request to send
        JsonNode first = await DecideAsync(server, "rev-a", inTime, "accepted", HttpStatusCode.OK);
        Assert.Equal("accepted", first["status"]!.GetValue<string>());
        JsonNode again = await DecideAsync(server, "rev-a", inTime, "accepted", HttpStatusCode.Conflict);
        Assert.Equal("alreadyDecided", again["code"]!.GetValue<string>());

        // reminded: decided between the reminder (4 s) and the deadline (8 s)
        string reminded = await SubmitAsync(server, cohortId, "B2");
        await WaitForStatusAsync(server, reminded, "reminded");
        Assert.Equal("rework", (await DecideAsync(server, "rev-a", reminded, "rework", HttpStatusCode.OK))["verdict"]!.GetValue<string>());

        // escalated: nobody decides in the window; someone else may not decide it, the backup may, and only once
        string escalated = await SubmitAsync(server, cohortId, "B3");
        JsonNode breached = await WaitForStatusAsync(server, escalated, "escalated");
        Assert.True(breached["slaBreached"]!.GetValue<bool>());
        Assert.Equal(["rev-backup", "lead@example.com"], breached["escalatedTo"]!.AsArray().Select(x => x!.GetValue<string>()));
        Assert.Equal("notYourReview", (await DecideAsync(server, "reviewer", escalated, "accepted", HttpStatusCode.Forbidden))["code"]!.GetValue<string>());
        await DecideAsync(server, "rev-backup", escalated, "accepted", HttpStatusCode.OK);
        await DecideAsync(server, "lead@example.com", escalated, "rework", HttpStatusCode.Conflict);

        JsonNode a = await WaitForMessageAsync(server, dataFolder, inTime, "decision");
        JsonNode b = await WaitForMessageAsync(server, dataFolder, reminded, "decision");
        JsonNode c = await WaitForMessageAsync(server, dataFolder, escalated, "decision");

        Assert.Equal(("accepted", false, "rev-a"), (a["status"]!.GetValue<string>(), a["slaBreached"]!.GetValue<bool>(), a["decidedBy"]!.GetValue<string>()));
        Assert.Equal(("reworkRequested", false), (b["status"]!.GetValue<string>(), b["slaBreached"]!.GetValue<bool>()));
        Assert.NotNull(b["remindedAt"]);
        Assert.Equal(("accepted", true, "rev-backup"), (c["status"]!.GetValue<string>(), c["slaBreached"]!.GetValue<bool>(), c["decidedBy"]!.GetValue<string>()));
        // escalated at the deadline, never before it (a timer this backend fires early is set again), decided after it
        DateTimeOffset escalatedAt = c["escalatedAt"]!.GetValue<DateTimeOffset>();
        Assert.True(escalatedAt >= c["dueAt"]!.GetValue<DateTimeOffset>(), $"escalated at {escalatedAt:O}, due {c["dueAt"]}");
        Assert.True(Duration(c["timeToFeedback"]!) >= escalatedAt - c["submittedAt"]!.GetValue<DateTimeOffset>(), "fed back after the escalation");
        Assert.Equal(TimeSpan.FromSeconds(8), c["dueAt"]!.GetValue<DateTimeOffset>() - c["submittedAt"]!.GetValue<DateTimeOffset>());

        // let any late timer fire, then read the outbox: exactly these messages, once each
        await Task.Delay(TimeSpan.FromSeconds(9));
        Assert.Equal([$"{inTime}.decision", $"{inTime}.request"], Messages(dataFolder, inTime));
        Assert.Equal([$"{reminded}.decision", $"{reminded}.reminder", $"{reminded}.request"], Messages(dataFolder, reminded));
        Assert.Equal([$"{escalated}.decision", $"{escalated}.escalation", $"{escalated}.reminder", $"{escalated}.request"], Messages(dataFolder, escalated));

        using MimeMessage request = MimeMessage.Load(Path.Combine(dataFolder, "outbox", $"{inTime}.request.eml"));
        Assert.Equal(["rev-a@example.com"], request.To.Mailboxes.Select(m => m.Address));
        Assert.Contains("https://git.example.com/B1/model", request.TextBody, StringComparison.Ordinal);
        using MimeMessage escalation = MimeMessage.Load(Path.Combine(dataFolder, "outbox", $"{escalated}.escalation.eml"));
        Assert.Equal(["backup@example.com", "lead@example.com", "rev-a@example.com"], escalation.To.Mailboxes.Select(m => m.Address).Order());
        using MimeMessage decision = MimeMessage.Load(Path.Combine(dataFolder, "outbox", $"{reminded}.decision.eml"));
        Assert.Contains("b2@example.com", decision.To.Mailboxes.Select(m => m.Address));
        Assert.Contains("rework", decision.Subject, StringComparison.Ordinal);

        // rework opens attempt 2; a retried POST with the same Idempotency-Key answers the same submission
        string second = await SubmitAsync(server, cohortId, "B2", idempotencyKey: "retry-1");
        Assert.Equal(second, await SubmitAsync(server, cohortId, "B2", idempotencyKey: "retry-1"));
        Assert.Equal(2, (await server.GetJsonAsync("integrator", $"/api/submissions/{second}"))["attempt"]!.GetValue<int>());
        Assert.NotEqual(reminded, second);

        // the participant's assignments show the path with the demonstration's state; the LMS export lists the roster
        JsonNode b1 = await server.GetJsonAsync("integrator", $"/api/cohorts/{cohortId}/participants/B1");
        Assert.Equal(["builders-1", "builders-2", "builders-3", "builders-4", "builders-5"], b1["assignments"]!.AsArray().Select(x => x!["stepId"]!.GetValue<string>()));
        Assert.Equal("accepted", b1["assignments"]![3]!["state"]!.GetValue<string>());
        Assert.Equal("assigned", b1["assignments"]![4]!["state"]!.GetValue<string>());
        using HttpClient hr = server.As("hr");
        using HttpResponseMessage export = await hr.GetAsync(new Uri($"/api/cohorts/{cohortId}/lms/oneroster", UriKind.Relative));
        Assert.Equal(HttpStatusCode.OK, export.StatusCode);
        Assert.Equal("application/zip", export.Content.Headers.ContentType?.MediaType);
        using var zip = new System.IO.Compression.ZipArchive(await export.Content.ReadAsStreamAsync());
        using var users = new StreamReader(zip.GetEntry("users.csv")!.Open());
        string[] lines = (await users.ReadToEndAsync()).Split("\r\n", StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal(["\"B1\"", "\"B2\"", "\"B3\""], lines.Skip(1).Select(l => l.Split(',')[0]));
        using HttpResponseMessage unknown = await hr.GetAsync(new Uri($"/api/cohorts/{cohortId}/lms/blackboard", UriKind.Relative));
        Assert.Equal(HttpStatusCode.NotFound, unknown.StatusCode);
    }

    [Fact]
    public async Task ServerKilledMidReview_EachSubmissionEndsWithOneDecision_AndNoDuplicateMessages()
    {
        string dataFolder = Path.Combine(fixture.Azurite.DataFolder, "reviewcrash-" + Guid.NewGuid().ToString("N")[..6]);
        await using ServerProcess first = await StartAsync(dataFolder, "reviewcrashhub");
        string cohortId = await CohortWithBuildersAsync(first, "C1", "C2");
        string decidedThenKilled = await SubmitAsync(first, cohortId, "C1");
        string openWhenKilled = await SubmitAsync(first, cohortId, "C2");
        await WaitForMessageAsync(first, dataFolder, decidedThenKilled, "request");
        await WaitForMessageAsync(first, dataFolder, openWhenKilled, "request");
        await DecideAsync(first, "rev-a", decidedThenKilled, "accepted", HttpStatusCode.OK);
        await first.CrashAsync(); // the verdict's event and the other review's timers are in flight
        await first.DisposeAsync();

        await using ServerProcess second = await StartAsync(dataFolder, "reviewcrashhub");
        await DecideAsync(second, "rev-a", decidedThenKilled, "rework", HttpStatusCode.Conflict);
        await WaitForStatusAsync(second, openWhenKilled, "escalated", within: TimeSpan.FromSeconds(90));
        await DecideAsync(second, "rev-backup", openWhenKilled, "accepted", HttpStatusCode.OK);
        await DecideAsync(second, "rev-backup", openWhenKilled, "accepted", HttpStatusCode.Conflict);

        JsonNode c1 = await WaitForMessageAsync(second, dataFolder, decidedThenKilled, "decision", TimeSpan.FromSeconds(90));
        JsonNode c2 = await WaitForMessageAsync(second, dataFolder, openWhenKilled, "decision", TimeSpan.FromSeconds(90));
        await Task.Delay(TimeSpan.FromSeconds(5));

        Assert.Equal(("accepted", "rev-a"), (c1["status"]!.GetValue<string>(), c1["decidedBy"]!.GetValue<string>()));
        Assert.Equal(("accepted", "rev-backup"), (c2["status"]!.GetValue<string>(), c2["decidedBy"]!.GetValue<string>()));
        Assert.Equal([$"{decidedThenKilled}.decision", $"{decidedThenKilled}.request"], Messages(dataFolder, decidedThenKilled));
        Assert.Equal([$"{openWhenKilled}.decision", $"{openWhenKilled}.escalation", $"{openWhenKilled}.reminder", $"{openWhenKilled}.request"], Messages(dataFolder, openWhenKilled));
    }

    [Fact]
    public async Task ManagerDigest_ListsTheirPeoplesDemonstrationsAndVerdicts_OncePerPeriod()
    {
        string dataFolder = Path.Combine(fixture.Azurite.DataFolder, "digest-" + Guid.NewGuid().ToString("N")[..6]);
        // a "week" of 6 s, looked at every second
        await using ServerProcess server = await StartAsync(dataFolder, "digesthub", new() { ["Digest__Period"] = "00:00:06", ["Digest__Interval"] = "00:00:01" });
        string cohortId = Plans.UniqueId("digest");
        Dictionary<string, object?> plan = Plans.Compressed(cohortId, "P30D", "P60D", "P90D");
        plan["reviewers"] = new object[] { new Dictionary<string, object?> { ["id"] = "rev-a", ["email"] = "rev-a@example.com", ["tracks"] = new[] { "builders" } } };
        Assert.Equal(HttpStatusCode.Created, (await server.PostJsonAsync("hr", "/api/cohorts", plan)).Status);
        const string Csv = "employee_id,email,first_name,last_name,job_title,department,manager_id,status\n"
            + "M1,maya@example.com,Maya,Lead,Head of Claims,Claims,,Active\n"
            + "D1,d1@example.com,Dee,One,Data Scientist,Analytics,M1,Active\n"
            + "D2,d2@example.com,Dan,Two,Data Scientist,Analytics,M1,Active\n";
        Assert.Equal("applied", (await Imports.ImportAsync(server, cohortId, Encoding.UTF8.GetBytes(Csv)))["state"]!.GetValue<string>());

        string submission = await SubmitAsync(server, cohortId, "D1");
        await WaitForMessageAsync(server, dataFolder, submission, "request");
        await DecideAsync(server, "rev-a", submission, "accepted", HttpStatusCode.OK);

        string outbox = Path.Combine(dataFolder, "outbox");
        string digest = await Eventually.WaitAsync(
            () => Task.FromResult(Directory.GetFiles(outbox, $"digest.{cohortId}.M1.*.eml").FirstOrDefault(f => File.ReadAllText(f).Contains("accepted", StringComparison.Ordinal)) ?? string.Empty),
            path => path.Length > 0,
            TimeSpan.FromSeconds(40),
            "a digest to M1 with the verdict");

        using MimeMessage message = MimeMessage.Load(digest);
        Assert.Equal(["maya@example.com"], message.To.Mailboxes.Select(m => m.Address));
        Assert.Contains("Dee One — Demonstration: a reviewed model change (attempt 1): accepted", message.TextBody, StringComparison.Ordinal);
        Assert.DoesNotContain("Dan Two", message.TextBody, StringComparison.Ordinal); // D2 submitted nothing
        // every period's digest is a file named by the period: runs every second never wrote a second one
        Assert.All(Directory.GetFiles(outbox, "digest.*.eml"), f => Assert.Matches(@"digest\.[^.]+(\.[^.]+)*\.M1\.\d{8}T\d{6}\.eml$", Path.GetFileName(f)));
        Assert.Empty(Directory.GetFiles(outbox, "digest.*.D1.*.eml"));
    }

    private Task<ServerProcess> StartAsync(string dataFolder, string taskHub, Dictionary<string, string>? more = null) =>
        StartWithReviewersAsync(fixture.Azurite, dataFolder, taskHub, more);

    /// <summary>A server with the test keys and the reviewer keys of <see cref="ReviewerKeys"/>.</summary>
    internal static Task<ServerProcess> StartWithReviewersAsync(AzuriteFixture azurite, string dataFolder, string taskHub, Dictionary<string, string>? more = null)
    {
        var settings = new Dictionary<string, string>(more ?? []);
        int i = ServerProcess.Keys.Count;
        foreach ((string name, string key) in ReviewerKeys)
        {
            settings[$"Auth__ApiKeys__{i}__Name"] = name;
            settings[$"Auth__ApiKeys__{i}__Key"] = key;
            settings[$"Auth__ApiKeys__{i}__Roles__0"] = "reviewer";
            i++;
        }

        return ServerProcess.StartAsync(dataFolder, taskHub, azurite.ConnectionString, settings);
    }

    private static async Task<string> CohortWithBuildersAsync(ServerProcess server, params string[] ids)
    {
        string cohortId = Plans.UniqueId("review");
        Dictionary<string, object?> plan = Plans.Compressed(cohortId, "P30D", "P60D", "P90D");
        plan["reviewPolicy"] = new Dictionary<string, object?> { ["window"] = "PT8S", ["reminder"] = "PT4S" };
        plan["reviewers"] = new object[]
        {
            new Dictionary<string, object?> { ["id"] = "rev-a", ["email"] = "rev-a@example.com", ["tracks"] = new[] { "builders" } },
            new Dictionary<string, object?> { ["id"] = "rev-backup", ["email"] = "backup@example.com", ["tracks"] = new[] { "builders" }, ["backup"] = true },
        };
        Assert.Equal(HttpStatusCode.Created, (await server.PostJsonAsync("hr", "/api/cohorts", plan)).Status);
        var csv = new StringBuilder("employee_id,email,first_name,last_name,job_title,department,status\n");
        foreach (string id in ids)
        {
            csv.Append(id).Append(',').Append(id.ToLowerInvariant()).Append("@example.com,").Append(id).Append(",Person,Data Scientist,Analytics,Active\n");
        }

        JsonNode import = await Imports.ImportAsync(server, cohortId, Encoding.UTF8.GetBytes(csv.ToString()));
        Assert.Equal("applied", import["state"]!.GetValue<string>());
        Assert.Equal(ids.Length, Imports.Count(import, "joiners"));
        return cohortId;
    }

    internal static async Task<string> SubmitAsync(ServerProcess server, string cohortId, string participantId, string? idempotencyKey = null)
    {
        using HttpClient client = server.As("integrator");
        using var request = new HttpRequestMessage(HttpMethod.Post, new Uri($"/api/cohorts/{cohortId}/submissions", UriKind.Relative))
        {
            Content = new StringContent(ServerProcess.ToJson(new { participantId, stepId = Step, artifactUrl = $"https://git.example.com/{participantId}/model" }), Encoding.UTF8, new MediaTypeHeaderValue("application/json")),
        };
        if (idempotencyKey is not null)
        {
            request.Headers.Add("Idempotency-Key", idempotencyKey);
        }

        using HttpResponseMessage response = await client.SendAsync(request);
        string body = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == HttpStatusCode.Accepted, $"POST submissions answered {(int)response.StatusCode}: {body}");
        return JsonNode.Parse(body)!["submissionId"]!.GetValue<string>();
    }

    internal static async Task<JsonNode> DecideAsync(ServerProcess server, string reviewer, string submissionId, string verdict, HttpStatusCode expected)
    {
        using HttpClient client = ReviewerKeys.TryGetValue(reviewer, out string? key) ? Keyed(server, key) : server.As(reviewer);
        using var content = new StringContent(
            ServerProcess.ToJson(new { verdict, feedback = $"{verdict} by {reviewer}", rubric = new Dictionary<string, int> { ["evaluation"] = 80 } }),
            Encoding.UTF8,
            new MediaTypeHeaderValue("application/json"));
        using HttpResponseMessage response = await client.PostAsync(new Uri($"/api/submissions/{submissionId}/review", UriKind.Relative), content);
        string body = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == expected, $"POST review as {reviewer} answered {(int)response.StatusCode}, not {(int)expected}: {body}");
        return JsonNode.Parse(body)!;
    }

    private static HttpClient Keyed(ServerProcess server, string key) => server.WithKey(key);

    private static Task<JsonNode> WaitForStatusAsync(ServerProcess server, string submissionId, string status, TimeSpan? within = null) =>
        Eventually.WaitAsync(
            () => server.GetJsonAsync("integrator", $"/api/submissions/{submissionId}"),
            s => s["status"]!.GetValue<string>() == status,
            within ?? TimeSpan.FromSeconds(40),
            $"submission {submissionId} {status}");

    internal static async Task<JsonNode> WaitForMessageAsync(ServerProcess server, string dataFolder, string submissionId, string kind, TimeSpan? within = null)
    {
        await Eventually.WaitAsync(
            () => Task.FromResult(File.Exists(Path.Combine(dataFolder, "outbox", $"{submissionId}.{kind}.eml"))),
            exists => exists,
            within ?? TimeSpan.FromSeconds(40),
            $"the {kind} message of {submissionId}");
        return await server.GetJsonAsync("integrator", $"/api/submissions/{submissionId}");
    }

    private static List<string> Messages(string dataFolder, string submissionId) =>
        Directory.GetFiles(Path.Combine(dataFolder, "outbox"), submissionId + ".*.eml")
            .Select(f => Path.GetFileNameWithoutExtension(f))
            .Order(StringComparer.Ordinal)
            .ToList();

    private static TimeSpan Duration(JsonNode iso) => System.Xml.XmlConvert.ToTimeSpan(iso.GetValue<string>());
}
