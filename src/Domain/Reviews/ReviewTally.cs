namespace Cohorts.Domain.Reviews;

/// <summary>
/// A cohort's review figures as the cohort view shows them, kept as submissions change instead of read from every
/// submission: how many were submitted, decided, decided within their window and escalated, and the times to a verdict
/// in logarithmic buckets two percent wide, from which the median is read to within one percent. Tallies add up, so a
/// store may keep several (shards of one cohort) and sum them when read.
/// </summary>
public sealed record ReviewTally(int Submitted, int Decided, int DecidedInWindow, int Escalations, IReadOnlyDictionary<int, int> FeedbackBuckets)
{
    /// <summary>How much wider each bucket of times to a verdict is than the one before.</summary>
    public const double BucketRatio = 1.02;

    /// <summary>Nothing counted.</summary>
    public static ReviewTally Empty { get; } = new(0, 0, 0, 0, new Dictionary<int, int>());

    /// <summary>What one submission counts for: submitted, and decided or escalated when it was.</summary>
    public static ReviewTally Of(Submission submission) => Empty.After(null, submission);

    /// <summary>
    /// This tally after <paramref name="before"/> became <paramref name="after"/> (a new submission when
    /// <paramref name="before"/> is null): a verdict or an escalation counts once, when it first appears.
    /// </summary>
    public ReviewTally After(Submission? before, Submission after)
    {
        ArgumentNullException.ThrowIfNull(after);
        int submitted = Submitted + (before is null ? 1 : 0);
        int decided = Decided, inWindow = DecidedInWindow, escalations = Escalations;
        Dictionary<int, int>? buckets = null;
        if (before?.Decision is null && after.Decision is { } decision)
        {
            decided++;
            inWindow += decision.DecidedAt <= after.DueAt ? 1 : 0;
            buckets = new Dictionary<int, int>(FeedbackBuckets);
            int bucket = BucketOf(decision.DecidedAt - after.SubmittedAt);
            buckets[bucket] = buckets.GetValueOrDefault(bucket) + 1;
        }

        escalations += before?.EscalatedAt is null && after.EscalatedAt is not null ? 1 : 0;
        return new ReviewTally(submitted, decided, inWindow, escalations, buckets ?? FeedbackBuckets);
    }

    /// <summary>The sum of this tally and <paramref name="other"/>.</summary>
    public ReviewTally Plus(ReviewTally other)
    {
        ArgumentNullException.ThrowIfNull(other);
        var buckets = new Dictionary<int, int>(FeedbackBuckets);
        foreach ((int bucket, int count) in other.FeedbackBuckets)
        {
            buckets[bucket] = buckets.GetValueOrDefault(bucket) + count;
        }

        return new ReviewTally(Submitted + other.Submitted, Decided + other.Decided, DecidedInWindow + other.DecidedInWindow, Escalations + other.Escalations, buckets);
    }

    /// <summary>The median time to a verdict, to within one percent (whole seconds); null before the first verdict.</summary>
    public TimeSpan? MedianTimeToFeedback()
    {
        int total = FeedbackBuckets.Values.Sum();
        if (total == 0)
        {
            return null;
        }

        // the middle one, or the two middle ones of an even count, by rank
        int lower = (total - 1) / 2, upper = total / 2;
        double? lowerValue = null, upperValue = null;
        int seen = 0;
        foreach ((int bucket, int count) in FeedbackBuckets.OrderBy(b => b.Key))
        {
            if (lowerValue is null && lower < seen + count)
            {
                lowerValue = MidpointMilliseconds(bucket);
            }

            if (upper < seen + count)
            {
                upperValue = MidpointMilliseconds(bucket);
                break;
            }

            seen += count;
        }

        return TimeSpan.FromSeconds(Math.Round((lowerValue!.Value + upperValue!.Value) / 2 / 1000));
    }

    /// <summary>The bucket of a time to a verdict: bucket b holds times from <see cref="BucketRatio"/>^b milliseconds up to the next.</summary>
    public static int BucketOf(TimeSpan timeToFeedback) =>
        (int)Math.Floor(Math.Log(Math.Max(1, timeToFeedback.TotalMilliseconds)) / Math.Log(BucketRatio));

    private static double MidpointMilliseconds(int bucket) => Math.Pow(BucketRatio, bucket + 0.5);
}
