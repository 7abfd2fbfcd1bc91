using Cohorts.Workflows.Activities;
using Cohorts.Workflows.Contracts;
using Microsoft.DurableTask;

namespace Cohorts.Workflows.Orchestrators;

/// <summary>
/// One per event and subscription (<c>delivery:{eventId}:{subscriptionId}</c>): posts the event, and while the
/// receiver does not answer 2xx waits with a durable timer that doubles from <c>FirstRetry</c> and tries again, until
/// <c>RetryFor</c> has passed since the first attempt; then records the delivery failed. Every attempt carries the same
/// event id. A restart of the host resumes the schedule where it was.
/// </summary>
public sealed class EventDeliveryOrchestrator : TaskOrchestrator<EventDeliveryInput, DeliveryStepResult>
{
    /// <inheritdoc/>
    public override async Task<DeliveryStepResult> RunAsync(TaskOrchestrationContext context, EventDeliveryInput input)
    {
        ArgumentNullException.ThrowIfNull(context);
        ArgumentNullException.ThrowIfNull(input);
        DateTime giveUpAt = context.CurrentUtcDateTime + input.RetryFor;
        TimeSpan wait = input.FirstRetry > TimeSpan.Zero ? input.FirstRetry : TimeSpan.FromSeconds(1);
        for (int attempt = 1; ; attempt++)
        {
            DeliveryStepResult result = await StepAsync(context, input, attempt, giveUp: false);
            if (result != DeliveryStepResult.Retry)
            {
                return result;
            }

            DateTime next = context.CurrentUtcDateTime + wait;
            if (next > giveUpAt)
            {
                await StepAsync(context, input, attempt, giveUp: true);
                return DeliveryStepResult.Retry;
            }

            await context.CreateTimer(next, CancellationToken.None);
            wait = wait < TimeSpan.FromHours(6) ? wait * 2 : wait;
        }
    }

    private static Task<DeliveryStepResult> StepAsync(TaskOrchestrationContext context, EventDeliveryInput input, int attempt, bool giveUp) =>
        context.CallActivityAsync<DeliveryStepResult>(
            nameof(DeliverEventActivity),
            new EventDeliveryStep(input.EventId, input.SubscriptionId, attempt, context.CurrentUtcDateTime, giveUp, input.Receipt),
            WorkflowRetries.Store);
}
