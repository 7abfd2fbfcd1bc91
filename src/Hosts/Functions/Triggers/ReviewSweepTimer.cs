using Cohorts.Application.Reviews;
using Microsoft.Azure.Functions.Worker;
using Microsoft.DurableTask.Client;

namespace Cohorts.Functions.Triggers;

/// <summary>
/// The review sweep on the Functions host: a run on the schedule in the app setting <c>ReviewSweepSchedule</c>
/// (NCRONTAB; infra sets every five minutes) that starts the review of any open submission whose orchestration is missing.
/// </summary>
public sealed class ReviewSweepTimer(ReviewSweep sweep)
{
    /// <summary>The function name.</summary>
    public const string Name = "SweepReviews";

    /// <summary>Starts the missing reviews.</summary>
    [Function(Name)]
    public Task RunAsync([TimerTrigger("%ReviewSweepSchedule%")] TimerInfo timer, [DurableClient] DurableTaskClient client, CancellationToken cancellationToken) =>
        sweep.RunAsync(client, cancellationToken);
}
