namespace Cohorts.Domain.Enrolment;

/// <summary>Whether a participant takes part.</summary>
public enum ParticipantStatus
{
    /// <summary>Enrolled and taking part.</summary>
    Active,

    /// <summary>Left the organisation or the source: kept, with their evidence, but no longer assigned work.</summary>
    Suspended,
}

/// <summary>A track change in a participant's history, with the import (or the admin) that made it.</summary>
public sealed record TrackChange(DateTimeOffset At, Track? From, Track? To, string Rule, string Source);

/// <summary>
/// A person on a cohort's roster, keyed by the HR employee id. Personal data (email, name) lives here, in the store,
/// and never in orchestration payloads. <see cref="Track"/> null means triage.
/// </summary>
public sealed record Participant(
    string CohortId,
    string EmployeeId,
    HrRecord Hr,
    Track? Track,
    string TrackRule,
    string TrackReason,
    bool TrackOverridden,
    ParticipantStatus Status,
    DateTimeOffset JoinedAt,
    DateTimeOffset UpdatedAt,
    IReadOnlyList<TrackChange> History)
{
    /// <summary>Whether an admin still has to place this person.</summary>
    public bool InTriage => Track is null && Status == ParticipantStatus.Active;
}
