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
    /// Puts <paramref name="assignments"/> of <paramref name="participant"/> on the platform. <paramref name="directoryId"/>
    /// is the person's directory object id when enrolment knew it (a group import); otherwise the platform looks them
    /// up by their sign-in name or email.
    /// </summary>
    Task<PushOutcome> PushAsync(CohortPlan plan, Participant participant, IReadOnlyList<Assignment> assignments, string? directoryId, CancellationToken cancellationToken);
}
