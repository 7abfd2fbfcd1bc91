using Cohorts.Application.Webhooks;
using Microsoft.Azure.Functions.Worker;
using Microsoft.DurableTask.Client;

namespace Cohorts.Functions.Triggers;

/// <summary>
/// Raised events handed to their webhook deliveries on the Functions host: a run on the schedule in the app setting
/// <c>WebhookDispatchSchedule</c> (NCRONTAB with seconds; infra sets every 5 seconds).
/// </summary>
public sealed class WebhookDispatchTimer(EventDispatcher dispatcher)
{
    /// <summary>The function name.</summary>
    public const string Name = "DispatchWebhookEvents";

    /// <summary>Starts a delivery for each pending event and subscription that wants it.</summary>
    [Function(Name)]
    public Task RunAsync([TimerTrigger("%WebhookDispatchSchedule%")] TimerInfo timer, [DurableClient] DurableTaskClient client, CancellationToken cancellationToken) =>
        dispatcher.DispatchAsync(client, cancellationToken);
}
