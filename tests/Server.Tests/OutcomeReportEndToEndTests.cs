using System.Net;
using System.Text;
using System.Text.Json.Nodes;
using Cohorts.TestSupport;
using MimeKit;

namespace Cohorts.Server.Tests;

/// <summary>
/// The 90-day protocol compressed to a minute on Azurite through the HTTP API: enrolment, reviews and outcome events,
/// three checkpoints with their stored reports, and the reports emailed to each leader; and a server killed between
/// rendering the final report and sending it.
/// </summary>
[Collection(OwnServers.Name)]
public sealed class OutcomeReportEndToEndTests(OwnServersFixture fixture)
{
    private static readonly string[] Leaders = ["cio@example.com", "coo@example.com"];

    [Fact]
    public async Task CompressedCohort_EndsWithThreeSnapshots_AndOneFinalReportPerLeader_WithInlineChartsAndTheCsv()
    {
        string dataFolder = Path.Combine(fixture.Azurite.DataFolder, "outcomes-" + Guid.NewGuid().ToString("N")[..6]);
        await using ServerProcess server = await ReviewEndToEndTests.StartWithReviewersAsync(fixture.Azurite, dataFolder, "outcomehub");
        string cohortId = Plans.UniqueId("outcomes");
        Dictionary<string, object?> plan = Plans.Compressed(cohortId, "PT30S", "PT45S", "PT60S");
        plan["leaders"] = Leaders;
        plan["reviewers"] = new object[] { new Dictionary<string, object?> { ["id"] = "rev-a", ["email"] = "rev-a@example.com", ["tracks"] = new[] { "builders" } } };
        plan["baseline"] = new Dictionary<string, object?> { ["advisoryHoursPerMonth"] = 20, ["timeToProduction"] = "P120D", ["firstPassRate"] = 0.4 };
        (HttpStatusCode created, JsonNode? cohort) = await server.PostJsonAsync("hr", "/api/cohorts", plan);
        Assert.Equal(HttpStatusCode.Created, created);
        DateTimeOffset start = cohort!["startsAt"]!.GetValue<DateTimeOffset>();

        const string Csv = "employee_id,email,first_name,last_name,job_title,department,status\n"
            + "B1,b1@example.com,Bea,One,Data Scientist,Analytics,Active\n"
            + "B2,b2@example.com,Bo,Two,Data Scientist,Analytics,Active\n"
            + "T1,t1@example.com,Tia,Three,Business Analyst,Operations,Active\n";
        Assert.Equal("applied", (await Imports.ImportAsync(server, cohortId, Encoding.UTF8.GetBytes(Csv)))["state"]!.GetValue<string>());

        // reviews: B1 accepted at the first attempt, B2 sent back
        string b1 = await ReviewEndToEndTests.SubmitAsync(server, cohortId, "B1");
        string b2 = await ReviewEndToEndTests.SubmitAsync(server, cohortId, "B2");
        await ReviewEndToEndTests.WaitForMessageAsync(server, dataFolder, b1, "request");
        await ReviewEndToEndTests.WaitForMessageAsync(server, dataFolder, b2, "request");
        await ReviewEndToEndTests.DecideAsync(server, "rev-a", b1, "accepted", HttpStatusCode.OK);
        await ReviewEndToEndTests.DecideAsync(server, "rev-a", b2, "rework", HttpStatusCode.OK);

        // the LMS reports framing done for B1 (and, wrongly, a demonstration and a stranger): all or nothing, rows named
        (HttpStatusCode refused, JsonNode? problem) = await PostCompletionsAsync(server, cohortId,
            "participant_id,step_id,completed_at\n" + $"B1,builders-1,{start.AddSeconds(1):O}\nB1,builders-4,{start.AddSeconds(1):O}\nZZ,builders-1,{start.AddSeconds(1):O}\n");
        Assert.Equal(HttpStatusCode.BadRequest, refused);
        Assert.Equal(["rows[3].step", "rows[4].participant"], problem!["errors"]!.AsArray().Select(e => e!["field"]!.GetValue<string>()));
        Assert.Equal("assigned", (await server.GetJsonAsync("integrator", $"/api/cohorts/{cohortId}/participants/B1"))["assignments"]![0]!["state"]!.GetValue<string>());
        (HttpStatusCode accepted, JsonNode? done) = await PostCompletionsAsync(server, cohortId, "participant_id,step_id,completed_at\n" + $"B1,builders-1,{start.AddSeconds(1):O}\n");
        Assert.Equal((HttpStatusCode.OK, 1), (accepted, done!["completed"]!.GetValue<int>()));
        Assert.Equal("completed", (await server.GetJsonAsync("integrator", $"/api/cohorts/{cohortId}/participants/B1"))["assignments"]![0]!["state"]!.GetValue<string>());

        // outcome events, all dated two seconds after the start
        DateTimeOffset early = start.AddSeconds(2);
        var production = new { eventId = "prod-b1", type = "productionContribution", participantId = "B1", occurredAt = early, link = "https://models.example.com/claims/1" };
        Assert.Equal(HttpStatusCode.Created, await PostOutcomeAsync(server, cohortId, production));
        Assert.Equal(HttpStatusCode.Created, await PostOutcomeAsync(server, cohortId, new { eventId = "mrr-b1", type = "modelRiskReview", participantId = "B1", occurredAt = early, firstSubmission = true, passed = true }));
        Assert.Equal(HttpStatusCode.Created, await PostOutcomeAsync(server, cohortId, new { eventId = "mrr-b2", type = "modelRiskReview", participantId = "B2", occurredAt = early, firstSubmission = true, findings = 2 }));
        Assert.Equal(HttpStatusCode.Created, await PostOutcomeAsync(server, cohortId, new { eventId = "adv-t1", type = "advisorySupport", participantId = "T1", occurredAt = early, hours = 3.0 }));

        // idempotent by event id, and bad events are refused with the field at fault
        Assert.Equal(HttpStatusCode.OK, await PostOutcomeAsync(server, cohortId, production));
        Assert.Equal(("eventIdTaken", "eventId"), await ProblemAsync(server, cohortId, production with { link = "https://models.example.com/other" }, HttpStatusCode.Conflict));
        Assert.Equal(("invalidType", "type"), await ProblemAsync(server, cohortId, new { eventId = "x1", type = "training", participantId = "B1", occurredAt = early }, HttpStatusCode.BadRequest));
        Assert.Equal(("fieldNotForType", "hours"), await ProblemAsync(server, cohortId, new { eventId = "x2", type = "productionContribution", participantId = "B1", occurredAt = early, link = "https://m.example.com", hours = 2.0 }, HttpStatusCode.BadRequest));
        Assert.Equal(("missingResult", "passed"), await ProblemAsync(server, cohortId, new { eventId = "x3", type = "modelRiskReview", participantId = "B1", occurredAt = early, firstSubmission = true }, HttpStatusCode.BadRequest));
        Assert.Equal(("occurredInFuture", "occurredAt"), await ProblemAsync(server, cohortId, new { eventId = "x4", type = "advisorySupport", participantId = "B1", occurredAt = DateTimeOffset.UtcNow.AddHours(1), hours = 1.0 }, HttpStatusCode.BadRequest));
        Assert.Equal(("participantNotFound", "participantId"), await ProblemAsync(server, cohortId, new { eventId = "x5", type = "advisorySupport", participantId = "nobody", occurredAt = early, hours = 1.0 }, HttpStatusCode.NotFound));
        using (HttpClient hr = server.As("hr"))
        {
            using HttpResponseMessage forbidden = await hr.GetAsync(new Uri($"/api/cohorts/{cohortId}/reports/final", UriKind.Relative));
            Assert.Equal(HttpStatusCode.Forbidden, forbidden.StatusCode);
        }

        Assert.Equal((HttpStatusCode.NotFound, "reportNotReady"), await TryReportAsync(server, cohortId, "final"));

        // once checkpoint 1 is stored, an event dated before it arrives: the stored report keeps its figures
        JsonNode first = await ReportAsync(server, cohortId, "1", TimeSpan.FromSeconds(60));
        Assert.Equal(HttpStatusCode.Created, await PostOutcomeAsync(server, cohortId, new { eventId = "prod-b2-late", type = "productionContribution", participantId = "B2", occurredAt = early, link = "https://models.example.com/claims/2" }));

        JsonNode final = await ReportAsync(server, cohortId, "final", TimeSpan.FromSeconds(90));
        await Eventually.WaitAsync(
            () => server.GetJsonAsync("hr", $"/api/cohorts/{cohortId}"), c => c["status"]!.GetValue<string>() == "completed", TimeSpan.FromSeconds(30), "the cohort to complete");

        // checkpoint 1, by hand: 3 people; B1's contribution; first passes 1 of 2 (B1 passed, B2 had findings); 3 advisory hours
        Assert.Equal(1, first["checkpoint"]!.GetValue<int>());
        Assert.Equal(3, first["cohort"]!["participants"]!.GetValue<int>());
        Assert.Equal(1, first["cohort"]!["production"]!["contributions"]!.GetValue<int>());
        Assert.Equal(1, (await server.GetJsonAsync("leader", $"/api/cohorts/{cohortId}/reports/1?format=json"))["cohort"]!["production"]!["contributions"]!.GetValue<int>());
        // the final report counts the late event too
        JsonNode c = final["cohort"]!;
        Assert.Equal(3, final["checkpoint"]!.GetValue<int>());
        Assert.Equal((2, 2), (c["production"]!["contributions"]!.GetValue<int>(), c["production"]!["contributors"]!.GetValue<int>()));
        Assert.Equal("PT2S", c["production"]!["medianTimeToProduction"]!.GetValue<string>());
        Assert.Equal("P120D", c["production"]!["baselineTimeToProduction"]!.GetValue<string>());
        Assert.Equal((1, 2), (c["quality"]!["firstPass"]!["count"]!.GetValue<int>(), c["quality"]!["firstPass"]!["of"]!.GetValue<int>()));
        Assert.Equal(0.4, c["quality"]!["baselineFirstPassRate"]!.GetValue<double>());
        Assert.Equal(3, c["advisory"]!["hours"]!.GetValue<double>());
        Assert.Equal((2, 2), (c["reviews"]!["decided"]!.GetValue<int>(), c["reviews"]!["withinWindow"]!["of"]!.GetValue<int>()));
        Assert.Equal(1, c["acceptedDemonstrations"]!.GetValue<int>());
        JsonNode view = await server.GetJsonAsync("hr", $"/api/cohorts/{cohortId}");
        Assert.Equal([1, 2, 3], view["checkpoints"]!.AsArray().Select(x => x!["ordinal"]!.GetValue<int>()));
        // the cohort view's live review block: both verdicts came inside the 10-second window, nothing escalated
        Assert.Equal((2, 2, 0), (view["reviews"]!["total"]!.GetValue<int>(), view["reviews"]!["withinWindow"]!.GetValue<int>(), view["reviews"]!["escalated"]!.GetValue<int>()));

        using (HttpClient leader = server.As("leader"))
        {
            string csv = await leader.GetStringAsync(new Uri($"/api/cohorts/{cohortId}/reports/final?format=csv", UriKind.Relative));
            string[] lines = csv.Split("\r\n", StringSplitOptions.RemoveEmptyEntries);
            Assert.StartsWith("scope,participants,productionContributions,contributors,", lines[0], StringComparison.Ordinal);
            Assert.StartsWith("cohort,3,2,2,PT2S,P120D,0.5,1,2,0.4,", lines[1], StringComparison.Ordinal);
            string html = await leader.GetStringAsync(new Uri($"/api/cohorts/{cohortId}/reports/final", UriKind.Relative));
            Assert.Equal(3, html.Split("src=\"data:image/png;base64,").Length - 1);
        }

        // the report list: every checkpoint recorded, its three formats linked, each leader listed once with the time they were sent it
        JsonNode listed = await server.GetJsonAsync("leader", $"/api/cohorts/{cohortId}/reports");
        Assert.Equal([1, 2, 3], listed["items"]!.AsArray().Select(r => r!["ordinal"]!.GetValue<int>()));
        Assert.All(listed["items"]!.AsArray(), r => Assert.Equal("recorded", r!["status"]!.GetValue<string>()));
        Assert.Equal([false, false, true], listed["items"]!.AsArray().Select(r => r!["final"]!.GetValue<bool>()));
        JsonNode last = listed["items"]![2]!;
        Assert.Equal($"/api/cohorts/{cohortId}/reports/3?format=csv", last["links"]!["csv"]!.GetValue<string>());
        Assert.Equal(Leaders.Order(), last["sent"]!.AsArray().Select(s => s!["leader"]!.GetValue<string>()).Order());
        Assert.All(last["sent"]!.AsArray(), s => Assert.True(s!["sentAt"]!.GetValue<DateTimeOffset>() >= last["recordedAt"]!.GetValue<DateTimeOffset>()));

        // the outbox: each leader got each checkpoint's report once; the final one opens with its charts inline and the CSV attached
        string outbox = Path.Combine(dataFolder, "outbox");
        await Task.Delay(TimeSpan.FromSeconds(2));
        List<MimeMessage> reports = Directory.GetFiles(outbox, $"report.{cohortId}.*.eml").Select(f => MimeMessage.Load(f)).ToList();
        try
        {
            Assert.Equal(6, reports.Count);
            foreach (string address in Leaders)
            {
                List<MimeMessage> theirs = reports.Where(m => m.To.Mailboxes.Single().Address == address).ToList();
                Assert.Equal(3, theirs.Count);
                MimeMessage finalReport = Assert.Single(theirs, m => m.Subject!.EndsWith("final outcome report", StringComparison.Ordinal));
                string[] inline = finalReport.BodyParts.OfType<MimePart>().Where(p => p.ContentType.MimeType == "image/png").Select(p => p.ContentId!).Order().ToArray();
                Assert.Equal(["contributions", "sla", "trend"], inline);
                Assert.All(inline, id => Assert.Contains($"cid:{id}", finalReport.HtmlBody, StringComparison.Ordinal));
                Assert.Contains("Production contributions: 2", finalReport.TextBody, StringComparison.Ordinal);
                MimePart csv = Assert.Single(finalReport.Attachments.OfType<MimePart>(), a => a.FileName == $"{cohortId}-checkpoint-3.csv");
                Assert.Equal("text/csv", csv.ContentType.MimeType);
            }
        }
        finally
        {
            reports.ForEach(m => m.Dispose());
        }
    }

    [Fact]
    public async Task ServerKilledBetweenRenderingAndSending_EachLeaderStillGetsTheFinalReportOnce()
    {
        string dataFolder = Path.Combine(fixture.Azurite.DataFolder, "reportcrash-" + Guid.NewGuid().ToString("N")[..6]);
        // the report is held 10 s between rendering and sending: the kill lands in that gap
        var hold = new Dictionary<string, string> { ["Reports__HoldFor"] = "00:00:10" };
        await using ServerProcess first = await ReviewEndToEndTests.StartWithReviewersAsync(fixture.Azurite, dataFolder, "reportcrashhub", hold);
        string cohortId = Plans.UniqueId("reportcrash");
        Dictionary<string, object?> plan = Plans.Compressed(cohortId, "PT3S");
        plan["leaders"] = Leaders;
        Assert.Equal(HttpStatusCode.Created, (await first.PostJsonAsync("hr", "/api/cohorts", plan)).Status);

        await ReportAsync(first, cohortId, "final", TimeSpan.FromSeconds(60));
        string outbox = Path.Combine(dataFolder, "outbox");
        Assert.Empty(Directory.Exists(outbox) ? Directory.GetFiles(outbox, $"report.{cohortId}.*") : []);
        await first.CrashAsync();
        await first.DisposeAsync();

        await using ServerProcess second = await ReviewEndToEndTests.StartWithReviewersAsync(fixture.Azurite, dataFolder, "reportcrashhub", hold);
        await Eventually.WaitAsync(
            () => Task.FromResult(Directory.Exists(outbox) ? Directory.GetFiles(outbox, $"report.{cohortId}.*.eml").Length : 0), n => n >= 2, TimeSpan.FromSeconds(90), "both leaders' reports");
        await Eventually.WaitAsync(
            () => second.GetJsonAsync("hr", $"/api/cohorts/{cohortId}"), c => c["status"]!.GetValue<string>() == "completed", TimeSpan.FromSeconds(30), "the cohort to complete");
        await Task.Delay(TimeSpan.FromSeconds(3));

        string[] sent = Directory.GetFiles(outbox, $"report.{cohortId}.*");
        Assert.Equal(2, sent.Length);
        Assert.Equal(Leaders, sent.Select(f =>
        {
            using MimeMessage m = MimeMessage.Load(f);
            return m.To.Mailboxes.Single().Address;
        }).Order());
    }

    private static async Task<HttpStatusCode> PostOutcomeAsync(ServerProcess server, string cohortId, object outcome)
    {
        (HttpStatusCode status, JsonNode? body) = await server.PostJsonAsync("integrator", $"/api/cohorts/{cohortId}/outcomes", outcome);
        Assert.True((int)status < 300, $"POST outcomes answered {(int)status}: {body?.ToJsonString()}");
        return status;
    }

    private static async Task<(HttpStatusCode Status, JsonNode? Body)> PostCompletionsAsync(ServerProcess server, string cohortId, string csv)
    {
        using HttpClient integrator = server.As("integrator");
        using var content = new StringContent(csv, Encoding.UTF8, "text/csv");
        using HttpResponseMessage response = await integrator.PostAsync(new Uri($"/api/cohorts/{cohortId}/completions", UriKind.Relative), content);
        return (response.StatusCode, JsonNode.Parse(await response.Content.ReadAsStringAsync()));
    }

    private static async Task<(string Code, string Field)> ProblemAsync(ServerProcess server, string cohortId, object outcome, HttpStatusCode expected)
    {
        (HttpStatusCode status, JsonNode? body) = await server.PostJsonAsync("integrator", $"/api/cohorts/{cohortId}/outcomes", outcome);
        Assert.True(status == expected, $"answered {(int)status}, not {(int)expected}: {body?.ToJsonString()}");
        return (body!["code"]!.GetValue<string>(), body["field"]!.GetValue<string>());
    }

    private static async Task<JsonNode> ReportAsync(ServerProcess server, string cohortId, string checkpoint, TimeSpan within)
    {
        await Eventually.WaitAsync(() => TryReportAsync(server, cohortId, checkpoint), r => r.Status == HttpStatusCode.OK, within, $"report {checkpoint}");
        return await server.GetJsonAsync("leader", $"/api/cohorts/{cohortId}/reports/{checkpoint}?format=json");
    }

    private static async Task<(HttpStatusCode Status, string? Code)> TryReportAsync(ServerProcess server, string cohortId, string checkpoint)
    {
        using HttpClient leader = server.As("leader");
        using HttpResponseMessage response = await leader.GetAsync(new Uri($"/api/cohorts/{cohortId}/reports/{checkpoint}?format=json", UriKind.Relative));
        string body = await response.Content.ReadAsStringAsync();
        return (response.StatusCode, response.IsSuccessStatusCode ? null : JsonNode.Parse(body)?["code"]?.GetValue<string>());
    }
}
