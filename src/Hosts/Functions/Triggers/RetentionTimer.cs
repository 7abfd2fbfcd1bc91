using Cohorts.Application.Access;
using Microsoft.Azure.Functions.Worker;
using Microsoft.DurableTask.Client;

namespace Cohorts.Functions.Triggers;

/// <summary>
/// Retention on the Functions host: a run on the schedule in the app setting <c>RetentionSchedule</c> (NCRONTAB; infra
/// sets hourly) with the <c>Retention</c> settings: import sources, finished histories, personal data after completion.
/// </summary>
public sealed class RetentionTimer(RetentionService retention)
{
    /// <summary>The function name.</summary>
    public const string Name = "EnforceRetention";

    /// <summary>Deletes and purges what is past its retention.</summary>
    [Function(Name)]
    public Task RunAsync([TimerTrigger("%RetentionSchedule%")] TimerInfo timer, [DurableClient] DurableTaskClient client, CancellationToken cancellationToken) =>
        retention.RunAsync(client, cancellationToken);
}
