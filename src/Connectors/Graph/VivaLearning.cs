using Cohorts.Domain;
using Cohorts.Domain.Learning;
using Microsoft.Graph;
using Microsoft.Graph.Models;
using Microsoft.Graph.Models.ODataErrors;

namespace Cohorts.Connectors.Graph;

/// <summary>
/// Microsoft Graph Viva Learning, app-only, for a learning provider an admin registered once (registering a provider is
/// delegated-only; its id is configuration). Path steps are upserted as learning content by external id
/// (<c>{cohortId}-{stepId}</c>), and each participant's steps become required assignments whose external id is
/// deterministic (<c>{cohortId}-{stepId}-{participantId}</c>): an assignment is looked up by that id before it is
/// created, so a retry never creates a twin.
/// </summary>
public sealed class VivaLearning(GraphServiceClient graph, string providerId)
{
    /// <summary>The external id of a step's content.</summary>
    public static string ContentId(string cohortId, LearningStep step)
    {
        ArgumentNullException.ThrowIfNull(step);
        return $"{cohortId}-{step.StepId}";
    }

    /// <summary>The external id of one participant's assignment to one step.</summary>
    public static string AssignmentId(string cohortId, LearningStep step, string participantId) => $"{ContentId(cohortId, step)}-{participantId}";

    /// <summary>Creates or replaces the step's learning content; returns Viva Learning's id for it.</summary>
    public async Task<string> UpsertContentAsync(CohortPlan plan, LearningStep step, Uri contentUrl, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(plan);
        ArgumentNullException.ThrowIfNull(step);
        LearningContent? content = await graph.EmployeeExperience.LearningProviders[providerId].LearningContentsWithExternalId(ContentId(plan.Id, step)).PatchAsync(
            new LearningContent
            {
                Title = step.Title,
                Description = step.Instructions,
                ContentWebUrl = contentUrl.ToString(),
                LanguageTag = "en-us",
                Format = step.Kind.ToString(),
                IsActive = true,
                IsSearchable = false, // cohort work, not catalogue content
                // the step's xAPI activity id: statements about it complete or score the step in Cohorts
                AdditionalTags = [plan.UseCase.Title, TrackNames.Name(step.Track), Xapi.ActivityId(plan.Id, step.StepId)],
            },
            cancellationToken: cancellationToken);
        return content?.Id ?? throw new InvalidOperationException($"Viva Learning answered no content for '{ContentId(plan.Id, step)}'.");
    }

    /// <summary>
    /// The required assignment of <paramref name="learnerUserId"/> (a directory object id) to the content, due at
    /// <paramref name="dueAt"/>: the existing one when its external id is known, otherwise a new one.
    /// </summary>
    public async Task<(LearningCourseActivity Assignment, bool Created)> AssignAsync(
        string externalId, string learnerUserId, string contentId, DateTimeOffset assignedAt, DateTimeOffset dueAt, CancellationToken cancellationToken)
    {
        try
        {
            LearningCourseActivity? existing = await graph.EmployeeExperience.LearningProviders[providerId]
                .LearningCourseActivitiesWithExternalcourseActivityId(externalId).GetAsync(cancellationToken: cancellationToken);
            if (existing is not null)
            {
                return (existing, false);
            }
        }
        catch (ODataError missing) when (missing.ResponseStatusCode == 404)
        {
            // not assigned yet
        }

        LearningCourseActivity created = await graph.EmployeeExperience.LearningProviders[providerId].LearningCourseActivities.PostAsync(
            new LearningAssignment
            {
                OdataType = "#microsoft.graph.learningAssignment",
                AssignedDateTime = assignedAt,
                AssignmentType = AssignmentType.Required,
                DueDateTime = new DateTimeTimeZone { DateTime = dueAt.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.fffffff", System.Globalization.CultureInfo.InvariantCulture), TimeZone = "UTC" },
                ExternalcourseActivityId = externalId,
                LearningContentId = contentId,
                LearnerUserId = learnerUserId,
                Status = CourseStatus.NotStarted,
            },
            cancellationToken: cancellationToken) ?? throw new InvalidOperationException($"Viva Learning answered no assignment for '{externalId}'.");
        return (created, true);
    }
}
