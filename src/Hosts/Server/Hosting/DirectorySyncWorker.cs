using Cohorts.Api;
using Microsoft.DurableTask.Client;

namespace Cohorts.Server.Hosting;

/// <summary>
/// The self-hosted server's schedule for the directory sync: a round every <see cref="DirectorySyncOptions.Interval"/>
/// (the Functions host runs the same round on a timer trigger). A round that fails is logged and the next one runs.
/// </summary>
internal sealed partial class DirectorySyncWorker(
    DirectorySyncService sync, DurableTaskClient client, DirectorySyncOptions options, TimeProvider time, ILogger<DirectorySyncWorker> log)
    : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        if (!options.Enabled)
        {
            return;
        }

        using var timer = new PeriodicTimer(options.Interval, time);
        try
        {
            while (await timer.WaitForNextTickAsync(stoppingToken))
            {
                try
                {
                    await sync.RunAsync(client, stoppingToken);
                }
                catch (Exception failure) when (failure is not OperationCanceledException)
                {
                    LogRoundFailed(failure);
                }
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            // stopping
        }
    }

    [LoggerMessage(Level = LogLevel.Error, Message = "A directory sync round failed; the next runs on schedule")]
    private partial void LogRoundFailed(Exception failure);
}
