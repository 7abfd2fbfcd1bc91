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
/// platform is configured. The batch's learners go to the platform in one push, so that what they share is sent once.
/// Returns how many people were pushed.
/// </summary>
public sealed class PushAssignmentsActivity(
    ILearningPlatform platform, IImportStore imports, ICohortStore cohorts, IRosterStore roster, ISubmissionStore submissions, ICompletionStore completions,
    IDirectoryLinkStore links, ILogger<PushAssignmentsActivity> log)
    : TaskActivity<ApplyBatchInput, int>
{
    /// <summary>People whose assignments are read at once from storage.</summary>
    public const int ReadsAtOnce = 8;

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
        var changed = new List<string>();
        await foreach (RosterChange change in imports.ReadChangesAsync(input.CohortId, input.ImportId, input.Batch * input.BatchSize, input.BatchSize * input.Batches, CancellationToken.None))
        {
            if (change.Kind is ChangeKind.Join or ChangeKind.Rejoin or ChangeKind.Move)
            {
                changed.Add(change.EmployeeId);
            }
        }

        // each person is three reads (the roster row, their submissions and completions): a few at a time
        var learners = new LearnerPush?[changed.Count];
        await Parallel.ForEachAsync(Enumerable.Range(0, changed.Count), new ParallelOptions { MaxDegreeOfParallelism = ReadsAtOnce }, async (i, _) =>
        {
            if (await roster.GetAsync(input.CohortId, changed[i], CancellationToken.None) is not { Status: ParticipantStatus.Active, Track: not null, Group: ParticipantGroup.Trained } person)
            {
                return;
            }

            IReadOnlyList<Assignment> open = Assignments.For(
                    plan,
                    person,
                    await submissions.ListForParticipantAsync(input.CohortId, person.EmployeeId, CancellationToken.None),
                    await completions.ListForParticipantAsync(input.CohortId, person.EmployeeId, CancellationToken.None))
                .Where(a => a.OnCurrentTrack && a.State == AssignmentState.Assigned)
                .ToList();
            learners[i] = new LearnerPush(person, open, objectIds.GetValueOrDefault(person.EmployeeId));
        });

        List<LearnerPush> toPush = [.. learners.OfType<LearnerPush>()];
        IReadOnlyList<PushOutcome> outcomes = toPush.Count == 0 ? [] : await platform.PushAsync(plan, toPush, CancellationToken.None);
        int pushed = 0;
        for (int i = 0; i < toPush.Count; i++)
        {
            if (outcomes[i] == PushOutcome.LearnerNotFound)
            {
                log.LogWarning("Participant {ParticipantId} of cohort {CohortId} has no directory account: no assignments pushed", toPush[i].Participant.EmployeeId, input.CohortId);
                continue;
            }

            pushed++;
        }

        return pushed;
    }
}
