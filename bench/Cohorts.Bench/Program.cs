using System.Diagnostics;
using System.Globalization;
using System.Runtime;
using BenchmarkDotNet.Reports;
using BenchmarkDotNet.Running;
using Cohorts.Bench;

// dotnet run -c Release --project bench/Cohorts.Bench -- import   : BenchmarkDotNet, product ÷ bare CsvHelper
// dotnet run -c Release --project bench/Cohorts.Bench -- memory   : peak memory of an import of 100k and of 1M rows
// dotnet run -c Release --project bench/Cohorts.Bench -- reviews [N] : N review orchestrations on Azurite ÷ N baseline ones (default 1000)
// dotnet run -c Release --project bench/Cohorts.Bench -- report [P] [E] : the final report of P participants and E events ÷ a bare aggregation (default 50000, 200000)
// dotnet run -c Release --project bench/Cohorts.Bench -- enrolment [rows] : an export posted through the API until applied, at 10k and at rows (default 100000) ÷ bare table writes
// dotnet run -c Release --project bench/Cohorts.Bench -- scaleout [N] : N review orchestrations on two server processes sharing a task hub ÷ on one (default 1000)
// dotnet run -c Release --project bench/Cohorts.Bench -- stop [runs] : SIGINT to a server with its own Azurite, idle and with an import in flight, timed until it has exited (default 10 runs)
// set in the child that runs a benchmark as the server ships
const string AsShipped = "COHORTS_BENCH_AS_SHIPPED";

switch (args.FirstOrDefault())
{
    case "import":
    {
        Summary summary = BenchmarkRunner.Run<ImportBenchmarks>();
        double Mean(string method) => summary.Reports.Single(r => r.BenchmarkCase.Descriptor.WorkloadMethod.Name == method).ResultStatistics!.Mean;
        double ratio = Mean(nameof(ImportBenchmarks.ProductImport)) / Mean(nameof(ImportBenchmarks.BareCsvHelperLoop));
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"import ratio: {ratio:0.00} (target ≤ 2.0; product ÷ bare CsvHelper loop, 100k rows)"));
        break;
    }

    case "memory":
    {
        // each size in its own process, so that one run's heap does not count for the other
        long small = await MeasureInChildAsync(100_000);
        long large = await MeasureInChildAsync(1_000_000);
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"peak memory: 100k rows {small / 1048576.0:0.0} MiB, 1M rows {large / 1048576.0:0.0} MiB, ratio {(double)large / small:0.00} (target ≤ 2.0)"));
        break;
    }

    case "memory-child":
    {
        string path = HrExportGenerator.Ensure(int.Parse(args[1], CultureInfo.InvariantCulture));
        long lines = File.ReadLines(path).LongCount(); // what the upload counts as it stores the file
        GC.Collect();
        int changes = await Pipeline.RunAsync(path, Stream.Null, lines);
        using Process self = Process.GetCurrentProcess();
        self.Refresh();
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{self.PeakWorkingSet64} {changes}"));
        break;
    }

    case "reviews" or "enrolment" when !GCSettings.IsServerGC && Environment.GetEnvironmentVariable(AsShipped) is null:
        return await RunAsShippedAsync(args);

    case "reviews":
        return await ReviewThroughput.RunAsync(args.Length > 1 ? int.Parse(args[1], CultureInfo.InvariantCulture) : 1000);

    case "report":
        return ReportBenchmark.Run(
            args.Length > 1 ? int.Parse(args[1], CultureInfo.InvariantCulture) : 50_000,
            args.Length > 2 ? int.Parse(args[2], CultureInfo.InvariantCulture) : 200_000);

    case "enrolment":
        return await EnrolmentBenchmark.RunAsync(args.Length > 1 ? int.Parse(args[1], CultureInfo.InvariantCulture) : 100_000);

    case "scaleout":
        return await ScaleOutBenchmark.RunAsync(args.Length > 1 ? int.Parse(args[1], CultureInfo.InvariantCulture) : 1000);

    case "stop":
        return await StopTimeBenchmark.RunAsync(args.Length > 1 ? int.Parse(args[1], CultureInfo.InvariantCulture) : 10);

    default:
        Console.Error.WriteLine("usage: Cohorts.Bench import | memory | reviews [N] | report [participants] [events] | enrolment [rows] | scaleout [N] | stop [runs]");
        return 2;
}

return 0;

// the benchmarks that host the self-hosted server in this process run it as it ships: under the server's own runtime
// configuration (src/Hosts/Server: server GC, sixteen pool threads ready; Cohorts.Server.runtimeconfig.json
// beside this program), not this console app's workstation GC, which stopped the server for 1.5 s of a 9 s enrolment of
// 100k people; the others (import, report, memory) keep the workstation GC they were always measured with
static async Task<int> RunAsShippedAsync(string[] args)
{
    string serverConfig = Path.Combine(Path.GetDirectoryName(typeof(ImportBenchmarks).Assembly.Location)!, "Cohorts.Server.runtimeconfig.json");
    if (!File.Exists(serverConfig))
    {
        throw new FileNotFoundException("The server's runtime configuration is built beside the benchmarks (it references the server).", serverConfig);
    }

    ProcessStartInfo start = SelfStart(args, serverConfig);
    start.RedirectStandardOutput = false;
    start.Environment[AsShipped] = "1"; // once: a runtime that ignored the configuration would otherwise start it again
    using Process child = Process.Start(start)!;
    await child.WaitForExitAsync();
    return child.ExitCode;
}

// this program again, with these arguments, through the dotnet host (under another runtime configuration if given)
static ProcessStartInfo SelfStart(IEnumerable<string> args, string? runtimeConfig = null)
{
    string host = Environment.ProcessPath is { } path && Path.GetFileNameWithoutExtension(path) == "dotnet" ? path : "dotnet";
    var start = new ProcessStartInfo(host) { RedirectStandardOutput = true, UseShellExecute = false };
    string[] exec = runtimeConfig is null ? ["exec"] : ["exec", "--runtimeconfig", runtimeConfig];
    foreach (string argument in exec.Append(typeof(ImportBenchmarks).Assembly.Location).Concat(args))
    {
        start.ArgumentList.Add(argument);
    }

    return start;
}

static async Task<long> MeasureInChildAsync(int rows)
{
    HrExportGenerator.Ensure(rows); // generate outside the measured process
    using Process child = Process.Start(SelfStart(["memory-child", rows.ToString(CultureInfo.InvariantCulture)]))!;
    string output = await child.StandardOutput.ReadToEndAsync();
    await child.WaitForExitAsync();
    string[] parts = output.Trim().Split(' ');
    Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{rows} rows: peak working set {long.Parse(parts[0], CultureInfo.InvariantCulture) / 1048576.0:0.0} MiB, {parts[1]} changes"));
    return long.Parse(parts[0], CultureInfo.InvariantCulture);
}
