namespace Cohorts.Domain.Learning;

/// <summary>
/// A participant's score on one assessment (a path step, named by its step id): raw, on the scale from
/// <see cref="Min"/> to <see cref="Max"/>, and where it came from (<c>oneroster</c>, <c>xapi</c>). Used only to ask
/// whether high scorers ship; never a headline figure. The latest score of a person on an assessment stands.
/// </summary>
public sealed record AssessmentScore(string CohortId, string ParticipantId, string Assessment, double Raw, double Min, double Max, string Source, DateTimeOffset ScoredAt)
{
    /// <summary>The score on a 0–1 scale.</summary>
    public double Scaled => (Raw - Min) / (Max - Min);

    /// <summary>Why <paramref name="raw"/> on the scale <paramref name="min"/>–<paramref name="max"/> cannot be stored, or null.</summary>
    public static string? Problem(double raw, double min, double max) =>
        !double.IsFinite(raw) || !double.IsFinite(min) || !double.IsFinite(max) ? "a score and its scale are finite numbers"
        : max <= min ? $"the scale's maximum ({max}) is not above its minimum ({min})"
        : raw < min || raw > max ? $"{raw} is outside the scale {min}–{max}"
        : null;
}

/// <summary>Assessment scores, one per participant and assessment (a later score replaces an earlier one).</summary>
public interface IScoreStore
{
    /// <summary>Stores <paramref name="scores"/>, each replacing the participant's earlier score on that assessment unless that one is later.</summary>
    Task SaveAsync(string cohortId, IReadOnlyList<AssessmentScore> scores, CancellationToken cancellationToken);

    /// <summary>Every score of the cohort.</summary>
    IAsyncEnumerable<AssessmentScore> ListAsync(string cohortId, CancellationToken cancellationToken);
}
