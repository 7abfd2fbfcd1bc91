using Cohorts.Domain;
using Cohorts.Domain.Enrolment;
using Cohorts.Domain.Learning;
using Cohorts.Domain.Reviews;
using Cohorts.Workflows.Contracts;
using Microsoft.DurableTask;
using Microsoft.Extensions.Logging;

namespace Cohorts.Workflows.Activities;

/// <summary>
/// After a batch of an import is applied, pushes the open assignments of its joiners, rejoiners and movers to the
/// learning platform. Idempotent (the platform upserts content and finds existing assignments); does nothing when no
/// platform is configured. Returns how many people were pushed.
/// </summary>
public sealed class PushAssignmentsActivity(
    ILearningPlatform platform, IImportStore imports, ICohortStore cohorts, IRosterStore roster, ISubmissionStore submissions, ICompletionStore completions,
    IDirectoryLinkStore links, ILogger<PushAssignmentsActivity> log)
    : TaskActivity<ApplyBatchInput, int>
{
    /// <inheritdoc/>
    public override async Task<int> RunAsync(TaskActivityContext context, ApplyBatchInput input)
    {
        ArgumentNullException.ThrowIfNull(input);
        if (!platform.Enabled)
        {
            return 0;
        }

        CohortPlan plan = (await cohorts.GetAsync(input.CohortId, CancellationToken.None)
            ?? throw new KeyNotFoundException($"There is no cohort '{input.CohortId}'.")).Plan;
        // a group enrolment knows each member's directory object id
        Dictionary<string, string> objectIds = (await links.GetAsync(input.CohortId, CancellationToken.None))?.Members
            .GroupBy(m => m.Value, StringComparer.Ordinal).ToDictionary(g => g.Key, g => g.First().Key, StringComparer.Ordinal) ?? [];
        int pushed = 0;
        await foreach (RosterChange change in imports.ReadChangesAsync(input.CohortId, input.ImportId, input.Batch * input.BatchSize, input.BatchSize * input.Batches, CancellationToken.None))
        {
            if (change.Kind is not (ChangeKind.Join or ChangeKind.Rejoin or ChangeKind.Move)
                || await roster.GetAsync(input.CohortId, change.EmployeeId, CancellationToken.None) is not { Status: ParticipantStatus.Active, Track: not null, Group: ParticipantGroup.Trained } person)
            {
                continue;
            }

            IReadOnlyList<Assignment> open = Assignments.For(
                    plan,
                    person,
                    await submissions.ListForParticipantAsync(input.CohortId, person.EmployeeId, CancellationToken.None),
                    await completions.ListForParticipantAsync(input.CohortId, person.EmployeeId, CancellationToken.None))
                .Where(a => a.OnCurrentTrack && a.State == AssignmentState.Assigned)
                .ToList();
            PushOutcome outcome = await platform.PushAsync(plan, person, open, objectIds.GetValueOrDefault(person.EmployeeId), CancellationToken.None);
            if (outcome == PushOutcome.LearnerNotFound)
            {
                log.LogWarning("Participant {ParticipantId} of cohort {CohortId} has no directory account: no assignments pushed", person.EmployeeId, input.CohortId);
                continue;
            }

            pushed++;
        }

        return pushed;
    }
}
