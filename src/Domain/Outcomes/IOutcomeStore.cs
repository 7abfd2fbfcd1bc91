namespace Cohorts.Domain.Outcomes;

/// <summary>Stored outcome events.</summary>
public interface IOutcomeStore
{
    /// <summary>Stores <paramref name="outcome"/> unless its id is taken; returns what is stored under the id and whether this call stored it.</summary>
    Task<(OutcomeEvent Stored, bool Created)> AddAsync(OutcomeEvent outcome, CancellationToken cancellationToken);

    /// <summary>Every event of the cohort.</summary>
    IAsyncEnumerable<OutcomeEvent> ListAsync(string cohortId, CancellationToken cancellationToken);
}
