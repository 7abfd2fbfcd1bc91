namespace Cohorts.Server.Hosting;

/// <summary>
/// The self-hosted server's stand-in for a Functions timer trigger: <paramref name="run"/> every
/// <paramref name="interval"/> (the directory sync, the manager digest). A run that fails is logged and the next one
/// runs on schedule.
/// </summary>
internal sealed partial class ScheduledWork(string name, bool enabled, TimeSpan interval, Func<CancellationToken, Task> run, TimeProvider time, ILogger<ScheduledWork> log)
    : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        if (!enabled)
        {
            return;
        }

        using var timer = new PeriodicTimer(interval, time);
        try
        {
            while (await timer.WaitForNextTickAsync(stoppingToken))
            {
                try
                {
                    await run(stoppingToken);
                }
                catch (Exception failure) when (failure is not OperationCanceledException)
                {
                    LogRunFailed(failure, name);
                }
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            // stopping
        }
    }

    [LoggerMessage(Level = LogLevel.Error, Message = "A scheduled run of the {Name} failed; the next runs on schedule")]
    private partial void LogRunFailed(Exception failure, string name);
}
