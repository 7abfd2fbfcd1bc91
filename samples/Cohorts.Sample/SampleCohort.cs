using System.Globalization;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Cohorts.Connectors.Storage;
using Cohorts.Server.Hosting;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.Configuration;

namespace Cohorts.Sample;

/// <summary>Runs the sample cohort against the self-hosted server in this process and copies its final report out.</summary>
internal static class SampleCohort
{
    private static readonly Dictionary<string, (string Key, string Role)> Keys = new()
    {
        ["hr"] = ("sample-hr-key-0123456789abcdef", "hr"),
        ["integrator"] = ("sample-integrator-key-0123456789", "integrator"),
        ["leader"] = ("sample-leader-key-0123456789abc", "leader"),
        ["rev-ana"] = ("sample-rev-ana-key-0123456789ab", "reviewer"),
    };

    private static readonly TimeSpan Final = TimeSpan.FromSeconds(60);

    public static async Task<int> RunAsync(string output)
    {
        string corpus = CorpusFile("hr", "HRDataset_v14.csv");
        string dataFolder = Path.Combine(Path.GetTempPath(), "cohorts-sample", Guid.NewGuid().ToString("N")[..8]);
        int port = LoopbackPorts.Free();
        WebApplicationBuilder builder = WebApplication.CreateBuilder(new WebApplicationOptions { ContentRootPath = AppContext.BaseDirectory });
        var settings = new Dictionary<string, string?>
        {
            ["urls"] = $"http://127.0.0.1:{port}",
            ["Server:DataFolder"] = dataFolder,
            ["Server:TaskHub"] = "sample",
            ["Logging:LogLevel:Default"] = "Warning",
        };
        int i = 0;
        foreach ((string name, (string key, string role)) in Keys)
        {
            // a leader sees the cohorts they lead: the leader's key is named as the plan names the first leader
            settings[$"Auth:ApiKeys:{i}:Name"] = role == "leader" ? "cio@example.com" : name;
            settings[$"Auth:ApiKeys:{i}:Key"] = key;
            settings[$"Auth:ApiKeys:{i}:Roles:0"] = role;
            i++;
        }

        builder.Configuration.AddInMemoryCollection(settings);
        builder.AddCohortsServer();
        await using WebApplication app = builder.Build();
        app.UseCohortsServer();
        await app.PrepareBackendAsync();
        await app.StartAsync();
        try
        {
            using var http = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{port}"), Timeout = TimeSpan.FromMinutes(2) };
            string cohortId = "sample-" + TimeProvider.System.GetUtcNow().UtcDateTime.ToString("yyyyMMddHHmmss", CultureInfo.InvariantCulture);
            await RunCohortAsync(http, cohortId, corpus);
            await CopyReportAsync(http, cohortId, Path.Combine(dataFolder, "outbox"), output);
            return 0;
        }
        finally
        {
            await app.StopAsync();
        }
    }

    private static async Task RunCohortAsync(HttpClient http, string cohortId, string corpus)
    {
        var plan = new
        {
            id = cohortId,
            name = "Claims triage cohort (sample)",
            useCase = new { title = "Claims triage model", problem = "Route incoming claims to the right desk", sandboxUrl = "https://sandbox.example.com/claims" },
            checkpoints = new[] { "PT20S", "PT40S", "PT60S" },
            reviewPolicy = new { window = "PT6S", reminder = "PT3S" },
            leaders = new[] { "cio@example.com", "coo@example.com" },
            programLead = "lead@example.com",
            reviewers = new[] { new { id = "rev-ana", email = "ana@example.com", tracks = Array.Empty<string>() } },
            baseline = new { advisoryHoursPerMonth = 40, timeToProduction = "P120D", firstPassRate = 0.35 },
        };
        JsonNode cohort = await SendAsync(http, HttpMethod.Post, "/api/cohorts", "hr", JsonContent.Create(plan));
        DateTimeOffset start = cohort["startsAt"]!.GetValue<DateTimeOffset>();
        Console.WriteLine($"cohort {cohortId}: final report due {start + Final:O}");

        // every third person of the corpus file is trained; the others are the candidate pool the comparison group is
        // matched from (same track, same department where possible, nearest hire date)
        string[] lines = (await File.ReadAllTextAsync(corpus)).Split('\n', StringSplitOptions.RemoveEmptyEntries);
        string trainedCsv = string.Join('\n', lines.Take(1).Concat(lines.Skip(1).Where((_, n) => n % 3 == 0)));
        string poolCsv = string.Join('\n', lines.Take(1).Concat(lines.Skip(1).Where((_, n) => n % 3 != 0)));
        JsonNode import = await ImportAsync(http, cohortId, trainedCsv, string.Empty);
        Console.WriteLine($"trained group from {Path.GetFileName(corpus)} (every third row): {import["state"]} ({import["counts"]!.ToJsonString()})");
        JsonNode matched = await ImportAsync(http, cohortId, poolCsv, "?group=comparison&match=true");
        Console.WriteLine($"comparison group matched from the other rows: {matched["match"]!["pairs"]!.AsArray().Count} pairs, {matched["match"]!["unmatched"]!.AsArray().Count} unmatched");
        List<string> comparable = matched["match"]!["pairs"]!.AsArray().Select(p => p!["comparison"]!.GetValue<string>()).ToList();

        List<(string Id, string Track)> placed = [];
        string? continuation = null;
        do
        {
            JsonNode page = await SendAsync(http, HttpMethod.Get, $"/api/cohorts/{cohortId}/participants?pageSize=500" + (continuation is null ? "" : "&continuationToken=" + Uri.EscapeDataString(continuation)), "hr");
            placed.AddRange(page["items"]!.AsArray().Where(p => p!["track"] is not null && p["status"]!.GetValue<string>() == "active")
                .Select(p => (p!["participantId"]!.GetValue<string>(), p["track"]!.GetValue<string>())));
            continuation = page["continuationToken"]?.GetValue<string>();
        }
        while (continuation is not null);

        // demonstrations: every fourth person on a track submits; most are decided at once, some sent back, a few left to escalate
        var random = new Random(7);
        List<(string Id, string Track)> submitters = placed.Where((_, n) => n % 4 == 0).ToList();
        foreach ((string id, string track) in submitters)
        {
            JsonNode person = await SendAsync(http, HttpMethod.Get, $"/api/cohorts/{cohortId}/participants/{Uri.EscapeDataString(id)}", "integrator");
            string step = person["assignments"]!.AsArray().First(a => a!["kind"]!.GetValue<string>() == "capabilityDemonstration")!["stepId"]!.GetValue<string>();
            JsonNode submitted = await SendAsync(http, HttpMethod.Post, $"/api/cohorts/{cohortId}/submissions", "integrator",
                JsonContent.Create(new { participantId = id, stepId = step, artifactUrl = $"https://git.example.com/claims/{id}" }));
            int roll = random.Next(10);
            if (roll < 8)
            {
                string submissionId = submitted["submissionId"]!.GetValue<string>();
                await WaitAsync(() => SendAsync(http, HttpMethod.Get, $"/api/submissions/{submissionId}", "integrator"), s => s["reviewerId"] is not null, "the review");
                await SendAsync(http, HttpMethod.Post, $"/api/submissions/{submissionId}/review", "rev-ana",
                    JsonContent.Create(new { verdict = roll < 6 ? "accepted" : "rework", feedback = roll < 6 ? "Clear evaluation and rollback plan." : "Add the held-out evaluation." }));
            }
        }

        Console.WriteLine($"{submitters.Count} demonstrations submitted and reviewed");

        // scores on each track's framing step: from the LMS (OneRoster results.csv) for half the people, as xAPI
        // statements from a learning platform for the other half
        var results = new System.Text.StringBuilder("sourcedId,status,dateLastModified,lineItemSourcedId,studentSourcedId,scoreStatus,score,scoreDate,comment\n");
        var statements = new JsonArray();
        foreach ((string id, string track) in placed)
        {
            int score = random.Next(40, 101);
            if (random.Next(2) == 0)
            {
                results.Append(CultureInfo.InvariantCulture, $"r-{id},active,{start:O},{cohortId}-{track}-1,{id},fully graded,{score},{start:O},\n");
            }
            else
            {
                statements.Add(new JsonObject
                {
                    ["actor"] = new JsonObject { ["account"] = new JsonObject { ["homePage"] = "https://learning.example.com", ["name"] = id } },
                    ["verb"] = new JsonObject { ["id"] = "http://adlnet.gov/expapi/verbs/scored" },
                    ["object"] = new JsonObject { ["id"] = $"urn:cohorts:{cohortId}:steps:{track}-1" },
                    ["result"] = new JsonObject { ["score"] = new JsonObject { ["raw"] = score, ["min"] = 0, ["max"] = 100 } },
                    ["timestamp"] = start.ToString("O"),
                });
            }
        }

        var resultsCsv = new StringContent(results.ToString(), System.Text.Encoding.UTF8, "text/csv");
        JsonNode scored = await SendAsync(http, HttpMethod.Post, $"/api/cohorts/{cohortId}/completions", "integrator", resultsCsv);
        var xapi = new StringContent(statements.ToJsonString(), System.Text.Encoding.UTF8, "application/json");
        xapi.Headers.Add("X-Experience-API-Version", "1.0.3");
        JsonNode ids = await SendAsync(http, HttpMethod.Post, "/api/xapi/statements", "integrator", xapi);
        Console.WriteLine($"{scored["scored"]} scores from the LMS, {ids.AsArray().Count} as xAPI statements");

        // outcome events, reported as the minute passes and dated when they are reported: production contributions and
        // model-risk reviews from the people who build models, advisory hours from anyone
        // model-risk reviews from the people who build models, advisory hours from anyone; the comparison group reports
        // too, at a third of the rate (the sample's made-up effect of training)
        List<(string Id, string Track)> building = placed.Where(p => p.Track is "builders" or "specialists" or "governors").ToList();
        int sent = 0;
        while (TimeProvider.System.GetUtcNow() < start + Final - TimeSpan.FromSeconds(3))
        {
            int kind = random.Next(10);
            string id = comparable.Count > 0 && random.Next(4) == 0 ? comparable[random.Next(comparable.Count)]
                : (kind < 6 && building.Count > 0 ? building[random.Next(building.Count)] : placed[random.Next(placed.Count)]).Id;
            object outcome = kind switch
            {
                < 2 => new { eventId = $"prod-{sent}", type = "productionContribution", participantId = id, occurredAt = TimeProvider.System.GetUtcNow(), link = $"https://models.example.com/claims/{sent}" },
                < 6 => new { eventId = $"mrr-{sent}", type = "modelRiskReview", participantId = id, occurredAt = TimeProvider.System.GetUtcNow(), firstSubmission = random.Next(4) > 0, passed = random.Next(3) > 0, findings = random.Next(3) },
                _ => new { eventId = $"adv-{sent}", type = "advisorySupport", participantId = id, occurredAt = TimeProvider.System.GetUtcNow(), hours = random.Next(1, 5) * 0.5 },
            };
            await SendAsync(http, HttpMethod.Post, $"/api/cohorts/{cohortId}/outcomes", "integrator", JsonContent.Create(outcome));
            sent++;
            await Task.Delay(400);
        }

        Console.WriteLine($"{sent} outcome events reported");
    }

    private static async Task<JsonNode> ImportAsync(HttpClient http, string cohortId, string csv, string query)
    {
        var content = new StringContent(csv, System.Text.Encoding.UTF8, "text/csv");
        string importId = (await SendAsync(http, HttpMethod.Post, $"/api/cohorts/{cohortId}/imports{query}", "hr", content))["importId"]!.GetValue<string>();
        return await WaitAsync(() => SendAsync(http, HttpMethod.Get, $"/api/cohorts/{cohortId}/imports/{importId}", "hr"), x => x["state"]!.GetValue<string>() is not ("reading" or "applying"), "the import");
    }

    private static async Task CopyReportAsync(HttpClient http, string cohortId, string outbox, string output)
    {
        await WaitAsync(async () => await TryGetAsync(http, $"/api/cohorts/{cohortId}/reports/final?format=json") is not null, ready => ready, "the final report");
        Directory.CreateDirectory(output);
        foreach (string format in new[] { "html", "csv", "json" })
        {
            await File.WriteAllTextAsync(Path.Combine(output, $"final-report.{format}"), await TryGetAsync(http, $"/api/cohorts/{cohortId}/reports/final?format={format}"));
        }

        string[] emails = await WaitAsync(
            () => Task.FromResult(Directory.Exists(outbox) ? Directory.GetFiles(outbox, $"report.{cohortId}.3.*.eml") : []), found => found.Length == 2, "both leaders' final emails");
        foreach (string email in emails)
        {
            File.Copy(email, Path.Combine(output, Path.GetFileName(email)), overwrite: true);
        }

        Console.WriteLine($"final report in {Path.GetFullPath(output)}: final-report.html, .csv, .json and {emails.Length} emails (.eml)");
    }

    private static async Task<string?> TryGetAsync(HttpClient http, string path)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, new Uri(path, UriKind.Relative));
        request.Headers.Add("X-Api-Key", Keys["leader"].Key);
        using HttpResponseMessage response = await http.SendAsync(request);
        return response.IsSuccessStatusCode ? await response.Content.ReadAsStringAsync() : null;
    }

    private static async Task<JsonNode> SendAsync(HttpClient http, HttpMethod method, string path, string caller, HttpContent? content = null)
    {
        using var request = new HttpRequestMessage(method, new Uri(path, UriKind.Relative)) { Content = content };
        request.Headers.Add("X-Api-Key", Keys[caller].Key);
        using HttpResponseMessage response = await http.SendAsync(request);
        string body = await response.Content.ReadAsStringAsync();
        return response.IsSuccessStatusCode
            ? JsonNode.Parse(body)!
            : throw new HttpRequestException($"{method} {path} answered {(int)response.StatusCode}: {body}");
    }

    private static async Task<T> WaitAsync<T>(Func<Task<T>> probe, Func<T, bool> done, string what)
    {
        for (DateTime until = TimeProvider.System.GetUtcNow().UtcDateTime.AddMinutes(3); ; await Task.Delay(250))
        {
            T value = await probe();
            if (done(value))
            {
                return value;
            }

            if (TimeProvider.System.GetUtcNow().UtcDateTime > until)
            {
                throw new TimeoutException($"Waited 3 minutes for {what}.");
            }
        }
    }

    /// <summary>A corpus file, from ../shared/corpus beside the repository (found upward from here); a clear error when it is missing.</summary>
    private static string CorpusFile(params string[] path)
    {
        for (DirectoryInfo? dir = new(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "FunctionsApp.sln")))
            {
                string file = Path.Combine([dir.FullName, "..", "shared", "corpus", .. path]);
                return File.Exists(file) ? Path.GetFullPath(file) : throw new FileNotFoundException($"The sample enrols from the corpus file {Path.GetFullPath(file)}, which is missing: the corpus sits beside the repository in ../shared/corpus.");
            }
        }

        throw new DirectoryNotFoundException("Run the sample from the repository (FunctionsApp.sln not found above " + AppContext.BaseDirectory + ").");
    }
}
