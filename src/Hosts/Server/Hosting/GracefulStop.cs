using DurableTask.Core;
using Microsoft.DurableTask.Worker.Hosting;

namespace Cohorts.Server.Hosting;

/// <summary>
/// Stops the Durable Task worker before anything else stops. The worker holds a long-lived gRPC stream to the
/// sidecar on this server's own Kestrel; Kestrel stopping first waits for that stream to end, which it never does on
/// its own, so every stop took the whole shutdown timeout. With the worker stopped first (it finishes the work item
/// in hand), Kestrel finds nothing open. The backend is stopped here too, and awaited (the sidecar stops it from a
/// hook nobody awaits), so that nothing still works on the storage when a local Azurite is stopped.
/// </summary>
internal sealed partial class GracefulStop(IServiceProvider services, ILogger<GracefulStop> log) : IHostedLifecycleService
{
    /// <inheritdoc/>
    public async Task StoppingAsync(CancellationToken cancellationToken)
    {
        // side by side: the worker's stop waits up to two seconds on its own stream, the backend's for its lease loop's
        // next turn (a second); a work item the worker cannot complete once the backend has stopped is seen again
        // after the queue's visibility timeout, as after a crash (activities are idempotent, orchestrations replay)
        Task workers = Task.WhenAll(services.GetServices<IHostedService>().OfType<DurableTaskWorker>().Select(w => w.StopAsync(cancellationToken)));
        Task backend = services.GetRequiredService<IOrchestrationService>().StopAsync().WaitAsync(cancellationToken);
        try
        {
            await Task.WhenAll(workers, backend);
            LogStopped(log);
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            // the storage did not answer (unreachable, or its emulator gone first): the backend could not release its
            // leases, which another server (or this one, started again) takes after Server:LeaseInterval, and a work
            // item it held is seen again after the queue's visibility timeout, as after a crash
            LogStopTimedOut(log);
        }
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

    [LoggerMessage(Level = LogLevel.Information, Message = "The durable worker and backend stopped; the server stops")]
    private static partial void LogStopped(ILogger log);

    [LoggerMessage(Level = LogLevel.Warning, Message = "The durable worker and backend did not stop within the shutdown timeout (is the storage reachable?); the server stops, and what they held is taken up as after a crash")]
    private static partial void LogStopTimedOut(ILogger log);
}
