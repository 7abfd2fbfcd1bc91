using System.Security.Cryptography;
using Cohorts.Domain;
using Cohorts.Domain.Enrolment;
using Cohorts.Domain.Learning;
using Cohorts.Workflows;
using Cohorts.Workflows.Contracts;
using Cohorts.Workflows.Orchestrators;
using Microsoft.DurableTask;
using Microsoft.DurableTask.Client;

namespace Cohorts.Application.Enrolment;

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
public sealed class ImportService(ICohortStore cohorts, IImportStore imports, IDirectoryLinkStore links, ILearningPlatform platform, TimeProvider time, ImportOptions options)
{
    /// <summary>The limits in force.</summary>
    public ImportOptions Options => options;

    /// <summary>Stores an HR export as it streams in and starts its roster sync under a deterministic instance id.</summary>
    public async Task<Result<ImportRecord>> StartCsvAsync(
        string cohortId, Stream content, long? contentLength, ImportSettings settings, DurableTaskClient client, CancellationToken cancellationToken)
    {
        if (await RefusalAsync(cohortId, cancellationToken) is { } refused)
        {
            return refused;
        }

        if (contentLength > options.MaxBytes)
        {
            return TooLarge($"the file is larger than {options.MaxBytes} bytes");
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
            return TooLarge(tooLarge.Message);
        }

        return await BeginAsync(new ImportRecord(cohortId, importId, ImportState.Reading, settings, now, now, bytes, SourceLines: lines), client, cancellationToken);
    }

    /// <summary>
    /// Starts a roster sync from the members of an Entra ID group (<see cref="ImportSettings.GraphGroupId"/>) and links
    /// the cohort to the group, so that the scheduled directory sync keeps it current.
    /// </summary>
    public async Task<Result<ImportRecord>> StartGroupAsync(
        string cohortId, ImportSettings settings, DurableTaskClient client, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(settings);
        string groupId = settings.GraphGroupId ?? throw new ArgumentException("A group import names its group.", nameof(settings));
        if (await RefusalAsync(cohortId, cancellationToken) is { } refused)
        {
            return refused;
        }

        DateTimeOffset now = time.GetUtcNow();
        ImportRecord import = await BeginAsync(new ImportRecord(cohortId, NewImportId(now), ImportState.Reading, settings, now, now, 0), client, cancellationToken);
        // the scheduled directory sync keeps the trained roster equal to its group; a comparison group read from a
        // group is a snapshot (another import refreshes it)
        if (!settings.DryRun && settings.Group == ParticipantGroup.Trained)
        {
            await links.SaveAsync(DirectoryLink.Linked(await links.GetAsync(cohortId, cancellationToken), cohortId, groupId, now), cancellationToken);
        }

        return import;
    }

    /// <summary>Starts a roster sync of records a directory delta reported (a partial source: nobody else leaves).</summary>
    public async Task<Result<ImportRecord>> StartRecordsAsync(
        string cohortId, IReadOnlyList<HrRecord> records, ImportSettings settings, DurableTaskClient client, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(records);
        if (await RefusalAsync(cohortId, cancellationToken) is { } refused)
        {
            return refused;
        }

        DateTimeOffset now = time.GetUtcNow();
        string importId = NewImportId(now);
        await imports.SaveRecordsAsync(cohortId, importId, records, cancellationToken);
        return await BeginAsync(new ImportRecord(cohortId, importId, ImportState.Reading, settings, now, now, 0, SourceLines: records.Count), client, cancellationToken);
    }

    /// <summary>The import; not found for ids that cannot name one.</summary>
    public async Task<Result<ImportRecord>> GetAsync(string cohortId, string importId, CancellationToken cancellationToken) =>
        EntityIds.Validate(cohortId) is null && EntityIds.Validate(importId) is null && await imports.GetAsync(cohortId, importId, cancellationToken) is { } import
            ? import
            : Failure.NotFound(ErrorCodes.ImportNotFound, "No such import", $"There is no import '{importId}' of cohort '{cohortId}'.", "importId");

    /// <summary>
    /// A cohort's imports, newest first (import ids begin with their creation time), paged by the last id given.
    /// </summary>
    public async Task<Result<(IReadOnlyList<ImportRecord> Items, string? ContinuationToken)>> ListAsync(string cohortId, int pageSize, string? continuationToken, CancellationToken cancellationToken)
    {
        if (await cohorts.FindAsync(cohortId, cancellationToken) is null)
        {
            return Failure.CohortNotFound(cohortId);
        }

        List<string> all = await imports.ListIdsAsync(cohortId, cancellationToken).ToListAsync(cancellationToken);
        var sliced = PageTokens.Slice(all, id => id, "imports:" + cohortId, pageSize, continuationToken, descending: true);
        if (!sliced.Succeeded)
        {
            return sliced.Failure!;
        }

        (List<string> ids, string? next) = sliced.Value;
        var page = new List<ImportRecord>();
        foreach (string id in ids)
        {
            if (await imports.GetAsync(cohortId, id, cancellationToken) is { } record)
            {
                page.Add(record);
            }
        }

        return (page, next);
    }

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

    private async Task<Failure?> RefusalAsync(string cohortId, CancellationToken cancellationToken)
    {
        CohortRecord? cohort = await cohorts.FindAsync(cohortId, cancellationToken);
        return cohort is null ? Failure.CohortNotFound(cohortId)
            : cohort.Status.IsTerminal() ? Failure.Conflict(ErrorCodes.CohortClosed, "The cohort is closed", $"Cohort '{cohortId}' is {cohort.Status.ToString().ToLowerInvariant()}; its roster takes no more imports.")
            : null;
    }

    private static Failure TooLarge(string detail) => new(FailureKind.TooLarge, ErrorCodes.PayloadTooLarge, "The HR export is too large", $"{detail}; nothing was imported.");

    private static string NewImportId(DateTimeOffset now) => $"{now:yyyyMMddHHmmss}-{Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(4))}";

    /// <summary>Stores the import record and starts its roster sync under the import's deterministic instance id.</summary>
    private async Task<ImportRecord> BeginAsync(ImportRecord record, DurableTaskClient client, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(client);
        await imports.CreateAsync(record, cancellationToken);
        await StartSyncAsync(client, record.CohortId, record.ImportId, null, cancellationToken);
        return record;
    }

    /// <summary>
    /// Starts the import's roster sync under its deterministic instance id, from <paramref name="resumeAt"/> when a failed
    /// apply is taken up again, with today's batching (what the orchestration's history will hold).
    /// </summary>
    private Task StartSyncAsync(DurableTaskClient client, string cohortId, string importId, ResumePoint? resumeAt, CancellationToken cancellationToken) =>
        client.ScheduleNewOrchestrationInstanceAsync(
            nameof(RosterSyncOrchestrator),
            new RosterSyncInput(
                cohortId, importId, options.ApplyWindow, resumeAt, RosterSyncOrchestrator.BatchesPerCall, platform.Enabled, RosterSyncOrchestrator.CallsPerGenerationFor(platform.Enabled)),
            new StartOrchestrationOptions { InstanceId = InstanceIds.Import(cohortId, importId) },
            cancellationToken);

    /// <summary>Lets a waiting import apply (past the leaver threshold only with <paramref name="force"/>); refused otherwise.</summary>
    public async Task<Result<ImportRecord>> ApplyAsync(string cohortId, string importId, bool force, DurableTaskClient client, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(client);
        Result<ImportRecord> found = await GetAsync(cohortId, importId, cancellationToken);
        if (found.Value is not { } import)
        {
            return found;
        }

        // a dry run made before the cohort closed does not change its roster after
        if (await RefusalAsync(cohortId, cancellationToken) is { } closed)
        {
            return closed;
        }

        switch (import.State)
        {
            case ImportState.AwaitingApply:
            case ImportState.BlockedByLeavers when force:
                await client.RaiseEventAsync(InstanceIds.Import(import.CohortId, import.ImportId), RosterSyncOrchestrator.ApplyEvent, new ApplyDecision(force), cancellationToken);
                // so that a read right after the 202 shows the apply under way (an ended import keeps its end state)
                await imports.UpdateAsync(import.CohortId, import.ImportId, r => r.WithState(ImportState.Applying, time.GetUtcNow()), cancellationToken);
                return import;
            case ImportState.Failed when import.Resumable:
                // a failed apply resumes from its first batch not applied; batches are idempotent, so a batch that
                // was half done when it failed is applied once
                // the record moves first, under its ETag, so that of two concurrent requests one starts the apply
                bool took = false;
                ImportRecord resumed = await imports.UpdateAsync(import.CohortId, import.ImportId, r =>
                {
                    ImportRecord next = r.Resumed(time.GetUtcNow());
                    took = !ReferenceEquals(next, r);
                    return next;
                }, cancellationToken);
                if (took)
                {
                    await StartSyncAsync(client, import.CohortId, import.ImportId, new ResumePoint(resumed.AppliedBatches, resumed.ChangeLines), cancellationToken);
                }

                return resumed;
            case ImportState.BlockedByLeavers:
                int limit = import.Settings.LeaverLimit(import.Summary?.ActiveBefore ?? 0);
                return Failure.Conflict(ErrorCodes.LeaverThresholdExceeded, "Too many leavers",
                    $"This import suspends {import.Summary?.Leavers} people; more than {limit} needs apply?force=true.", "force");
            default:
                return Failure.Conflict(ErrorCodes.ImportNotAwaitingApply, "The import is not waiting to be applied",
                    $"Import '{import.ImportId}' is {Naming.Camel(import.State)}; only a dry run, an import held by the leaver threshold or one whose apply failed can be applied.", "importId");
        }
    }
}
