using Cohorts.Application.Enrolment;
using Microsoft.Azure.Functions.Worker;
using Microsoft.DurableTask.Client;

namespace Cohorts.Functions.Triggers;

/// <summary>
/// The directory sync on the Functions host: a round on the schedule in the app setting <c>DirectorySyncSchedule</c>
/// (NCRONTAB; infra sets every 15 minutes). The timer trigger runs one instance at a time across the app.
/// </summary>
public sealed class DirectorySyncTimer(DirectorySyncService sync)
{
    /// <summary>The function name.</summary>
    public const string Name = "SyncDirectoryDeltas";

    /// <summary>One round for every cohort linked to a group.</summary>
    [Function(Name)]
    public Task RunAsync(
        [TimerTrigger("%DirectorySyncSchedule%")] TimerInfo timer,
        [DurableClient] DurableTaskClient client,
        CancellationToken cancellationToken) =>
        sync.RunAsync(client, cancellationToken);
}
