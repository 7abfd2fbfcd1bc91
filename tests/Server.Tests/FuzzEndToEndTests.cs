using System.Collections.Concurrent;
using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Text;
using System.Text.Json.Nodes;
using Cohorts.TestSupport;
using Xunit.Abstractions;

namespace Cohorts.Server.Tests;

/// <summary>
/// Requests generated from the OpenAPI document (<see cref="OpenApiFuzzer"/>) against the running server for 40 s
/// (<c>COHORTS_FUZZ_SECONDS</c> for longer; 40 keeps the suite inside its 20 minutes on two cores), four at a time: no
/// answer may be a 5xx, and none may hang. The seed is random unless <c>COHORTS_FUZZ_SEED</c> sets it; it is printed (and written to fuzz-summary.txt beside the
/// tests' data, which <c>.ci/run</c> prints) so that a failure can be replayed.
/// The fuzzer runs on a server and Azurite of its own, set up as the shared one: what it creates (subscriptions to
/// every event of every cohort among them, each event then a delivery retried for a minute) must not load the server
/// the other tests share, which slowed every later import from a second to half a minute.
/// </summary>
[Collection(OwnServers.Name)]
public sealed class FuzzEndToEndTests(ITestOutputHelper output)
{
    private const int Workers = 4;

    private ServerProcess Server => server ?? throw new InvalidOperationException("The fuzzer's server is not running.");

    private ServerProcess? server;

    [Fact]
    public async Task RequestsGeneratedFromTheOpenApiDocument_NeverAnswer5xx()
    {
        await using ServerProcess own = await ServerProcess.StartAsync(TestFolders.New("fuzz-"), "fuzz", settings: ServerFixture.Settings());
        server = own;
        int seed = int.TryParse(Environment.GetEnvironmentVariable("COHORTS_FUZZ_SEED"), CultureInfo.InvariantCulture, out int given) ? given : Random.Shared.Next();
        int seconds = int.TryParse(Environment.GetEnvironmentVariable("COHORTS_FUZZ_SECONDS"), CultureInfo.InvariantCulture, out int s) && s > 0 ? s : 40;
        output.WriteLine($"fuzz seed {seed} (replay: COHORTS_FUZZ_SEED={seed})");
        IReadOnlyDictionary<string, string> known = await KnownIdsAsync();
        JsonNode document = JsonNode.Parse(await File.ReadAllTextAsync(Path.Combine(RepoPaths.Root, "src", "Api", "openapi.json")))!;

        var clients = new Dictionary<string, HttpClient>();
        foreach (string role in new[] { "admin", "hr", "integrator", "leader", "reviewer" })
        {
            clients[role] = Plain(ServerProcess.Keys[role]);
        }

        clients["none"] = Plain(null);
        var statuses = new ConcurrentDictionary<int, int>();
        var failures = new ConcurrentQueue<string>();
        int sent = 0;
        var clock = Stopwatch.StartNew();
        try
        {
            await Task.WhenAll(Enumerable.Range(0, Workers).Select(worker => Task.Run(async () =>
            {
                var fuzzer = new OpenApiFuzzer(document, seed + worker, known);
                while (clock.Elapsed < TimeSpan.FromSeconds(seconds) && failures.Count < 20)
                {
                    FuzzRequest request = fuzzer.Next();
                    Interlocked.Increment(ref sent);
                    if (await SendAsync(clients[request.Role], request) is not { } answered)
                    {
                        // a pooled connection the server had closed (after a refused oversized upload) fails a POST
                        // that HttpClient will not retry by itself: once more on a fresh one
                        answered = await SendAsync(clients[request.Role], request) ?? (0, "no answer twice");
                    }

                    statuses.AddOrUpdate(answered.Status, 1, (_, n) => n + 1);
                    bool refusedUpload = answered.Status == 0 && request.Body?.Length > 1024 * 1024;
                    if ((answered.Status >= 500 || answered.Status == 0) && !refusedUpload)
                    {
                        failures.Enqueue($"{answered.Status} {answered.Text} ← {request}");
                    }
                }
            })));
        }
        finally
        {
            foreach (HttpClient client in clients.Values)
            {
                client.Dispose();
            }
        }

        string counts = string.Join(", ", statuses.OrderBy(p => p.Key).Select(p => $"{(p.Key == 0 ? "closed" : p.Key)}×{p.Value}"));
        int errors = statuses.Where(p => p.Key >= 500).Sum(p => p.Value);
        string summary = $"fuzz: seed {seed}, {sent} requests in {clock.Elapsed.TotalSeconds:F0} s, {errors} × 5xx, {failures.Count} failures ({counts})";
        output.WriteLine(summary);
        Directory.CreateDirectory(TestFolders.Root);
        await File.WriteAllTextAsync(Path.Combine(TestFolders.Root, "fuzz-summary.txt"), summary + Environment.NewLine);
        Assert.True(failures.IsEmpty, summary + "\n" + string.Join("\n", failures.Take(20)));
        Assert.True(sent > 100, summary);
    }

    /// <summary>The status and body, or null when no answer came (0 and the reason when the request timed out).</summary>
    private static async Task<(int Status, string Text)?> SendAsync(HttpClient client, FuzzRequest request)
    {
        try
        {
            using HttpRequestMessage message = OpenApiFuzzer.ToMessage(request);
            using HttpResponseMessage response = await client.SendAsync(message);
            string text = await response.Content.ReadAsStringAsync();
            return ((int)response.StatusCode, text);
        }
        catch (HttpRequestException)
        {
            return null;
        }
        catch (TaskCanceledException e)
        {
            return (0, "no answer in 30 s: " + e.Message);
        }
    }

    private HttpClient Plain(string? key)
    {
        var client = new HttpClient { BaseAddress = Server.BaseAddress, Timeout = TimeSpan.FromSeconds(30) };
        if (key is not null)
        {
            client.DefaultRequestHeaders.Add("X-Api-Key", key);
        }

        return client;
    }

    /// <summary>A cohort of the fuzzer's own, with people, a submission and a subscription, whose ids the fuzzer uses half the time.</summary>
    private async Task<IReadOnlyDictionary<string, string>> KnownIdsAsync()
    {
        string cohortId = Plans.UniqueId("fuzz");
        Assert.Equal(HttpStatusCode.Created, (await Server.PostJsonAsync("hr", "/api/cohorts", Plans.WithBuildersReviewer(cohortId, "fz-reviewer"))).Status);
        string csv = "employee_id,email,first_name,last_name,job_title,department,status\n"
            + string.Concat(Enumerable.Range(1, 5).Select(i => $"FZ{i},fz{i}@example.com,F,{i},Data Scientist,Analytics,Active\n"));
        JsonNode import = await Imports.ImportAsync(Server, cohortId, Encoding.UTF8.GetBytes(csv));
        (HttpStatusCode status, JsonNode? submission) = await Server.PostJsonAsync("integrator", $"/api/cohorts/{cohortId}/submissions", new { participantId = "FZ1", stepId = "builders-4", artifactUrl = "https://git.example.com/fz1" });
        Assert.Equal(HttpStatusCode.Accepted, status);
        (HttpStatusCode created, JsonNode? subscription) = await Server.PostJsonAsync("integrator", "/api/subscriptions", new { url = "https://hooks.example.com/fuzz", events = new[] { "cohort.created" }, cohortId });
        return new Dictionary<string, string>
        {
            ["cohortId"] = cohortId,
            ["importId"] = import["importId"]!.GetValue<string>(),
            ["participantId"] = "FZ2",
            ["submissionId"] = submission!["submissionId"]!.GetValue<string>(),
            ["subscriptionId"] = created == HttpStatusCode.Created ? subscription!["id"]!.GetValue<string>() : "sub_00000000",
            ["checkpoint"] = "1",
            ["format"] = "csv",
            ["erasureId"] = "era_000000000000000000000000",
        };
    }
}
