using System.Net;

namespace Cohorts.TestSupport;

/// <summary>
/// A small HTTP server on a loopback port (<see cref="HttpListener"/>), for what tests stand in for: a webhook
/// receiver, an OTLP collector. Each request goes to <see cref="HandleAsync"/>, one at a time, until disposed.
/// </summary>
public abstract class LoopbackHttpServer : IAsyncDisposable
{
    private readonly HttpListener listener = new();
    private readonly CancellationTokenSource stop = new();
    private Task loop = Task.CompletedTask;

    /// <summary>A server for <paramref name="prefix"/> (a path ending in '/') on <paramref name="port"/>; call <see cref="Listen"/> to start it.</summary>
    protected LoopbackHttpServer(int port, string prefix)
    {
        Url = new Uri($"http://127.0.0.1:{port}{prefix}");
    }

    /// <summary>The address served.</summary>
    public Uri Url { get; }

    /// <inheritdoc/>
    public async ValueTask DisposeAsync()
    {
        await stop.CancelAsync();
        listener.Stop();
        listener.Close();
        try
        {
            await loop;
        }
        catch (ObjectDisposedException)
        {
            // stopped
        }

        stop.Dispose();
        GC.SuppressFinalize(this);
    }

    /// <summary>Starts serving (from the derived constructor, once its own state is set).</summary>
    protected void Listen()
    {
        listener.Prefixes.Add(Url.ToString());
        listener.Start();
        loop = Task.Run(ServeAsync);
    }

    /// <summary>Answers one request.</summary>
    protected abstract Task HandleAsync(HttpListenerContext context);

    private async Task ServeAsync()
    {
        while (!stop.IsCancellationRequested)
        {
            HttpListenerContext context;
            try
            {
                context = await listener.GetContextAsync();
            }
            catch (Exception e) when (e is HttpListenerException or ObjectDisposedException or InvalidOperationException)
            {
                return;
            }

            await HandleAsync(context);
        }
    }
}
