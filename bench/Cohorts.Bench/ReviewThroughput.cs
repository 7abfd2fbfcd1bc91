using System.Collections.Concurrent;
using System.Diagnostics;
using System.Globalization;
using System.Net.Http.Json;
using System.Text;
using Cohorts.Connectors.Storage;
using Cohorts.Server.Hosting;
using Cohorts.Workflows.Contracts;
using Cohorts.Workflows.Orchestrators;
using Microsoft.AspNetCore.Builder;
using Microsoft.DurableTask;
using Microsoft.DurableTask.Client;
using Microsoft.DurableTask.Worker;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;

namespace Cohorts.Bench;

/// <summary>
/// Review throughput on Azurite, end to end: the self-hosted server (its sidecar, worker and HTTP API) in this process.
/// The product run posts N submissions through the API (each stored with its reviewer's load, then a review
/// orchestration that asks the reviewer and writes an .eml) and then N verdicts (each stored once, then raised), and
/// waits for the N decision messages. The baseline run, in the same process, task hub and backend, schedules N
/// orchestrations of the same shape (an activity, the reminder timer raced against the same event, an activity) whose
/// activities do nothing, raises N events, and waits for the N last activities. Prints both rates and product ÷ baseline.
/// </summary>
internal static class ReviewThroughput
{
    private const string IntegratorKey = "bench-integrator-key-0123456789";
    private const string ReviewerKey = "bench-reviewer-key-0123456789";
    private const string HrKey = "bench-hr-key-0123456789abcdef";
    private static readonly string[] BuildersOnly = ["builders"];

    public static async Task<int> RunAsync(int count)
    {
        string dataFolder = Path.Combine(Path.GetTempPath(), "cohorts-bench", "reviews-" + Guid.NewGuid().ToString("N")[..8]);
        int port = LoopbackPorts.Free();
        WebApplicationBuilder builder = WebApplication.CreateBuilder(new WebApplicationOptions { ContentRootPath = AppContext.BaseDirectory });
        builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["urls"] = $"http://127.0.0.1:{port}",
            ["Server:DataFolder"] = dataFolder,
            ["Server:TaskHub"] = "benchreviews",
            ["Logging:LogLevel:Default"] = "Warning",
            ["Auth:ApiKeys:0:Name"] = "bench-hr", ["Auth:ApiKeys:0:Key"] = HrKey, ["Auth:ApiKeys:0:Roles:0"] = "hr",
            ["Auth:ApiKeys:1:Name"] = "bench-integrator", ["Auth:ApiKeys:1:Key"] = IntegratorKey, ["Auth:ApiKeys:1:Roles:0"] = "integrator",
            ["Auth:ApiKeys:2:Name"] = "rev", ["Auth:ApiKeys:2:Key"] = ReviewerKey, ["Auth:ApiKeys:2:Roles:0"] = "reviewer",
        });
        builder.AddCohortsServer();
        builder.Services.AddDurableTaskWorker(worker => worker.AddTasks(r => r.AddOrchestrator<BaselineReviewOrchestrator>().AddActivity<NoOpReviewActivity>()));
        await using WebApplication app = builder.Build();
        app.UseCohortsServer();
        await app.PrepareBackendAsync();
        await app.StartAsync();
        try
        {
            using var http = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{port}"), Timeout = TimeSpan.FromMinutes(5) };
            await WaitHealthyAsync(http, TimeSpan.FromMinutes(1));
            string cohortId = await EnrolAsync(http, HrKey, count, ["rev"]);
            DurableTaskClient client = app.Services.GetRequiredService<DurableTaskClient>();

            // in the order product, baseline, baseline, product (half the count each), so that neither side gains from
            // running first on an empty task hub or loses from running on a fuller one
            int half = count / 2;
            string outbox = Path.Combine(dataFolder, "outbox");
            double product = await ProductAsync(http, cohortId, 0, half, outbox);
            double baseline = await BaselineAsync(client, half);
            baseline += await BaselineAsync(client, count - half);
            product += await ProductAsync(http, cohortId, half, count - half, outbox);
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"reviews: product {count / product:0.0}/s ({product:0.0} s), baseline {count / baseline:0.0}/s ({baseline:0.0} s), throughput ratio (product ÷ baseline) {baseline / product:0.00} (target ≥ 0.7)"));
            return 0;
        }
        finally
        {
            await app.StopAsync();
        }
    }

    /// <summary>
    /// Creates a cohort whose builders are reviewed by <paramref name="reviewers"/> (their ids; each address is
    /// id@example.com) and enrols <paramref name="count"/> data scientists, P00000 onwards; returns its id once applied.
    /// </summary>
    internal static async Task<string> EnrolAsync(HttpClient http, string hrKey, int count, IReadOnlyList<string> reviewers)
    {
        string cohortId = "bench-" + Guid.NewGuid().ToString("N")[..8];
        var plan = new
        {
            id = cohortId,
            name = "Review benchmark",
            useCase = new { title = "Claims triage model", problem = "Route claims" },
            reviewPolicy = new { window = "PT2H", reminder = "PT1H" },
            leaders = new[] { "cio@example.com" },
            programLead = "lead@example.com",
            reviewers = reviewers.Select(r => new { id = r, email = $"{r}@example.com", tracks = BuildersOnly }).ToArray(),
        };
        await SendAsync(http, HttpMethod.Post, "/api/cohorts", hrKey, JsonContent.Create(plan));
        var csv = new StringBuilder("employee_id,email,first_name,last_name,job_title,department,status\n");
        for (int i = 0; i < count; i++)
        {
            csv.Append(CultureInfo.InvariantCulture, $"P{i:00000},p{i}@example.com,P,{i},Data Scientist,Analytics,Active\n");
        }

        using var content = new StringContent(csv.ToString(), Encoding.UTF8, "text/csv");
        await ImportAsync(http, hrKey, cohortId, content);
        return cohortId;
    }

    /// <summary>Posts <paramref name="export"/> to the cohort's imports and waits until it is applied; throws when it ends otherwise.</summary>
    internal static async Task ImportAsync(HttpClient http, string hrKey, string cohortId, HttpContent export)
    {
        string import = (await SendAsync(http, HttpMethod.Post, $"/api/cohorts/{cohortId}/imports", hrKey, export)).GetProperty("importId").GetString()!;
        for (var clock = Stopwatch.StartNew(); clock.Elapsed < TimeSpan.FromMinutes(30); await Task.Delay(100))
        {
            // polled as the README polls: the state without the diff
            string state = (await SendAsync(http, HttpMethod.Get, $"/api/cohorts/{cohortId}/imports/{import}?diff=false", hrKey, null)).GetProperty("state").GetString()!;
            if (state == "applied")
            {
                return;
            }

            if (state is "failed" or "blockedByLeavers" or "expired")
            {
                throw new InvalidOperationException($"Import {import} of cohort {cohortId} ended {state}.");
            }
        }

        throw new TimeoutException($"Import {import} of cohort {cohortId} was not applied within 30 minutes.");
    }

    private static async Task<double> ProductAsync(HttpClient http, string cohortId, int first, int count, string outbox)
    {
        var clock = Stopwatch.StartNew();
        var ids = new ConcurrentBag<string>();
        await Parallel.ForEachAsync(Enumerable.Range(first, count), new ParallelOptions { MaxDegreeOfParallelism = 16 }, async (i, ct) =>
        {
            var body = new { participantId = $"P{i:00000}", stepId = "builders-4", artifactUrl = $"https://git.example.com/p{i}" };
            ids.Add((await SendAsync(http, HttpMethod.Post, $"/api/cohorts/{cohortId}/submissions", IntegratorKey, JsonContent.Create(body))).GetProperty("submissionId").GetString()!);
        });
        await Parallel.ForEachAsync(ids, new ParallelOptions { MaxDegreeOfParallelism = 16 }, async (id, ct) =>
            await SendAsync(http, HttpMethod.Post, $"/api/submissions/{id}/review", ReviewerKey, JsonContent.Create(new { verdict = "accepted", feedback = "fine" })));
        await WaitAsync(() => Directory.Exists(outbox) ? Directory.EnumerateFiles(outbox, "*.decision.eml").Count() : 0, first + count, "decision messages");
        return clock.Elapsed.TotalSeconds;
    }

    private static async Task<double> BaselineAsync(DurableTaskClient client, int count)
    {
        NoOpReviewActivity.Decisions = 0;
        var clock = Stopwatch.StartNew();
        DateTimeOffset now = DateTimeOffset.UtcNow;
        string run = Guid.NewGuid().ToString("N")[..6];
        await Parallel.ForEachAsync(Enumerable.Range(0, count), new ParallelOptions { MaxDegreeOfParallelism = 16 }, async (i, ct) =>
            await client.ScheduleNewOrchestrationInstanceAsync(
                nameof(BaselineReviewOrchestrator), new ReviewInput($"b{i}", now.AddHours(1), now.AddHours(2)), new StartOrchestrationOptions { InstanceId = $"baseline:{run}:{i}" }, ct));
        await Parallel.ForEachAsync(Enumerable.Range(0, count), new ParallelOptions { MaxDegreeOfParallelism = 16 }, async (i, ct) =>
            await client.RaiseEventAsync($"baseline:{run}:{i}", ReviewOrchestrator.ReviewCompletedEvent, "accepted", ct));
        await WaitAsync(() => Volatile.Read(ref NoOpReviewActivity.Decisions), count, "baseline decisions");
        return clock.Elapsed.TotalSeconds;
    }

    /// <summary>
    /// Waits until the server answers its health check with 200 (healthy means the durable backend answers too: its
    /// worker may still be dialling the sidecar); a refused connection is a server not listening yet. Throws, with what
    /// <paramref name="said"/> gives, once <paramref name="limit"/> passes or <paramref name="exited"/> says its process ended.
    /// </summary>
    internal static async Task WaitHealthyAsync(HttpClient http, TimeSpan limit, Func<bool>? exited = null, Func<string>? said = null)
    {
        for (var clock = Stopwatch.StartNew(); !await AnswersAsync(http); await Task.Delay(100))
        {
            bool ended = exited?.Invoke() ?? false;
            if (ended || clock.Elapsed > limit)
            {
                throw new TimeoutException($"The server was not healthy within {limit.TotalSeconds:0} s{(ended ? " (its process ended)" : string.Empty)}.{Environment.NewLine}{said?.Invoke()}");
            }
        }
    }

    private static async Task<bool> AnswersAsync(HttpClient http)
    {
        try
        {
            using HttpResponseMessage health = await http.GetAsync(new Uri("/api/health", UriKind.Relative));
            return health.IsSuccessStatusCode;
        }
        catch (HttpRequestException)
        {
            return false; // not listening yet
        }
    }

    internal static async Task WaitAsync(Func<int> done, int count, string what)
    {
        for (var clock = Stopwatch.StartNew(); clock.Elapsed < TimeSpan.FromMinutes(20); await Task.Delay(100))
        {
            if (done() >= count)
            {
                return;
            }
        }

        throw new TimeoutException($"{what}: {done()} of {count}.");
    }

    internal static async Task<System.Text.Json.JsonElement> SendAsync(HttpClient http, HttpMethod method, string path, string key, HttpContent? content)
    {
        using var request = new HttpRequestMessage(method, new Uri(path, UriKind.Relative)) { Content = content };
        request.Headers.Add("X-Api-Key", key);
        using HttpResponseMessage response = await http.SendAsync(request);
        string body = await response.Content.ReadAsStringAsync();
        if (!response.IsSuccessStatusCode)
        {
            throw new HttpRequestException($"{method} {path} answered {(int)response.StatusCode}: {body}");
        }

        return System.Text.Json.JsonDocument.Parse(body).RootElement.Clone();
    }
}

/// <summary>The review orchestration's course (the same activity calls, timers and event wait) with steps that do nothing.</summary>
internal sealed class BaselineReviewOrchestrator : TaskOrchestrator<ReviewInput, ReviewStepResult>
{
    public override Task<ReviewStepResult> RunAsync(TaskOrchestrationContext context, ReviewInput input) =>
        ReviewOrchestrator.RunCourseAsync(context, input, nameof(NoOpReviewActivity));
}

/// <summary>Does nothing but answer; counts the last step.</summary>
internal sealed class NoOpReviewActivity : TaskActivity<ReviewStepInput, ReviewStepResult>
{
    public static int Decisions;

    public override Task<ReviewStepResult> RunAsync(TaskActivityContext context, ReviewStepInput input)
    {
        if (input.Step == ReviewStep.Decision)
        {
            Interlocked.Increment(ref Decisions);
        }

        return Task.FromResult(new ReviewStepResult(false, Domain.Reviews.SubmissionStatus.AwaitingReview, false));
    }
}
