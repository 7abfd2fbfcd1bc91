using System.Globalization;
using System.Net;
using System.Text;
using System.Text.Json.Nodes;
using Cohorts.TestSupport;

namespace Cohorts.Server.Tests;

/// <summary>
/// A compressed cohort on Azurite through the API with a trained group and a comparison group matched from a candidate
/// pool twice its size: the pairs and balance table as a person works them out, comparison people kept out of
/// assignments, submissions, messages and LMS exports, and a final report whose comparison block shows trained people
/// reaching production sooner, with an interval that excludes zero, and a metric withheld for a small group.
/// </summary>
[Collection(EndToEnd.Name)]
public sealed class ComparisonGroupEndToEndTests(ServerFixture fixture)
{
    private const string Header = "employee_id,email,first_name,last_name,job_title,department,hire_date,status\n";

    [Fact]
    public async Task MatchedComparisonGroup_IsPairedByHand_NeverAssignedOrExported_AndTheFinalReportComparesTheGroups()
    {
        ServerProcess server = fixture.Server;
        string dataFolder = fixture.DataFolder;
        string cohortId = Plans.UniqueId("versus");
        Dictionary<string, object?> plan = Plans.Compressed(cohortId, "PT25S");
        plan["reviewers"] = new object[] { new Dictionary<string, object?> { ["id"] = "rev-a", ["email"] = "rev-a@example.com", ["tracks"] = new[] { "builders" } } };
        (HttpStatusCode created, JsonNode? cohort) = await server.PostJsonAsync("hr", "/api/cohorts", plan);
        Assert.Equal(HttpStatusCode.Created, created);
        DateTimeOffset start = cohort!["startsAt"]!.GetValue<DateTimeOffset>();

        // trained: eight data scientists (builders), T01-T04 in Claims, T05-T08 in Pricing, hired on the 1st of month 1-8 of 2020
        var trained = new StringBuilder(Header);
        for (int i = 1; i <= 8; i++)
        {
            trained.Append(CultureInfo.InvariantCulture, $"T0{i},t0{i}@example.com,T,{i},Data Scientist,{(i <= 4 ? "Claims" : "Pricing")},2020-0{i}-01,Active\n");
        }

        Assert.Equal("applied", (await Imports.ImportAsync(server, cohortId, Encoding.UTF8.GetBytes(trained.ToString())))["state"]!.GetValue<string>());

        // the pool, twice the cohort: P01-P08 in Claims hired the 15th of months 1-8 of 2020, P09-P16 in Pricing hired the
        // 1st of months 1-8 of 2019; and two trained people, who are skipped
        var pool = new StringBuilder(Header);
        for (int i = 1; i <= 16; i++)
        {
            string hired = i <= 8 ? $"2020-0{i}-15" : $"2019-0{i - 8}-01";
            pool.Append(CultureInfo.InvariantCulture, $"P{i:00},p{i:00}@example.com,P,{i},Data Scientist,{(i <= 8 ? "Claims" : "Pricing")},{hired},Active\n");
        }

        pool.Append("T01,t01@example.com,T,1,Data Scientist,Claims,2020-01-01,Active\nT02,t02@example.com,T,2,Data Scientist,Claims,2020-02-01,Active\n");
        JsonNode matched = await Imports.ImportAsync(server, cohortId, Encoding.UTF8.GetBytes(pool.ToString()), "?group=comparison&match=true");
        Assert.Equal(("applied", "comparison", 8), (matched["state"]!.GetValue<string>(), matched["group"]!.GetValue<string>(), Imports.Count(matched, "joiners")));

        // by hand: in Claims each T0i takes P0i (14 days apart); in Pricing the nearest 2019 hire to T05 (2020-05-01) is
        // P16 (2019-08-01, 274 days), then T06 P15 (336), T07 P14 (396), T08 P13 (458)
        JsonNode match = matched["match"]!;
        Assert.Equal(
            [("T01", "P01", 14), ("T02", "P02", 14), ("T03", "P03", 14), ("T04", "P04", 14), ("T05", "P16", 274), ("T06", "P15", 336), ("T07", "P14", 396), ("T08", "P13", 458)],
            match["pairs"]!.AsArray().Select(p => (p!["trained"]!.GetValue<string>(), p["comparison"]!.GetValue<string>(), p["hireDaysApart"]!.GetValue<int>())));
        Assert.All(match["pairs"]!.AsArray(), p => Assert.True(p!["sameDepartment"]!.GetValue<bool>()));
        Assert.Equal((16, 2, 0), (match["candidates"]!.GetValue<int>(), match["alreadyTrained"]!.GetValue<int>(), match["unmatched"]!.AsArray().Count));
        Assert.All(match["balance"]!.AsArray(), g =>
        {
            Assert.Equal(8, g!["n"]!.GetValue<int>());
            Assert.Equal((4, 4), (g["byDepartment"]!["Claims"]!.GetValue<int>(), g["byDepartment"]!["Pricing"]!.GetValue<int>()));
        });
        string[] comparisonIds = ["P01", "P02", "P03", "P04", "P13", "P14", "P15", "P16"];

        // the two lists, and nobody in both groups
        Assert.Equal(comparisonIds, await IdsAsync(server, cohortId, "?group=comparison"));
        Assert.Equal(["T01", "T02", "T03", "T04", "T05", "T06", "T07", "T08"], await IdsAsync(server, cohortId, string.Empty));
        JsonNode again = await Imports.ImportAsync(server, cohortId, Encoding.UTF8.GetBytes(Header + "P01,p01@example.com,P,1,Data Scientist,Claims,2020-01-15,Active\n" + trained.ToString()[Header.Length..]));
        Assert.Contains(again["rejected"]!.AsArray(), r => r!["row"]!.GetValue<int>() == 2 && r["reason"]!.GetValue<string>().Contains("comparison group", StringComparison.Ordinal));

        // no assignments, no submissions
        JsonNode p01 = await server.GetJsonAsync("hr", $"/api/cohorts/{cohortId}/participants/P01");
        Assert.Equal(("comparison", 0), (p01["group"]!.GetValue<string>(), p01["assignments"]!.AsArray().Count));
        Assert.NotEmpty((await server.GetJsonAsync("hr", $"/api/cohorts/{cohortId}/participants/T01"))["assignments"]!.AsArray());
        (HttpStatusCode refused, JsonNode? problem) = await server.PostJsonAsync("integrator", $"/api/cohorts/{cohortId}/submissions",
            new { participantId = "P01", stepId = "builders-4", artifactUrl = "https://git.example.com/p01/model" });
        Assert.Equal((HttpStatusCode.Conflict, "participantInComparisonGroup"), (refused, problem!["code"]!.GetValue<string>()));

        // outcomes, dated by hand: trained people reach production 2-6 s after the start (median 4 s), comparison people
        // 7-15 s after it (median 11 s); every trained person has a first model-risk review, only three comparison people
        await Eventually.WaitAsync(() => Task.FromResult(DateTimeOffset.UtcNow), now => now > start.AddSeconds(16), TimeSpan.FromSeconds(40), "the events' dates to pass");
        int[] trainedSeconds = [2, 3, 3, 4, 4, 5, 5, 6];
        int[] comparisonSeconds = [7, 8, 9, 10, 12, 13, 14, 15];
        for (int i = 0; i < 8; i++)
        {
            string t = $"T0{i + 1}", c = comparisonIds[i];
            await PostOutcomeAsync(server, cohortId, new { eventId = $"prod-{t}", type = "productionContribution", participantId = t, occurredAt = start.AddSeconds(trainedSeconds[i]), link = "https://models.example.com/" + t });
            await PostOutcomeAsync(server, cohortId, new { eventId = $"prod-{c}", type = "productionContribution", participantId = c, occurredAt = start.AddSeconds(comparisonSeconds[i]), link = "https://models.example.com/" + c });
            await PostOutcomeAsync(server, cohortId, new { eventId = $"mrr-{t}", type = "modelRiskReview", participantId = t, occurredAt = start.AddSeconds(7), firstSubmission = true, passed = true });
            if (i < 3)
            {
                await PostOutcomeAsync(server, cohortId, new { eventId = $"mrr-{c}", type = "modelRiskReview", participantId = c, occurredAt = start.AddSeconds(7), firstSubmission = true, passed = false, findings = 1 });
            }
        }

        // scores on the framing quiz from the LMS (OneRoster results.csv; half not fully graded: a score, no completion),
        // highest for the soonest: T01 90 ... T08 20 out of 100
        var results = new StringBuilder("sourcedId,status,dateLastModified,lineItemSourcedId,studentSourcedId,scoreStatus,score,scoreDate,comment\n");
        for (int i = 1; i <= 8; i++)
        {
            results.Append(CultureInfo.InvariantCulture, $"r{i},active,{start.AddSeconds(1):O},{cohortId}-builders-1,T0{i},{(i % 2 == 0 ? "fully graded" : "partially graded")},{100 - (10 * i)},{start.AddSeconds(1):O},\n");
        }

        using (HttpClient integrator = server.As("integrator"))
        {
            // a result for a comparison person: they are in no LMS, so the file is refused, all or nothing, naming the row
            string withStranger = results + $"r9,active,{start.AddSeconds(1):O},{cohortId}-builders-1,P01,fully graded,100,{start.AddSeconds(1):O},\n";
            using var refusedContent = new StringContent(withStranger, Encoding.UTF8, "text/csv");
            using HttpResponseMessage refusedScores = await integrator.PostAsync(new Uri($"/api/cohorts/{cohortId}/completions", UriKind.Relative), refusedContent);
            JsonNode bad = JsonNode.Parse(await refusedScores.Content.ReadAsStringAsync())!;
            Assert.Equal((HttpStatusCode.BadRequest, "rows[10].participant"), (refusedScores.StatusCode, bad["field"]!.GetValue<string>()));

            using var content = new StringContent(results.ToString(), Encoding.UTF8, "text/csv");
            using HttpResponseMessage scored = await integrator.PostAsync(new Uri($"/api/cohorts/{cohortId}/completions", UriKind.Relative), content);
            JsonNode counts = JsonNode.Parse(await scored.Content.ReadAsStringAsync())!;
            Assert.True(scored.StatusCode == HttpStatusCode.OK, counts.ToJsonString());
            Assert.Equal((8, 4, 8), (counts["rows"]!.GetValue<int>(), counts["completed"]!.GetValue<int>(), counts["scored"]!.GetValue<int>()));
        }

        // and a second assessment from a learning platform as xAPI: T01 20 ... T08 90 out of 100 on the tools step
        var statements = new JsonArray();
        for (int i = 1; i <= 8; i++)
        {
            statements.Add(new JsonObject
            {
                ["actor"] = new JsonObject { ["account"] = new JsonObject { ["homePage"] = "https://lms.example.com", ["name"] = $"T0{i}" } },
                ["verb"] = new JsonObject { ["id"] = "http://adlnet.gov/expapi/verbs/scored" },
                ["object"] = new JsonObject { ["id"] = $"urn:cohorts:{cohortId}:steps:builders-2" },
                ["result"] = new JsonObject { ["score"] = new JsonObject { ["raw"] = 10 + (10 * i), ["min"] = 0, ["max"] = 100 } },
                ["timestamp"] = start.AddSeconds(1).ToString("O"),
            });
        }

        using (HttpClient integrator = server.As("integrator"))
        {
            using var request = new HttpRequestMessage(HttpMethod.Post, new Uri("/api/xapi/statements", UriKind.Relative))
            {
                Content = new StringContent(statements.ToJsonString(), Encoding.UTF8, "application/json"),
            };
            request.Headers.Add("X-Experience-API-Version", "1.0.3");
            using HttpResponseMessage posted = await integrator.SendAsync(request);
            Assert.True(posted.StatusCode == HttpStatusCode.OK, await posted.Content.ReadAsStringAsync());
        }

        await Eventually.WaitAsync(
            () => server.GetJsonAsync("hr", $"/api/cohorts/{cohortId}"), c => c["status"]!.GetValue<string>() == "completed", TimeSpan.FromSeconds(90), "the cohort to complete");
        JsonNode final = await server.GetJsonAsync("leader", $"/api/cohorts/{cohortId}/reports/final?format=json");
        JsonNode versus = final["comparison"]!;
        Assert.Equal("track, department, hire date", versus["matchedOn"]!.GetValue<string>());
        JsonNode time = versus["metrics"]!.AsArray().Single(m => m!["metric"]!.GetValue<string>() == "timeToFirstProduction")!;
        Assert.Equal(("PT4S", "PT11S", "-PT7S", 8, 8), (time["cohort"]!.GetValue<string>(), time["comparison"]!.GetValue<string>(), time["difference"]!.GetValue<string>(),
            time["nCohort"]!.GetValue<int>(), time["nComparison"]!.GetValue<int>()));
        // every bootstrap median of the trained group (2-6 s) is below every one of the comparison group (7-15 s)
        Assert.All(time["ci"]!.AsArray(), bound => Assert.StartsWith("-PT", bound!.GetValue<string>(), StringComparison.Ordinal));
        JsonNode quality = versus["metrics"]!.AsArray().Single(m => m!["metric"]!.GetValue<string>() == "firstPassRate")!;
        Assert.Equal((8, 3), (quality["nCohort"]!.GetValue<int>(), quality["nComparison"]!.GetValue<int>()));
        Assert.NotNull(quality["withheld"]?.GetValue<string>());
        Assert.Null(quality["difference"]);
        // do high scorers ship? By hand: scaled scores 0.2-0.9 have quartiles (Hyndman-Fan 7) 0.375, 0.55, 0.725, so two
        // people a band, each withheld; ranks of score 8..1 (T01..T08) against ranks of days 1, 2.5, 2.5, 4.5, 4.5, 6.5, 6.5, 8
        // give rho = -40.5 / sqrt(42 x 40.5) = -0.982; Fisher z = -2.350, Bonett-Wright SE sqrt((1 + rho^2/2) / 5) = 0.5445,
        // so the interval is tanh(-2.350 -/+ 1.960 x 0.5445) = [-0.998, -0.857]
        Assert.Equal(["builders-1", "builders-2"], final["scores"]!.AsArray().Select(s => s!["assessment"]!.GetValue<string>()));
        JsonNode quiz = final["scores"]![0]!;
        Assert.Equal([(1, 2), (2, 2), (3, 2), (4, 2)], quiz["bands"]!.AsArray().Select(b => (b!["band"]!.GetValue<int>(), b["n"]!.GetValue<int>())));
        Assert.All(quiz["bands"]!.AsArray(), b => Assert.NotNull(b!["withheld"]?.GetValue<string>()));
        JsonNode spearman = quiz["spearman"]!;
        Assert.Equal(8, spearman["n"]!.GetValue<int>());
        Assert.Equal(-0.982, spearman["rho"]!.GetValue<double>(), 3);
        Assert.Equal(-0.998, spearman["ci"]![0]!.GetValue<double>(), 3);
        Assert.Equal(-0.857, spearman["ci"]![1]!.GetValue<double>(), 3);
        // the xAPI scores rise with the days (ranks 1..8 against the same day ranks): the mirror image, +0.982 in [0.857, 0.998]
        JsonNode tools = final["scores"]![1]!["spearman"]!;
        Assert.Equal((8, 0.982, 0.857, 0.998), (tools["n"]!.GetValue<int>(), Math.Round(tools["rho"]!.GetValue<double>(), 3),
            Math.Round(tools["ci"]![0]!.GetValue<double>(), 3), Math.Round(tools["ci"]![1]!.GetValue<double>(), 3)));

        // the trained figures stay the trained group's own: eight participants, eight contributions
        Assert.Equal((8, 8), (final["cohort"]!["participants"]!.GetValue<int>(), final["cohort"]!["production"]!["contributions"]!.GetValue<int>()));

        using (HttpClient leader = server.As("leader"))
        {
            string csv = await leader.GetStringAsync(new Uri($"/api/cohorts/{cohortId}/reports/final?format=csv", UriKind.Relative));
            Assert.Contains("\r\nmetric,cohort,comparison,difference,ciLow,ciHigh,nCohort,nComparison,withheld,matchedOn\r\n", csv, StringComparison.Ordinal);
            // a cell opening with '-' that is not a plain number is quoted against formula injection, as every CSV cell is
            Assert.Contains("\r\ntimeToFirstProduction,PT4S,PT11S,'-PT7S,'-PT", csv, StringComparison.Ordinal);
            string html = await leader.GetStringAsync(new Uri($"/api/cohorts/{cohortId}/reports/final", UriKind.Relative));
            Assert.Contains("Versus comparable staff", html, StringComparison.Ordinal);
            Assert.Contains("alt=\"Trained against comparable staff", html, StringComparison.Ordinal);
            Assert.Contains("Do high scorers ship? builders-1", html, StringComparison.Ordinal);
            // a cohort compressed into seconds reads in seconds, not as "0 d": PT4S trained, PT11S comparison (the CSV above)
            Assert.Contains(">4 s</td><td style=\"padding:4px 6px\">11 s</td>", html, StringComparison.Ordinal);
            Assert.Contains("Do high scorers ship? builders-2", html, StringComparison.Ordinal);
            // every band of eight people is withheld: the tables say so, and no empty band chart is drawn
            Assert.DoesNotContain("to first production by score band", html, StringComparison.Ordinal);
            Assert.Contains("\r\nassessment,spearmanRho,ciLow,ciHigh,n,withheld\r\n", csv, StringComparison.Ordinal);
        }

        // no message to or about a comparison person, and no LMS export lists them
        string outbox = Path.Combine(dataFolder, "outbox");
        await Eventually.WaitAsync(
            () => Task.FromResult(Directory.Exists(outbox) ? Directory.GetFiles(outbox, $"report.{cohortId}.*.eml").Length : 0), n => n > 0, TimeSpan.FromSeconds(30), "the report's email");
        string messages = string.Concat(Directory.GetFiles(outbox).Select(File.ReadAllText));
        using HttpClient hr = server.As("hr");
        foreach (string format in new[] { "canvas", "moodle", "oneroster" })
        {
            string export = ErasureEndToEndTests.Unzipped(await hr.GetByteArrayAsync(new Uri($"/api/cohorts/{cohortId}/lms/{format}", UriKind.Relative)));
            Assert.Contains("t01@example.com", export, StringComparison.Ordinal);
            Assert.All(comparisonIds, id => Assert.DoesNotContain(id.ToLowerInvariant() + "@example.com", export, StringComparison.Ordinal));
        }

        Assert.All(comparisonIds, id => Assert.DoesNotContain(id.ToLowerInvariant() + "@example.com", messages, StringComparison.Ordinal));
    }

    private static async Task<string[]> IdsAsync(ServerProcess server, string cohortId, string query) =>
        (await server.GetJsonAsync("hr", $"/api/cohorts/{cohortId}/participants{query}"))["items"]!.AsArray()
            .Select(p => p!["participantId"]!.GetValue<string>()).Order(StringComparer.Ordinal).ToArray();

    private static async Task PostOutcomeAsync(ServerProcess server, string cohortId, object outcome)
    {
        (HttpStatusCode status, JsonNode? body) = await server.PostJsonAsync("integrator", $"/api/cohorts/{cohortId}/outcomes", outcome);
        Assert.True((int)status < 300, $"POST outcomes answered {(int)status}: {body?.ToJsonString()}");
    }
}
