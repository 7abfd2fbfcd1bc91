using Cohorts.Domain;
using Cohorts.Domain.Enrolment;
using Cohorts.Domain.Learning;
using Microsoft.Graph;
using Microsoft.Graph.Models.ODataErrors;

namespace Cohorts.Connectors.Graph;

/// <summary>
/// Pushes assignments to Viva Learning (app-only, through the provider an admin registered; its id is configuration):
/// each step is upserted as learning content by external id, linking to <c>{contentBaseUrl}/cohorts/{cohortId}/steps/{stepId}</c>,
/// and each open step becomes a required assignment with its due date, looked up by its deterministic external id
/// first. The learner is the directory object id when enrolment knew it, otherwise the user found by sign-in name or email.
/// </summary>
public sealed class VivaLearningPlatform(GraphServiceClient graph, string providerId, Uri contentBaseUrl) : ILearningPlatform
{
    private readonly VivaLearning viva = new(graph, providerId);

    /// <inheritdoc/>
    public bool Enabled => true;

    /// <inheritdoc/>
    public async Task<PushOutcome> PushAsync(CohortPlan plan, Participant participant, IReadOnlyList<Assignment> assignments, string? directoryId, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(plan);
        ArgumentNullException.ThrowIfNull(participant);
        ArgumentNullException.ThrowIfNull(assignments);
        try
        {
            string? learner = directoryId ?? await FindLearnerAsync(participant, cancellationToken);
            if (learner is null)
            {
                return PushOutcome.LearnerNotFound;
            }

            IReadOnlyDictionary<string, LearningStep> steps = LearningPaths.Steps(plan);
            foreach (Assignment assignment in assignments)
            {
                LearningStep step = steps.GetValueOrDefault(assignment.StepId)
                    ?? throw new InvalidOperationException($"Step '{assignment.StepId}' is not on a path of cohort '{plan.Id}'.");
                var url = new Uri(contentBaseUrl, $"cohorts/{Uri.EscapeDataString(plan.Id)}/steps/{Uri.EscapeDataString(step.StepId)}");
                string contentId = await viva.UpsertContentAsync(plan, step, url, cancellationToken);
                await viva.AssignAsync(VivaLearning.AssignmentId(plan.Id, step, participant.EmployeeId), learner, contentId, plan.StartsAt, assignment.DueAt, cancellationToken);
            }

            return PushOutcome.Pushed;
        }
        catch (ODataError refused)
        {
            // Graph's own message alone ("Insufficient privileges…") does not say that it was the LMS push that failed,
            // and the import's error is where an integrator reads it
            throw new InvalidOperationException(
                $"Viva Learning refused the assignments of participant '{participant.EmployeeId}' ({refused.ResponseStatusCode} {refused.Error?.Code}): {refused.Error?.Message ?? refused.Message}",
                refused);
        }
    }

    private Task<string?> FindLearnerAsync(Participant participant, CancellationToken cancellationToken) =>
        GraphDirectory.FindUserIdAsync(graph, participant.Hr.Upn, participant.Hr.Email, cancellationToken);
}
