using System.Diagnostics;
using System.Globalization;
using System.Net.Http.Json;
using System.Text;
using Azure.Data.Tables;
using Cohorts.Server.Hosting;
using CsvHelper;
using CsvHelper.Configuration;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;

namespace Cohorts.Bench;

/// <summary>
/// Enrolment end to end on Azurite, at 10k rows and at the size asked for (100k by default): the product run posts a
/// generated export to a new cohort through the API of the self-hosted server (in this process) and waits until the
/// import is applied (upload, read and diff, the apply's batches, the events and the LMS push). The baseline, in the same
/// run, reads the same file with CsvHelper and writes its active rows to a table in transactions of a hundred entities,
/// as the product's are (99 people and the roster's count row), one after another, with no product logic. Each measured
/// run, product or baseline, has a fresh server and Azurite of its own. Prints both times per size and round, and the
/// medians over three rounds of the ratio at the larger size and of the growth of the product's cost per row.
/// </summary>
internal static class EnrolmentBenchmark
{
    private const string HrKey = "bench-hr-key-0123456789abcdef";
    private const int BatchSize = 100;
    private const int Rounds = 3;

    public static async Task<int> RunAsync(int rows)
    {
        const int Small = 10_000;
        ThreadPool.GetMinThreads(out int minThreads, out _);
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"the server as it ships: server GC {System.Runtime.GCSettings.IsServerGC} (heaps adapted to the load: {Convert.ToString(AppContext.GetData("System.GC.DynamicAdaptationMode"), CultureInfo.InvariantCulture) != "0"}), {minThreads} pool threads ready, {Environment.ProcessorCount} cores"));
        // Both sides first run once, unmeasured, at the larger size on a server and Azurite of their own, which are then
        // stopped: a new server process spends its first imports compiling (1,000–2,000 methods a second through a first
        // 100k import, up to a core of JIT time on this machine), where the baseline's few methods are compiled within
        // its first batches. The measured runs then meet a compiled process and an Azurite as empty as before (Azurite
        // slows as it fills: a second 100k baseline on the same one took 40% longer).
        await OnServerAsync(async (http, connection, emulatorPid) =>
        {
            string warmUp = HrExportGenerator.Ensure(rows);
            (double product, _) = await ProductAsync(http, warmUp, emulatorPid);
            (double baseline, _) = await BaselineAsync(connection, warmUp, emulatorPid);
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"warm-up on its own server and Azurite, {rows} rows: product {product:0.0} s, baseline {baseline:0.0} s (not counted)"));
            return 0;
        });
        // Each measured run has a server and an Azurite of its own, as empty as the warm-up's: Azurite writes its whole
        // table store to disk every five seconds, so a run after another pays for the rows the other left (a 100k
        // baseline after the product's 100k took 5.8 s, before it 5.6 s, Azurite 5.3 s against 4.6 s). Three rounds, each
        // both sizes on both sides, back to back; the figures are the medians of the rounds' own ratios: the emulator's
        // processor time for the same run swings by a tenth from one run to the next
        var ratios = new List<double>();
        var growths = new List<double>();
        for (int round = 1; round <= Rounds; round++)
        {
            var results = new List<(int Rows, double Product, double Baseline)>();
            foreach (int size in new[] { Small, rows })
            {
                string path = HrExportGenerator.Ensure(size);
                (int Collections, TimeSpan Paused) gcBefore = default, gcAfter = default;
                (double product, double productEmulator) = await OnServerAsync(async (http, connection, emulatorPid) =>
                {
                    gcBefore = (GC.CollectionCount(0), GC.GetTotalPauseDuration());
                    (double, double) run = await ProductAsync(http, path, emulatorPid);
                    gcAfter = (GC.CollectionCount(0), GC.GetTotalPauseDuration());
                    return run;
                });
                (double baseline, double baselineEmulator) = await OnServerAsync((http, connection, emulatorPid) => BaselineAsync(connection, path, emulatorPid));
                results.Add((size, product, baseline));
                Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                    $"round {round}, {size} rows: product {product:0.0} s ({product * 1e6 / size:0} µs a row), baseline {baseline:0.0} s ({baseline * 1e6 / size:0} µs a row), ratio {product / baseline:0.00}"));
                Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                    $"  Azurite's processor time (it serves every request on one thread): product {productEmulator:0.0} s, {productEmulator / product:0%} of its run; baseline {baselineEmulator:0.0} s, {baselineEmulator / baseline:0%} of its run"));
                Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                    $"  the server's garbage collections during the product run: {gcAfter.Collections - gcBefore.Collections}, paused {(gcAfter.Paused - gcBefore.Paused).TotalSeconds:0.00} s"));
            }

            (int largeRows, double largeProduct, double largeBaseline) = results[^1];
            ratios.Add(largeProduct / largeBaseline);
            growths.Add(largeProduct / largeRows / (results[0].Product / results[0].Rows));
        }

        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"rounds' ratios at {rows} rows: {string.Join(", ", ratios.Select(r => r.ToString("0.00", CultureInfo.InvariantCulture)))}; growths: {string.Join(", ", growths.Select(g => g.ToString("0.00", CultureInfo.InvariantCulture)))}"));
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"enrolment ratio: {ReportBenchmark.Median(ratios):0.00} (target ≤ 1.5, {rows} rows, median of {Rounds} rounds)"));
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"enrolment growth: {ReportBenchmark.Median(growths):0.00} (target ≤ 1.2, cost a row at {rows} ÷ at {Small}, median of {Rounds} rounds)"));
        return 0;
    }

    // a self-hosted server in this process on an Azurite of its own (started with it, stopped with it)
    private static async Task<T> OnServerAsync<T>(Func<HttpClient, string, int, Task<T>> run)
    {
        string dataFolder = Path.Combine(Path.GetTempPath(), "cohorts-bench", "enrolment-" + Guid.NewGuid().ToString("N")[..8]);
        int port = Connectors.Storage.LoopbackPorts.Free();
        WebApplicationBuilder builder = WebApplication.CreateBuilder(new WebApplicationOptions { ContentRootPath = AppContext.BaseDirectory });
        builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["urls"] = $"http://127.0.0.1:{port}",
            ["Server:DataFolder"] = dataFolder,
            ["Server:TaskHub"] = "benchenrolment",
            ["Logging:LogLevel:Default"] = "Warning",
            ["Imports:MaxBytes"] = "1073741824",
            ["Imports:MaxLines"] = "5000000",
            ["Auth:ApiKeys:0:Name"] = "bench-hr", ["Auth:ApiKeys:0:Key"] = HrKey, ["Auth:ApiKeys:0:Roles:0"] = "hr",
        });
        builder.AddCohortsServer();
        try
        {
            await using WebApplication app = builder.Build();
            app.UseCohortsServer();
            await app.PrepareBackendAsync();
            await app.StartAsync();
            try
            {
                return await RunOnAsync(app, port, run);
            }
            finally
            {
                await app.StopAsync();
            }
        }
        finally
        {
            // a 100k run leaves about a gigabyte of Azurite data
            try
            {
                Directory.Delete(dataFolder, recursive: true);
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                // Azurite still closing its files: the temporary folder is left
            }
        }
    }

    private static async Task<T> RunOnAsync<T>(WebApplication app, int port, Func<HttpClient, string, int, Task<T>> run)
    {
        Connectors.Storage.LocalAzurite azurite = app.Services.GetRequiredService<StorageConnection>().Azurite
            ?? throw new InvalidOperationException("The benchmark runs on the server's own Azurite.");
        string connection = azurite.ConnectionString;
        using var http = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{port}"), Timeout = TimeSpan.FromMinutes(30) };
        await ReviewThroughput.WaitHealthyAsync(http, TimeSpan.FromMinutes(1));

        return await run(http, connection, azurite.Record.Pid);
    }

    // the run's seconds, and the processor seconds the emulator spent meanwhile
    private static async Task<(double Seconds, double Emulator)> ProductAsync(HttpClient http, string path, int emulatorPid)
    {
        string cohortId = "enrol-" + Guid.NewGuid().ToString("N")[..8];
        var plan = new
        {
            id = cohortId,
            name = "Enrolment benchmark",
            useCase = new { title = "Claims triage model", problem = "Route claims" },
            leaders = new[] { "cio@example.com" },
            programLead = "lead@example.com",
        };
        await ReviewThroughput.SendAsync(http, HttpMethod.Post, "/api/cohorts", HrKey, JsonContent.Create(plan));
        double emulator = CpuTime.Of(emulatorPid);
        var clock = Stopwatch.StartNew();
        await using FileStream file = File.OpenRead(path);
        using var content = new StreamContent(file);
        content.Headers.ContentType = new System.Net.Http.Headers.MediaTypeHeaderValue("text/csv");
        await ReviewThroughput.ImportAsync(http, HrKey, cohortId, content);
        double seconds = clock.Elapsed.TotalSeconds;
        emulator = CpuTime.Of(emulatorPid) - emulator;

        // applied means everyone: the roster holds every active row of the export (an apply that stopped short, or a
        // generation of the orchestration that skipped a batch, would still end applied)
        int active = (await ReviewThroughput.SendAsync(http, HttpMethod.Get, $"/api/cohorts/{cohortId}", HrKey, null)).GetProperty("roster").GetProperty("active").GetInt32();
        int expected = ActiveRows(path);
        if (active != expected)
        {
            throw new InvalidOperationException($"The import of {path} was applied with {active} active people; the export has {expected} active rows.");
        }

        return (seconds, emulator);
    }

    // the export's rows the product enrols: those not marked terminated (the generator writes unique, valid ids)
    private static int ActiveRows(string path)
    {
        using var reader = new StreamReader(path, Encoding.UTF8);
        using var csv = new CsvReader(reader, new CsvConfiguration(CultureInfo.InvariantCulture));
        csv.Read();
        csv.ReadHeader();
        int status = Array.IndexOf(csv.HeaderRecord!, "status");
        int active = 0;
        while (csv.Read())
        {
            active += csv.GetField(status) == "Terminated" ? 0 : 1;
        }

        return active;
    }

    private static async Task<(double Seconds, double Emulator)> BaselineAsync(string connection, string path, int emulatorPid)
    {
        var table = new TableClient(connection, "baseline" + Guid.NewGuid().ToString("N")[..8]);
        await table.CreateIfNotExistsAsync();
        double emulator = CpuTime.Of(emulatorPid);
        var clock = Stopwatch.StartNew();
        using var reader = new StreamReader(path, Encoding.UTF8);
        using var csv = new CsvReader(reader, new CsvConfiguration(CultureInfo.InvariantCulture));
        await csv.ReadAsync();
        csv.ReadHeader();
        string[] header = csv.HeaderRecord!;
        int status = Array.IndexOf(header, "status");
        var batch = new List<TableTransactionAction>(BatchSize);
        while (await csv.ReadAsync())
        {
            if (csv.GetField(status) == "Terminated")
            {
                continue; // the product enrols the active rows only
            }

            var entity = new TableEntity("cohort", csv.GetField(0));
            for (int i = 1; i < header.Length; i++)
            {
                entity[header[i]] = csv.GetField(i);
            }

            batch.Add(new TableTransactionAction(TableTransactionActionType.Add, entity));
            if (batch.Count == BatchSize)
            {
                await table.SubmitTransactionAsync(batch);
                batch.Clear();
            }
        }

        if (batch.Count > 0)
        {
            await table.SubmitTransactionAsync(batch);
        }

        double seconds = clock.Elapsed.TotalSeconds;
        emulator = CpuTime.Of(emulatorPid) - emulator;
        await table.DeleteAsync();
        return (seconds, emulator);
    }
}
