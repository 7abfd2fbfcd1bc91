using Cohorts.Domain;
using Cohorts.Domain.Enrolment;
using Microsoft.DurableTask.Client;
using Microsoft.Extensions.Logging;

namespace Cohorts.Application.Enrolment;

/// <summary>The scheduled directory sync (section <c>DirectorySync</c>).</summary>
/// <remarks>The server runs a round every 15 minutes by default.</remarks>
public sealed class DirectorySyncOptions() : ScheduleOptions(TimeSpan.FromMinutes(15))
{
    /// <summary>The configuration section.</summary>
    public const string Section = "DirectorySync";

    /// <summary>How often a linked group is read in full (bringing in people new to the group).</summary>
    public TimeSpan ReconcileEvery { get; set; } = TimeSpan.FromDays(1);
}

/// <summary>What one round did for one cohort.</summary>
/// <param name="CohortId">The cohort.</param>
/// <param name="Action">The action taken; null when the round could not run (see <paramref name="Error"/>) or the cohort is closed.</param>
/// <param name="ImportId">The import started, if any.</param>
/// <param name="Error">Why the round could not run.</param>
public sealed record DirectorySyncResult(string CohortId, DirectorySyncAction? Action, string? ImportId, string? Error);

/// <summary>
/// Keeps cohorts enrolled from an Entra ID group current: for each linked cohort a <c>users/delta</c> round from its
/// kept link becomes a partial import of the roster members who changed or were removed, or a full read of the group
/// when the link expired or a full read is due (<see cref="DirectorySyncPlanner"/>). The link is saved only after the
/// import is stored, so a round that fails part way is repeated from the same link and finds the same changes.
/// Imports it starts apply at once, the leaver threshold still holding back one that suspends too many.
/// </summary>
public sealed partial class DirectorySyncService(
    ICohortStore cohorts, IDirectoryLinkStore links, IRosterStore roster, IHrDirectory directory, ImportService imports,
    TimeProvider time, DirectorySyncOptions options, ILogger<DirectorySyncService> log)
{
    /// <summary>One round for every linked cohort that is still open.</summary>
    public async Task<IReadOnlyList<DirectorySyncResult>> RunAsync(DurableTaskClient client, CancellationToken cancellationToken)
    {
        var results = new List<DirectorySyncResult>();
        await foreach (DirectoryLink link in links.ListAsync(cancellationToken))
        {
            DirectorySyncResult result = await SyncAsync(link, client, cancellationToken);
            if (result.Error is not null)
            {
                LogFailed(log, result.CohortId, result.Error);
            }
            else if (result.ImportId is not null)
            {
                LogStarted(log, result.CohortId, result.Action!.Value, result.ImportId);
            }

            results.Add(result);
        }

        return results;
    }

    private async Task<DirectorySyncResult> SyncAsync(DirectoryLink link, DurableTaskClient client, CancellationToken cancellationToken)
    {
        CohortRecord? cohort = await cohorts.GetAsync(link.CohortId, cancellationToken);
        if (cohort is null || cohort.Status.IsTerminal())
        {
            return new DirectorySyncResult(link.CohortId, null, null, null);
        }

        DirectoryDelta delta;
        try
        {
            delta = await directory.DeltaAsync(link.DeltaLink, cancellationToken);
        }
        catch (HrSourceException problem)
        {
            return new DirectorySyncResult(link.CohortId, null, null, problem.Reason);
        }
        catch (Exception failure) when (failure is not OperationCanceledException)
        {
            // Graph unreachable or answering garbage: this cohort waits for the next round, the others go on
            return new DirectorySyncResult(link.CohortId, null, null, $"{failure.GetType().Name}: {failure.Message}");
        }

        var rosterIds = (await roster.LoadIndexAsync(link.CohortId, cancellationToken)).Keys.ToHashSet(StringComparer.Ordinal);
        DirectorySyncStep step = DirectorySyncPlanner.Plan(link, delta, rosterIds, time.GetUtcNow(), options.ReconcileEvery);
        var settings = new ImportSettings(ImportSources.GraphDelta, null, null, null, null, DryRun: false, Force: false, ImportSettings.DefaultLeaverThreshold, link.GroupId);
        ImportRecord? started = step.Action switch
        {
            DirectorySyncAction.ImportChanges => (await imports.StartRecordsAsync(link.CohortId, await FilledAsync(link.CohortId, step.Rows, cancellationToken), settings, client, cancellationToken)).Value,
            DirectorySyncAction.ImportGroup => (await imports.StartGroupAsync(link.CohortId, settings with { Source = ImportSources.Graph }, client, cancellationToken)).Value,
            _ => null,
        };
        await links.SaveAsync(step.Next, cancellationToken);
        return new DirectorySyncResult(link.CohortId, step.Action, started?.ImportId, null);
    }

    /// <summary>Each row completed from the participant's stored record (a delta reports only what changed).</summary>
    private async Task<List<HrRecord>> FilledAsync(string cohortId, IReadOnlyList<HrRecord> rows, CancellationToken cancellationToken)
    {
        var filled = new List<HrRecord>(rows.Count);
        foreach (HrRecord row in rows)
        {
            Participant? known = await roster.GetAsync(cohortId, row.EmployeeId, cancellationToken);
            filled.Add(known is null ? row : row.FilledFrom(known.Hr));
        }

        return filled;
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Directory sync of cohort {CohortId}: {Action}, import {ImportId}")]
    private static partial void LogStarted(ILogger log, string cohortId, DirectorySyncAction action, string importId);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Directory sync of cohort {CohortId} did not run: {Reason}")]
    private static partial void LogFailed(ILogger log, string cohortId, string reason);
}
