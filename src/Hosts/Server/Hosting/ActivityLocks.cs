using System.Collections.Concurrent;

namespace Cohorts.Server.Hosting;

/// <summary>
/// Keeps the queue message of each activity in progress invisible to every worker until the activity has finished.
/// The embedded sidecar's dispatcher never renews a work item's lock (DurableTask.Core's own dispatcher does, and the
/// Azure Storage backend counts on it), so an activity that ran longer than <c>Server:QueueVisibilityTimeout</c> was
/// taken again while it still ran, by another server or by this one after it finished, and again after every further
/// timeout: a long LMS push ran two or more times over. Each held message is renewed every third of the timeout.
/// Letting go first stops the renewals and waits for one in flight, so the backend never deletes or abandons a message
/// with a receipt a renewal is replacing. A renewal that fails (the message is gone, or storage refuses) is logged and
/// not retried: the message then shows again after the timeout, as after a crash.
/// Orchestration turns are not held: they are short replays, and the backend itself says nothing renews them.
/// </summary>
public sealed partial class ActivityLocks(TimeSpan visibilityTimeout, TimeProvider time, ILogger<ActivityLocks> log)
{
    private readonly ConcurrentDictionary<string, Renewal> held = new(StringComparer.Ordinal);

    /// <summary>How often a held message is renewed.</summary>
    public TimeSpan Interval { get; } = visibilityTimeout / 3;

    /// <summary>How many messages are held now.</summary>
    public int Count => held.Count;

    /// <summary>Renews the message of work item <paramref name="id"/> with <paramref name="renewAsync"/> until it is let go.</summary>
    public void Hold(string id, Func<Task> renewAsync)
    {
        var stop = new CancellationTokenSource();
        var renewal = new Renewal(stop, RenewUntilStoppedAsync(id, renewAsync, stop.Token));
        if (!held.TryAdd(id, renewal))
        {
            // the backend hands a message to one work item at a time; a second hold of one id would renew it twice
            stop.Cancel();
            stop.Dispose();
        }
    }

    /// <summary>Stops renewing the message of work item <paramref name="id"/>, after the renewal in flight (if any) has ended.</summary>
    public async Task LetGoAsync(string id)
    {
        if (held.TryRemove(id, out Renewal? renewal))
        {
            await renewal.StopAsync();
        }
    }

    /// <summary>Stops every renewal: the backend is stopping, and what is still running shows again after the timeout.</summary>
    public async Task LetGoAllAsync()
    {
        foreach (string id in held.Keys)
        {
            await LetGoAsync(id);
        }
    }

    private async Task RenewUntilStoppedAsync(string id, Func<Task> renewAsync, CancellationToken stop)
    {
        try
        {
            while (true)
            {
                await Task.Delay(Interval, time, stop);
                try
                {
                    await renewAsync();
                }
                catch (Exception e) when (e is not OperationCanceledException)
                {
                    LogRenewalFailed(id, e);
                    return;
                }
            }
        }
        catch (OperationCanceledException) when (stop.IsCancellationRequested)
        {
            // let go
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "The lock of activity work item {WorkItemId} could not be renewed; another worker may take it after the visibility timeout")]
    private partial void LogRenewalFailed(string workItemId, Exception exception);

    private sealed record Renewal(CancellationTokenSource Stop, Task Loop)
    {
        public async Task StopAsync()
        {
            await Stop.CancelAsync();
            await Loop;
            Stop.Dispose();
        }
    }
}
