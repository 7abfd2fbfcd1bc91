using System.Net;
using System.Net.Sockets;
using System.Text;
using System.Text.Json.Nodes;
using Cohorts.Application;
using Cohorts.TestSupport;

namespace Cohorts.Server.Tests;

/// <summary>
/// Every error code the API defines (<see cref="ErrorCodes"/>), each provoked by a request a client could send, answered
/// with its status and code (and, through the checked client, a body the document allows). The one code no healthy
/// server can be made to answer, internalError, is provoked in the Functions host's middleware test.
/// </summary>
[Collection(EndToEnd.Name)]
public sealed class ErrorCodeTests(ServerFixture fixture)
{
    // ProblemDetailsMiddlewareTests; busy is also what ContentionTests allow when a change outlasts its retries
    // the xAPI codes are provoked, one by one, by XapiEndToEndTests
    private static readonly string[] ProvokedElsewhere =
        [ErrorCodes.InternalError, ErrorCodes.Busy, ErrorCodes.XapiVersionRequired, ErrorCodes.InvalidStatement, ErrorCodes.StatementConflict, ErrorCodes.StatementNotFound,
         ErrorCodes.CohortNotStarted, ErrorCodes.NoDataExtract, ErrorCodes.InvalidFileName]; // the xAPI codes in XapiEndToEndTests, the sandbox codes in SandboxEndToEndTests

    private readonly Dictionary<string, (HttpStatusCode Status, string Request)> seen = [];

    private ServerProcess Server => fixture.Server;

    [Fact]
    public async Task EveryErrorCode_IsAnsweredToTheRequestThatProvokesIt()
    {
        string c = Plans.UniqueId("codes");
        Dictionary<string, object?> plan = Plans.Compressed(c, "P30D", "P60D", "P90D");
        plan["reviewers"] = new object[] { new Dictionary<string, object?> { ["id"] = "other-reviewer", ["email"] = "other@example.com", ["tracks"] = new[] { "builders" } } };
        Assert.Equal(HttpStatusCode.Created, (await Server.PostJsonAsync("hr", "/api/cohorts", plan)).Status);
        const string Header = "employee_id,email,first_name,last_name,job_title,department,status\n";
        string first = Header + "B1,b1@example.com,Bea,One,Data Scientist,Analytics,Active\n" + "T1,t1@example.com,Tia,Two,Business Analyst,Operations,Active\n"
            + "X1,x1@example.com,Xan,Three,Astronaut,,Active\n" + "S1,s1@example.com,Sam,Four,Data Scientist,Analytics,Active\n";
        JsonNode applied = await Imports.ImportAsync(Server, c, Encoding.UTF8.GetBytes(first));
        Assert.Equal("applied", applied["state"]!.GetValue<string>());
        Assert.Equal("applied", (await Imports.ImportAsync(Server, c, Encoding.UTF8.GetBytes(first.Replace("S1,s1@example.com,Sam,Four,Data Scientist,Analytics,Active\n", string.Empty, StringComparison.Ordinal))))["state"]!.GetValue<string>());
        string importId = applied["importId"]!.GetValue<string>();
        DateTimeOffset start = (await Server.GetJsonAsync("hr", $"/api/cohorts/{c}"))["startsAt"]!.GetValue<DateTimeOffset>();

        // authentication and the request itself
        await ExpectAsync(null, "GET", $"/api/cohorts/{c}", null, HttpStatusCode.Unauthorized, ErrorCodes.Unauthenticated);
        await ExpectAsync("integrator", "GET", $"/api/cohorts/{c}", null, HttpStatusCode.Forbidden, ErrorCodes.Forbidden);
        await ExpectAsync("hr", "POST", "/api/cohorts", "{\"id\":", HttpStatusCode.BadRequest, ErrorCodes.InvalidJson);
        await ExpectAsync("hr", "GET", $"/api/cohorts/{c}/participants?pageSize=0", null, HttpStatusCode.BadRequest, ErrorCodes.InvalidQuery);
        await ExpectAsync("hr", "POST", "/api/cohorts", "{\"name\":\"" + new string('x', (1024 * 1024) + 10) + "\"}", HttpStatusCode.RequestEntityTooLarge, ErrorCodes.PayloadTooLarge);
        await ExpectAsync("hr", "POST", $"/api/cohorts/{c}/imports", "<roster/>", HttpStatusCode.UnsupportedMediaType, ErrorCodes.UnsupportedMediaType, "text/xml");
        await ExpectMalformedChunkAsync();

        // cohorts
        await ExpectAsync("hr", "POST", "/api/cohorts", Json(Plans.Compressed("bad-plan", "P3M")), HttpStatusCode.BadRequest, ErrorCodes.InvalidPlan);
        // a start no clock can reach, and a baseline of 1e309, are refused and store nothing (they once stored a cohort every later call failed on)
        string poisoned = Plans.UniqueId("poisoned");
        await ExpectAsync("hr", "POST", "/api/cohorts", Json(new Dictionary<string, object?>(Plans.Compressed(poisoned, "P30D")) { ["startsAt"] = "9999-12-31T00:00:00Z" }), HttpStatusCode.BadRequest, ErrorCodes.InvalidPlan);
        await ExpectAsync("hr", "POST", "/api/cohorts", Json(Plans.Compressed(poisoned, "P30D")).Replace("\"leaders\"", "\"baseline\":{\"advisoryHoursPerMonth\":1e309},\"leaders\"", StringComparison.Ordinal), HttpStatusCode.BadRequest, ErrorCodes.InvalidPlan);
        await ExpectAsync("hr", "GET", $"/api/cohorts/{poisoned}", null, HttpStatusCode.NotFound, ErrorCodes.CohortNotFound);
        await ExpectAsync("hr", "POST", $"/api/cohorts/{c}/imports?leaverThreshold=NaN", "employee_id\nA1\n", HttpStatusCode.BadRequest, ErrorCodes.InvalidQuery, "text/csv");
        await ExpectAsync("hr", "GET", "/api/cohorts/no-such-cohort", null, HttpStatusCode.NotFound, ErrorCodes.CohortNotFound);
        await ExpectAsync("hr", "POST", "/api/cohorts", Json(new Dictionary<string, object?>(plan) { ["name"] = "Another plan" }), HttpStatusCode.Conflict, ErrorCodes.CohortConflict);
        // webhooks
        await ExpectAsync("integrator", "POST", "/api/subscriptions", "{\"url\":\"ftp://hooks.example.com/in\",\"events\":[\"*\"]}", HttpStatusCode.BadRequest, ErrorCodes.InvalidSubscription);
        await ExpectAsync("integrator", "GET", "/api/subscriptions/sub_00000000", null, HttpStatusCode.NotFound, ErrorCodes.SubscriptionNotFound);

        // changes: If-Match required and current; the schedule fixed once created
        const string MergePatch = "application/merge-patch+json";
        await ExpectAsync("hr", "PATCH", $"/api/cohorts/{c}", "{\"name\":\"Renamed\"}", (HttpStatusCode)428, ErrorCodes.PreconditionRequired, MergePatch);
        await ExpectAsync("hr", "PATCH", $"/api/cohorts/{c}", "{\"name\":\"Renamed\"}", HttpStatusCode.PreconditionFailed, ErrorCodes.PreconditionFailed, MergePatch, "\"99\"");
        await ExpectAsync("hr", "PATCH", $"/api/cohorts/{c}", "{\"checkpoints\":[\"P10D\"]}", HttpStatusCode.Conflict, ErrorCodes.ImmutableField, MergePatch, "\"1\"");
        string closed = await Plans.CreateAsync(Server, "codes-closed");
        JsonNode dryRun = await Imports.ImportAsync(Server, closed, Encoding.UTF8.GetBytes(first), "?dryRun=true");
        Assert.Equal("awaitingApply", dryRun["state"]!.GetValue<string>());
        Assert.Equal(HttpStatusCode.Accepted, (await Server.PostJsonAsync("hr", $"/api/cohorts/{closed}/cancel", new { })).Status);
        await Eventually.WaitAsync(() => Server.GetJsonAsync("hr", $"/api/cohorts/{closed}"), v => v["status"]!.GetValue<string>() == "cancelled", TimeSpan.FromSeconds(30), "the cancel");
        // a closed cohort takes nothing more: not a cancel, an import, the apply of a dry run made before, or a submission
        await ExpectAsync("hr", "POST", $"/api/cohorts/{closed}/cancel", "{}", HttpStatusCode.Conflict, ErrorCodes.CohortClosed);
        await ExpectAsync("hr", "POST", $"/api/cohorts/{closed}/imports", first, HttpStatusCode.Conflict, ErrorCodes.CohortClosed, "text/csv");
        await ExpectAsync("hr", "POST", $"/api/cohorts/{closed}/imports/{dryRun["importId"]}/apply", "{}", HttpStatusCode.Conflict, ErrorCodes.CohortClosed);
        await ExpectAsync("integrator", "POST", $"/api/cohorts/{closed}/submissions", Work("B1", "builders-4"), HttpStatusCode.Conflict, ErrorCodes.CohortClosed);
        Assert.Equal(0, (await Server.GetJsonAsync("hr", $"/api/cohorts/{closed}"))["roster"]!["active"]!.GetValue<int>());

        // enrolment
        await ExpectAsync("hr", "POST", $"/api/cohorts/{c}/imports", "{\"graphGroupId\":\"not a group!\"}", HttpStatusCode.BadRequest, ErrorCodes.InvalidGroup);
        await ExpectAsync("hr", "GET", $"/api/cohorts/{c}/imports/20260101000000-00000000", null, HttpStatusCode.NotFound, ErrorCodes.ImportNotFound);
        await ExpectAsync("hr", "POST", $"/api/cohorts/{c}/imports/{importId}/apply", "{}", HttpStatusCode.Conflict, ErrorCodes.ImportNotAwaitingApply);
        string crowd = await Plans.CreateAsync(Server, "codes-leavers");
        string seven = Header + string.Concat(Enumerable.Range(1, 7).Select(i => $"L{i},l{i}@example.com,L,{i},Data Scientist,Analytics,Active\n"));
        await Imports.ImportAsync(Server, crowd, Encoding.UTF8.GetBytes(seven));
        JsonNode blocked = await Imports.ImportAsync(Server, crowd, Encoding.UTF8.GetBytes(Header + "L1,l1@example.com,L,1,Data Scientist,Analytics,Active\n"));
        Assert.Equal("blockedByLeavers", blocked["state"]!.GetValue<string>());
        await ExpectAsync("hr", "POST", $"/api/cohorts/{crowd}/imports/{blocked["importId"]}/apply", "{}", HttpStatusCode.Conflict, ErrorCodes.LeaverThresholdExceeded);
        await ExpectAsync("hr", "GET", $"/api/cohorts/{c}/participants/nobody", null, HttpStatusCode.NotFound, ErrorCodes.ParticipantNotFound);
        await ExpectAsync("hr", "PUT", $"/api/cohorts/{c}/participants/S1/track", "{\"track\":\"builders\"}", HttpStatusCode.Conflict, ErrorCodes.ParticipantSuspended);
        await ExpectAsync("hr", "PUT", $"/api/cohorts/{c}/participants/X1/track", "{\"track\":\"astronauts\"}", HttpStatusCode.BadRequest, ErrorCodes.InvalidTrack);

        // submissions and reviews
        string submissions = $"/api/cohorts/{c}/submissions";
        await ExpectAsync("integrator", "POST", submissions, "{\"stepId\":\"builders-4\",\"artifactUrl\":\"https://git.example.com/b1\"}", HttpStatusCode.BadRequest, ErrorCodes.MissingField);
        await ExpectAsync("integrator", "POST", submissions, Work("B1", "builders-4", "ftp://git.example.com/b1"), HttpStatusCode.BadRequest, ErrorCodes.InvalidArtifactUrl);
        await ExpectAsync("integrator", "POST", submissions, Work("B1", "builders-1"), HttpStatusCode.BadRequest, ErrorCodes.NotADemonstration);
        await ExpectAsync("integrator", "POST", submissions, Work("X1", "builders-4"), HttpStatusCode.Conflict, ErrorCodes.ParticipantNotActive);
        await Imports.ImportAsync(Server, c, Encoding.UTF8.GetBytes(Header + "K1,k1@example.com,K,1,Data Scientist,Analytics,Active\n"), "?group=comparison");
        await ExpectAsync("integrator", "POST", submissions, Work("K1", "builders-4"), HttpStatusCode.Conflict, ErrorCodes.ParticipantInComparisonGroup);
        await ExpectAsync("integrator", "POST", submissions, Work("T1", "translators-4"), HttpStatusCode.Conflict, ErrorCodes.NoReviewer);
        (HttpStatusCode submittedStatus, JsonNode? submitted) = await SendAsync("integrator", "POST", submissions, Work("B1", "builders-4"), idempotencyKey: "codes-key-1");
        Assert.Equal(HttpStatusCode.Accepted, submittedStatus);
        string submission = submitted!["submissionId"]!.GetValue<string>();
        // the same work again is a retry (the same submission); other work while it is open is refused
        Assert.Equal(submission, (await SendAsync("integrator", "POST", submissions, Work("B1", "builders-4"))).Body!["submissionId"]!.GetValue<string>());
        await ExpectAsync("integrator", "POST", submissions, Work("B1", "builders-4", "https://git.example.com/other"), HttpStatusCode.Conflict, ErrorCodes.ReviewInProgress);
        await ExpectAsync("integrator", "POST", submissions, Work("B1", "builders-4"), HttpStatusCode.BadRequest, ErrorCodes.InvalidIdempotencyKey, idempotencyKey: "key with spaces");
        await ExpectAsync("integrator", "POST", submissions, Work("T1", "translators-4"), (HttpStatusCode)422, ErrorCodes.IdempotencyKeyReused, idempotencyKey: "codes-key-1");
        // every body is bounded before anything reads it: a string, a list
        await ExpectAsync("integrator", "POST", submissions, Work("B1", "builders-4", "https://git.example.com/" + new string('a', 40_000)), HttpStatusCode.BadRequest, ErrorCodes.ValueTooLong);
        await ExpectAsync("hr", "PUT", $"/api/cohorts/{c}/participants/X1/track", Json(new { track = "builders", reason = new string('r', 40_000) }), HttpStatusCode.BadRequest, ErrorCodes.ValueTooLong);
        await ExpectAsync("hr", "POST", "/api/cohorts", Json(new Dictionary<string, object?>(Plans.Compressed(Plans.UniqueId("many-leaders"), "P30D")) { ["leaders"] = Enumerable.Range(0, 2000).Select(i => $"l{i}@example.com").ToArray() }), HttpStatusCode.BadRequest, ErrorCodes.TooManyItems);
        await ExpectAsync("integrator", "GET", $"/api/submissions/{c}.0000000000", null, HttpStatusCode.NotFound, ErrorCodes.SubmissionNotFound);
        string review = $"/api/submissions/{submission}/review";
        await ExpectAsync("admin", "POST", review, "{\"verdict\":\"maybe\",\"feedback\":\"Fine.\"}", HttpStatusCode.BadRequest, ErrorCodes.InvalidVerdict);
        await ExpectAsync("admin", "POST", review, "{\"verdict\":\"accepted\",\"feedback\":\" \"}", HttpStatusCode.BadRequest, ErrorCodes.InvalidFeedback);
        await ExpectAsync("admin", "POST", review, "{\"verdict\":\"accepted\",\"feedback\":\"Fine.\",\"rubric\":{\"framing\":101}}", HttpStatusCode.BadRequest, ErrorCodes.InvalidRubric);
        await ExpectAsync("reviewer", "POST", review, "{\"verdict\":\"accepted\",\"feedback\":\"Fine.\"}", HttpStatusCode.Forbidden, ErrorCodes.NotYourReview);
        Assert.Equal(HttpStatusCode.OK, (await SendAsync("admin", "POST", review, "{\"verdict\":\"accepted\",\"feedback\":\"Fine.\"}")).Status);
        await ExpectAsync("admin", "POST", review, "{\"verdict\":\"rework\",\"feedback\":\"Again.\"}", HttpStatusCode.Conflict, ErrorCodes.AlreadyDecided);
        await ExpectAsync("integrator", "POST", submissions, Work("B1", "builders-4"), HttpStatusCode.Conflict, ErrorCodes.AlreadyAccepted);

        // the LMS and outcomes
        await ExpectAsync("hr", "GET", $"/api/cohorts/{c}/lms/blackboard", null, HttpStatusCode.NotFound, ErrorCodes.UnknownLmsFormat);
        await ExpectAsync("hr", "POST", $"/api/cohorts/{c}/completions", "participant_id,step_id,completed_at\nB1,builders-4,2026-01-01T00:00:00Z\n", HttpStatusCode.BadRequest, ErrorCodes.InvalidCompletions, "text/csv");
        string at = start.AddSeconds(1).ToString("O");
        string outcomes = $"/api/cohorts/{c}/outcomes";
        Assert.Equal(HttpStatusCode.Created, (await SendAsync("integrator", "POST", outcomes, Event("e1", "\"type\":\"advisorySupport\",\"hours\":2", at))).Status);
        await ExpectAsync("integrator", "POST", outcomes, Event("e1", "\"type\":\"advisorySupport\",\"hours\":3", at), HttpStatusCode.Conflict, ErrorCodes.EventIdTaken);
        await ExpectAsync("integrator", "POST", outcomes, Event(" e2", "\"type\":\"advisorySupport\",\"hours\":3", at), HttpStatusCode.BadRequest, ErrorCodes.InvalidEventId);
        await ExpectAsync("integrator", "POST", outcomes, Event("e3", "\"type\":\"training\"", at), HttpStatusCode.BadRequest, ErrorCodes.InvalidType);
        await ExpectAsync("integrator", "POST", outcomes, Event("e4", "\"type\":\"advisorySupport\",\"hours\":1", DateTimeOffset.UtcNow.AddHours(1).ToString("O")), HttpStatusCode.BadRequest, ErrorCodes.OccurredInFuture);
        await ExpectAsync("integrator", "POST", outcomes, Event("e5", "\"type\":\"advisorySupport\",\"hours\":1", "2000-01-01T00:00:00Z"), HttpStatusCode.BadRequest, ErrorCodes.OccurredBeforeStart);
        await ExpectAsync("integrator", "POST", outcomes, Event("e6", "\"type\":\"productionContribution\",\"link\":\"https://m.example.com\",\"hours\":1", at), HttpStatusCode.BadRequest, ErrorCodes.FieldNotForType);
        await ExpectAsync("integrator", "POST", outcomes, Event("e7", "\"type\":\"productionContribution\",\"link\":\"not a link\"", at), HttpStatusCode.BadRequest, ErrorCodes.InvalidLink);
        await ExpectAsync("integrator", "POST", outcomes, Event("e8", "\"type\":\"modelRiskReview\",\"firstSubmission\":true", at), HttpStatusCode.BadRequest, ErrorCodes.MissingResult);
        await ExpectAsync("integrator", "POST", outcomes, Event("e9", "\"type\":\"modelRiskReview\",\"firstSubmission\":true,\"findings\":-1", at), HttpStatusCode.BadRequest, ErrorCodes.InvalidFindings);
        await ExpectAsync("integrator", "POST", outcomes, Event("e10", "\"type\":\"advisorySupport\",\"hours\":0", at), HttpStatusCode.BadRequest, ErrorCodes.InvalidHours);
        await ExpectAsync("leader", "GET", $"/api/cohorts/{c}/reports/7", null, HttpStatusCode.NotFound, ErrorCodes.UnknownCheckpoint);
        await ExpectAsync("leader", "GET", $"/api/cohorts/{c}/reports/1", null, HttpStatusCode.NotFound, ErrorCodes.ReportNotReady);

        // erasures: one that does not exist, a request without a reason
        await ExpectAsync("hr", "GET", "/api/erasures/era_000000000000000000000000", null, HttpStatusCode.NotFound, ErrorCodes.ErasureNotFound);
        await ExpectAsync("hr", "POST", "/api/erasures", Json(new { employeeId = "B1", reason = new string('x', 501) }), HttpStatusCode.BadRequest, ErrorCodes.InvalidErasure);

        // and nothing is left out
        Assert.Equal(ErrorCodes.All.Except(ProvokedElsewhere).Order(StringComparer.Ordinal), seen.Keys.Order(StringComparer.Ordinal));
    }

    private static string Json(object value) => ServerProcess.ToJson(value);

    private static string Work(string participant, string step, string link = "https://git.example.com/work") =>
        $"{{\"participantId\":\"{participant}\",\"stepId\":\"{step}\",\"artifactUrl\":\"{link}\"}}";

    private static string Event(string id, string fields, string occurredAt) =>
        $"{{\"eventId\":\"{id}\",\"participantId\":\"B1\",\"occurredAt\":\"{occurredAt}\",{fields}}}";

    private async Task ExpectAsync(string? role, string method, string path, string? body, HttpStatusCode status, string? code, string mediaType = "application/json", string? ifMatch = null, string? idempotencyKey = null)
    {
        (HttpStatusCode answered, JsonNode? problem) = await SendAsync(role, method, path, body, mediaType, ifMatch, idempotencyKey);
        Assert.True(answered == status && (code is null || problem?["code"]?.GetValue<string>() == code), $"{method} {path} → {(int)answered} {problem}; expected {(int)status} {code}");
        if (code is not null)
        {
            seen[code] = (status, $"{method} {path}");
        }
    }

    private async Task<(HttpStatusCode Status, JsonNode? Body)> SendAsync(string? role, string method, string path, string? body, string mediaType = "application/json", string? ifMatch = null, string? idempotencyKey = null)
    {
        using HttpClient client = role is null ? Server.Client() : Server.As(role);
        using var request = new HttpRequestMessage(new HttpMethod(method), new Uri(path, UriKind.Relative));
        if (ifMatch is not null)
        {
            request.Headers.TryAddWithoutValidation("If-Match", ifMatch);
        }

        if (idempotencyKey is not null)
        {
            request.Headers.TryAddWithoutValidation("Idempotency-Key", idempotencyKey);
        }

        if (body is not null)
        {
            request.Content = new StringContent(body, Encoding.UTF8, mediaType);
        }

        using HttpResponseMessage response = await client.SendAsync(request);
        string text = await response.Content.ReadAsStringAsync();
        return (response.StatusCode, text.Length == 0 || text[0] != '{' ? null : JsonNode.Parse(text));
    }

    /// <summary>A chunked body whose chunk size is not hex: the server cannot read it (no HttpClient sends one, so by socket).</summary>
    private async Task ExpectMalformedChunkAsync()
    {
        using var socket = new TcpClient();
        await socket.ConnectAsync(Server.BaseAddress.Host, Server.BaseAddress.Port);
        await using NetworkStream stream = socket.GetStream();
        string request = "POST /api/cohorts HTTP/1.1\r\nHost: localhost\r\n" + $"X-Api-Key: {ServerProcess.Keys["hr"]}\r\n"
            + "Content-Type: application/json\r\nTransfer-Encoding: chunked\r\nConnection: close\r\n\r\nzz\r\n{}\r\n0\r\n\r\n";
        await stream.WriteAsync(Encoding.ASCII.GetBytes(request));
        using var reader = new StreamReader(stream, Encoding.UTF8);
        string answer = await reader.ReadToEndAsync();
        string statusLine = answer[..answer.IndexOf('\r', StringComparison.Ordinal)];
        JsonNode problem = JsonNode.Parse(answer[answer.IndexOf('{', StringComparison.Ordinal)..answer.LastIndexOf('}')] + "}")!;
        Assert.True(statusLine == "HTTP/1.1 400 Bad Request" && problem["code"]!.GetValue<string>() == ErrorCodes.BadRequest, answer);
        seen[ErrorCodes.BadRequest] = (HttpStatusCode.BadRequest, "POST /api/cohorts (malformed chunk)");
    }
}
