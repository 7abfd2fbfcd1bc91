using System.Diagnostics;
using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace Cohorts.TestSupport;

/// <summary>
/// The self-hosted server as a real process (<c>dotnet exec Cohorts.Server.dll</c>, so that the PID is the server
/// itself and a SIGKILL is a real crash), its output in a log file, on a free loopback port.
/// </summary>
public sealed class ServerProcess : IAsyncDisposable
{
    /// <summary>The name of the test leader key: the leader every test plan lists (a leader sees only the cohorts they lead).</summary>
    public const string LeaderName = "cio@example.com";

    /// <summary>Keys every test server accepts, one per role.</summary>
    public static readonly IReadOnlyDictionary<string, string> Keys = new Dictionary<string, string>
    {
        ["admin"] = "test-admin-key-0123456789",
        ["hr"] = "test-hr-key-0123456789",
        ["leader"] = "test-leader-key-0123456789",
        ["integrator"] = "test-integrator-key-0123456789",
        ["reviewer"] = "test-reviewer-key-0123456789",
    };

    private readonly Process process;

    private ServerProcess(Process process, Uri baseAddress, string logPath, string dataFolder)
    {
        this.process = process;
        BaseAddress = baseAddress;
        LogPath = logPath;
        DataFolder = dataFolder;
        Http = Client();
    }

    /// <summary>Where the API answers.</summary>
    public Uri BaseAddress { get; }

    /// <summary>The server's console output.</summary>
    public string LogPath { get; }

    /// <summary>The server's data folder.</summary>
    public string DataFolder { get; }

    /// <summary>The server's process id.</summary>
    public int Pid => process.Id;

    /// <summary>A client without credentials.</summary>
    public HttpClient Http { get; }

    /// <summary>The built server assembly, from the same configuration as the tests.</summary>
    public static string ServerAssembly
    {
        get
        {
            string configuration = new DirectoryInfo(AppContext.BaseDirectory).Parent!.Name; // bin/{Configuration}/net10.0/
            string path = Path.Combine(RepoPaths.Root, "src", "Hosts", "Server", "bin", configuration, "net10.0", "Cohorts.Server.dll");
            return File.Exists(path) ? path : throw new FileNotFoundException("Build the server first.", path);
        }
    }

    /// <summary>
    /// Starts a server and waits until it is healthy. Without <paramref name="storageConnectionString"/> the server
    /// starts (or reuses) its own Azurite under <paramref name="dataFolder"/>.
    /// </summary>
    /// <param name="dataFolder">The server's data folder.</param>
    /// <param name="taskHub">Its task hub: one per server unless a test means to share.</param>
    /// <param name="storageConnectionString">Storage to use; null to let the server start its own Azurite.</param>
    /// <param name="settings">More environment settings, applied last.</param>
    /// <param name="testKeys">Whether to configure <see cref="Keys"/>; false keeps the environment's own (the README's development keys).</param>
    public static async Task<ServerProcess> StartAsync(string dataFolder, string taskHub, string? storageConnectionString = null, IDictionary<string, string>? settings = null, bool testKeys = true)
    {
        Directory.CreateDirectory(dataFolder);
        int port = Cohorts.Connectors.Storage.LoopbackPorts.Free();
        string logPath = Path.Combine(dataFolder, $"server-{port}.log");
        var start = new ProcessStartInfo("dotnet")
        {
            UseShellExecute = false,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = true,
            WorkingDirectory = dataFolder,
        };
        start.ArgumentList.Add("exec");
        start.ArgumentList.Add(ServerAssembly);
        start.Environment["ASPNETCORE_ENVIRONMENT"] = "Production";
        start.Environment["urls"] = $"http://127.0.0.1:{port}";
        start.Environment["Server__DataFolder"] = dataFolder;
        start.Environment["Server__TaskHub"] = taskHub;
        start.Environment["Server__AzuriteScript"] = AzuriteFixture.Script;
        start.Environment["Logging__LogLevel__Default"] = "Information";
        if (storageConnectionString is not null)
        {
            start.Environment["Storage__ConnectionString"] = storageConnectionString;
        }

        int i = 0;
        foreach ((string role, string key) in testKeys ? Keys : new Dictionary<string, string>())
        {
            start.Environment[$"Auth__ApiKeys__{i}__Name"] = role == "leader" ? LeaderName : $"test-{role}";
            start.Environment[$"Auth__ApiKeys__{i}__Key"] = key;
            start.Environment[$"Auth__ApiKeys__{i}__Roles__0"] = role;
            i++;
        }

        foreach ((string name, string value) in settings ?? new Dictionary<string, string>())
        {
            start.Environment[name] = value;
        }

        var process = Process.Start(start) ?? throw new InvalidOperationException("dotnet did not start.");
        var log = new StreamWriter(logPath, append: true, Encoding.UTF8) { AutoFlush = true };
        process.OutputDataReceived += (_, e) => { if (e.Data is not null) { lock (log) { log.WriteLine(e.Data); } } };
        process.ErrorDataReceived += (_, e) => { if (e.Data is not null) { lock (log) { log.WriteLine(e.Data); } } };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();

        var server = new ServerProcess(process, new Uri($"http://127.0.0.1:{port}"), logPath, dataFolder);
        await server.WaitUntilHealthyAsync(TimeSpan.FromSeconds(90));
        return server;
    }

    /// <summary>A client sending the key of <paramref name="role"/>.</summary>
    public HttpClient As(string role) => WithKey(Keys[role]);

    /// <summary>A client sending <paramref name="apiKey"/>.</summary>
    public HttpClient WithKey(string apiKey)
    {
        HttpClient client = Client();
        client.DefaultRequestHeaders.Add("X-Api-Key", apiKey);
        return client;
    }

    /// <summary>
    /// A client without credentials whose every answer is checked against the OpenAPI document (a response that
    /// drifts from it throws <see cref="ContractViolationException"/>).
    /// </summary>
    public HttpClient Client() => new(ContractCheck.Default.Handler()) { BaseAddress = BaseAddress, Timeout = TimeSpan.FromSeconds(30) };

    /// <summary>GET a JSON resource as <paramref name="role"/>.</summary>
    public async Task<JsonNode> GetJsonAsync(string role, string path)
    {
        using HttpClient client = As(role);
        using HttpResponseMessage response = await client.GetAsync(new Uri(path, UriKind.Relative));
        string body = await response.Content.ReadAsStringAsync();
        return response.IsSuccessStatusCode
            ? JsonNode.Parse(body)!
            : throw new HttpRequestException($"GET {path} answered {(int)response.StatusCode}: {body}");
    }

    /// <summary>POSTs JSON as <paramref name="role"/>.</summary>
    public async Task<(HttpStatusCode Status, JsonNode? Body)> PostJsonAsync(string role, string path, object body)
    {
        using HttpClient client = As(role);
        using HttpResponseMessage response = await client.PostAsJsonAsync(new Uri(path, UriKind.Relative), body);
        string text = await response.Content.ReadAsStringAsync();
        return (response.StatusCode, text.Length == 0 ? null : JsonNode.Parse(text));
    }

    /// <summary>Kills the server with SIGKILL, as a crash would, and waits until the process is gone.</summary>
    public async Task CrashAsync()
    {
        process.Kill(entireProcessTree: false);
        await process.WaitForExitAsync();
    }

    /// <summary>Stops the server gracefully (SIGTERM) and waits for it to exit.</summary>
    public async Task StopAsync()
    {
        if (process.HasExited)
        {
            return;
        }

        using (Process kill = Process.Start("kill", ["-TERM", process.Id.ToString(System.Globalization.CultureInfo.InvariantCulture)]))
        {
            await kill.WaitForExitAsync();
        }

        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        try
        {
            await process.WaitForExitAsync(timeout.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill();
            throw new TimeoutException($"The server did not stop within 60 s of SIGTERM; see {LogPath}.");
        }
    }

    private int disposed;

    /// <summary>Whether the server process has exited.</summary>
    public bool HasExited => process.HasExited;

    /// <summary>The server's console output so far.</summary>
    public string ReadLog()
    {
        using var stream = new FileStream(LogPath, FileMode.Open, FileAccess.Read, FileShare.ReadWrite);
        using var reader = new StreamReader(stream);
        return reader.ReadToEnd();
    }

    /// <inheritdoc/>
    public async ValueTask DisposeAsync()
    {
        // idempotent: a test that crashes and disposes a server mid-test still disposes it at the end, so a failed
        // assertion before the crash leaves no server running
        if (Interlocked.Exchange(ref disposed, 1) == 1)
        {
            return;
        }

        try
        {
            await StopAsync();
        }
        finally
        {
            Http.Dispose();
            process.Dispose();
        }
    }

    private async Task WaitUntilHealthyAsync(TimeSpan within)
    {
        var clock = Stopwatch.StartNew();
        while (clock.Elapsed < within)
        {
            if (process.HasExited)
            {
                throw new InvalidOperationException($"The server exited with {process.ExitCode} while starting:\n{ReadLog()}");
            }

            try
            {
                using HttpResponseMessage response = await Http.GetAsync(new Uri("/api/health", UriKind.Relative));
                if (response.StatusCode == HttpStatusCode.OK)
                {
                    return;
                }
            }
            catch (HttpRequestException)
            {
                // not listening yet
            }

            await Task.Delay(250);
        }

        process.Kill();
        throw new TimeoutException($"The server was not healthy within {within.TotalSeconds:0} s:\n{ReadLog()}");
    }

    private static readonly JsonSerializerOptions Web = new(JsonSerializerDefaults.Web);

    /// <summary>Serializes to the JSON the API expects (camelCase).</summary>
    public static string ToJson(object value) => JsonSerializer.Serialize(value, Web);
}
