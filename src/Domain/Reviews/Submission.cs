using System.Security.Cryptography;
using System.Text;

namespace Cohorts.Domain.Reviews;

/// <summary>Where a submission's review stands (the API's spelling, camelCased).</summary>
public enum SubmissionStatus
{
    /// <summary>Waiting for the assigned reviewer, within the reminder time.</summary>
    AwaitingReview,

    /// <summary>The reviewer was reminded; still within the window.</summary>
    Reminded,

    /// <summary>The window passed: the backup reviewer and the program lead were called in.</summary>
    Escalated,

    /// <summary>Accepted: the capability is demonstrated.</summary>
    Accepted,

    /// <summary>Sent back for rework: the participant submits attempt n+1.</summary>
    ReworkRequested,
}

/// <summary>A reviewer's verdict.</summary>
public enum Verdict
{
    /// <summary>The work demonstrates the capability.</summary>
    Accepted,

    /// <summary>The work needs another attempt.</summary>
    Rework,
}

/// <summary>The one decision a submission gets.</summary>
public sealed record ReviewDecision(Verdict Verdict, string Feedback, IReadOnlyDictionary<string, int>? Rubric, string DecidedBy, DateTimeOffset DecidedAt);

/// <summary>
/// A participant's attempt at a demonstration step and its review: who reviews it, the SLA clock (reminder and due
/// times from the cohort's review policy), escalation, and the decision. Changes are idempotent and a decided
/// submission never changes again.
/// </summary>
public sealed record Submission(
    string SubmissionId,
    string CohortId,
    string ParticipantId,
    string StepId,
    Track Track,
    Uri ArtifactUrl,
    int Attempt,
    DateTimeOffset SubmittedAt,
    string ReviewerId,
    DateTimeOffset RemindAt,
    DateTimeOffset DueAt,
    SubmissionStatus Status,
    string? IdempotencyKey = null,
    DateTimeOffset? RemindedAt = null,
    DateTimeOffset? EscalatedAt = null,
    IReadOnlyList<string>? EscalatedTo = null,
    ReviewDecision? Decision = null,
    IReadOnlyList<ReviewerMove>? Moves = null)
{
    /// <summary>Whether a verdict is still awaited.</summary>
    public bool IsOpen => Decision is null;

    /// <summary>Whether the promise was broken: no verdict by the due time.</summary>
    public bool SlaBreached => EscalatedAt is not null || Decision?.DecidedAt > DueAt;

    /// <summary>Time from submission to verdict, once decided.</summary>
    public TimeSpan? TimeToFeedback => Decision is null ? null : Decision.DecidedAt - SubmittedAt;

    /// <summary>
    /// The deterministic id of attempt <paramref name="attempt"/> of <paramref name="participantId"/> at
    /// <paramref name="stepId"/>: <c>{cohortId}.{hash}</c> (the cohort is recoverable; no personal data shows).
    /// </summary>
    public static string IdFor(string cohortId, string participantId, string stepId, int attempt)
    {
        byte[] hash = SHA256.HashData(Encoding.UTF8.GetBytes($"{cohortId}\n{participantId}\n{stepId}\n{attempt}"));
        return $"{cohortId}.{Convert.ToHexStringLower(hash, 0, 8)}";
    }

    /// <summary>The cohort of a submission id, or null when it is not one.</summary>
    public static string? CohortOf(string submissionId)
    {
        ArgumentNullException.ThrowIfNull(submissionId);
        int dot = submissionId.LastIndexOf('.');
        return dot > 0 && submissionId.Length - dot - 1 == 16 && submissionId[(dot + 1)..].All(char.IsAsciiHexDigitLower)
            && EntityIds.Validate(submissionId[..dot]) is null
            ? submissionId[..dot]
            : null;
    }

    /// <summary>Marked reminded (once; not after escalation or a decision).</summary>
    public Submission WithReminder(DateTimeOffset at) =>
        Status == SubmissionStatus.AwaitingReview ? this with { Status = SubmissionStatus.Reminded, RemindedAt = at } : this;

    /// <summary>Marked escalated to <paramref name="to"/> (once; not after a decision).</summary>
    public Submission WithEscalation(DateTimeOffset at, IReadOnlyList<string> to) =>
        Status is SubmissionStatus.AwaitingReview or SubmissionStatus.Reminded ? this with { Status = SubmissionStatus.Escalated, EscalatedAt = at, EscalatedTo = to } : this;

    /// <summary>
    /// Moved to <paramref name="reviewerId"/> (an open review whose reviewer left the plan or its track), keeping the due
    /// times and the SLA clock; an escalated review's chain is replaced by <paramref name="escalatedTo"/>. Unchanged when
    /// decided or already theirs.
    /// </summary>
    public Submission WithReviewer(string reviewerId, DateTimeOffset at, IReadOnlyList<string>? escalatedTo)
    {
        ArgumentException.ThrowIfNullOrEmpty(reviewerId);
        if (!IsOpen || string.Equals(ReviewerId, reviewerId, StringComparison.OrdinalIgnoreCase))
        {
            return this;
        }

        return this with
        {
            ReviewerId = reviewerId,
            EscalatedTo = Status == SubmissionStatus.Escalated ? escalatedTo ?? EscalatedTo : EscalatedTo,
            Moves = [.. Moves ?? [], new ReviewerMove(ReviewerId, reviewerId, at)],
        };
    }

    /// <summary>Decided; throws when it already was (exactly one decision is ever recorded).</summary>
    /// <exception cref="InvalidOperationException">It was already decided.</exception>
    public Submission WithDecision(ReviewDecision decision)
    {
        ArgumentNullException.ThrowIfNull(decision);
        return Decision is not null
            ? throw new InvalidOperationException($"Submission '{SubmissionId}' was already decided.")
            : this with { Decision = decision, Status = decision.Verdict == Verdict.Accepted ? SubmissionStatus.Accepted : SubmissionStatus.ReworkRequested };
    }

    /// <summary>Whether <paramref name="callerId"/> may decide it: the assigned reviewer, or after escalation anyone it was escalated to.</summary>
    public bool MayBeDecidedBy(string callerId) =>
        string.Equals(callerId, ReviewerId, StringComparison.OrdinalIgnoreCase)
        || (EscalatedTo?.Contains(callerId, StringComparer.OrdinalIgnoreCase) ?? false);
}

/// <summary>A review moved from one reviewer to another.</summary>
public sealed record ReviewerMove(string From, string To, DateTimeOffset At);

/// <summary>Chooses reviewers from a cohort's pool.</summary>
public static class ReviewerPool
{
    /// <summary>
    /// The reviewer for a submission on <paramref name="track"/>: among the non-backup reviewers of that track (a
    /// reviewer with no tracks listed reviews every track), the one with the fewest open reviews, then by id; the
    /// backup reviewer when nobody else reviews the track; null when nobody does.
    /// </summary>
    public static Reviewer? Choose(CohortPlan plan, Track track, IReadOnlyDictionary<string, int> openReviews)
    {
        ArgumentNullException.ThrowIfNull(plan);
        ArgumentNullException.ThrowIfNull(openReviews);
        List<Reviewer> able = plan.Reviewers.Where(r => r.Tracks.Count == 0 || r.Tracks.Contains(track)).ToList();
        IEnumerable<Reviewer> candidates = able.Any(r => !r.Backup) ? able.Where(r => !r.Backup) : able;
        return candidates
            .OrderBy(r => openReviews.GetValueOrDefault(r.Id))
            .ThenBy(r => r.Id, StringComparer.Ordinal)
            .FirstOrDefault();
    }

    /// <summary>Whether <paramref name="reviewerId"/> is a reviewer of <paramref name="plan"/> for <paramref name="track"/>.</summary>
    public static bool Reviews(CohortPlan plan, string reviewerId, Track track)
    {
        ArgumentNullException.ThrowIfNull(plan);
        return plan.Reviewers.Any(r => string.Equals(r.Id, reviewerId, StringComparison.OrdinalIgnoreCase) && (r.Tracks.Count == 0 || r.Tracks.Contains(track)));
    }

    /// <summary>
    /// Where an open review goes under <paramref name="plan"/>: nowhere new (null, Moved false) while its reviewer still
    /// reviews its track; otherwise the least-loaded reviewer of the track (the backup when nobody else), or null with
    /// Moved true when nobody reviews the track any more. <paramref name="openReviews"/> is updated with the move.
    /// </summary>
    public static (Reviewer? To, bool Moved) Reassign(CohortPlan plan, Submission submission, Dictionary<string, int> openReviews)
    {
        ArgumentNullException.ThrowIfNull(submission);
        ArgumentNullException.ThrowIfNull(openReviews);
        if (!submission.IsOpen || Reviews(plan, submission.ReviewerId, submission.Track))
        {
            return (null, false);
        }

        Reviewer? to = Choose(plan, submission.Track, openReviews);
        if (to is not null)
        {
            openReviews[to.Id] = openReviews.GetValueOrDefault(to.Id) + 1;
        }

        return (to, true);
    }

    /// <summary>Who an escalation goes to: the track's backup reviewer (or an overall one) unless it is the assigned reviewer, then the program lead.</summary>
    public static IReadOnlyList<string> EscalationChain(CohortPlan plan, Track track, string assignedReviewerId)
    {
        ArgumentNullException.ThrowIfNull(plan);
        Reviewer? backup = plan.Reviewers.FirstOrDefault(r => r.Backup && r.Tracks.Contains(track))
            ?? plan.Reviewers.FirstOrDefault(r => r.Backup && r.Tracks.Count == 0);
        var chain = new List<string>();
        if (backup is not null && !string.Equals(backup.Id, assignedReviewerId, StringComparison.OrdinalIgnoreCase))
        {
            chain.Add(backup.Id);
        }

        chain.Add(plan.ProgramLead);
        return chain;
    }
}
