using Cohorts.Application.Reviews;
using Microsoft.Azure.Functions.Worker;

namespace Cohorts.Functions.Triggers;

/// <summary>
/// The manager digest on the Functions host: a run on the schedule in the app setting <c>DigestSchedule</c> (NCRONTAB;
/// infra sets Mondays 07:00 UTC). A repeated run in the same period sends nothing more.
/// </summary>
public sealed class ManagerDigestTimer(DigestService digests)
{
    /// <summary>The function name.</summary>
    public const string Name = "SendManagerDigests";

    /// <summary>Sends the digests of the period that ended.</summary>
    [Function(Name)]
    public Task RunAsync([TimerTrigger("%DigestSchedule%")] TimerInfo timer, CancellationToken cancellationToken) =>
        digests.RunAsync(cancellationToken);
}
