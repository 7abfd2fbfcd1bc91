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
        var differ = new RosterDiffer(
            await roster.LoadIndexAsync(input.CohortId, CancellationToken.None),
            new Segmenter(DefaultSegmentationRules.All, cohort.Plan.Tracks),
            expectedPeople: (int)Math.Min(import.SourceLines, int.MaxValue),
            fullSource: ImportSources.ListsEveryone(import.Settings.Source),
            erased: pseudonyms is null ? null : id => tombstones.Contains(pseudonyms.Of(id)));

        int lines;
        try
        {
            lines = await imports.WriteChangesAsync(input.CohortId, input.ImportId, Changes(import, differ), CancellationToken.None);
        }
        catch (HrSourceException problem)
        {
            await imports.UpdateAsync(input.CohortId, input.ImportId, r => r.WithState(ImportState.Failed, time.GetUtcNow()) with { ErrorField = problem.Field, Error = problem.Reason }, CancellationToken.None);
            return new ImportReadResult(true, 0, 0, 0, 0, 0, 0, import.Settings.DryRun, false);
        }

        DiffSummary summary = differ.Summary();
        var tag = new KeyValuePair<string, object?>("cohort.id", input.CohortId);
        CohortsTelemetry.ImportRows.Add(summary.Rows - summary.Invalid, tag, new KeyValuePair<string, object?>("outcome", "read"));
        CohortsTelemetry.ImportRows.Add(summary.Invalid, tag, new KeyValuePair<string, object?>("outcome", "rejected"));
        bool blocked = !import.Settings.Force && summary.Leavers > import.Settings.LeaverLimit(summary.ActiveBefore);
        await imports.UpdateAsync(input.CohortId, input.ImportId, r => r with { Summary = summary, ChangeLines = lines, UpdatedAt = time.GetUtcNow() }, CancellationToken.None);
        return new ImportReadResult(false, lines, summary.Joiners + summary.Rejoiners, summary.Movers, summary.Leavers, summary.Triage, summary.Invalid, import.Settings.DryRun, blocked);
    }

    private async IAsyncEnumerable<RosterChange> Changes(ImportRecord import, RosterDiffer differ)
    {
        IAsyncEnumerable<HrRow> rows = import.Settings is { Source: ImportSources.Graph, GraphGroupId: { } group }
            ? directory.GroupMembersAsync(group, CancellationToken.None)
            : imports.ReadSourceAsync(import, CancellationToken.None);
        await foreach (HrRow row in rows)
        {
            if (differ.Accept(row) is { } change)
            {
                yield return change;
            }
        }

        foreach (RosterChange leaver in differ.Leavers())
        {
            yield return leaver;
        }
    }
}
