using Cohorts.Domain;
using Cohorts.Domain.Reviews;

namespace Cohorts.Workflows;

/// <summary>
/// Moves open reviews whose reviewer no longer reviews their track (removed from the plan, or their tracks changed) to
/// the least-loaded reviewer of the track, the backup when nobody else; due times and the SLA clock stay. Used by the
/// plan change that removes a reviewer and, as a repair after a crash between the two, by each step of a review.
/// </summary>
public static class ReviewerMoves
{
    /// <summary>The open reviews of <paramref name="cohortId"/> that <paramref name="plan"/> leaves without their reviewer, each with where it goes (null: nobody reviews the track).</summary>
    public static async Task<IReadOnlyList<(Submission Submission, Reviewer? To)>> PlanAsync(ISubmissionStore submissions, CohortPlan plan, string cohortId, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(submissions);
        ArgumentNullException.ThrowIfNull(plan);
        Dictionary<string, int> loads = await LoadsAsync(submissions, cohortId, cancellationToken);
        var moves = new List<(Submission, Reviewer?)>();
        await foreach (Submission open in submissions.QueryAsync(new SubmissionQuery(cohortId, Open, null), cancellationToken))
        {
            if (ReviewerPool.Reassign(plan, open, loads) is { Moved: true } move)
            {
                moves.Add((open, move.To));
            }
        }

        return moves.OrderBy(m => m.Item1.DueAt).ThenBy(m => m.Item1.SubmissionId, StringComparer.Ordinal).ToList();
    }

    /// <summary>Moves one submission to <paramref name="to"/> unless it was decided or moved meanwhile; returns it as stored.</summary>
    public static Task<Submission> MoveAsync(ISubmissionStore submissions, CohortPlan plan, string submissionId, Reviewer to, DateTimeOffset at, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(submissions);
        ArgumentNullException.ThrowIfNull(to);
        return submissions.UpdateAsync(
            submissionId,
            s => ReviewerPool.Reviews(plan, s.ReviewerId, s.Track) ? s : s.WithReviewer(to.Id, at, ReviewerPool.EscalationChain(plan, s.Track, to.Id)),
            cancellationToken);
    }

    /// <summary>
    /// <paramref name="submission"/> moved if <paramref name="plan"/> left it without its reviewer and someone else
    /// reviews its track; otherwise unchanged.
    /// </summary>
    public static async Task<Submission> RepairAsync(ISubmissionStore submissions, CohortPlan plan, Submission submission, DateTimeOffset at, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(submissions);
        ArgumentNullException.ThrowIfNull(submission);
        if (!submission.IsOpen || ReviewerPool.Reviews(plan, submission.ReviewerId, submission.Track))
        {
            return submission;
        }

        Dictionary<string, int> loads = await LoadsAsync(submissions, submission.CohortId, cancellationToken);
        return ReviewerPool.Reassign(plan, submission, loads).To is { } to
            ? await MoveAsync(submissions, plan, submission.SubmissionId, to, at, cancellationToken)
            : submission;
    }

    /// <summary>Each reviewer's open reviews in the cohort, by reviewer id in any case.</summary>
    private static async Task<Dictionary<string, int>> LoadsAsync(ISubmissionStore submissions, string cohortId, CancellationToken cancellationToken) =>
        new(await submissions.OpenReviewsAsync(cohortId, cancellationToken), StringComparer.OrdinalIgnoreCase);

    private static readonly IReadOnlyList<SubmissionStatus> Open = [SubmissionStatus.AwaitingReview, SubmissionStatus.Reminded, SubmissionStatus.Escalated];
}
