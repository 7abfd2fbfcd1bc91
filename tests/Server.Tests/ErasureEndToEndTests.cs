using System.IO.Compression;
using System.Net;
using System.Text;
using System.Text.Json.Nodes;
using Azure.Data.Tables;
using Azure.Storage.Blobs;
using Azure.Storage.Blobs.Models;
using Cohorts.TestSupport;

namespace Cohorts.Server.Tests;

/// <summary>
/// Erasure through the API on Azurite (issue 13, Done when 5): a person enrolled, reviewed, reported on and emailed is
/// erased; afterwards no view, export, stored record (every blob and table row of the storage account, the durable task
/// hub included), outbox message or server log line holds their name or email; a report stored before keeps its
/// figures; the same file imported again lists them as erased and enrols nobody. A server killed mid-erasure finishes
/// it after a restart.
/// </summary>
[Collection(EndToEnd.Name)]
public sealed class ErasureEndToEndTests(ServerFixture fixture)
{
    private ServerProcess Server => fixture.Server;

    [Fact]
    public async Task AfterAnErasure_NothingHoldsTheirNameOrEmail_ReportsKeepTheirFigures_AndTheyAreNotEnrolledAgain()
    {
        string tag = Guid.NewGuid().ToString("N")[..8];
        string email = $"ana.{tag}@example.com";
        string surname = $"Zyx{tag}";
        string cohortId = Plans.UniqueId("erase");
        Dictionary<string, object?> plan = Plans.Compressed(cohortId, "PT4S", "PT1H", "PT2H");
        plan["reviewPolicy"] = new Dictionary<string, object?> { ["window"] = "PT10M", ["reminder"] = "PT5M" };
        plan["reviewers"] = new object[] { new Dictionary<string, object?> { ["id"] = "rev-a", ["email"] = "rev-a@example.com", ["tracks"] = new[] { "builders" } } };
        Assert.Equal(HttpStatusCode.Created, (await Server.PostJsonAsync("hr", "/api/cohorts", plan)).Status);
        byte[] csv = Encoding.UTF8.GetBytes(
            "employee_id,email,first_name,last_name,job_title,department,status\n" +
            $"A1,{email},Ana,{surname},Data Scientist,Analytics,Active\n" +
            "B1,bo.kept@example.com,Bo,Kept,Data Scientist,Analytics,Active\n");
        Assert.Equal("applied", (await Imports.ImportAsync(Server, cohortId, csv))["state"]!.GetValue<string>());

        // their work: a submission reviewed with feedback naming them, an outcome with a link, a completion
        string submissionId = await ReviewEndToEndTests.SubmitAsync(Server, cohortId, "A1");
        await ReviewEndToEndTests.WaitForMessageAsync(Server, fixture.DataFolder, submissionId, "request");
        using (HttpClient reviewer = Server.WithKey(ReviewEndToEndTests.ReviewerKeys["rev-a"]))
        {
            string verdict = ServerProcess.ToJson(new { verdict = "accepted", feedback = $"Ana {surname}'s model routes every test claim." });
            using var content = new StringContent(verdict, Encoding.UTF8, "application/json");
            Assert.Equal(HttpStatusCode.OK, (await reviewer.PostAsync(new Uri($"/api/submissions/{submissionId}/review", UriKind.Relative), content)).StatusCode);
        }

        Assert.Equal(HttpStatusCode.Created, (await Server.PostJsonAsync("integrator", $"/api/cohorts/{cohortId}/outcomes",
            new { eventId = $"{cohortId}-prod-1", type = "productionContribution", participantId = "A1", occurredAt = DateTimeOffset.UtcNow, link = $"https://git.example.com/{surname}/triage/pull/7" })).Status);
        using (HttpClient integrator = Server.As("integrator"))
        using (var completions = new StringContent($"participant_id,step_id,completed_at\nA1,builders-1,{DateTimeOffset.UtcNow:O}\n", Encoding.UTF8, "text/csv"))
        {
            Assert.Equal(HttpStatusCode.OK, (await integrator.PostAsync(new Uri($"/api/cohorts/{cohortId}/completions", UriKind.Relative), completions)).StatusCode);
        }

        // a report stored before the erasure
        JsonNode before = await Eventually.WaitAsync(
            () => TryReportAsync(cohortId), r => r is not null, TimeSpan.FromSeconds(60), "the first checkpoint's report") ?? throw new InvalidOperationException();
        Assert.True(ContainsAnywhere(await AllTextAsync(cohortId), email), "the test's own check finds the email before the erasure");

        // erase A1 from the cohort
        (HttpStatusCode started, JsonNode? erasure) = await Server.PostJsonAsync("hr", "/api/erasures", new { employeeId = "A1", cohortId, reason = "GDPR Art. 17 request 2026-114" });
        Assert.Equal(HttpStatusCode.Accepted, started);
        string erasureId = erasure!["erasureId"]!.GetValue<string>();
        (HttpStatusCode again, JsonNode? same) = await Server.PostJsonAsync("hr", "/api/erasures", new { employeeId = "A1", cohortId, reason = "GDPR Art. 17 request 2026-114" });
        Assert.Equal((HttpStatusCode.OK, erasureId), (again, same!["erasureId"]!.GetValue<string>()));
        JsonNode done = await Eventually.WaitAsync(
            () => Server.GetJsonAsync("hr", $"/api/erasures/{erasureId}"), e => e["state"]!.GetValue<string>() == "completed", TimeSpan.FromSeconds(90), "the erasure");
        JsonNode erased = done["erased"]!;
        Assert.Equal((1, 1, 1, 1), (erased["participants"]!.GetValue<int>(), erased["submissions"]!.GetValue<int>(), erased["outcomes"]!.GetValue<int>(), erased["completions"]!.GetValue<int>()));
        Assert.True(erased["reviewHistories"]!.GetValue<int>() >= 1, done.ToJsonString());
        Assert.True(erased["messages"]!.GetValue<int>() >= 1, done.ToJsonString());
        Assert.DoesNotContain("A1", done.ToJsonString(), StringComparison.Ordinal);

        // the participant view and list, the LMS exports: neither name nor email; the roster keeps a pseudonymous row
        using (HttpClient hr = Server.As("hr"))
        {
            Assert.Equal(HttpStatusCode.NotFound, (await hr.GetAsync(new Uri($"/api/cohorts/{cohortId}/participants/A1", UriKind.Relative))).StatusCode);
            string list = await hr.GetStringAsync(new Uri($"/api/cohorts/{cohortId}/participants", UriKind.Relative));
            Assert.DoesNotContain(email, list, StringComparison.OrdinalIgnoreCase);
            Assert.DoesNotContain(surname, list, StringComparison.Ordinal);
            JsonNode pseudonymous = JsonNode.Parse(list)!["items"]!.AsArray().Single(p => p!["participantId"]!.GetValue<string>() == done["pseudonym"]!.GetValue<string>())!;
            Assert.Equal(("erased", "builders"), (pseudonymous["status"]!.GetValue<string>(), pseudonymous["track"]!.GetValue<string>()));
            foreach (string format in new[] { "canvas", "moodle", "oneroster" })
            {
                byte[] zip = await hr.GetByteArrayAsync(new Uri($"/api/cohorts/{cohortId}/lms/{format}", UriKind.Relative));
                string text = Unzipped(zip);
                Assert.Contains("bo.kept@example.com", text, StringComparison.Ordinal);
                Assert.DoesNotContain(email, text, StringComparison.OrdinalIgnoreCase);
                Assert.DoesNotContain(surname, text, StringComparison.Ordinal);
                Assert.DoesNotContain(done["pseudonym"]!.GetValue<string>(), text, StringComparison.Ordinal); // nothing for an LMS to match
            }
        }

        // every stored record (blobs, tables, the task hub's histories), every outbox message, every log line
        string stored = await AllTextAsync(cohortId);
        Assert.False(ContainsAnywhere(stored, email), "a stored record still holds the email");
        Assert.False(ContainsAnywhere(stored, surname), "a stored record still holds the name");
        foreach (string file in Directory.EnumerateFiles(Path.Combine(fixture.DataFolder, "outbox"), "*.eml"))
        {
            string message = await File.ReadAllTextAsync(file);
            Assert.False(ContainsAnywhere(message, email) || ContainsAnywhere(message, surname), $"{Path.GetFileName(file)} still names them");
        }

        Assert.False(ContainsAnywhere(Server.ReadLog(), email) || ContainsAnywhere(Server.ReadLog(), surname), "the server's log names them");

        // the report stored before keeps its figures
        JsonNode after = (await TryReportAsync(cohortId))!;
        Assert.Equal(before["cohort"]!.ToJsonString(), after["cohort"]!.ToJsonString());

        // the same file again: A1 listed as erased, not enrolled; B1 unchanged
        JsonNode reimport = await Imports.ImportAsync(Server, cohortId, csv);
        Assert.Equal(1, reimport["counts"]!["erased"]!.GetValue<int>());
        Assert.Equal(0, reimport["counts"]!["joiners"]!.GetValue<int>());
        Assert.Contains(reimport["rejected"]!.AsArray(), r => r!["row"]!.GetValue<int>() == 2 && r["reason"]!.GetValue<string>().Contains("erased", StringComparison.Ordinal));
        using (HttpClient hr = Server.As("hr"))
        {
            Assert.Equal(HttpStatusCode.NotFound, (await hr.GetAsync(new Uri($"/api/cohorts/{cohortId}/participants/A1", UriKind.Relative))).StatusCode);
        }

        // and the audit log records the erasure
        JsonNode audit = await Server.GetJsonAsync("hr", $"/api/cohorts/{cohortId}/audit?pageSize=200");
        Assert.Contains(audit["items"]!.AsArray(), e => e!["action"]!.GetValue<string>() == "erasure.completed" && e["targets"]!["erasureId"]!.GetValue<string>() == erasureId);
        Assert.Contains(audit["items"]!.AsArray(), e => e!["action"]!.GetValue<string>() == "startErasure" && e["actorId"]!.GetValue<string>() == "test-hr" && e["targets"]!["created"]!.GetValue<string>() == erasureId);
        Assert.DoesNotContain("\"A1\"", audit.ToJsonString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task AServerKilledMidErasure_FinishesItAfterARestart()
    {
        string folder = Path.Combine(fixture.Azurite.DataFolder, "erasure-crash-" + Guid.NewGuid().ToString("N")[..6]);
        string hub = "erasecrash" + Guid.NewGuid().ToString("N")[..6];
        string cohortId = Plans.UniqueId("erasecrash");
        string erasureId;
        await using (ServerProcess first = await ReviewEndToEndTests.StartWithReviewersAsync(fixture.Azurite, folder, hub))
        {
            Assert.Equal(HttpStatusCode.Created, (await first.PostJsonAsync("hr", "/api/cohorts", Plans.Compressed(cohortId, "P30D", "P60D", "P90D"))).Status);
            var csv = new StringBuilder("employee_id,email,first_name,last_name,job_title,department,status\n");
            for (int i = 0; i < 40; i++)
            {
                csv.Append(System.Globalization.CultureInfo.InvariantCulture, $"C{i},c{i}.crash@example.com,C{i},Crash,Data Scientist,Analytics,Active\n");
            }

            Assert.Equal("applied", (await Imports.ImportAsync(first, cohortId, Encoding.UTF8.GetBytes(csv.ToString())))["state"]!.GetValue<string>());
            (HttpStatusCode started, JsonNode? erasure) = await first.PostJsonAsync("hr", "/api/erasures", new { employeeId = "C7", reason = "request 2026-115" });
            Assert.Equal(HttpStatusCode.Accepted, started);
            erasureId = erasure!["erasureId"]!.GetValue<string>();
            await first.CrashAsync();
        }

        await using ServerProcess second = await ReviewEndToEndTests.StartWithReviewersAsync(fixture.Azurite, folder, hub);
        JsonNode done = await Eventually.WaitAsync(
            () => second.GetJsonAsync("hr", $"/api/erasures/{erasureId}"), e => e["state"]!.GetValue<string>() == "completed", TimeSpan.FromSeconds(120), "the erasure after the restart");
        Assert.Equal(1, done["erased"]!["participants"]!.GetValue<int>());
        using HttpClient hr = second.As("hr");
        Assert.Equal(HttpStatusCode.NotFound, (await hr.GetAsync(new Uri($"/api/cohorts/{cohortId}/participants/C7", UriKind.Relative))).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await hr.GetAsync(new Uri($"/api/cohorts/{cohortId}/participants/C8", UriKind.Relative))).StatusCode);
    }

    private async Task<JsonNode?> TryReportAsync(string cohortId)
    {
        using HttpClient leader = Server.As("leader");
        using HttpResponseMessage response = await leader.GetAsync(new Uri($"/api/cohorts/{cohortId}/reports/1?format=json", UriKind.Relative));
        return response.IsSuccessStatusCode ? JsonNode.Parse(await response.Content.ReadAsStringAsync()) : null;
    }

    /// <summary>Every blob and every table row of the storage account, as text (blobs under 4 MiB).</summary>
    private async Task<string> AllTextAsync(string cohortId)
    {
        var text = new StringBuilder();
        var blobs = new BlobServiceClient(fixture.Azurite.ConnectionString);
        await foreach (BlobContainerItem container in blobs.GetBlobContainersAsync())
        {
            BlobContainerClient client = blobs.GetBlobContainerClient(container.Name);
            await foreach (BlobItem blob in client.GetBlobsAsync(BlobTraits.None, BlobStates.None, null, CancellationToken.None))
            {
                if (blob.Properties.ContentLength < 4 * 1024 * 1024)
                {
                    text.Append(blob.Name).Append('\n').Append((await client.GetBlobClient(blob.Name).DownloadContentAsync()).Value.Content.ToString()).Append('\n');
                }
            }
        }

        var tables = new TableServiceClient(fixture.Azurite.ConnectionString);
        await foreach (Azure.Data.Tables.Models.TableItem table in tables.QueryAsync())
        {
            await foreach (TableEntity row in tables.GetTableClient(table.Name).QueryAsync<TableEntity>())
            {
                foreach (KeyValuePair<string, object> value in row)
                {
                    text.Append(value.Value).Append('\n');
                }
            }
        }

        Assert.Contains(cohortId, text.ToString(), StringComparison.Ordinal);
        return text.ToString();
    }

    private static bool ContainsAnywhere(string text, string value) => text.Contains(value, StringComparison.OrdinalIgnoreCase);

    internal static string Unzipped(byte[] zip)
    {
        using var archive = new ZipArchive(new MemoryStream(zip));
        var text = new StringBuilder();
        foreach (ZipArchiveEntry entry in archive.Entries)
        {
            using var reader = new StreamReader(entry.Open());
            text.Append(reader.ReadToEnd());
        }

        return text.ToString();
    }
}
