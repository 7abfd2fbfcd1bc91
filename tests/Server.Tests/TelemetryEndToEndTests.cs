using System.Net;
using System.Text;
using System.Text.Json.Nodes;
using Cohorts.TestSupport;

namespace Cohorts.Server.Tests;

/// <summary>
/// With OTEL_EXPORTER_OTLP_ENDPOINT set to a loopback collector, a request that starts work exports a trace that
/// runs from the HTTP request into the orchestration and its activities, and the product's meters are exported.
/// </summary>
[Collection(OwnServers.Name)]
public sealed class TelemetryEndToEndTests(OwnServersFixture fixture)
{
    [Fact]
    public async Task AnImport_ExportsATraceFromTheRequestToItsOrchestrationAndActivities_AndTheProductsMeters()
    {
        await using OtlpCollector collector = OtlpCollector.Start();
        var settings = new Dictionary<string, string>
        {
            ["OTEL_EXPORTER_OTLP_ENDPOINT"] = collector.Endpoint.ToString().TrimEnd('/'),
            ["OTEL_EXPORTER_OTLP_PROTOCOL"] = "http/protobuf",
            ["OTEL_METRIC_EXPORT_INTERVAL"] = "1000",
            ["OTEL_BSP_SCHEDULE_DELAY"] = "200",
            ["OTEL_BLRP_SCHEDULE_DELAY"] = "200",
        };
        string folder = TestFolders.New("otel-");
        await using ServerProcess server = await ServerProcess.StartAsync(folder, "otel" + Guid.NewGuid().ToString("N")[..6], fixture.Azurite.ConnectionString, settings);
        string cohortId = Plans.UniqueId("otel");
        Assert.Equal(HttpStatusCode.Created, (await server.PostJsonAsync("hr", "/api/cohorts", Plans.WithBuildersReviewer(cohortId, "otel-reviewer"))).Status);
        string csv = "employee_id,email,first_name,last_name,job_title,department,status\n"
            + "O1,o1@example.com,O,One,Data Scientist,Analytics,Active\nO2,o2@example.com,O,Two,Business Analyst,Operations,Active\n";
        JsonNode import = await Imports.ImportAsync(server, cohortId, Encoding.UTF8.GetBytes(csv));
        Assert.Equal("applied", import["state"]!.GetValue<string>());
        Assert.Equal(HttpStatusCode.Accepted, (await server.PostJsonAsync("integrator", $"/api/cohorts/{cohortId}/submissions", new { participantId = "O1", stepId = "builders-4", artifactUrl = "https://git.example.com/o1" })).Status);

        // the request that started the import, and in its trace the orchestration and its activities
        CollectedSpan request = await Eventually.WaitAsync(
            () => Task.FromResult(collector.Spans.FirstOrDefault(s => s.Name == "POST api/cohorts/{cohortId}/imports" || s.Name == "POST /api/cohorts/{cohortId}/imports")),
            s => s is not null,
            TimeSpan.FromSeconds(30),
            "the span of POST imports") ?? throw new InvalidOperationException("no span");
        List<CollectedSpan> trace = await Eventually.WaitAsync(
            () => Task.FromResult(collector.Spans.Where(s => s.TraceId == request.TraceId).ToList()),
            spans => spans.Any(s => s.Name.Contains("RosterSyncOrchestrator", StringComparison.Ordinal)) && spans.Any(s => s.Name.Contains("ApplyImportBatchActivity", StringComparison.Ordinal)),
            TimeSpan.FromSeconds(30),
            "the orchestration and its activities in the request's trace: " + string.Join(", ", collector.Spans.Select(s => s.Name).Distinct()));
        Assert.Contains(trace, s => s.Name.Contains("ReadImportActivity", StringComparison.Ordinal));
        Assert.All(trace.Where(s => s != request), s => Assert.NotEqual(string.Empty, s.ParentSpanId));

        // the product's meters, beside ASP.NET Core's
        await Eventually.WaitAsync(
            () => Task.FromResult(new[] { "cohorts.imports.applied", "cohorts.imports.rows", "cohorts.imports.changes", "cohorts.reviews.open", "http.server.request.duration" }.All(collector.HasMetric)),
            all => all,
            TimeSpan.FromSeconds(30),
            "the product's meters");
        // and the logs, exported in their own batches
        await Eventually.WaitAsync(() => Task.FromResult(collector.Logs.Count), n => n > 0, TimeSpan.FromSeconds(30), "the exported logs");
        await server.StopAsync();
        // one information line per request, and one per business event
        string log = server.ReadLog();
        Assert.Contains($"HTTP POST /api/cohorts/{cohortId}/imports answered 202", log, StringComparison.Ordinal);
        Assert.Contains($"import.applied in cohort {cohortId}", log, StringComparison.Ordinal);
    }
}
