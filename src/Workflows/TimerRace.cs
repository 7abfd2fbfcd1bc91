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

        // this backend fires timers up to a second early: a timer that fires before its time is set again, so nothing
        // due at a time (a checkpoint, a reminder, an escalation) ever happens before it
        while (dueAt.UtcDateTime > context.CurrentUtcDateTime)
        {
            using var stopTimer = new CancellationTokenSource();
            Task timer = context.CreateTimer(dueAt.UtcDateTime, stopTimer.Token);
            if (await Task.WhenAny(signal, timer) == signal)
            {
                stopTimer.Cancel();
                return true;
            }
        }

        return false;
    }

    /// <summary>
    /// Like <see cref="SignalFirstAsync(TaskOrchestrationContext, Task, DateTimeOffset)"/>, but each time <paramref name="interruption"/> gives a task that completes
    /// first, <paramref name="onInterruption"/> runs (it returns true to stop waiting as if signalled) and the wait goes on
    /// for the same time with the next interruption.
    /// </summary>
    public static async Task<bool> SignalFirstAsync(TaskOrchestrationContext context, Task signal, DateTimeOffset dueAt, Func<Task> interruption, Func<Task<bool>> onInterruption)
    {
        ArgumentNullException.ThrowIfNull(context);
        ArgumentNullException.ThrowIfNull(signal);
        ArgumentNullException.ThrowIfNull(interruption);
        ArgumentNullException.ThrowIfNull(onInterruption);
        while (!signal.IsCompleted && dueAt.UtcDateTime > context.CurrentUtcDateTime)
        {
            using var stopTimer = new CancellationTokenSource();
            Task timer = context.CreateTimer(dueAt.UtcDateTime, stopTimer.Token);
            Task winner = await Task.WhenAny(signal, timer, interruption());
            if (winner == timer)
            {
                continue;
            }

            stopTimer.Cancel();
            if (winner != signal && await onInterruption())
            {
                return true;
            }
        }

        return signal.IsCompleted;
    }
}
