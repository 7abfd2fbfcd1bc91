using Microsoft.DurableTask.Client;
using Microsoft.Extensions.Logging;

namespace Cohorts.Application.Reviews;

/// <summary>The review sweep's schedule (section <c>ReviewSweep</c>).</summary>
public sealed class ReviewSweepOptions() : ScheduleOptions(TimeSpan.FromMinutes(5))
{
    /// <summary>The configuration section.</summary>
    public const string Section = "ReviewSweep";

    /// <summary>
    /// How long a stored submission is left to the request that stored it before the sweep starts its review: the
    /// request starts it a moment after storing, and the sweep is for the request that died in between.
    /// </summary>
    public TimeSpan Settle { get; set; } = TimeSpan.FromMinutes(1);
}

/// <summary>
/// The periodic repair of the 48-hour promise: every open submission gets a running review (DESIGN.md "Reviews"),
/// whether or not the client that sent it ever retries.
/// </summary>
public sealed partial class ReviewSweep(ReviewService reviews, ReviewSweepOptions options, TimeProvider time, ILogger<ReviewSweep> log)
{
    /// <summary>One sweep; returns how many reviews it started.</summary>
    public async Task<int> RunAsync(DurableTaskClient client, CancellationToken cancellationToken)
    {
        int started = await reviews.SweepAsync(client, time.GetUtcNow(), options.Settle, cancellationToken);
        if (started > 0)
        {
            LogStarted(log, started);
        }

        return started;
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "The review sweep started {Count} review(s) whose orchestration was missing")]
    private static partial void LogStarted(ILogger log, int count);
}
