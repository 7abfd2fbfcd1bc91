using Cohorts.Domain;
using Cohorts.Domain.Enrolment;
using Cohorts.Domain.Learning;

namespace Cohorts.Api;

/// <summary>An import as <c>GET .../imports/{importId}</c> shows it: state, counts, rejected rows and the diff itself.</summary>
public sealed record ImportView(
    string ImportId,
    string CohortId,
    ImportState State,
    DateTimeOffset CreatedAt,
    DateTimeOffset UpdatedAt,
    bool DryRun,
    bool Force,
    long SourceBytes,
    ImportCounts? Counts,
    IReadOnlyList<RejectedRow> Rejected,
    IReadOnlyList<string> DuplicateIds,
    ImportErrorView? Error,
    ImportDiffView? Diff,
    ParticipantGroup Group = ParticipantGroup.Trained,
    ComparisonMatch? Match = null,
    IReadOnlyList<TriageTitle>? TriageByTitle = null)
{
    /// <summary>The most changes listed; the counts are always complete.</summary>
    public const int MaxListed = 5000;

    /// <summary>Builds the view of <paramref name="import"/> with the changes read so far.</summary>
    public static ImportView From(ImportRecord import, IReadOnlyList<RosterChange>? changes)
    {
        ArgumentNullException.ThrowIfNull(import);
        DiffSummary? s = import.Summary;
        var duplicates = (s?.DuplicateIds ?? []).ToHashSet(StringComparer.Ordinal);
        List<RosterChange> listed = (changes ?? []).Where(c => !duplicates.Contains(c.EmployeeId)).ToList();
        ImportDiffView? diff = changes is null
            ? null
            : new ImportDiffView(
                listed.Where(c => c.Kind is ChangeKind.Join or ChangeKind.Rejoin).Select(ChangeView.Of).ToList(),
                listed.Where(c => c.Kind == ChangeKind.Move).Select(ChangeView.Of).ToList(),
                listed.Where(c => c.Kind == ChangeKind.Leave).Select(ChangeView.Of).ToList(),
                listed.Where(c => c.Kind == ChangeKind.Update).Select(ChangeView.Of).ToList(),
                listed.Where(c => c.To is null && c.Kind is not ChangeKind.Leave and not ChangeKind.Update).Select(c => c.EmployeeId).ToList(),
                import.ChangeLines > changes.Count);
        return new ImportView(
            import.ImportId,
            import.CohortId,
            import.State,
            import.CreatedAt,
            import.UpdatedAt,
            import.Settings.DryRun,
            import.Settings.Force,
            import.SourceBytes,
            ImportCounts.Of(import),
            s?.Rejected ?? [],
            s?.DuplicateIds ?? [],
            import.Error is null ? null : new ImportErrorView(import.ErrorField, import.Error),
            diff,
            import.Settings.Group,
            s?.Match,
            s?.TriageByTitle ?? []);
    }
}

/// <summary>An import in a list: its state and counts, without its rows.</summary>
public sealed record ImportSummaryView(
    string ImportId, ImportState State, string Source, bool DryRun, bool Force, DateTimeOffset CreatedAt, DateTimeOffset UpdatedAt, long SourceBytes, ImportCounts? Counts,
    ParticipantGroup Group = ParticipantGroup.Trained)
{
    /// <summary>The summary of <paramref name="import"/>.</summary>
    public static ImportSummaryView From(ImportRecord import)
    {
        ArgumentNullException.ThrowIfNull(import);
        return new(import.ImportId, import.State, import.Settings.Source, import.Settings.DryRun, import.Settings.Force, import.CreatedAt, import.UpdatedAt, import.SourceBytes,
            ImportCounts.Of(import), import.Settings.Group);
    }
}

/// <summary>A page of imports.</summary>
public sealed record ImportPageView(IReadOnlyList<ImportSummaryView> Items, string? ContinuationToken);

/// <summary>The counts of a diff. <see cref="LeaverLimit"/> is how many leavers apply without force.</summary>
/// <see cref="Applied"/> is how many changes were written to the roster so far (all of them once applied; a failed
/// apply shows how far it came, and an apply request resumes it from there).
public sealed record ImportCounts(int Rows, int Joiners, int Rejoiners, int Movers, int Updated, int Leavers, int Unchanged, int Triage, int Invalid, int TerminatedNotEnrolled, int ActiveBefore, int LeaverLimit, int Erased, int Applied)
{
    /// <summary>The counts of <paramref name="import"/>, null before its diff is read.</summary>
    public static ImportCounts? Of(ImportRecord import)
    {
        ArgumentNullException.ThrowIfNull(import);
        return import.Summary is not { } s
            ? null
            : new(s.Rows, s.Joiners, s.Rejoiners, s.Movers, s.Updated, s.Leavers, s.Unchanged, s.Triage, s.Invalid, s.TerminatedNotEnrolled, s.ActiveBefore, import.Settings.LeaverLimit(s.ActiveBefore), s.Erased, import.AppliedChanges);
    }
}

/// <summary>Why an import failed as a whole.</summary>
public sealed record ImportErrorView(string? Field, string Reason);

/// <summary>The diff, by kind; <see cref="Truncated"/> when more changes exist than are listed.</summary>
public sealed record ImportDiffView(
    IReadOnlyList<ChangeView> Joiners,
    IReadOnlyList<ChangeView> Movers,
    IReadOnlyList<ChangeView> Leavers,
    IReadOnlyList<ChangeView> Updated,
    IReadOnlyList<string> Triage,
    bool Truncated);

/// <summary>One change: who, from which row, from and to which track, by which rule and why.</summary>
public sealed record ChangeView(string EmployeeId, int? Row, Track? From, Track? To, string Rule, string Reason)
{
    /// <summary>The view of <paramref name="change"/>.</summary>
    public static ChangeView Of(RosterChange change)
    {
        ArgumentNullException.ThrowIfNull(change);
        return new ChangeView(change.EmployeeId, change.Row, change.From, change.To, change.Rule, change.Reason);
    }
}

/// <summary>A participant as the roster routes show them.</summary>
public sealed record ParticipantView(
    string ParticipantId,
    string? Email,
    string? DisplayName,
    string? ManagerId,
    string? JobTitle,
    string? Department,
    string? JobFamily,
    string? JobLevel,
    Track? Track,
    bool InTriage,
    string TrackRule,
    string? TrackReason,
    bool TrackOverridden,
    ParticipantStatus Status,
    DateTimeOffset JoinedAt,
    DateTimeOffset UpdatedAt,
    IReadOnlyList<TrackChange> History,
    IReadOnlyList<Assignment>? Assignments = null,
    ParticipantGroup Group = ParticipantGroup.Trained,
    DateOnly? HireDate = null,
    string? OccupationCode = null)
{
    /// <summary>The view of <paramref name="p"/>, with their assignments when given (one participant's view has them; a page does not).</summary>
    public static ParticipantView From(Participant p) => From(p, null);

    /// <summary>
    /// The view an integrator or reviewer gets: ids, track, status and assignments, without the personal fields
    /// (names, emails, manager, job attributes, and the track's reason, which quotes them).
    /// </summary>
    public static ParticipantView WithoutPersonalData(Participant p, IReadOnlyList<Assignment>? assignments) =>
        From(p, assignments) with { Email = null, DisplayName = null, ManagerId = null, JobTitle = null, Department = null, JobFamily = null, JobLevel = null, TrackReason = null, HireDate = null, OccupationCode = null };

    /// <inheritdoc cref="From(Participant)"/>
    public static ParticipantView From(Participant p, IReadOnlyList<Assignment>? assignments)
    {
        ArgumentNullException.ThrowIfNull(p);
        return new(p.EmployeeId, p.Hr.Email, p.Hr.DisplayName, p.Hr.ManagerId, p.Hr.JobTitle, p.Hr.Department, p.Hr.JobFamily, p.Hr.JobLevel,
            p.Track, p.InTriage, p.TrackRule, p.TrackReason, p.TrackOverridden, p.Status, p.JoinedAt, p.UpdatedAt, p.History, assignments, p.Group, p.Hr.HireDate, p.Hr.OccupationCode);
    }
}

/// <summary>A page of the roster.</summary>
public sealed record ParticipantPageView(IReadOnlyList<ParticipantView> Items, string? ContinuationToken);

/// <summary>The body of an import from an Entra ID group.</summary>
public sealed record GroupImportRequest
{
    /// <summary>The group's object id; its transitive user members are the source.</summary>
    public string? GraphGroupId { get; init; }
}

/// <summary>The body of <c>PUT .../participants/{id}/track</c>.</summary>
public sealed record TrackOverrideRequest
{
    /// <summary>The track to place the person on.</summary>
    public string? Track { get; init; }

    /// <summary>Why (recorded with the override).</summary>
    public string? Reason { get; init; }
}
