using Microsoft.DurableTask.Worker.Hosting;

namespace Cohorts.Server.Hosting;

/// <summary>
/// Stops the Durable Task worker before anything else stops. The worker holds a long-lived gRPC stream to the
/// sidecar on this server's own Kestrel; Kestrel stopping first waits for that stream to end, which it never does on
/// its own, so every stop took the whole shutdown timeout. With the worker stopped first (it finishes the work item
/// in hand), Kestrel finds nothing open and a stop takes about a second.
/// </summary>
internal sealed partial class GracefulStop(IServiceProvider services, ILogger<GracefulStop> log) : IHostedLifecycleService
{
    /// <inheritdoc/>
    public async Task StoppingAsync(CancellationToken cancellationToken)
    {
        foreach (DurableTaskWorker worker in services.GetServices<IHostedService>().OfType<DurableTaskWorker>())
        {
            await worker.StopAsync(cancellationToken);
        }

        LogWorkerStopped(log);
    }

    /// <inheritdoc/>
    public Task StartAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    /// <inheritdoc/>
    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    /// <inheritdoc/>
    public Task StartingAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    /// <inheritdoc/>
    public Task StartedAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    /// <inheritdoc/>
    public Task StoppedAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    [LoggerMessage(Level = LogLevel.Information, Message = "The durable worker stopped; the server stops")]
    private static partial void LogWorkerStopped(ILogger log);
}
