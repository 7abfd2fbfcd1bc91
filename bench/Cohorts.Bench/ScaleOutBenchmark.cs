using System.Diagnostics;
using System.Globalization;
using System.Net.Http.Json;
using System.Text;
using Cohorts.Connectors.Storage;
using Microsoft.Extensions.Logging.Abstractions;

namespace Cohorts.Bench;

/// <summary>
/// The engine's scale-out: N review orchestrations (N submissions through the API, N verdicts, N decision messages) on
/// one server, then on two server processes sharing one Azurite account and task hub, both runs with
/// <c>Server:Partitions</c> 4, short leases, one outbox folder, and the requests spread round-robin over the servers
/// there are. Each run has a fresh task hub. The cohort has twenty reviewers, as a large cohort would: with one, every
/// submission updates that reviewer's open-review count, a single row, and the run measures that row, not the engine.
/// Prints both rates and two ÷ one.
/// </summary>
internal static class ScaleOutBenchmark
{
    private const string HrKey = "bench-hr-key-0123456789abcdef";
    private const string IntegratorKey = "bench-integrator-key-0123456789";
    private const int Reviewers = 20;

    public static async Task<int> RunAsync(int count)
    {
        string root = Path.Combine(Path.GetTempPath(), "cohorts-bench", "scaleout-" + Guid.NewGuid().ToString("N")[..8]);
        string repo = RepoRoot();
        await using LocalAzurite azurite = await LocalAzurite.StartOrReuseAsync(
            Path.Combine(root, "storage"), Path.Combine(repo, "node_modules", "azurite", "dist", "src", "azurite.js"), NullLogger.Instance, CancellationToken.None);
        string server = Path.Combine(repo, "src", "Hosts", "Server", "bin", "Release", "net10.0", "Cohorts.Server.dll");
        if (!File.Exists(server))
        {
            throw new FileNotFoundException("Build the server in Release first (dotnet build -c Release src/Hosts/Server).", server);
        }

        double one = await RunOnceAsync(server, azurite, Path.Combine(root, "one"), 1, count);
        double two = await RunOnceAsync(server, azurite, Path.Combine(root, "two"), 2, count);
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"scaleout: one server {count / one:0.0}/s ({one:0.0} s), two servers {count / two:0.0}/s ({two:0.0} s), {Environment.ProcessorCount} cores"));
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"scaleout ratio: {one / two:0.00} (target ≥ 1.6)"));
        return 0;
    }

    private static async Task<double> RunOnceAsync(string serverDll, LocalAzurite azurite, string folder, int servers, int count)
    {
        string connectionString = azurite.ConnectionString;
        string hub = $"scale{servers}x{Guid.NewGuid().ToString("N")[..6]}";
        string outbox = Path.Combine(folder, "outbox");
        var processes = new List<(Process Process, HttpClient Http)>();
        try
        {
            for (int i = 0; i < servers; i++)
            {
                processes.Add(await StartAsync(serverDll, connectionString, Path.Combine(folder, $"server{i}"), hub, outbox));
            }

            HttpClient first = processes[0].Http;
            string cohortId = await ReviewThroughput.EnrolAsync(first, HrKey, count, Enumerable.Range(0, Reviewers).Select(r => $"rev{r}").ToList());
            // the partitions spread over the servers as their leases are sought (every second, leases of 6 s)
            await Task.Delay(TimeSpan.FromSeconds(servers > 1 ? 15 : 5));

            var clock = Stopwatch.StartNew();
            double emulatorBefore = CpuTime.Of(azurite.Record.Pid);
            double serversBefore = processes.Sum(p => CpuTime.Of(p.Process.Id));
            double benchBefore = CpuTime.OfThisProcess();
            var ids = new (string Id, string Reviewer)[count];
            await Parallel.ForEachAsync(Enumerable.Range(0, count), new ParallelOptions { MaxDegreeOfParallelism = 16 }, async (i, ct) =>
            {
                var body = new { participantId = $"P{i:00000}", stepId = "builders-4", artifactUrl = $"https://git.example.com/p{i}" };
                System.Text.Json.JsonElement submission = await ReviewThroughput.SendAsync(processes[i % servers].Http, HttpMethod.Post, $"/api/cohorts/{cohortId}/submissions", IntegratorKey, JsonContent.Create(body));
                ids[i] = (submission.GetProperty("submissionId").GetString()!, submission.GetProperty("reviewerId").GetString()!);
            });
            await Parallel.ForEachAsync(Enumerable.Range(0, count), new ParallelOptions { MaxDegreeOfParallelism = 16 }, async (i, ct) =>
                await ReviewThroughput.SendAsync(processes[(i + 1) % servers].Http, HttpMethod.Post, $"/api/submissions/{ids[i].Id}/review", ReviewerKey(ids[i].Reviewer), JsonContent.Create(new { verdict = "accepted", feedback = "fine" })));
            await ReviewThroughput.WaitAsync(() => Directory.Exists(outbox) ? Directory.EnumerateFiles(outbox, "*.decision.eml").Count() : 0, count, "decision messages");
            double seconds = clock.Elapsed.TotalSeconds;
            double emulator = CpuTime.Of(azurite.Record.Pid) - emulatorBefore;
            double serverCpu = processes.Sum(p => CpuTime.Of(p.Process.Id)) - serversBefore;
            double bench = CpuTime.OfThisProcess() - benchBefore;
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"{servers} server(s): {count} reviews in {seconds:0.0} s; processor time: Azurite {emulator:0.0} s ({emulator / seconds:0%} of one core, its requests are served on one thread), servers {serverCpu:0.0} s, this client {bench:0.0} s; {(emulator + serverCpu + bench) / seconds / Environment.ProcessorCount:0%} of {Environment.ProcessorCount} cores"));
            return seconds;
        }
        finally
        {
            foreach ((Process process, HttpClient http) in processes)
            {
                http.Dispose();
                process.Kill(entireProcessTree: true);
                await process.WaitForExitAsync();
                process.Dispose();
            }
        }
    }

    private static async Task<(Process, HttpClient)> StartAsync(string serverDll, string connectionString, string dataFolder, string hub, string outbox)
    {
        Directory.CreateDirectory(dataFolder);
        int port = LoopbackPorts.Free();
        var start = new ProcessStartInfo("dotnet") { UseShellExecute = false, RedirectStandardOutput = true, RedirectStandardError = true, WorkingDirectory = dataFolder };
        start.ArgumentList.Add("exec");
        start.ArgumentList.Add(serverDll);
        var environment = new Dictionary<string, string>
        {
            ["ASPNETCORE_ENVIRONMENT"] = "Production",
            ["urls"] = $"http://127.0.0.1:{port}",
            ["Server__DataFolder"] = dataFolder,
            ["Server__TaskHub"] = hub,
            ["Server__Partitions"] = "4",
            ["Server__LeaseInterval"] = "00:00:06",
            ["Server__OutboxFolder"] = outbox,
            ["Storage__ConnectionString"] = connectionString,
            ["Logging__LogLevel__Default"] = "Warning",
            ["Auth__ApiKeys__0__Name"] = "bench-hr", ["Auth__ApiKeys__0__Key"] = HrKey, ["Auth__ApiKeys__0__Roles__0"] = "hr",
            ["Auth__ApiKeys__1__Name"] = "bench-integrator", ["Auth__ApiKeys__1__Key"] = IntegratorKey, ["Auth__ApiKeys__1__Roles__0"] = "integrator",
        };
        for (int r = 0; r < Reviewers; r++)
        {
            environment[$"Auth__ApiKeys__{r + 2}__Name"] = $"rev{r}";
            environment[$"Auth__ApiKeys__{r + 2}__Key"] = ReviewerKey($"rev{r}");
            environment[$"Auth__ApiKeys__{r + 2}__Roles__0"] = "reviewer";
        }

        foreach ((string name, string value) in environment)
        {
            start.Environment[name] = value;
        }

        Process process = Process.Start(start)!;
        var log = new StringBuilder();
        process.OutputDataReceived += (_, e) => { lock (log) { log.AppendLine(e.Data); } };
        process.ErrorDataReceived += (_, e) => { lock (log) { log.AppendLine(e.Data); } };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        var http = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{port}"), Timeout = TimeSpan.FromMinutes(5) };
        await ReviewThroughput.WaitHealthyAsync(http, TimeSpan.FromMinutes(2), () => process.HasExited, () => { lock (log) { return log.ToString(); } });
        return (process, http);
    }

    private static string ReviewerKey(string reviewer) => $"bench-{reviewer}-key-0123456789abcdef";

    internal static string RepoRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "FunctionsApp.sln")))
            {
                return dir.FullName;
            }
        }

        throw new DirectoryNotFoundException($"No FunctionsApp.sln above {AppContext.BaseDirectory}.");
    }
}
