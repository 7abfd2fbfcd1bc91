namespace Cohorts.Domain;

/// <summary>Where cohort records live. Implementations apply changes under optimistic concurrency.</summary>
public interface ICohortStore
{
    /// <summary>The record, or null when there is no cohort with that id.</summary>
    Task<CohortRecord?> GetAsync(string cohortId, CancellationToken cancellationToken);

    /// <summary>
    /// Stores <paramref name="record"/> unless a cohort with its id exists; either way returns what is stored and
    /// whether this call created it. Two concurrent calls never both create.
    /// </summary>
    Task<(CohortRecord Stored, bool Created)> CreateAsync(CohortRecord record, CancellationToken cancellationToken);

    /// <summary>
    /// Applies <paramref name="change"/> to the stored record and saves it, re-reading and re-applying when another
    /// writer got there first. A change that returns its input unchanged writes nothing.
    /// </summary>
    /// <exception cref="KeyNotFoundException">No cohort has that id.</exception>
    Task<CohortRecord> UpdateAsync(string cohortId, Func<CohortRecord, CohortRecord> change, CancellationToken cancellationToken);

    /// <summary>Every cohort (for scheduled work such as the manager digest).</summary>
    IAsyncEnumerable<CohortRecord> ListAsync(CancellationToken cancellationToken);
}
