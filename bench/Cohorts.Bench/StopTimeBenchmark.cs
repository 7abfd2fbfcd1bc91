using System.Diagnostics;
using System.Globalization;
using System.Text;
using Cohorts.Connectors.Storage;

namespace Cohorts.Bench;

/// <summary>
/// How long a graceful stop takes, as an operator stops the server: the README's way of running it (its own Azurite in
/// its data folder), SIGINT once it has served for a few seconds, timed until the process has exited; then a check
/// that nothing it started is left running. Half the runs stop it with work in flight (a 5,000-row import being
/// applied), half idle. Prints every run, then the median and the longest against the 3 s goal.
/// </summary>
internal static class StopTimeBenchmark
{
    private const string HrKey = "bench-hr-key-0123456789abcdef";

    public static async Task<int> RunAsync(int runs)
    {
        string repo = ScaleOutBenchmark.RepoRoot();
        string server = Path.Combine(repo, "src", "Hosts", "Server", "bin", "Release", "net10.0", "Cohorts.Server.dll");
        if (!File.Exists(server))
        {
            throw new FileNotFoundException("Build the server in Release first (dotnet build -c Release src/Hosts/Server).", server);
        }

        string export = HrExportGenerator.Ensure(5_000);
        var times = new List<double>();
        int leftovers = 0;
        for (int run = 0; run < runs; run++)
        {
            bool busy = run % 2 == 1;
            string folder = Path.Combine(Path.GetTempPath(), "cohorts-bench", "stop-" + Guid.NewGuid().ToString("N")[..8]);
            (double seconds, int exitCode, List<string> left) = await StopOnceAsync(server, repo, folder, busy, export);
            times.Add(seconds);
            leftovers += left.Count;
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"run {run + 1} ({(busy ? "import in flight" : "idle")}): stopped in {seconds:0.00} s, exit {exitCode}, left running: {(left.Count == 0 ? "nothing" : string.Join("; ", left))}"));
        }

        times.Sort();
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"stop: median {times[times.Count / 2]:0.00} s, longest {times[^1]:0.00} s of {runs} runs, {leftovers} processes left (target < 3 s, none left)"));
        return times[^1] < 3 && leftovers == 0 ? 0 : 1;
    }

    private static async Task<(double Seconds, int ExitCode, List<string> Left)> StopOnceAsync(string serverDll, string repo, string folder, bool busy, string export)
    {
        Directory.CreateDirectory(folder);
        int port = LoopbackPorts.Free();
        // through env --default-signal=INT, as a terminal starts it: SIGINT reaches it even from a background job
        var start = new ProcessStartInfo("env") { UseShellExecute = false, RedirectStandardOutput = true, RedirectStandardError = true, WorkingDirectory = folder };
        foreach (string argument in new[] { "--default-signal=INT", "dotnet", "exec", serverDll })
        {
            start.ArgumentList.Add(argument);
        }

        start.Environment["ASPNETCORE_ENVIRONMENT"] = "Production";
        start.Environment["urls"] = $"http://127.0.0.1:{port}";
        start.Environment["Server__DataFolder"] = folder;
        start.Environment["Server__AzuriteScript"] = Path.Combine(repo, "node_modules", "azurite", "dist", "src", "azurite.js");
        start.Environment["Logging__LogLevel__Default"] = "Warning";
        start.Environment["Auth__ApiKeys__0__Name"] = "bench-hr";
        start.Environment["Auth__ApiKeys__0__Key"] = HrKey;
        start.Environment["Auth__ApiKeys__0__Roles__0"] = "hr";
        using Process process = Process.Start(start)!;
        var log = new StringBuilder();
        process.OutputDataReceived += (_, e) => { lock (log) { log.AppendLine(e.Data); } };
        process.ErrorDataReceived += (_, e) => { lock (log) { log.AppendLine(e.Data); } };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        using var http = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{port}"), Timeout = TimeSpan.FromMinutes(2) };
        await ReviewThroughput.WaitHealthyAsync(http, TimeSpan.FromMinutes(2), () => process.HasExited, () => { lock (log) { return log.ToString(); } });
        if (busy)
        {
            string cohort = await ReviewThroughput.EnrolAsync(http, HrKey, 1, ["rev0"]);
            using var content = new StreamContent(File.OpenRead(export));
            content.Headers.ContentType = new System.Net.Http.Headers.MediaTypeHeaderValue("text/csv");
            // not a dry run: it is read and applied in the background, and the stop comes while its batches are written
            await ReviewThroughput.SendAsync(http, HttpMethod.Post, $"/api/cohorts/{cohort}/imports", HrKey, content);
        }

        await Task.Delay(TimeSpan.FromSeconds(busy ? 2 : 5));
        var clock = Stopwatch.StartNew();
        using (Process kill = Process.Start("kill", ["-INT", process.Id.ToString(CultureInfo.InvariantCulture)]))
        {
            await kill.WaitForExitAsync();
        }

        using var limit = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        await process.WaitForExitAsync(limit.Token);
        double seconds = clock.Elapsed.TotalSeconds;
        return (seconds, process.ExitCode, await LeftRunningAsync(folder));
    }

    private static async Task<List<string>> LeftRunningAsync(string folder)
    {
        var search = new ProcessStartInfo("pgrep", ["-af", folder]) { RedirectStandardOutput = true, UseShellExecute = false };
        using Process pgrep = Process.Start(search)!;
        string output = await pgrep.StandardOutput.ReadToEndAsync();
        await pgrep.WaitForExitAsync();
        return output.Split('\n', StringSplitOptions.RemoveEmptyEntries).ToList();
    }
}
