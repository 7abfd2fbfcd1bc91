using Cohorts.Domain;
using Cohorts.Domain.Access;
using Cohorts.Domain.Enrolment;
using Cohorts.Workflows.Contracts;
using Microsoft.DurableTask;

namespace Cohorts.Workflows.Activities;

/// <summary>
/// Streams the import's source through the roster diff and writes the changes beside the import. Idempotent: a rerun
/// recomputes the same diff from the same source and roster and replaces what an interrupted run wrote. A source that
/// cannot be read at all marks the import failed, naming the field and reason; nothing on the roster changes.
/// </summary>
public sealed class ReadImportActivity(IImportStore imports, IRosterStore roster, ICohortStore cohorts, IHrDirectory directory, IErasureRegistry erasures, TimeProvider time)
    : TaskActivity<ImportRef, ImportReadResult>
{
    /// <inheritdoc/>
    public override async Task<ImportReadResult> RunAsync(TaskActivityContext context, ImportRef input)
    {
        ArgumentNullException.ThrowIfNull(input);
        ImportRecord import = await imports.GetAsync(input.CohortId, input.ImportId, CancellationToken.None)
            ?? throw new KeyNotFoundException($"There is no import '{input.ImportId}' of cohort '{input.CohortId}'.");
        CohortRecord cohort = await cohorts.GetAsync(input.CohortId, CancellationToken.None)
            ?? throw new KeyNotFoundException($"There is no cohort '{input.CohortId}'.");
        // people erased from this cohort (or every cohort) are recognised by their pseudonym and not enrolled again
        IReadOnlySet<string> tombstones = await erasures.TombstonesAsync(input.CohortId, CancellationToken.None);
        Pseudonymizer? pseudonyms = tombstones.Count > 0 ? await erasures.PseudonymizerAsync(CancellationToken.None) : null;
        Func<string, bool>? erased = pseudonyms is null ? null : id => tombstones.Contains(pseudonyms.Of(id));
        IReadOnlyDictionary<string, RosterEntry> index = await roster.LoadIndexAsync(input.CohortId, CancellationToken.None);
        var segmenter = new Segmenter(DefaultSegmentationRules.All, cohort.Plan.Tracks, cohort.Plan.Segmentation);
        using var differ = new RosterDiffer(
            index,
            segmenter,
            expectedPeople: (int)Math.Min(import.SourceLines, int.MaxValue),
            fullSource: ImportSources.ListsEveryone(import.Settings.Source),
            erased: erased,
            group: import.Settings.Group);

        int lines;
        ComparisonMatch? match = null;
        try
        {
            IAsyncEnumerable<HrRow> rows = Rows(import);
            if (import.Settings.Match)
            {
                (List<HrRow> picked, match) = await MatchAsync(input.CohortId, rows, index, segmenter, erased, DateOnly.FromDateTime(import.CreatedAt.UtcDateTime));
                rows = picked.ToAsyncEnumerable();
            }

            lines = await imports.WriteChangesAsync(input.CohortId, input.ImportId, differ.ChangesAsync(rows), CancellationToken.None);
        }
        catch (HrSourceException problem)
        {
            await imports.UpdateAsync(input.CohortId, input.ImportId, r => r.WithState(ImportState.Failed, time.GetUtcNow()) with { ErrorField = problem.Field, Error = problem.Reason }, CancellationToken.None);
            return new ImportReadResult(true, 0, 0, 0, 0, 0, 0, import.Settings.DryRun, false);
        }

        DiffSummary summary = differ.Summary() with { Match = match };
        var tag = new KeyValuePair<string, object?>("cohort.id", input.CohortId);
        CohortsTelemetry.ImportRows.Add(summary.Rows - summary.Invalid, tag, new KeyValuePair<string, object?>("outcome", "read"));
        CohortsTelemetry.ImportRows.Add(summary.Invalid, tag, new KeyValuePair<string, object?>("outcome", "rejected"));
        bool blocked = !import.Settings.Force && summary.Leavers > import.Settings.LeaverLimit(summary.ActiveBefore);
        await imports.UpdateAsync(input.CohortId, input.ImportId, r => r with { Summary = summary, ChangeLines = lines, UpdatedAt = time.GetUtcNow() }, CancellationToken.None);
        return new ImportReadResult(false, lines, summary.Joiners + summary.Rejoiners, summary.Movers, summary.Leavers, summary.Triage, summary.Invalid, import.Settings.DryRun, blocked);
    }

    private IAsyncEnumerable<HrRow> Rows(ImportRecord import) =>
        import.Settings is { Source: ImportSources.Graph, GraphGroupId: { } group }
            ? directory.GroupMembersAsync(group, CancellationToken.None)
            : imports.ReadSourceAsync(import, CancellationToken.None);

    /// <summary>
    /// Reads a candidate pool whole and keeps the rows the diff must see: one matched person per active trained
    /// participant, and every row the diff rejects (unreadable, duplicated, beyond limits), so that those are reported as
    /// in any import. People already trained, leavers and people not picked are left out (counted in the match).
    /// </summary>
    private async Task<(List<HrRow> Rows, ComparisonMatch Match)> MatchAsync(
        string cohortId, IAsyncEnumerable<HrRow> source, IReadOnlyDictionary<string, RosterEntry> index, Segmenter segmenter, Func<string, bool>? erased, DateOnly asOf)
    {
        List<HrRow> rows = await source.ToListAsync();
        var times = new Dictionary<string, int>(StringComparer.Ordinal);
        foreach (HrRow row in rows)
        {
            if (row.Record is { } r)
            {
                times[r.EmployeeId] = times.GetValueOrDefault(r.EmployeeId) + 1;
            }
        }

        int alreadyTrained = 0;
        var pool = new List<MatchPerson>();
        var kept = new List<HrRow>();
        foreach (HrRow row in rows)
        {
            if (row.Record is not { } hr || times[hr.EmployeeId] > 1 || HrRecordLimits.Problem(hr) is not null)
            {
                kept.Add(row);
            }
            else if (index.TryGetValue(hr.EmployeeId, out RosterEntry? known) && known.Group == ParticipantGroup.Trained)
            {
                alreadyTrained++;
            }
            else if (!hr.Terminated && erased?.Invoke(hr.EmployeeId) != true)
            {
                pool.Add(new MatchPerson(hr.EmployeeId, segmenter.Assign(hr).Track, hr.Department, hr.HireDate));
            }
        }

        List<MatchPerson> trained = (await roster.ListAllAsync(cohortId, ParticipantGroup.Trained, CancellationToken.None))
            .Where(p => p.Status == ParticipantStatus.Active)
            .Select(p => new MatchPerson(p.EmployeeId, p.Track, p.Hr.Department, p.Hr.HireDate))
            .ToList();
        ComparisonMatch match = ComparisonMatcher.Match(trained, pool, alreadyTrained, asOf);
        var picked = match.Pairs.Select(p => p.Comparison).ToHashSet(StringComparer.Ordinal);
        kept.AddRange(rows.Where(r => r.Record is { } hr && picked.Contains(hr.EmployeeId)));
        kept.Sort((a, b) => a.Row.CompareTo(b.Row));
        return (kept, match);
    }
}
