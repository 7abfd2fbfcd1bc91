namespace Cohorts.Domain.Reviews;

/// <summary>Submissions and the open-review load of each reviewer.</summary>
public interface ISubmissionStore
{
    /// <summary>Stores a new submission and counts it against its reviewer, unless one with its id exists; returns what is stored and whether this call created it.</summary>
    Task<(Submission Stored, bool Created)> CreateAsync(Submission submission, CancellationToken cancellationToken);

    /// <summary>The submission, or null.</summary>
    Task<Submission?> GetAsync(string submissionId, CancellationToken cancellationToken);

    /// <summary>Applies a change under optimistic concurrency (a change that closes it also frees its reviewer's load).</summary>
    /// <exception cref="KeyNotFoundException">No such submission.</exception>
    Task<Submission> UpdateAsync(string submissionId, Func<Submission, Submission> change, CancellationToken cancellationToken);

    /// <summary>Every attempt of one participant, oldest first.</summary>
    Task<IReadOnlyList<Submission>> ListForParticipantAsync(string cohortId, string participantId, CancellationToken cancellationToken);

    /// <summary>Every submission of the cohort.</summary>
    IAsyncEnumerable<Submission> ListAsync(string cohortId, CancellationToken cancellationToken);

    /// <summary>
    /// Submissions of one cohort or all, with one of some statuses, and (with a reviewer id) only those that reviewer
    /// may decide: assigned to them, or escalated to them. In no particular order.
    /// </summary>
    IAsyncEnumerable<Submission> QueryAsync(SubmissionQuery query, CancellationToken cancellationToken);

    /// <summary>Open reviews per reviewer id.</summary>
    Task<IReadOnlyDictionary<string, int>> OpenReviewsAsync(string cohortId, CancellationToken cancellationToken);

    /// <summary>The cohort's review figures, kept as its submissions change: the same few reads however many there are.</summary>
    Task<ReviewTally> TallyAsync(string cohortId, CancellationToken cancellationToken);
}

/// <summary>Which submissions to find: any filter left null matches everything.</summary>
public sealed record SubmissionQuery(string? CohortId, IReadOnlyList<SubmissionStatus>? Statuses, string? ReviewerId)
{
    /// <summary>Only the submission first sent with this Idempotency-Key, when set.</summary>
    public string? IdempotencyKey { get; init; }
}
