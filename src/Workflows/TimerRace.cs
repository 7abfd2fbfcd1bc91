using Microsoft.DurableTask;

namespace Cohorts.Workflows;

/// <summary>A durable timer raced against an external event, the losing timer cancelled so that the instance can complete at once.</summary>
public static class TimerRace
{
    /// <summary>
    /// True when <paramref name="signal"/> completes before <paramref name="dueAt"/> (or already has); false when the
    /// time comes first (or already came).
    /// </summary>
    public static async Task<bool> SignalFirstAsync(TaskOrchestrationContext context, Task signal, DateTimeOffset dueAt)
    {
        ArgumentNullException.ThrowIfNull(context);
        ArgumentNullException.ThrowIfNull(signal);
        if (signal.IsCompleted)
        {
            return true;
        }

        if (dueAt.UtcDateTime <= context.CurrentUtcDateTime)
        {
            return false;
        }

        using var stopTimer = new CancellationTokenSource();
        Task timer = context.CreateTimer(dueAt.UtcDateTime, stopTimer.Token);
        if (await Task.WhenAny(signal, timer) == signal)
        {
            stopTimer.Cancel();
            return true;
        }

        return false;
    }
}
