using System.Security.Cryptography;
using Cohorts.Domain;
using Cohorts.Domain.Enrolment;
using Cohorts.Workflows;
using Cohorts.Workflows.Contracts;
using Cohorts.Workflows.Orchestrators;
using Microsoft.DurableTask;
using Microsoft.DurableTask.Client;

namespace Cohorts.Api;

/// <summary>Limits and windows of imports (section <c>Imports</c>).</summary>
public sealed class ImportOptions
{
    /// <summary>The configuration section.</summary>
    public const string Section = "Imports";

    /// <summary>The largest HR export accepted, in bytes (checked before any work).</summary>
    public long MaxBytes { get; set; } = 256L * 1024 * 1024;

    /// <summary>The most lines an HR export may have.</summary>
    public long MaxLines { get; set; } = 2_000_001;

    /// <summary>How long a dry run waits for an apply before it expires.</summary>
    public TimeSpan ApplyWindow { get; set; } = TimeSpan.FromDays(7);
}

/// <summary>Starts and applies imports; shared by the HTTP route and the HR-import blob trigger.</summary>
public sealed class ImportService(ICohortStore cohorts, IImportStore imports, IDirectoryLinkStore links, TimeProvider time, ImportOptions options)
{
    /// <summary>How a start request ended.</summary>
    public enum StartOutcome
    {
        /// <summary>Stored and its roster sync started.</summary>
        Started,

        /// <summary>No such cohort.</summary>
        CohortNotFound,

        /// <summary>The cohort is closed.</summary>
        CohortClosed,

        /// <summary>Over the size or line limit: nothing kept.</summary>
        TooLarge,
    }

    /// <summary>The limits in force.</summary>
    public ImportOptions Options => options;

    /// <summary>Stores an HR export as it streams in and starts its roster sync under a deterministic instance id.</summary>
    public async Task<(StartOutcome Outcome, ImportRecord? Import, string? Detail)> StartCsvAsync(
        string cohortId, Stream content, long? contentLength, ImportSettings settings, DurableTaskClient client, CancellationToken cancellationToken)
    {
        if (await RefusalAsync(cohortId, cancellationToken) is { } refused)
        {
            return (refused.Outcome, null, refused.Detail);
        }

        if (contentLength > options.MaxBytes)
        {
            return (StartOutcome.TooLarge, null, $"the file is larger than {options.MaxBytes} bytes");
        }

        DateTimeOffset now = time.GetUtcNow();
        string importId = NewImportId(now);
        long bytes, lines;
        try
        {
            (bytes, lines) = await imports.SaveSourceAsync(cohortId, importId, content, options.MaxBytes, options.MaxLines, cancellationToken);
        }
        catch (SourceTooLargeException tooLarge)
        {
            return (StartOutcome.TooLarge, null, tooLarge.Message);
        }

        return (StartOutcome.Started, await BeginAsync(new ImportRecord(cohortId, importId, ImportState.Reading, settings, now, now, bytes, SourceLines: lines), client, cancellationToken), null);
    }

    /// <summary>
    /// Starts a roster sync from the members of an Entra ID group (<see cref="ImportSettings.GraphGroupId"/>) and links
    /// the cohort to the group, so that the scheduled directory sync keeps it current.
    /// </summary>
    public async Task<(StartOutcome Outcome, ImportRecord? Import, string? Detail)> StartGroupAsync(
        string cohortId, ImportSettings settings, DurableTaskClient client, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(settings);
        string groupId = settings.GraphGroupId ?? throw new ArgumentException("A group import names its group.", nameof(settings));
        if (await RefusalAsync(cohortId, cancellationToken) is { } refused)
        {
            return (refused.Outcome, null, refused.Detail);
        }

        DateTimeOffset now = time.GetUtcNow();
        ImportRecord import = await BeginAsync(new ImportRecord(cohortId, NewImportId(now), ImportState.Reading, settings, now, now, 0), client, cancellationToken);
        if (!settings.DryRun)
        {
            await links.SaveAsync(DirectoryLink.Linked(await links.GetAsync(cohortId, cancellationToken), cohortId, groupId, now), cancellationToken);
        }

        return (StartOutcome.Started, import, null);
    }

    /// <summary>Starts a roster sync of records a directory delta reported (a partial source: nobody else leaves).</summary>
    public async Task<(StartOutcome Outcome, ImportRecord? Import, string? Detail)> StartRecordsAsync(
        string cohortId, IReadOnlyList<HrRecord> records, ImportSettings settings, DurableTaskClient client, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(records);
        if (await RefusalAsync(cohortId, cancellationToken) is { } refused)
        {
            return (refused.Outcome, null, refused.Detail);
        }

        DateTimeOffset now = time.GetUtcNow();
        string importId = NewImportId(now);
        await imports.SaveRecordsAsync(cohortId, importId, records, cancellationToken);
        return (StartOutcome.Started, await BeginAsync(new ImportRecord(cohortId, importId, ImportState.Reading, settings, now, now, 0, SourceLines: records.Count), client, cancellationToken), null);
    }

    /// <summary>The import, or null.</summary>
    public Task<ImportRecord?> GetAsync(string cohortId, string importId, CancellationToken cancellationToken) =>
        imports.GetAsync(cohortId, importId, cancellationToken);

    /// <summary>Up to <paramref name="limit"/> of the import's changes.</summary>
    public async Task<List<RosterChange>> ChangesAsync(ImportRecord import, int limit, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(import);
        var changes = new List<RosterChange>();
        await foreach (RosterChange change in imports.ReadChangesAsync(import.CohortId, import.ImportId, 0, limit, cancellationToken))
        {
            changes.Add(change);
        }

        return changes;
    }

    private async Task<(StartOutcome Outcome, string? Detail)?> RefusalAsync(string cohortId, CancellationToken cancellationToken)
    {
        CohortRecord? cohort = await cohorts.GetAsync(cohortId, cancellationToken);
        return cohort is null ? (StartOutcome.CohortNotFound, null)
            : cohort.Status.IsTerminal() ? (StartOutcome.CohortClosed, cohort.Status.ToString())
            : null;
    }

    private static string NewImportId(DateTimeOffset now) => $"{now:yyyyMMddHHmmss}-{Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(4))}";

    /// <summary>Stores the import record and starts its roster sync under the import's deterministic instance id.</summary>
    private async Task<ImportRecord> BeginAsync(ImportRecord record, DurableTaskClient client, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(client);
        await imports.CreateAsync(record, cancellationToken);
        await client.ScheduleNewOrchestrationInstanceAsync(
            nameof(RosterSyncOrchestrator),
            new RosterSyncInput(record.CohortId, record.ImportId, options.ApplyWindow),
            new StartOrchestrationOptions { InstanceId = InstanceIds.Import(record.CohortId, record.ImportId) },
            cancellationToken);
        return record;
    }

    /// <summary>Lets a waiting import apply. Null when it is applied now; otherwise the problem.</summary>
    public async Task<ApiProblem?> ApplyAsync(ImportRecord import, bool force, DurableTaskClient client, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(import);
        ArgumentNullException.ThrowIfNull(client);
        switch (import.State)
        {
            case ImportState.AwaitingApply:
            case ImportState.BlockedByLeavers when force:
                await client.RaiseEventAsync(InstanceIds.Import(import.CohortId, import.ImportId), RosterSyncOrchestrator.ApplyEvent, new ApplyDecision(force), cancellationToken);
                // so that a read right after the 202 shows the apply under way (an ended import keeps its end state)
                await imports.UpdateAsync(import.CohortId, import.ImportId, r => r.WithState(ImportState.Applying, time.GetUtcNow()), cancellationToken);
                return null;
            case ImportState.BlockedByLeavers:
                int limit = import.Settings.LeaverLimit(import.Summary?.ActiveBefore ?? 0);
                return ApiProblem.Of(409, "leaverThresholdExceeded", "Too many leavers",
                    $"This import suspends {import.Summary?.Leavers} people; more than {limit} needs apply?force=true.", "force");
            default:
                return ApiProblem.Of(409, "importNotAwaitingApply", "The import is not waiting to be applied",
                    $"Import '{import.ImportId}' is {Naming.Camel(import.State)}; only a dry run or an import held by the leaver threshold can be applied.", "importId");
        }
    }
}
