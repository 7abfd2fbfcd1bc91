using Cohorts.Domain;
using Cohorts.Domain.Access;
using Cohorts.Domain.Enrolment;
using Microsoft.DurableTask.Client;

namespace Cohorts.Application.Access;

/// <summary>The <c>Retention</c> section: how long what is kept is kept (DESIGN.md "Erasure"), and how often it is enforced.</summary>
public sealed class RetentionOptions() : ScheduleOptions(TimeSpan.FromHours(1))
{
    /// <summary>The configuration section.</summary>
    public const string Section = "Retention";

    /// <summary>How long a stored import source is kept after its import ended (applied, failed or expired).</summary>
    public TimeSpan ImportSources { get; set; } = TimeSpan.FromDays(30);

    /// <summary>How long the history of a finished orchestration is kept.</summary>
    public TimeSpan History { get; set; } = TimeSpan.FromDays(30);

    /// <summary>When set, every participant of a completed cohort is erased this long after its final report.</summary>
    public TimeSpan? PersonalDataAfterCompletion { get; set; }
}

/// <summary>What one retention run did.</summary>
public sealed record RetentionRun(int SourcesDeleted, int HistoriesPurged, int ErasuresStarted);

/// <summary>
/// Enforces the retention settings: deletes stored import sources of ended imports, purges finished orchestration
/// histories, and (when set) erases the participants of cohorts completed long enough ago. Every step can run again
/// and finds its work done; the server runs it on <see cref="ScheduleOptions.Interval"/>, the Functions host on a timer.
/// </summary>
public sealed class RetentionService(RetentionOptions options, ICohortStore cohorts, IImportStore imports, IRosterStore roster, ErasureService erasures, TimeProvider time)
{
    /// <summary>The caller retention acts as, in erasure records and the audit log.</summary>
    public static readonly Caller Actor = Caller.System("retention");

    /// <summary>One run.</summary>
    public async Task<RetentionRun> RunAsync(DurableTaskClient client, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(client);
        DateTimeOffset now = time.GetUtcNow();
        int sources = 0, started = 0;
        await foreach (CohortRecord cohort in cohorts.ListAsync(cancellationToken))
        {
            await foreach (string importId in imports.ListIdsAsync(cohort.Id, cancellationToken))
            {
                if (await imports.GetAsync(cohort.Id, importId, cancellationToken) is { State: ImportState.Applied or ImportState.Failed or ImportState.Expired } ended
                    && ended.UpdatedAt + options.ImportSources <= now
                    && await imports.DeleteSourceAsync(cohort.Id, importId, cancellationToken))
                {
                    sources++;
                }
            }

            if (options.PersonalDataAfterCompletion is { } after && cohort.Status == CohortStatus.Completed && cohort.StatusChangedAt + after <= now)
            {
                List<Participant> everyone = [
                    .. await roster.ListAllAsync(cohort.Id, ParticipantGroup.Trained, cancellationToken),
                    .. await roster.ListAllAsync(cohort.Id, ParticipantGroup.Comparison, cancellationToken)];
                foreach (Participant person in everyone)
                {
                    if (person.Status == ParticipantStatus.Erased)
                    {
                        continue;
                    }

                    Result<StartedErasure> erasure = await erasures.StartAsync(
                        new RequestErasure(person.EmployeeId, cohort.Id, $"Retention:PersonalDataAfterCompletion ({IsoDuration.Format(after)} after the final report)", Actor), client, cancellationToken);
                    started += erasure.Value is { Created: true } ? 1 : 0;
                }
            }
        }

        // finished long enough ago: by the time of the last update (a 90-day lifecycle keeps its history for the
        // whole period after it ends), never an instance still running
        int purged = 0;
        var finished = new OrchestrationQuery
        {
            CreatedTo = now - options.History,
            Statuses = [OrchestrationRuntimeStatus.Completed, OrchestrationRuntimeStatus.Failed, OrchestrationRuntimeStatus.Terminated],
            PageSize = 500,
        };
        await foreach (OrchestrationMetadata instance in client.GetAllInstancesAsync(finished).WithCancellation(cancellationToken))
        {
            if (instance.LastUpdatedAt + options.History <= now)
            {
                purged += (await client.PurgeInstanceAsync(instance.InstanceId, cancellation: cancellationToken)).PurgedInstanceCount;
            }
        }

        return new RetentionRun(sources, purged, started);
    }
}
