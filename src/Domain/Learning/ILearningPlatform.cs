using Cohorts.Domain.Enrolment;

namespace Cohorts.Domain.Learning;

/// <summary>
/// The LMS the product pushes assignments to (Viva Learning in Azure). Pushing is idempotent: content is upserted by
/// external id and an assignment already there is found, never created twice.
/// </summary>
public interface ILearningPlatform
{
    /// <summary>Whether a platform is configured; when not, nothing is pushed.</summary>
    bool Enabled { get; }

    /// <summary>
    /// Puts the open assignments of each of <paramref name="learners"/> on the platform, and answers what it did for
    /// each, in their order. Given together so that what the learners share (a step's content) is sent once.
    /// </summary>
    Task<IReadOnlyList<PushOutcome>> PushAsync(CohortPlan plan, IReadOnlyList<LearnerPush> learners, CancellationToken cancellationToken);
}

/// <summary>
/// One participant's open assignments to push. <paramref name="DirectoryId"/> is the person's directory object id when
/// enrolment knew it (a group import); otherwise the platform looks them up by their sign-in name or email.
/// </summary>
public sealed record LearnerPush(Participant Participant, IReadOnlyList<Assignment> Assignments, string? DirectoryId);
