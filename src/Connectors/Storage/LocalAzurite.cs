using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Runtime.InteropServices;
using System.Text.Json;
using Microsoft.Extensions.Logging;

namespace Cohorts.Connectors.Storage;

/// <summary>
/// Azurite for local runs: started on free loopback ports with its data under the server's data folder, in its own
/// process group with its output in a file (an orphan holding the caller's stdout would hang a test runner), its PID
/// and ports recorded in the data folder. A server that crashed leaves its Azurite running; the next start finds it
/// through that record and reuses it, or replaces it when it does not answer, so that two never run on one folder.
/// Stopped gracefully (SIGTERM): Azurite is not crash-consistent.
/// </summary>
public sealed partial class LocalAzurite : IAsyncDisposable
{
    private const string AccountKey = "Eby8vdM02xNOcqFlqUwJPLlmEtlCDXJ1OUzFT50uSRZ6IFsuFq2UVErCz4I6tq/K1SZFPTOtr/KBHBeksoGMGw==";
    private static readonly TimeSpan StartTimeout = TimeSpan.FromSeconds(60);
    private static readonly string[] Services = ["Blob", "Queue", "Table"];

    private static readonly TimeSpan StopTimeout = TimeSpan.FromSeconds(15);

    private readonly string folder;
    private readonly ILogger log;
    private int stopped;

    private LocalAzurite(string folder, AzuriteRecord record, bool reused, ILogger log)
    {
        this.folder = folder;
        Record = record;
        Reused = reused;
        this.log = log;
    }

    /// <summary>PID and ports of the Azurite in use.</summary>
    public AzuriteRecord Record { get; }

    /// <summary>Whether a running Azurite from an earlier start was reused.</summary>
    public bool Reused { get; }

    /// <summary>The connection string of the emulator's well-known development account on these ports.</summary>
    public string ConnectionString =>
        "DefaultEndpointsProtocol=http;AccountName=devstoreaccount1;AccountKey=" + AccountKey +
        $";BlobEndpoint=http://127.0.0.1:{Record.BlobPort}/devstoreaccount1" +
        $";QueueEndpoint=http://127.0.0.1:{Record.QueuePort}/devstoreaccount1" +
        $";TableEndpoint=http://127.0.0.1:{Record.TablePort}/devstoreaccount1;";

    /// <summary>The file that records the running Azurite of a data folder.</summary>
    public static string RecordPath(string dataFolder) => Path.Combine(dataFolder, "azurite", "azurite.json");

    /// <summary>Reuses the Azurite recorded for <paramref name="dataFolder"/> when it answers, otherwise starts one.</summary>
    public static async Task<LocalAzurite> StartOrReuseAsync(string dataFolder, string script, ILogger log, CancellationToken cancellationToken)
    {
        string folder = Path.GetFullPath(Path.Combine(dataFolder, "azurite"));
        Directory.CreateDirectory(folder);

        // One starter at a time per data folder: the lock makes check-then-start atomic across processes.
        await using FileStream startLock = await AcquireLockAsync(Path.Combine(folder, "start.lock"), cancellationToken);
        string recordPath = Path.Combine(folder, "azurite.json");
        AzuriteRecord? previous = ReadRecord(recordPath);
        if (previous is not null && IsAzurite(previous.Pid))
        {
            if (await AnswersAsync(previous, TimeSpan.FromSeconds(5), cancellationToken))
            {
                log.LogInformation("Reusing Azurite (pid {Pid}) left running on {Folder}", previous.Pid, folder);
                return new LocalAzurite(folder, previous, reused: true, log);
            }

            log.LogWarning("Azurite (pid {Pid}) on {Folder} does not answer; replacing it", previous.Pid, folder);
            await StopProcessAsync(previous.Pid, cancellationToken);
        }

        // An Azurite on this folder that the record does not know about (the record was lost) must not run beside a new one.
        foreach (int stray in FindAzuriteOn(folder))
        {
            log.LogWarning("Stopping a stray Azurite (pid {Pid}) on {Folder}", stray, folder);
            await StopProcessAsync(stray, cancellationToken);
        }

        if (!File.Exists(script))
        {
            throw new InvalidOperationException(
                $"Azurite is not at '{script}'. Build the server (its build runs 'npm ci' in the repository root) or set Server:AzuriteScript; " +
                "or configure Storage:ConnectionString to use another storage account.");
        }

        // launched without the caller's token: once Azurite runs, a start given up (Ctrl-C) stops it again, never orphans it
        AzuriteRecord record = await LaunchAsync(folder, script, CancellationToken.None);
        bool answers;
        try
        {
            await File.WriteAllTextAsync(recordPath, JsonSerializer.Serialize(record), CancellationToken.None);
            answers = await AnswersAsync(record, StartTimeout, cancellationToken);
        }
        catch (Exception)
        {
            // a start given up (Ctrl-C), or any fault while waiting for it to answer (a cancelled connect can surface
            // as a SocketException): the Azurite just launched is stopped, never left running without an owner
            await StopProcessAsync(record.Pid, CancellationToken.None);
            File.Delete(recordPath);
            throw;
        }

        if (!answers)
        {
            await StopProcessAsync(record.Pid, CancellationToken.None);
            throw new InvalidOperationException($"Azurite did not answer within {StartTimeout.TotalSeconds:0} s; see {Path.Combine(folder, "azurite.log")}.");
        }

        log.LogInformation("Started Azurite (pid {Pid}) on {Folder}: blob {Blob}, queue {Queue}, table {Table}", record.Pid, folder, record.BlobPort, record.QueuePort, record.TablePort);
        return new LocalAzurite(folder, record, reused: false, log);
    }

    /// <summary>Stops Azurite gracefully and forgets it.</summary>
    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref stopped, 1) == 1)
        {
            return;
        }

        log.LogInformation("Stopping Azurite (pid {Pid})", Record.Pid);
        await StopProcessAsync(Record.Pid, CancellationToken.None, Path.Combine(folder, "azurite.log"));
        try
        {
            File.Delete(Path.Combine(folder, "azurite.json"));
        }
        catch (IOException)
        {
            // the record is only a hint; a stale one is checked before use
        }
    }

    private static async Task<AzuriteRecord> LaunchAsync(string folder, string script, CancellationToken cancellationToken)
    {
        int[] ports = LoopbackPorts.Free(3);
        string node = Environment.GetEnvironmentVariable("NODE") is { Length: > 0 } configured ? configured : "node";
        string arguments = string.Join(' ',
            Quote(script), "--location", Quote(folder),
            "--blobHost 127.0.0.1 --queueHost 127.0.0.1 --tableHost 127.0.0.1",
            $"--blobPort {ports[0]} --queuePort {ports[1]} --tablePort {ports[2]}",
            "--skipApiVersionCheck --disableTelemetry --silent --loose");

        // setsid puts Azurite in its own session and process group, so a Ctrl-C or a test runner's kill of the
        // server's group does not take it down half-written; the shell prints its PID and exits at once.
        var start = new ProcessStartInfo("/bin/sh")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = true,
            UseShellExecute = false,
        };
        start.ArgumentList.Add("-c");
        start.ArgumentList.Add($"setsid {Quote(node)} {arguments} > {Quote(Path.Combine(folder, "azurite.log"))} 2>&1 < /dev/null & echo $!");
        using Process shell = Process.Start(start) ?? throw new InvalidOperationException("Could not start /bin/sh to launch Azurite.");
        string pidText = (await shell.StandardOutput.ReadLineAsync(cancellationToken))?.Trim() ?? string.Empty;
        string errors = await shell.StandardError.ReadToEndAsync(cancellationToken);
        await shell.WaitForExitAsync(cancellationToken);
        if (!int.TryParse(pidText, NumberStyles.Integer, CultureInfo.InvariantCulture, out int pid))
        {
            throw new InvalidOperationException($"Could not launch Azurite: {errors}");
        }

        return new AzuriteRecord(pid, ports[0], ports[1], ports[2], TimeProvider.System.GetUtcNow());
    }

    private static string Quote(string value) => "'" + value.Replace("'", "'\\''", StringComparison.Ordinal) + "'";

    private static async Task<bool> AnswersAsync(AzuriteRecord record, TimeSpan within, CancellationToken cancellationToken)
    {
        var deadline = Stopwatch.StartNew();
        while (deadline.Elapsed < within)
        {
            if (!IsAlive(record.Pid))
            {
                return false;
            }

            if (await ConnectsAsync(record.BlobPort, cancellationToken) && await ConnectsAsync(record.QueuePort, cancellationToken) && await ConnectsAsync(record.TablePort, cancellationToken))
            {
                return true;
            }

            await Task.Delay(100, cancellationToken);
        }

        return false;
    }

    private static async Task<bool> ConnectsAsync(int port, CancellationToken cancellationToken)
    {
        using var client = new TcpClient();
        try
        {
            using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            timeout.CancelAfter(TimeSpan.FromSeconds(1));
            await client.ConnectAsync(IPAddress.Loopback, port, timeout.Token);
            return true;
        }
        catch (Exception e) when (e is SocketException or OperationCanceledException)
        {
            cancellationToken.ThrowIfCancellationRequested(); // given up: one kind of exception, whatever the socket said
            return false;
        }
    }

    private static async Task<FileStream> AcquireLockAsync(string path, CancellationToken cancellationToken)
    {
        var waited = Stopwatch.StartNew();
        while (true)
        {
            try
            {
                return new FileStream(path, FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.None);
            }
            catch (IOException) when (waited.Elapsed < StartTimeout)
            {
                await Task.Delay(200, cancellationToken);
            }
        }
    }

    private static AzuriteRecord? ReadRecord(string path)
    {
        try
        {
            return File.Exists(path) ? JsonSerializer.Deserialize<AzuriteRecord>(File.ReadAllText(path)) : null;
        }
        catch (JsonException)
        {
            return null;
        }
    }

    private static string CommandLine(int pid)
    {
        try
        {
            return File.ReadAllText($"/proc/{pid}/cmdline").Replace('\0', ' ');
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return string.Empty;
        }
    }

    private static bool IsAzurite(int pid) => CommandLine(pid).Contains("azurite", StringComparison.OrdinalIgnoreCase);

    private static IEnumerable<int> FindAzuriteOn(string folder)
    {
        foreach (string entry in Directory.EnumerateDirectories("/proc"))
        {
            if (int.TryParse(Path.GetFileName(entry), NumberStyles.Integer, CultureInfo.InvariantCulture, out int pid)
                && pid != Environment.ProcessId)
            {
                string command = CommandLine(pid);
                if (command.Contains("azurite", StringComparison.OrdinalIgnoreCase) && command.Contains($"--location {folder} ", StringComparison.Ordinal))
                {
                    yield return pid;
                }
            }
        }
    }

    private static bool IsAlive(int pid)
    {
        // a zombie (exited, not yet reaped) counts as gone
        try
        {
            string stat = File.ReadAllText($"/proc/{pid}/stat");
            int close = stat.LastIndexOf(')');
            return close > 0 && close + 2 < stat.Length && stat[close + 2] != 'Z';
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return false;
        }
    }

    /// <summary>
    /// Stops an Azurite: SIGTERM, on which it stops listening, persists its stores and says so on its console; then
    /// waits for it to exit. Given its console log, it is done once its three services have said they are closed:
    /// everything is on disk then, and a process still lingering (on keep-alive sockets of clients that have not
    /// closed them yet, which it waits for without end) is ended, so that a stop takes milliseconds, not seconds.
    /// </summary>
    private static async Task StopProcessAsync(int pid, CancellationToken cancellationToken, string? consoleLog = null)
    {
        if (!IsAlive(pid))
        {
            return;
        }

        long from = consoleLog is not null && File.Exists(consoleLog) ? new FileInfo(consoleLog).Length : -1;
        _ = Kill(pid, 15); // SIGTERM: Azurite closes its servers and flushes
        var waited = Stopwatch.StartNew();
        while (IsAlive(pid) && waited.Elapsed < StopTimeout)
        {
            if (from >= 0 && ClosedSince(consoleLog!, from))
            {
                await Task.Delay(100, cancellationToken); // its own exit, when nothing holds it
                break;
            }

            await Task.Delay(50, cancellationToken);
        }

        if (IsAlive(pid))
        {
            _ = Kill(pid, 9);
        }
    }

    /// <summary>Whether Azurite's console, after <paramref name="from"/>, says that its blob, queue and table services closed.</summary>
    private static bool ClosedSince(string consoleLog, long from)
    {
        try
        {
            using var stream = new FileStream(consoleLog, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete);
            stream.Seek(Math.Min(from, stream.Length), SeekOrigin.Begin);
            string said = new StreamReader(stream).ReadToEnd();
            return Services.All(service => said.Contains($"Azurite {service} service successfully closed", StringComparison.Ordinal));
        }
        catch (IOException)
        {
            return false;
        }
    }

    [LibraryImport("libc", EntryPoint = "kill", SetLastError = true)]
    private static partial int Kill(int pid, int signal);
}

/// <summary>What the data folder records about its running Azurite.</summary>
public sealed record AzuriteRecord(int Pid, int BlobPort, int QueuePort, int TablePort, DateTimeOffset StartedAt);
