using Cohorts.Domain;
using Cohorts.Domain.Learning;
using Microsoft.Graph;
using Microsoft.Graph.Models.ODataErrors;

namespace Cohorts.Connectors.Graph;

/// <summary>
/// Pushes assignments to Viva Learning (app-only, through the provider an admin registered; its id is configuration):
/// each step is upserted as learning content by external id, linking to <c>{contentBaseUrl}/cohorts/{cohortId}/steps/{stepId}</c>,
/// and each open step becomes a required assignment with its due date, looked up by its deterministic external id
/// first. The learner is the directory object id when enrolment knew it, otherwise the user found by sign-in name or email.
/// A push upserts each step's content once for all its learners, then goes through the learners a few at a time.
/// </summary>
public sealed class VivaLearningPlatform(GraphServiceClient graph, string providerId, Uri contentBaseUrl) : ILearningPlatform
{
    /// <summary>
    /// Learners pushed at once: each is a chain of calls that wait on Graph, so a few in flight keep a 500-person push
    /// to seconds rather than minutes; more would mostly meet Graph's throttling (its 429s are waited out and retried).
    /// </summary>
    public const int LearnersAtOnce = 4;

    private readonly VivaLearning viva = new(graph, providerId);

    /// <inheritdoc/>
    public bool Enabled => true;

    /// <inheritdoc/>
    public async Task<IReadOnlyList<PushOutcome>> PushAsync(CohortPlan plan, IReadOnlyList<LearnerPush> learners, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(plan);
        ArgumentNullException.ThrowIfNull(learners);
        IReadOnlyDictionary<string, LearningStep> steps = LearningPaths.Steps(plan);
        var contents = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (string stepId in learners.SelectMany(l => l.Assignments).Select(a => a.StepId).Distinct(StringComparer.Ordinal))
        {
            LearningStep step = steps.GetValueOrDefault(stepId)
                ?? throw new InvalidOperationException($"Step '{stepId}' is not on a path of cohort '{plan.Id}'.");
            var url = new Uri(contentBaseUrl, $"cohorts/{Uri.EscapeDataString(plan.Id)}/steps/{Uri.EscapeDataString(step.StepId)}");
            contents[stepId] = await ExplainRefusalAsync($"the content of step '{stepId}'", () => viva.UpsertContentAsync(plan, step, url, cancellationToken));
        }

        var outcomes = new PushOutcome[learners.Count];
        await Parallel.ForEachAsync(
            Enumerable.Range(0, learners.Count),
            new ParallelOptions { MaxDegreeOfParallelism = LearnersAtOnce, CancellationToken = cancellationToken },
            async (i, token) => outcomes[i] = await ExplainRefusalAsync(
                $"the assignments of participant '{learners[i].Participant.EmployeeId}'", () => AssignAsync(plan, steps, contents, learners[i], token)));
        return outcomes;
    }

    private async Task<PushOutcome> AssignAsync(
        CohortPlan plan, IReadOnlyDictionary<string, LearningStep> steps, Dictionary<string, string> contents, LearnerPush push, CancellationToken cancellationToken)
    {
        string? learner = push.DirectoryId ?? await GraphDirectory.FindUserIdAsync(graph, push.Participant.Hr.Upn, push.Participant.Hr.Email, cancellationToken);
        if (learner is null)
        {
            return PushOutcome.LearnerNotFound;
        }

        foreach (Assignment assignment in push.Assignments)
        {
            string externalId = VivaLearning.AssignmentId(plan.Id, steps[assignment.StepId], push.Participant.EmployeeId);
            await viva.AssignAsync(externalId, learner, contents[assignment.StepId], plan.StartsAt, assignment.DueAt, cancellationToken);
        }

        return PushOutcome.Pushed;
    }

    // Graph's own message alone ("Insufficient privileges…") does not say that it was the LMS push that failed, nor
    // what it was sending; the import's error is where an integrator reads it
    private static async Task<T> ExplainRefusalAsync<T>(string what, Func<Task<T>> call)
    {
        try
        {
            return await call();
        }
        catch (ODataError refused)
        {
            string status = refused.Error?.Code is { Length: > 0 } code ? $"{refused.ResponseStatusCode} {code}" : $"{refused.ResponseStatusCode}";
            throw new InvalidOperationException($"Viva Learning refused {what} ({status}): {refused.Error?.Message ?? refused.Message}", refused);
        }
    }
}
