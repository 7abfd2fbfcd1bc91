using Cohorts.Domain;
using Cohorts.Workflows;
using Cohorts.Workflows.Contracts;
using Cohorts.Workflows.Orchestrators;
using Microsoft.DurableTask.Client;

namespace Cohorts.Api;

/// <summary>
/// The application service behind the cohort endpoints: stores plans, starts and cancels lifecycles. The durable
/// client is passed per call because the Functions host gets it from a binding, not from the container.
/// </summary>
public sealed class CohortService(ICohortStore store, TimeProvider time)
{
    /// <summary>The outcome of a create request.</summary>
    public enum CreateOutcome
    {
        /// <summary>A new cohort was created and its lifecycle started.</summary>
        Created,

        /// <summary>The identical request was seen before: the same cohort.</summary>
        Existing,

        /// <summary>The id is taken by a different plan.</summary>
        Conflict,

        /// <summary>The plan is invalid.</summary>
        Invalid,
    }

    /// <summary>Validates and stores the plan, then makes sure its lifecycle runs (also for a repeated request whose first attempt stopped half-way).</summary>
    public async Task<(CreateOutcome Outcome, CohortRecord? Record, IReadOnlyList<PlanError> Errors)> CreateAsync(
        CohortPlanDraft draft, string fingerprint, DurableTaskClient client, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(client);
        PlanResult result = CohortPlanFactory.Create(draft, time.GetUtcNow());
        if (result.Plan is null)
        {
            return (CreateOutcome.Invalid, null, result.Errors);
        }

        (CohortRecord stored, bool created) = await store.CreateAsync(CohortRecord.New(result.Plan, fingerprint, time.GetUtcNow()), cancellationToken);
        if (!created && stored.Fingerprint != fingerprint)
        {
            return (CreateOutcome.Conflict, stored, []);
        }

        await EnsureLifecycleAsync(stored, client, cancellationToken);
        return (created ? CreateOutcome.Created : CreateOutcome.Existing, stored, []);
    }

    /// <summary>The record and its status as the caller should see it, or null.</summary>
    public async Task<(CohortRecord Record, CohortStatus Status)?> GetAsync(string cohortId, DurableTaskClient client, CancellationToken cancellationToken) =>
        await ReadAsync(cohortId, client, cancellationToken) is { } found ? (found.Record, found.Status) : null;

    /// <summary>Asks the lifecycle to stop. Null when there is no such cohort; the record unchanged when it is already closed.</summary>
    public async Task<(CohortRecord Record, bool Accepted)?> CancelAsync(string cohortId, DurableTaskClient client, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(client);
        (CohortRecord Record, CohortStatus Status, OrchestrationMetadata? Instance)? current = await ReadAsync(cohortId, client, cancellationToken);
        if (current is null)
        {
            return null;
        }

        if (current.Value.Status.IsTerminal())
        {
            return (current.Value.Record, false);
        }

        OrchestrationMetadata? instance = current.Value.Instance;
        if (instance is { IsRunning: true } || instance?.RuntimeStatus == OrchestrationRuntimeStatus.Pending)
        {
            await client.RaiseEventAsync(InstanceIds.Lifecycle(cohortId), CohortLifecycleOrchestrator.CancelEvent, "cancelled", cancellationToken);
            return (current.Value.Record, true);
        }

        // No lifecycle is running to hear the event: record the cancellation directly.
        CohortRecord updated = await store.UpdateAsync(cohortId, r => r.WithStatus(CohortStatus.Cancelled, time.GetUtcNow()), cancellationToken);
        return (updated, true);
    }

    /// <summary>The record, the status to show, and the lifecycle instance (not asked for once the record is closed).</summary>
    private async Task<(CohortRecord Record, CohortStatus Status, OrchestrationMetadata? Instance)?> ReadAsync(string cohortId, DurableTaskClient client, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(client);
        CohortRecord? record = await store.GetAsync(cohortId, cancellationToken);
        if (record is null)
        {
            return null;
        }

        if (record.Status.IsTerminal())
        {
            return (record, record.Status, null);
        }

        // The store knows what the lifecycle recorded; only the durable backend knows that it crashed or was terminated.
        OrchestrationMetadata? instance = await client.GetInstanceAsync(InstanceIds.Lifecycle(cohortId), getInputsAndOutputs: false, cancellationToken);
        CohortStatus status = instance?.RuntimeStatus is OrchestrationRuntimeStatus.Failed or OrchestrationRuntimeStatus.Terminated
            ? CohortStatus.Failed
            : record.Status;
        return (record, status, instance);
    }

    private static Task EnsureLifecycleAsync(CohortRecord record, DurableTaskClient client, CancellationToken cancellationToken) =>
        DurableStarts.EnsureStartedAsync(
            client,
            nameof(CohortLifecycleOrchestrator),
            new CohortLifecycleInput(record.Id, record.Plan.StartsAt, record.Plan.Schedule()),
            InstanceIds.Lifecycle(record.Id),
            cancellationToken);
}
