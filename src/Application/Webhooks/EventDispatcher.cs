using Cohorts.Domain.Events;
using Cohorts.Workflows;
using Cohorts.Workflows.Contracts;
using Cohorts.Workflows.Orchestrators;
using Microsoft.DurableTask.Client;

namespace Cohorts.Application.Webhooks;

/// <summary>
/// Hands raised events to their deliveries: for each pending event, one delivery orchestration per subscription that
/// wants it (a deterministic instance id, so two dispatchers or a retry never start twins), then marks it handed on.
/// A call hands on batch after batch until nothing is pending (up to <see cref="MostBatches"/>), so that the outbox keeps
/// up with an import that raises a hundred events a second; with no active subscription, the pending events are marked
/// handed on without being read. A call with nothing pending reads no more than that. An event raised just before a crash
/// is still pending after the restart, and is handed on then.
/// </summary>
public sealed class EventDispatcher(IEventOutbox outbox, ISubscriptionStore subscriptions, WebhookOptions options)
{
    /// <summary>The most events handed on per batch.</summary>
    public const int Batch = 200;

    /// <summary>The most batches handed on per call: a call that meets a backlog ends, and the next tick goes on.</summary>
    public const int MostBatches = 50;

    /// <summary>Hands on what is pending; returns how many events were handed on (with no subscription, how many rows of them).</summary>
    public async Task<int> DispatchAsync(DurableTaskClient client, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(client);
        if (!await outbox.AnyPendingAsync(cancellationToken))
        {
            return 0; // an idle tick reads one key at most, not the subscriptions as well
        }

        List<WebhookSubscription> active = (await subscriptions.ListAsync(cancellationToken).ToListAsync(cancellationToken)).Where(s => s.IsActive).ToList();
        int handed = 0;
        for (int batch = 0; batch < MostBatches; batch++)
        {
            if (active.Count == 0)
            {
                // nobody to hand them to: marked handed on without reading them, as a dispatch that wanted none would
                int skipped = await outbox.SkipPendingAsync(Batch, cancellationToken);
                handed += skipped;
                if (skipped < Batch)
                {
                    break;
                }

                continue;
            }

            IReadOnlyList<PendingEvent> pending = await outbox.PendingAsync(Batch, cancellationToken);
            if (pending.Count == 0)
            {
                break;
            }

            foreach ((CohortEvent cohortEvent, string? receipt) in pending)
            {
                foreach (WebhookSubscription subscription in active.Where(s => s.Wants(cohortEvent)))
                {
                    await DurableStarts.EnsureStartedAsync(
                        client,
                        nameof(EventDeliveryOrchestrator),
                        new EventDeliveryInput(cohortEvent.Id, subscription.Id, options.FirstRetry, options.RetryFor, receipt),
                        InstanceIds.Delivery(cohortEvent.Id, subscription.Id),
                        cancellationToken);
                }
            }

            // once every delivery of the batch is started (a crash before this hands them on again, to the same instances)
            await outbox.MarkDispatchedAsync(pending, cancellationToken);
            handed += pending.Count;
            if (pending.Count < Batch)
            {
                break; // what was pending is handed on
            }
        }

        return handed;
    }
}
