using Cohorts.Domain;

namespace Cohorts.Application;

/// <summary>Finding the cohort a request names.</summary>
public static class CohortLookup
{
    /// <summary>The cohort <paramref name="cohortId"/> names, or null when there is none (or the id cannot be one).</summary>
    public static async Task<CohortRecord?> FindAsync(this ICohortStore cohorts, string cohortId, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(cohorts);
        return EntityIds.Validate(cohortId) is null ? await cohorts.GetAsync(cohortId, cancellationToken) : null;
    }
}
