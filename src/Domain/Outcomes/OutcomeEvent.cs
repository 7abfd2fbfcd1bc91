namespace Cohorts.Domain.Outcomes;

/// <summary>What an outcome event reports (the API's spelling, camelCased).</summary>
public enum OutcomeType
{
    /// <summary>A model or use case the participant worked on reached production.</summary>
    ProductionContribution,

    /// <summary>A model-risk review's result for the participant's work: first submission or a resubmission, passed or with findings.</summary>
    ModelRiskReview,

    /// <summary>Hours of external advisory support the participant's work needed.</summary>
    AdvisorySupport,
}

/// <summary>
/// A fact an integrator reports about a participant's work. Idempotent by <see cref="EventId"/> within a cohort: the
/// same event again is the same event; another event under a used id is refused.
/// </summary>
/// <param name="EventId">The integrator's id for the event.</param>
/// <param name="CohortId">The cohort.</param>
/// <param name="Type">What it reports.</param>
/// <param name="ParticipantId">Whose work it is (a roster id).</param>
/// <param name="OccurredAt">When it happened (not when it was reported).</param>
/// <param name="ReceivedAt">When it was stored.</param>
/// <param name="Link">Production contribution: where the model or use case runs or is recorded.</param>
/// <param name="FirstSubmission">Model-risk review: whether this was the work's first submission to the review.</param>
/// <param name="Passed">Model-risk review: whether it passed.</param>
/// <param name="Findings">Model-risk review: how many findings it raised.</param>
/// <param name="Hours">Advisory support: hours used.</param>
public sealed record OutcomeEvent(
    string EventId,
    string CohortId,
    OutcomeType Type,
    string ParticipantId,
    DateTimeOffset OccurredAt,
    DateTimeOffset ReceivedAt,
    Uri? Link = null,
    bool? FirstSubmission = null,
    bool? Passed = null,
    int? Findings = null,
    double? Hours = null)
{
    /// <summary>The longest event id.</summary>
    public const int MaxEventId = 200;

    /// <summary>The most advisory hours one event may report.</summary>
    public const double MaxHours = 10_000;

    /// <summary>Whether <paramref name="other"/> reports the same thing (when it was received does not matter).</summary>
    public bool SameAs(OutcomeEvent other) => other is not null && this with { ReceivedAt = other.ReceivedAt } == other;

    /// <summary>Whether a model-risk review passed: as reported, or else when it raised no findings.</summary>
    public bool PassedReview => Passed ?? Findings == 0;
}
