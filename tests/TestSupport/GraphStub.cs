using System.Collections.Concurrent;
using Cohorts.Connectors.Graph;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;
using Microsoft.Graph;

namespace Cohorts.TestSupport;

/// <summary>
/// A loopback server that answers the real Graph SDK with Graph's own payloads from the corpus. Responses are
/// scripted per path and query token; <c>https://graph.microsoft.com</c> in a payload's links is rewritten to this
/// server so that the SDK follows them here. Every request is recorded.
/// </summary>
public sealed class GraphStub : IAsyncDisposable
{
    private readonly WebApplication app;
    private readonly ConcurrentDictionary<string, ConcurrentQueue<Reply>> script = new();
    private int inFlight;
    private int peakInFlight;

    private GraphStub(WebApplication app, Uri baseAddress)
    {
        this.app = app;
        BaseAddress = baseAddress;
    }

    /// <summary>Where it answers.</summary>
    public Uri BaseAddress { get; }

    /// <summary>Every request: method, path and query, when, and its body.</summary>
    public ConcurrentQueue<StubRequest> Requests { get; } = new();

    /// <summary>A request the stub received.</summary>
    public sealed record StubRequest(string Method, string PathAndQuery, DateTime At, string Body);

    /// <summary>Answers what no script does (method, path, query, body), or null to leave it unanswered: a stateful fake's hook.</summary>
    public Func<string, string, string, string, Reply?>? Fallback { get; set; }

    /// <summary>How long every answer waits, as a slow or far-away Graph would.</summary>
    public TimeSpan Delay { get; set; }

    /// <summary>The most requests that were being answered at one time.</summary>
    public int PeakInFlight => peakInFlight;

    /// <summary>A scripted answer.</summary>
    public sealed record Reply(int Status, string Body, IReadOnlyDictionary<string, string>? Headers = null);

    public static async Task<GraphStub> StartAsync()
    {
        int port = Cohorts.Connectors.Storage.LoopbackPorts.Free();

        WebApplicationBuilder builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseUrls($"http://127.0.0.1:{port}");
        builder.Logging.ClearProviders();
        WebApplication app = builder.Build();
        var stub = new GraphStub(app, new Uri($"http://127.0.0.1:{port}"));
        app.Run(stub.AnswerAsync);
        await app.StartAsync();
        return stub;
    }

    /// <summary>Answers the next request whose path ends with <paramref name="path"/> and whose query holds <paramref name="token"/> (or none).</summary>
    public void On(string path, string? token, params Reply[] replies)
    {
        ConcurrentQueue<Reply> queue = script.GetOrAdd(Key(path, token), _ => new ConcurrentQueue<Reply>());
        foreach (Reply reply in replies)
        {
            queue.Enqueue(reply);
        }
    }

    /// <summary>A corpus payload with Graph's host rewritten to this server, optionally changed further.</summary>
    public string Corpus(string file, Func<string, string>? change = null)
    {
        string json = File.ReadAllText(Path.Combine(RepoPaths.Corpus, "graph", file))
            .Replace("https://graph.microsoft.com", BaseAddress.ToString().TrimEnd('/'), StringComparison.Ordinal);
        return change is null ? json : change(json);
    }

    /// <summary>A GraphServiceClient on this server: the SDK's default handlers with the product's retry handler.</summary>
    public GraphServiceClient Client() => GraphDirectory.CreateClient(null, new Uri(BaseAddress, "v1.0"));

    public async ValueTask DisposeAsync()
    {
        await app.StopAsync();
        await app.DisposeAsync();
    }

    private static string Key(string path, string? token) => path.TrimStart('/').ToLowerInvariant() + "|" + (token ?? string.Empty);

    private async Task AnswerAsync(HttpContext context)
    {
        int now = Interlocked.Increment(ref inFlight);
        for (int peak = peakInFlight; now > peak; peak = peakInFlight)
        {
            Interlocked.CompareExchange(ref peakInFlight, now, peak);
        }

        try
        {
            await ReplyAsync(context);
        }
        finally
        {
            Interlocked.Decrement(ref inFlight);
        }
    }

    private async Task ReplyAsync(HttpContext context)
    {
        // the SDK calls functions with parentheses (users/delta()); Graph's own links leave them out
        string path = (context.Request.Path.Value ?? string.Empty).Replace("()", string.Empty, StringComparison.Ordinal);
        string query = Uri.UnescapeDataString(context.Request.QueryString.Value ?? string.Empty);
        using var body = new StreamReader(context.Request.Body);
        string sent = await body.ReadToEndAsync();
        Requests.Enqueue(new StubRequest(context.Request.Method, path + query, DateTime.UtcNow, sent));
        if (Delay > TimeSpan.Zero)
        {
            await Task.Delay(Delay);
        }

        string? token = query.Split(['?', '&'], StringSplitOptions.RemoveEmptyEntries)
            .FirstOrDefault(p => p.StartsWith("$skiptoken=", StringComparison.Ordinal) || p.StartsWith("$deltatoken=", StringComparison.Ordinal))?
            .Split('=', 2)[1];
        KeyValuePair<string, ConcurrentQueue<Reply>> match = script.FirstOrDefault(s =>
            path.ToLowerInvariant().EndsWith(s.Key.Split('|')[0], StringComparison.Ordinal) && s.Key.Split('|')[1] == (token ?? string.Empty));
        Reply? reply = null;
        if (match.Value is null || !match.Value.TryDequeue(out reply))
        {
            reply = Fallback?.Invoke(context.Request.Method, path, query, sent);
        }

        if (reply is null)
        {
            context.Response.StatusCode = 599; // unscripted: the test fails on it
            await context.Response.WriteAsync($"no reply scripted for {path}{query}");
            return;
        }

        context.Response.StatusCode = reply.Status;
        foreach ((string name, string value) in reply.Headers ?? new Dictionary<string, string>())
        {
            context.Response.Headers[name] = value;
        }

        context.Response.ContentType = "application/json";
        await context.Response.WriteAsync(reply.Body);
    }
}
