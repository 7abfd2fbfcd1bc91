using System.Collections.Concurrent;
using System.Globalization;
using System.Net;
using System.Text;
using System.Text.Json.Nodes;
using Azure.Data.Tables;
using Cohorts.Connectors.Tables;
using Cohorts.Domain;
using Cohorts.Domain.Reviews;
using Cohorts.TestSupport;

namespace Cohorts.Server.Tests;

/// <summary>
/// The faults a user found (issue 14), each as a test: an import with one cell no store can hold, a server killed
/// in the middle of submissions and a client retrying without a key, a submission whose review was never started,
/// and two hundred submissions, or fifty overrides, at once on one row of the store.
/// </summary>
[Collection(EndToEnd.Name)]
public sealed class FaultEndToEndTests(ServerFixture fixture)
{
    private const string Header = "employee_id,email,first_name,last_name,job_title,department,status\n";

    private ServerProcess Server => fixture.Server;

    [Fact]
    public async Task AnImportWithAnOversizedCell_RejectsThatRow_AndAppliesTheOther499()
    {
        string cohortId = await Plans.CreateAsync(Server, "oversized");
        var csv = new StringBuilder(Header);
        for (int row = 2; row <= 501; row++)
        {
            // the header is row 1; row 352 has a 40,000-character job title
            string title = row == 352 ? new string('T', 40_000) : "Data Scientist";
            csv.Append(CultureInfo.InvariantCulture, $"E{row},e{row}@example.com,E,{row},{title},Analytics,Active\n");
        }

        // and row 502 an id that no route could address
        csv.Append("A/1,a1@example.com,A,Slash,Data Scientist,Analytics,Active\n");

        JsonNode import = await Imports.ImportAsync(Server, cohortId, Encoding.UTF8.GetBytes(csv.ToString()));

        Assert.Equal("applied", import["state"]!.GetValue<string>());
        Assert.Equal((501, 499, 2, 499), (Imports.Count(import, "rows"), Imports.Count(import, "joiners"), Imports.Count(import, "invalid"), Imports.Count(import, "applied")));
        var rejected = import["rejected"]!.AsArray().Select(r => (r!["row"]!.GetValue<int>(), r["field"]!.GetValue<string>())).ToList();
        Assert.Equal([(352, "jobTitle"), (502, "employeeId")], rejected);
        Assert.Null(import["error"]);
        JsonNode cohort = await Server.GetJsonAsync("hr", $"/api/cohorts/{cohortId}");
        Assert.Equal(499, cohort["roster"]!["active"]!.GetValue<int>());
    }

    [Fact]
    public async Task TwoHundredSubmissionsOnAOneReviewerTrack_AndFiftyOverridesOfOnePerson_AnswerNo5xx()
    {
        string cohortId = Plans.UniqueId("contention");
        Assert.Equal(HttpStatusCode.Created, (await Server.PostJsonAsync("hr", "/api/cohorts", Plans.WithBuildersReviewer(cohortId, "solo"))).Status);
        var csv = new StringBuilder(Header);
        for (int i = 1; i <= 200; i++)
        {
            csv.Append(CultureInfo.InvariantCulture, $"B{i},b{i}@example.com,B,{i},Data Scientist,Analytics,Active\n");
        }

        Assert.Equal(200, Imports.Count(await Imports.ImportAsync(Server, cohortId, Encoding.UTF8.GetBytes(csv.ToString())), "joiners"));

        HttpStatusCode[] submitted = await AllAtOnceAsync("integrator", HttpMethod.Post, $"/api/cohorts/{cohortId}/submissions", 200,
            i => $"{{\"participantId\":\"B{i + 1}\",\"stepId\":\"builders-4\",\"artifactUrl\":\"https://git.example.com/b{i + 1}\"}}");

        Assert.DoesNotContain(submitted, s => (int)s >= 500);
        Assert.All(submitted, s => Assert.Equal(HttpStatusCode.Accepted, s));
        JsonNode open = await Server.GetJsonAsync("hr", $"/api/submissions?cohortId={cohortId}&status=open&pageSize=200");
        Assert.Equal(200, open["items"]!.AsArray().Count);

        string[] tracks = ["builders", "translators", "consumers", "governors", "leaders"];
        HttpStatusCode[] overridden = await AllAtOnceAsync("hr", HttpMethod.Put, $"/api/cohorts/{cohortId}/participants/B1/track", 50,
            i => $"{{\"track\":\"{tracks[i % tracks.Length]}\",\"reason\":\"override {i}\"}}");

        Assert.DoesNotContain(overridden, s => (int)s >= 500);
        Assert.All(overridden, s => Assert.Equal(HttpStatusCode.OK, s));
    }

    [Fact]
    public async Task AServerKilledMidSubmissions_AndRetriesWithoutAKey_RequestEachReviewOnce_AndTheSweepStartsAnUnstartedOne()
    {
        string folder = TestFolders.New("submit-crash-");
        string hub = "subcrash" + Guid.NewGuid().ToString("N")[..6];
        string cohortId = Plans.UniqueId("subcrash");
        // the sweep looks every 2 s at submissions stored over 2 minutes ago: never at those of this test's requests
        var settings = new Dictionary<string, string> { ["ReviewSweep__Interval"] = "00:00:02", ["ReviewSweep__Settle"] = "00:02:00" };
        const int People = 20;
        ServerProcess? second = null;
        try
        {
            await using (ServerProcess first = await ServerProcess.StartAsync(folder, hub, fixture.Azurite.ConnectionString, settings))
            {
                Assert.Equal(HttpStatusCode.Created, (await first.PostJsonAsync("hr", "/api/cohorts", Plans.WithBuildersReviewer(cohortId, "crash-reviewer"))).Status);
                var csv = new StringBuilder(Header);
                for (int i = 1; i <= People + 1; i++)
                {
                    csv.Append(CultureInfo.InvariantCulture, $"K{i},k{i}@example.com,K,{i},Data Scientist,Analytics,Active\n");
                }

                Assert.Equal(People + 1, Imports.Count(await Imports.ImportAsync(first, cohortId, Encoding.UTF8.GetBytes(csv.ToString())), "joiners"));

                // twenty submissions in flight, and the server killed as the first answers arrive
                using HttpClient integrator = first.As("integrator");
                var answered = new ConcurrentBag<int>();
                Task[] inFlight = Enumerable.Range(1, People).Select(async i =>
                {
                    try
                    {
                        using HttpResponseMessage response = await integrator.PostAsync(new Uri($"/api/cohorts/{cohortId}/submissions", UriKind.Relative), Work(i));
                        answered.Add(i);
                    }
                    catch (HttpRequestException)
                    {
                        // the server died under this request
                    }
                }).ToArray();
                await Eventually.WaitAsync(() => Task.FromResult(answered.Count), n => n > 0, TimeSpan.FromSeconds(30), "the first answer");
                await first.CrashAsync();
                await Task.WhenAll(inFlight);
            }

            // one more submission stored as a crash would leave it: in the store, and no review ever scheduled
            var store = new TableSubmissionStore(new TableClient(fixture.Azurite.ConnectionString, TableSubmissionStore.DefaultTable));
            DateTimeOffset stored = DateTimeOffset.UtcNow.AddMinutes(-10);
            string orphan = Submission.IdFor(cohortId, $"K{People + 1}", "builders-4", 1);
            await store.CreateAsync(
                new Submission(orphan, cohortId, $"K{People + 1}", "builders-4", Track.Builders, new Uri("https://git.example.com/orphan"), 1, stored, "crash-reviewer",
                    stored.AddDays(3), stored.AddDays(4), SubmissionStatus.AwaitingReview),
                CancellationToken.None);

            second = await ServerProcess.StartAsync(folder, hub, fixture.Azurite.ConnectionString, settings);
            using HttpClient retrying = second.As("integrator");
            var ids = new List<string>();
            for (int i = 1; i <= People; i++)
            {
                // the client never saw an answer it could trust: it sends the same work again, without a key
                using HttpResponseMessage response = await retrying.PostAsync(new Uri($"/api/cohorts/{cohortId}/submissions", UriKind.Relative), Work(i));
                string text = await response.Content.ReadAsStringAsync();
                Assert.True(response.StatusCode == HttpStatusCode.Accepted, $"K{i}: {(int)response.StatusCode} {text}");
                JsonNode submission = JsonNode.Parse(text)!;
                Assert.Equal(1, submission["attempt"]!.GetValue<int>());
                ids.Add(submission["submissionId"]!.GetValue<string>());
            }

            string outbox = Path.Combine(folder, "outbox");
            foreach (string id in ids.Append(orphan))
            {
                await Eventually.WaitAsync(
                    () => Task.FromResult(File.Exists(Path.Combine(outbox, $"{id}.request.eml"))),
                    found => found,
                    TimeSpan.FromSeconds(60),
                    $"the review request of {id}");
            }

            // exactly one request per submission, and one submission per person
            Assert.Equal(People, ids.Distinct().Count());
            string[] requests = Directory.GetFiles(outbox, $"{cohortId}*.request*.eml").Select(f => Path.GetFileName(f)!).Order(StringComparer.Ordinal).ToArray();
            Assert.Equal(ids.Append(orphan).Select(id => $"{id}.request.eml").Order(StringComparer.Ordinal), requests);
            Assert.Contains("The review sweep started 1 review(s)", second.ReadLog(), StringComparison.Ordinal);
            await second.StopAsync();
        }
        finally
        {
            if (second is not null)
            {
                await second.DisposeAsync();
            }
        }
    }

    /// <summary>Sends <paramref name="count"/> requests at once, the i-th with the body <paramref name="body"/>(i); their statuses.</summary>
    private async Task<HttpStatusCode[]> AllAtOnceAsync(string role, HttpMethod method, string path, int count, Func<int, string> body)
    {
        using HttpClient client = Server.As(role);
        return await Task.WhenAll(Enumerable.Range(0, count).Select(async i =>
        {
            using var request = new HttpRequestMessage(method, new Uri(path, UriKind.Relative)) { Content = new StringContent(body(i), Encoding.UTF8, "application/json") };
            using HttpResponseMessage response = await client.SendAsync(request);
            return response.StatusCode;
        }));
    }

    private static StringContent Work(int person) =>
        new($"{{\"participantId\":\"K{person}\",\"stepId\":\"builders-4\",\"artifactUrl\":\"https://git.example.com/k{person}\"}}", Encoding.UTF8, "application/json");
}
