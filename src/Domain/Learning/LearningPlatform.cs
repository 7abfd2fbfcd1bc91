namespace Cohorts.Domain.Learning;

/// <summary>What one push did for one participant.</summary>
public enum PushOutcome
{
    /// <summary>The open assignments are on the platform (created now or found from an earlier push).</summary>
    Pushed,

    /// <summary>The platform does not know the person (no directory account): nothing was assigned.</summary>
    LearnerNotFound,
}

/// <summary>No learning platform configured: the LMS exports are the way assignments reach an LMS.</summary>
public sealed class NoLearningPlatform : ILearningPlatform
{
    /// <inheritdoc/>
    public bool Enabled => false;

    /// <inheritdoc/>
    public Task<IReadOnlyList<PushOutcome>> PushAsync(CohortPlan plan, IReadOnlyList<LearnerPush> learners, CancellationToken cancellationToken) =>
        throw new InvalidOperationException("No learning platform is configured: set VivaLearning:ProviderId and VivaLearning:ContentBaseUrl.");
}
