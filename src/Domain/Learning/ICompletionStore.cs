namespace Cohorts.Domain.Learning;

/// <summary>Completions reported by the LMS; a step is completed once, at its earliest reported time.</summary>
public interface ICompletionStore
{
    /// <summary>Stores the completions not stored yet (a repeated report changes nothing); returns how many were new.</summary>
    Task<int> SaveAsync(string cohortId, IReadOnlyList<StepCompletion> completions, CancellationToken cancellationToken);

    /// <summary>One participant's completions.</summary>
    Task<IReadOnlyList<StepCompletion>> ListForParticipantAsync(string cohortId, string participantId, CancellationToken cancellationToken);

    /// <summary>Every completion of the cohort.</summary>
    IAsyncEnumerable<StepCompletion> ListAsync(string cohortId, CancellationToken cancellationToken);
}
