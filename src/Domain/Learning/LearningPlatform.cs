using Cohorts.Domain.Enrolment;

namespace Cohorts.Domain.Learning;

/// <summary>What one push did for one participant.</summary>
public enum PushOutcome
{
    /// <summary>The open assignments are on the platform (created now or found from an earlier push).</summary>
    Pushed,

    /// <summary>The platform does not know the person (no directory account): nothing was assigned.</summary>
    LearnerNotFound,
}

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

/// <summary>No learning platform configured: the LMS exports are the way assignments reach an LMS.</summary>
public sealed class NoLearningPlatform : ILearningPlatform
{
    /// <inheritdoc/>
    public bool Enabled => false;

    /// <inheritdoc/>
    public Task<PushOutcome> PushAsync(CohortPlan plan, Participant participant, IReadOnlyList<Assignment> assignments, string? directoryId, CancellationToken cancellationToken) =>
        throw new InvalidOperationException("No learning platform is configured: set VivaLearning:ProviderId and VivaLearning:ContentBaseUrl.");
}
