namespace Cohorts.Domain.Enrolment;

/// <summary>Whether a participant takes part.</summary>
public enum ParticipantStatus
{
    /// <summary>Enrolled and taking part.</summary>
    Active,

    /// <summary>Left the organisation or the source: kept, with their evidence, but no longer assigned work.</summary>
    Suspended,

    /// <summary>Erased on request: only a pseudonym of the employee id, the track and this status remain.</summary>
    Erased,
}

/// <summary>
/// Which group of a cohort a person is in: trained (the cohort's participants) or comparison (comparable staff who are
/// not trained: never assigned, notified or exported; only their outcome events are recorded).
/// </summary>
public enum ParticipantGroup
{
    /// <summary>A participant of the programme.</summary>
    Trained,

    /// <summary>Comparable, untrained staff, enrolled to compare outcomes with.</summary>
    Comparison,
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
    IReadOnlyList<TrackChange> History,
    ParticipantGroup Group = ParticipantGroup.Trained)
{
    /// <summary>
    /// What remains of the participant after erasure: the pseudonym for the employee id, the track, the dates and the
    /// history's tracks and rules (its sources are import ids and roles); no name, email, manager, job attribute or reason.
    /// </summary>
    public Participant Erased(string pseudonym) => this with
    {
        EmployeeId = pseudonym,
        Hr = new HrRecord(pseudonym),
        TrackReason = "erased",
        Status = ParticipantStatus.Erased,
    };

    /// <summary>Whether an admin still has to place this person.</summary>
    public bool InTriage => Track is null && Status == ParticipantStatus.Active;

    /// <summary>Whether this person is trained (not in the comparison group).</summary>
    public bool Trained => Group == ParticipantGroup.Trained;

    /// <summary>
    /// The participant after an import's <paramref name="change"/> (<paramref name="before"/> null for a joiner): a
    /// leaver is suspended and keeps their track; an override survives imports; the history records each track change
    /// once per import, so an apply that runs again changes nothing.
    /// </summary>
    public static Participant AfterChange(string cohortId, string importId, RosterChange change, Participant? before, DateTimeOffset at)
    {
        ArgumentNullException.ThrowIfNull(change);
        HrRecord hr = change.Hr ?? before?.Hr ?? new HrRecord(change.EmployeeId);
        bool seenBefore = before?.History.Any(h => h.Source == importId) ?? false;
        var history = before?.History.ToList() ?? [];
        if (!seenBefore && (before is null || before.Track != change.To || change.Kind is ChangeKind.Leave or ChangeKind.Rejoin))
        {
            history.Add(new TrackChange(at, before?.Track, change.To, change.Kind == ChangeKind.Leave ? "leave" : change.Rule, importId));
        }

        bool keepsReason = change.Kind is ChangeKind.Leave or ChangeKind.Update;
        return new Participant(
            cohortId,
            change.EmployeeId,
            hr,
            change.To,
            keepsReason ? before?.TrackRule ?? change.Rule : change.Rule,
            keepsReason ? before?.TrackReason ?? change.Reason : change.Reason,
            before?.TrackOverridden ?? false,
            change.Kind == ChangeKind.Leave ? ParticipantStatus.Suspended : ParticipantStatus.Active,
            before?.JoinedAt ?? at,
            seenBefore ? before!.UpdatedAt : at,
            history,
            before?.Group ?? change.Group);
    }

    /// <summary>
    /// Placed on <paramref name="track"/> by hand, for <paramref name="reason"/>, by a caller in role <paramref name="by"/>
    /// (recorded in the history as the source): an override that later imports keep.
    /// </summary>
    public Participant WithTrackOverride(Track track, string reason, string by, DateTimeOffset at) => this with
    {
        Track = track,
        TrackRule = "override",
        TrackReason = reason,
        TrackOverridden = true,
        UpdatedAt = at,
        History = Track == track ? History : [.. History, new TrackChange(at, Track, track, "override", by)],
    };
}
