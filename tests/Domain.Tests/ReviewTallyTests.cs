using Cohorts.Domain.Reviews;

namespace Cohorts.Domain.Tests;

/// <summary>Review figures kept as submissions change: what each change counts, and the median read from the buckets.</summary>
public class ReviewTallyTests
{
    private static readonly DateTimeOffset At = new(2026, 11, 2, 9, 0, 0, TimeSpan.Zero);

    private static Submission Submitted(string participant) =>
        new(Submission.IdFor("c1", participant, "builders-4", 1), "c1", participant, "builders-4", Track.Builders, new Uri("https://git.example.com/x"), 1,
            At, "rev-a", At.AddHours(24), At.AddHours(48), SubmissionStatus.AwaitingReview);

    private static Submission Decided(Submission s, TimeSpan after) =>
        s with { Status = SubmissionStatus.Accepted, Decision = new ReviewDecision(Verdict.Accepted, "ok", null, "rev-a", s.SubmittedAt + after) };

    [Fact]
    public void EachChange_CountsOnce_WhenItFirstAppears()
    {
        Submission open = Submitted("p1");
        Submission escalated = open with { EscalatedAt = At.AddHours(48), Status = SubmissionStatus.Escalated };
        Submission late = Decided(escalated, TimeSpan.FromHours(50));

        ReviewTally tally = ReviewTally.Empty.After(null, open).After(open, escalated).After(escalated, late).After(late, late with { Decision = late.Decision! with { Feedback = "erased" } });

        Assert.Equal((1, 1, 0, 1), (tally.Submitted, tally.Decided, tally.DecidedInWindow, tally.Escalations)); // decided after 50 h of a 48 h window
        Assert.Equal(1, tally.FeedbackBuckets.Values.Sum());
    }

    [Theory]
    [InlineData(new[] { 600 }, 600)]                       // one verdict after 10 minutes
    [InlineData(new[] { 10, 20, 30 }, 20)]                 // the middle one
    [InlineData(new[] { 10, 20, 30, 40 }, 25)]             // between the middle two
    [InlineData(new[] { 3600, 7200, 172800, 86400, 60 }, 7200)] // an hour, two hours, two days, a day, a minute
    public void Median_IsWithinOnePercent(int[] seconds, int median)
    {
        ReviewTally tally = ReviewTally.Empty;
        for (int i = 0; i < seconds.Length; i++)
        {
            Submission s = Submitted($"p{i}");
            tally = tally.After(null, s).After(s, Decided(s, TimeSpan.FromSeconds(seconds[i])));
        }

        double actual = tally.MedianTimeToFeedback()!.Value.TotalSeconds;
        Assert.InRange(actual, median * 0.99 - 1, median * 1.01 + 1); // within 1%, and the rounding to whole seconds
    }

    [Fact]
    public void Shards_AddUpToTheWhole()
    {
        Submission a = Submitted("a"), b = Submitted("b");
        ReviewTally one = ReviewTally.Empty.After(null, a).After(a, Decided(a, TimeSpan.FromHours(1)));
        ReviewTally two = ReviewTally.Empty.After(null, b).After(b, Decided(b, TimeSpan.FromHours(3)));

        ReviewTally sum = one.Plus(two);

        Assert.Equal((2, 2, 2, 0), (sum.Submitted, sum.Decided, sum.DecidedInWindow, sum.Escalations));
        Assert.InRange(sum.MedianTimeToFeedback()!.Value.TotalHours, 1.98, 2.02);
        Assert.Null(ReviewTally.Empty.MedianTimeToFeedback());
    }
}
