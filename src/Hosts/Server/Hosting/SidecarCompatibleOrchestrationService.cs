using DurableTask.Core;
using DurableTask.Core.History;

namespace Cohorts.Server.Hosting;

/// <summary>
/// Sits between the embedded sidecar (<c>TaskHubGrpcServer</c>, a preview package) and the Azure Storage backend, and
/// turns two things the sidecar produces into what that backend can store and read back:
/// <list type="bullet">
/// <item>the sidecar records a sub-orchestration start as its own <c>GrpcSubOrchestrationInstanceCreatedEvent</c>,
/// a subclass without <c>[DataContract]</c>: the backend's history table gets a row with no <c>EventType</c> and the
/// parent can never replay again ("The TableEntity did not contain a 'EventType' property");</item>
/// <item>the start message of that sub-orchestration carries its tags as a protobuf <c>MapField</c>, which the
/// backend's queue serializer writes with a type name it cannot resolve when reading the message.</item>
/// </list>
/// Both are replaced by the plain Durable Task types before anything is written. Only the distributed-tracing parent
/// context of the sub-orchestration event is dropped. And it renews the lock of every activity while it runs
/// (<see cref="ActivityLocks"/>), which the sidecar's dispatcher never does. Everything else is passed through unchanged.
/// </summary>
public sealed class SidecarCompatibleOrchestrationService(IOrchestrationService inner, ActivityLocks locks) : IOrchestrationService
{
    private readonly Lock gate = new();
    private Task? starting;
    private Task? stopping;

    /// <inheritdoc/>
    public int TaskOrchestrationDispatcherCount => inner.TaskOrchestrationDispatcherCount;

    /// <inheritdoc/>
    public int MaxConcurrentTaskOrchestrationWorkItems => inner.MaxConcurrentTaskOrchestrationWorkItems;

    /// <inheritdoc/>
    public BehaviorOnContinueAsNew EventBehaviourForContinueAsNew => inner.EventBehaviourForContinueAsNew;

    /// <inheritdoc/>
    public int TaskActivityDispatcherCount => inner.TaskActivityDispatcherCount;

    /// <inheritdoc/>
    public int MaxConcurrentTaskActivityWorkItems => inner.MaxConcurrentTaskActivityWorkItems;

    /// <summary>Replaces sidecar-specific history events and message payloads with the plain types, in place.</summary>
    public static void Normalize(OrchestrationRuntimeState? state, IEnumerable<TaskMessage>? messages)
    {
        if (state is not null)
        {
            ReplaceSubclassedEvents(state.Events);
            ReplaceSubclassedEvents(state.NewEvents);
        }

        foreach (TaskMessage message in messages ?? [])
        {
            if (message.Event is ExecutionStartedEvent started && started.Tags is not null && started.Tags.GetType() != typeof(Dictionary<string, string>))
            {
                started.Tags = new Dictionary<string, string>(started.Tags);
            }
        }
    }

    /// <inheritdoc/>
    public Task CompleteTaskOrchestrationWorkItemAsync(
        TaskOrchestrationWorkItem workItem,
        OrchestrationRuntimeState newOrchestrationRuntimeState,
        IList<TaskMessage> outboundMessages,
        IList<TaskMessage> orchestratorMessages,
        IList<TaskMessage> timerMessages,
        TaskMessage continuedAsNewMessage,
        OrchestrationState orchestrationState)
    {
        Normalize(newOrchestrationRuntimeState, orchestratorMessages);
        Normalize(null, continuedAsNewMessage is null ? null : [continuedAsNewMessage]);
        return inner.CompleteTaskOrchestrationWorkItemAsync(workItem, newOrchestrationRuntimeState, outboundMessages, orchestratorMessages, timerMessages, continuedAsNewMessage, orchestrationState);
    }

    /// <summary>
    /// Starts the backend once. The sidecar starts it in the background after the host has started, so a stop can
    /// arrive before, during or after the start.
    /// </summary>
    public Task StartAsync()
    {
        lock (gate)
        {
            return starting ??= inner.StartAsync();
        }
    }

    /// <inheritdoc/>
    public Task StopAsync() => StopAsync(isForced: false);

    /// <summary>
    /// Stops the backend once, whoever asks first (the server's own graceful stop, then the sidecar's stopping hook,
    /// which nobody awaits): a backend never started has nothing to stop (the backend's own stop throws then), one
    /// starting is stopped when its start ends, and every caller waits for the same stop.
    /// </summary>
    public Task StopAsync(bool isForced)
    {
        lock (gate)
        {
            return stopping ??= StopOnceAsync(starting, isForced);
        }
    }

    /// <inheritdoc/>
    public Task CreateAsync() => inner.CreateAsync();

    /// <inheritdoc/>
    public Task CreateAsync(bool recreateInstanceStore) => inner.CreateAsync(recreateInstanceStore);

    /// <inheritdoc/>
    public Task CreateIfNotExistsAsync() => inner.CreateIfNotExistsAsync();

    /// <inheritdoc/>
    public Task DeleteAsync() => inner.DeleteAsync();

    /// <inheritdoc/>
    public Task DeleteAsync(bool deleteInstanceStore) => inner.DeleteAsync(deleteInstanceStore);

    /// <inheritdoc/>
    public bool IsMaxMessageCountExceeded(int currentMessageCount, OrchestrationRuntimeState runtimeState) => inner.IsMaxMessageCountExceeded(currentMessageCount, runtimeState);

    /// <inheritdoc/>
    public int GetDelayInSecondsAfterOnProcessException(Exception exception) => inner.GetDelayInSecondsAfterOnProcessException(exception);

    /// <inheritdoc/>
    public int GetDelayInSecondsAfterOnFetchException(Exception exception) => inner.GetDelayInSecondsAfterOnFetchException(exception);

    /// <inheritdoc/>
    public Task<TaskOrchestrationWorkItem> LockNextTaskOrchestrationWorkItemAsync(TimeSpan receiveTimeout, CancellationToken cancellationToken) =>
        inner.LockNextTaskOrchestrationWorkItemAsync(receiveTimeout, cancellationToken);

    /// <inheritdoc/>
    public Task RenewTaskOrchestrationWorkItemLockAsync(TaskOrchestrationWorkItem workItem) => inner.RenewTaskOrchestrationWorkItemLockAsync(workItem);

    /// <inheritdoc/>
    public Task AbandonTaskOrchestrationWorkItemAsync(TaskOrchestrationWorkItem workItem) => inner.AbandonTaskOrchestrationWorkItemAsync(workItem);

    /// <inheritdoc/>
    public Task ReleaseTaskOrchestrationWorkItemAsync(TaskOrchestrationWorkItem workItem) => inner.ReleaseTaskOrchestrationWorkItemAsync(workItem);

    /// <inheritdoc/>
    public async Task<TaskActivityWorkItem> LockNextTaskActivityWorkItem(TimeSpan receiveTimeout, CancellationToken cancellationToken)
    {
        TaskActivityWorkItem workItem = await inner.LockNextTaskActivityWorkItem(receiveTimeout, cancellationToken);
        if (workItem is not null)
        {
            locks.Hold(workItem.Id, () => inner.RenewTaskActivityWorkItemLockAsync(workItem));
        }

        return workItem!;
    }

    /// <inheritdoc/>
    public Task<TaskActivityWorkItem> RenewTaskActivityWorkItemLockAsync(TaskActivityWorkItem workItem) => inner.RenewTaskActivityWorkItemLockAsync(workItem);

    /// <inheritdoc/>
    public async Task CompleteTaskActivityWorkItemAsync(TaskActivityWorkItem workItem, TaskMessage responseMessage)
    {
        ArgumentNullException.ThrowIfNull(workItem);
        await locks.LetGoAsync(workItem.Id);
        await inner.CompleteTaskActivityWorkItemAsync(workItem, responseMessage);
    }

    /// <inheritdoc/>
    public async Task AbandonTaskActivityWorkItemAsync(TaskActivityWorkItem workItem)
    {
        ArgumentNullException.ThrowIfNull(workItem);
        await locks.LetGoAsync(workItem.Id);
        await inner.AbandonTaskActivityWorkItemAsync(workItem);
    }

    private async Task StopOnceAsync(Task? started, bool isForced)
    {
        if (started is null)
        {
            return;
        }

        try
        {
            await started;
        }
        catch (Exception)
        {
            return; // a start that failed left nothing running; its failure is reported where it was awaited
        }

        await locks.LetGoAllAsync();
        await inner.StopAsync(isForced);
    }

    private static void ReplaceSubclassedEvents(IList<HistoryEvent> events)
    {
        for (int i = 0; i < events.Count; i++)
        {
            if (events[i] is SubOrchestrationInstanceCreatedEvent created && created.GetType() != typeof(SubOrchestrationInstanceCreatedEvent))
            {
                events[i] = new SubOrchestrationInstanceCreatedEvent(created.EventId)
                {
                    Name = created.Name,
                    Version = created.Version,
                    InstanceId = created.InstanceId,
                    Input = created.Input,
                    ClientSpanId = created.ClientSpanId,
                    Tags = created.Tags is null ? null : new Dictionary<string, string>(created.Tags),
                    IsPlayed = created.IsPlayed,
                    Timestamp = created.Timestamp,
                };
            }
        }
    }
}
