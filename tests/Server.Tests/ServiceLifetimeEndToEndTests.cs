using System.Diagnostics;
using System.Globalization;
using Cohorts.TestSupport;

namespace Cohorts.Server.Tests;

/// <summary>
/// The server as an operator runs it, with its own Azurite: Ctrl-C (SIGINT) while it starts gives up the start and
/// leaves no process behind; SIGINT once it serves stops it, and its Azurite, in seconds (not the whole shutdown timeout).
/// </summary>
[Collection(OwnServers.Name)]
public sealed class ServiceLifetimeEndToEndTests
{
    [Fact]
    public async Task SigintDuringStartUp_LeavesNoProcessBehind()
    {
        string folder = TestFolders.New("sigint-start-");
        using Process server = Launch(folder, out int port, out Func<string> said);
        // Azurite is being started: the data folder has its record, the API does not answer yet
        await Eventually.WaitAsync(() => Task.FromResult(Directory.Exists(Path.Combine(folder, "azurite"))), found => found, TimeSpan.FromSeconds(30), "the start of Azurite");
        Assert.False(await AnswersAsync(port), "the server was still starting");

        Signal(server.Id, "INT");

        Assert.True(await ExitsWithinAsync(server, TimeSpan.FromSeconds(15)), "the server exits after SIGINT during start-up:\n" + said());
        Assert.True(server.ExitCode == 130, $"exit code {server.ExitCode}, not 130 (a start given up):\n{said()}");
        List<string> left = await LeftRunningAsync(folder);
        Assert.True(left.Count == 0, $"left running: {string.Join("; ", left)}\nthe server said:\n{said()}");
    }

    [Fact]
    public async Task SigintOnceServing_StopsTheServerAndItsAzurite_InSeconds()
    {
        string folder = TestFolders.New("sigint-serving-");
        using Process server = Launch(folder, out int port, out Func<string> said);
        await Eventually.WaitAsync(() => AnswersAsync(port), up => up, TimeSpan.FromSeconds(90), "the server serving");
        Assert.NotEmpty(await LeftRunningAsync(folder)); // its Azurite runs beside it
        await Task.Delay(TimeSpan.FromSeconds(5)); // serving, its backend started: an operator's stop, not one during start-up

        var stopping = Stopwatch.StartNew();
        Signal(server.Id, "INT");
        Assert.True(await ExitsWithinAsync(server, TimeSpan.FromSeconds(30)), "the server exits after SIGINT:\n" + said());
        stopping.Stop();

        Assert.True(server.ExitCode == 0, $"exit code {server.ExitCode}:\n{said()}");
        List<string> left = await LeftRunningAsync(folder);
        Assert.True(left.Count == 0, $"left running: {string.Join("; ", left)}\nthe server said:\n{said()}");
        // the goal is under 3 s: on an idle machine a stop takes 1.2-1.6 s (int2 runs in the closing note of issue 14);
        // under the suite's load (other test assemblies, and the shared-server collection beside this one, building and
        // serving on the same two cores) 3.4-4.9 s was measured, so the bound is 8 s, which still catches the old waits
        // (the full 10 s shutdown timeout, an Azurite kept alive by idle client sockets, a backend stopped after its storage)
        Assert.True(stopping.Elapsed < TimeSpan.FromSeconds(8), $"a graceful stop took {stopping.Elapsed.TotalSeconds:F1} s");
    }

    [Fact]
    public async Task SigintAfterItsStorageDied_StopsCleanly_WithinTheShutdownTimeout()
    {
        string folder = TestFolders.New("sigint-nostorage-");
        using Process server = Launch(folder, out int port, out Func<string> said, shutdownTimeout: TimeSpan.FromSeconds(4));
        await Eventually.WaitAsync(() => AnswersAsync(port), up => up, TimeSpan.FromSeconds(90), "the server serving");
        await Task.Delay(TimeSpan.FromSeconds(3)); // its backend holds its partitions
        // its storage goes away (the emulator killed; in Azure, the account unreachable): the backend cannot release its
        // leases, and the stop must not wait on it for longer than the shutdown timeout, nor end in a crash
        foreach (string azurite in (await LeftRunningAsync(folder)).Where(p => p.Contains("azurite", StringComparison.Ordinal)))
        {
            Signal(int.Parse(azurite[..azurite.IndexOf(':', StringComparison.Ordinal)], CultureInfo.InvariantCulture), "KILL");
        }

        var stopping = Stopwatch.StartNew();
        Signal(server.Id, "INT");
        Assert.True(await ExitsWithinAsync(server, TimeSpan.FromSeconds(30)), "the server exits after SIGINT:\n" + said());
        stopping.Stop();

        Assert.True(server.ExitCode == 0, $"exit code {server.ExitCode}:\n{said()}");
        Assert.DoesNotContain("Unhandled exception", said(), StringComparison.Ordinal);
        Assert.Contains("did not stop within the shutdown timeout", said(), StringComparison.Ordinal);
        Assert.True(stopping.Elapsed < TimeSpan.FromSeconds(15), $"the stop took {stopping.Elapsed.TotalSeconds:F1} s with a shutdown timeout of 4 s");
        Assert.Empty(await LeftRunningAsync(folder));
    }

    /// <summary>
    /// Starts the server as a terminal would: through <c>env --default-signal=INT</c>, so that SIGINT reaches it even
    /// when the test runner was itself started with SIGINT ignored (as a background job is).
    /// </summary>
    private static Process Launch(string folder, out int port, out Func<string> said, TimeSpan? shutdownTimeout = null)
    {
        Directory.CreateDirectory(folder);
        port = Cohorts.Connectors.Storage.LoopbackPorts.Free();
        var start = new ProcessStartInfo("env")
        {
            UseShellExecute = false,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            WorkingDirectory = folder,
        };
        foreach (string argument in new[] { "--default-signal=INT", "dotnet", "exec", ServerProcess.ServerAssembly })
        {
            start.ArgumentList.Add(argument);
        }

        start.Environment["ASPNETCORE_ENVIRONMENT"] = "Production";
        start.Environment["urls"] = $"http://127.0.0.1:{port}";
        start.Environment["Server__DataFolder"] = folder;
        start.Environment["Server__AzuriteScript"] = AzuriteFixture.Script;
        start.Environment["Auth__ApiKeys__0__Name"] = "lifetime-admin";
        start.Environment["Auth__ApiKeys__0__Key"] = ServerProcess.Keys["admin"];
        start.Environment["Auth__ApiKeys__0__Roles__0"] = "admin";
        if (shutdownTimeout is { } timeout)
        {
            start.Environment["Server__ShutdownTimeout"] = timeout.ToString("c", CultureInfo.InvariantCulture);
        }

        Process process = Process.Start(start) ?? throw new InvalidOperationException("dotnet did not start.");
        var output = new System.Collections.Concurrent.ConcurrentQueue<string>();
        process.OutputDataReceived += (_, line) => output.Enqueue(line.Data ?? string.Empty);
        process.ErrorDataReceived += (_, line) => output.Enqueue(line.Data ?? string.Empty);
        said = () => string.Join('\n', output.TakeLast(60));
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        return process;
    }

    private static void Signal(int pid, string signal)
    {
        using Process kill = Process.Start("kill", ["-" + signal, pid.ToString(CultureInfo.InvariantCulture)]);
        kill.WaitForExit();
    }

    private static async Task<bool> AnswersAsync(int port)
    {
        using var client = new HttpClient { Timeout = TimeSpan.FromSeconds(2) };
        try
        {
            using HttpResponseMessage response = await client.GetAsync(new Uri($"http://127.0.0.1:{port}/api/health"));
            return response.IsSuccessStatusCode;
        }
        catch (Exception e) when (e is HttpRequestException or TaskCanceledException)
        {
            return false;
        }
    }

    private static async Task<bool> ExitsWithinAsync(Process process, TimeSpan limit)
    {
        using var timeout = new CancellationTokenSource(limit);
        try
        {
            await process.WaitForExitAsync(timeout.Token);
            return true;
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            return false;
        }
    }

    /// <summary>The processes whose command line names <paramref name="folder"/> (the server, its Azurite), after a moment to settle.</summary>
    private static async Task<List<string>> LeftRunningAsync(string folder)
    {
        await Task.Delay(500);
        var found = new List<string>();
        foreach (string proc in Directory.GetDirectories("/proc").Where(d => int.TryParse(Path.GetFileName(d), out _)))
        {
            try
            {
                string commandLine = (await File.ReadAllTextAsync(Path.Combine(proc, "cmdline"))).Replace('\0', ' ');
                if (commandLine.Contains(folder, StringComparison.Ordinal))
                {
                    found.Add($"{Path.GetFileName(proc)}: {commandLine}");
                }
            }
            catch (IOException)
            {
                // gone meanwhile
            }
            catch (UnauthorizedAccessException)
            {
                // not ours
            }
        }

        return found;
    }
}
