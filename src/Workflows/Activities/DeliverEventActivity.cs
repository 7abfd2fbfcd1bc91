using Cohorts.Domain.Events;
using Cohorts.Workflows.Contracts;
using Microsoft.DurableTask;

namespace Cohorts.Workflows.Activities;

/// <summary>
/// One attempt of a webhook delivery: reads the subscription (a deleted or disabled one gets nothing) and the event,
/// posts it, records the attempt by its number (so a retried activity records it once) and answers whether to stop. A
/// 410 disables the subscription.
/// </summary>
public sealed class DeliverEventActivity(IEventOutbox events, ISubscriptionStore subscriptions, IDeliveryStore deliveries, IWebhookSender sender, TimeProvider time)
    : TaskActivity<EventDeliveryStep, DeliveryStepResult>
{
    /// <inheritdoc/>
    public override async Task<DeliveryStepResult> RunAsync(TaskActivityContext context, EventDeliveryStep input)
    {
        ArgumentNullException.ThrowIfNull(input);
        CohortEvent cohortEvent = await events.GetAsync(input.EventId, input.Receipt, CancellationToken.None)
            ?? throw new KeyNotFoundException($"There is no event '{input.EventId}'.");
        var initial = new WebhookDelivery(input.SubscriptionId, cohortEvent.Id, cohortEvent.Type, cohortEvent.CohortId, cohortEvent.Time, DeliveryStatus.Pending, []);
        WebhookSubscription? subscription = await subscriptions.GetAsync(input.SubscriptionId, CancellationToken.None);
        if (subscription is not { IsActive: true })
        {
            await deliveries.UpdateAsync(initial, d => d.With(null, DeliveryStatus.Cancelled), CancellationToken.None);
            return DeliveryStepResult.Stopped;
        }

        if (input.GiveUp)
        {
            await deliveries.UpdateAsync(initial, d => d.With(null, DeliveryStatus.Failed), CancellationToken.None);
            return DeliveryStepResult.Stopped;
        }

        DateTimeOffset at = time.GetUtcNow();
        WebhookResponse response = await sender.SendAsync(subscription, cohortEvent, CancellationToken.None);
        var attempt = new DeliveryAttempt(input.Attempt, at, response.StatusCode, response.Error);
        DeliveryStatus status = response.Delivered ? DeliveryStatus.Delivered : response.Gone ? DeliveryStatus.Cancelled : DeliveryStatus.Pending;
        CohortsTelemetry.WebhookDeliveries.Add(1, new KeyValuePair<string, object?>("outcome", response.Delivered ? "delivered" : response.Gone ? "gone" : "retry"));
        await deliveries.UpdateAsync(initial, d => d.With(attempt, status), CancellationToken.None);
        if (response.Gone)
        {
            await subscriptions.DisableAsync(subscription.Id, at, "The receiver answered 410 Gone.", CancellationToken.None);
            return DeliveryStepResult.Stopped;
        }

        return response.Delivered ? DeliveryStepResult.Delivered : DeliveryStepResult.Retry;
    }
}
