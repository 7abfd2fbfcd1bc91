using Cohorts.Domain;
using Cohorts.Domain.Enrolment;
using Cohorts.Domain.Learning;
using Cohorts.Domain.Reviews;
using Cohorts.Workflows;
using Cohorts.Workflows.Contracts;
using Cohorts.Workflows.Orchestrators;
using Microsoft.AspNetCore.Http;
using Microsoft.DurableTask.Client;

namespace Cohorts.Api;

/// <summary>A participant's work for a demonstration step (<c>POST /api/cohorts/{cohortId}/submissions</c>).</summary>
public sealed record SubmissionRequest(string? ParticipantId, string? StepId, string? ArtifactUrl);

/// <summary>A verdict (<c>POST /api/submissions/{submissionId}/review</c>).</summary>
public sealed record ReviewRequest(string? Verdict, string? Feedback, Dictionary<string, int>? Rubric);

/// <summary>
/// The handlers of the review routes: a submission starts its review orchestration (attempt n+1 after rework); a verdict
/// is recorded once, by whoever may decide, and then the orchestration is told.
/// </summary>
public sealed class ReviewEndpoints(ICohortStore cohorts, IRosterStore roster, ISubmissionStore submissions, TimeProvider time)
{
    /// <summary>The longest feedback accepted.</summary>
    public const int MaxFeedback = 8000;

    /// <summary><c>POST /api/cohorts/{cohortId}/submissions</c>: 202 with the submission; the same Idempotency-Key again answers the same.</summary>
    public async Task<IResult> SubmitAsync(HttpRequest request, string cohortId, DurableTaskClient client, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        (SubmissionRequest? body, ApiProblem? problem) = await RequestBody.ReadJsonAsync<SubmissionRequest>(request, cancellationToken);
        if (body is null)
        {
            return ApiResult.Problem(problem!);
        }

        CohortRecord? cohort = EntityIds.Validate(cohortId) is null ? await cohorts.GetAsync(cohortId, cancellationToken) : null;
        if (cohort is null)
        {
            return ApiResult.Problem(Problems.CohortNotFound(cohortId));
        }

        if (cohort.Status.IsTerminal())
        {
            return ApiResult.Problem(Problems.CohortClosed(cohortId, cohort.Status));
        }

        if (string.IsNullOrWhiteSpace(body.ParticipantId))
        {
            return ApiResult.Problem(Problems.MissingField("participantId"));
        }

        if (string.IsNullOrWhiteSpace(body.StepId))
        {
            return ApiResult.Problem(Problems.MissingField("stepId"));
        }

        if (!Uri.TryCreate(body.ArtifactUrl, UriKind.Absolute, out Uri? artifact) || artifact.Scheme is not ("https" or "http"))
        {
            return ApiResult.Problem(ApiProblem.Of(400, "invalidArtifactUrl", "Not a link to the work", "artifactUrl is an absolute http(s) link to the submitted work.", "artifactUrl"));
        }

        Participant? participant = await roster.GetAsync(cohortId, body.ParticipantId, cancellationToken);
        if (participant is null)
        {
            return ApiResult.Problem(ApiProblem.Of(404, "participantNotFound", "No such participant", $"Nobody with id '{body.ParticipantId}' is on the roster of cohort '{cohortId}'.", "participantId"));
        }

        if (participant.Status != ParticipantStatus.Active || participant.Track is not { } track)
        {
            return ApiResult.Problem(ApiProblem.Of(409, "participantNotActive", "The participant has no active track",
                participant.Status != ParticipantStatus.Active ? "The participant is suspended." : "The participant is in triage: place them on a track first.", "participantId"));
        }

        LearningStep? step = LearningPaths.For(cohort.Plan, track).FirstOrDefault(s => s.StepId == body.StepId);
        if (step is null || !step.IsDemonstration)
        {
            string demonstrations = string.Join(", ", LearningPaths.For(cohort.Plan, track).Where(s => s.IsDemonstration).Select(s => s.StepId));
            return ApiResult.Problem(ApiProblem.Of(400, "notADemonstration", "Not a demonstration step of this participant's path",
                $"'{body.StepId}' is not a capability demonstration on the {TrackNames.Name(track)} path; those are: {demonstrations}.", "stepId"));
        }

        string? idempotencyKey = request.Headers["Idempotency-Key"].FirstOrDefault();
        IReadOnlyList<Submission> attempts = (await submissions.ListForParticipantAsync(cohortId, participant.EmployeeId, cancellationToken))
            .Where(s => s.StepId == step.StepId).OrderBy(s => s.Attempt).ToList();
        if (idempotencyKey is { Length: > 0 } && attempts.FirstOrDefault(s => s.IdempotencyKey == idempotencyKey) is { } earlier)
        {
            await EnsureReviewAsync(earlier, client, cancellationToken);
            return Accepted(earlier);
        }

        if (attempts.Count > 0 && attempts[^1] is { } last)
        {
            if (last.IsOpen)
            {
                return ApiResult.Problem(ApiProblem.Of(409, "reviewInProgress", "An attempt is awaiting review",
                    $"Attempt {last.Attempt} ({last.SubmissionId}) is awaiting its verdict; resubmit after a rework verdict.", "stepId"));
            }

            if (last.Decision?.Verdict == Verdict.Accepted)
            {
                return ApiResult.Problem(ApiProblem.Of(409, "alreadyAccepted", "The demonstration is already accepted",
                    $"Attempt {last.Attempt} ({last.SubmissionId}) was accepted.", "stepId"));
            }
        }

        int attempt = attempts.Count == 0 ? 1 : attempts[^1].Attempt + 1;
        Reviewer? reviewer = ReviewerPool.Choose(cohort.Plan, track, await submissions.OpenReviewsAsync(cohortId, cancellationToken));
        if (reviewer is null)
        {
            return ApiResult.Problem(ApiProblem.Of(409, "noReviewer", "Nobody reviews this track",
                $"Cohort '{cohortId}' has no reviewer for the {TrackNames.Name(track)} track; add one to the plan's reviewers.", "stepId"));
        }

        DateTimeOffset now = time.GetUtcNow();
        ReviewPolicy policy = cohort.Plan.ReviewPolicy;
        var submission = new Submission(
            Submission.IdFor(cohortId, participant.EmployeeId, step.StepId, attempt), cohortId, participant.EmployeeId, step.StepId, track, artifact,
            attempt, now, reviewer.Id, now + policy.Reminder, now + policy.Window, SubmissionStatus.AwaitingReview, string.IsNullOrEmpty(idempotencyKey) ? null : idempotencyKey);
        // the review starts unless it exists, so a crash between storing and starting is repaired by the retry
        (Submission stored, _) = await submissions.CreateAsync(submission, cancellationToken);
        await EnsureReviewAsync(stored, client, cancellationToken);
        return Accepted(stored);
    }

    /// <summary><c>GET /api/submissions/{submissionId}</c>: review state, SLA clock and verdict.</summary>
    public async Task<IResult> GetAsync(string submissionId, CancellationToken cancellationToken)
    {
        Submission? submission = Submission.CohortOf(submissionId ?? string.Empty) is null ? null : await submissions.GetAsync(submissionId!, cancellationToken);
        return submission is null
            ? ApiResult.Problem(NotFound(submissionId))
            : ApiResult.Json(StatusCodes.Status200OK, SubmissionView.From(submission, time.GetUtcNow()));
    }

    /// <summary>
    /// <c>POST /api/submissions/{submissionId}/review</c>: 200 with the decided submission; 404 unknown; 403 not the
    /// caller's to decide; 409 already decided (exactly one decision is ever recorded).
    /// </summary>
    public async Task<IResult> ReviewAsync(HttpRequest request, string submissionId, DurableTaskClient client, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        ArgumentNullException.ThrowIfNull(client);
        (ReviewRequest? body, ApiProblem? problem) = await RequestBody.ReadJsonAsync<ReviewRequest>(request, cancellationToken);
        if (body is null)
        {
            return ApiResult.Problem(problem!);
        }

        Submission? submission = Submission.CohortOf(submissionId ?? string.Empty) is null ? null : await submissions.GetAsync(submissionId!, cancellationToken);
        if (submission is null)
        {
            return ApiResult.Problem(NotFound(submissionId));
        }

        if (ValidateVerdict(body) is { } invalid)
        {
            return ApiResult.Problem(invalid);
        }

        string caller = ApiRoles.CallerId(request.HttpContext.User) ?? string.Empty;
        if (!request.HttpContext.User.IsInRole(ApiRoles.Admin) && !submission.MayBeDecidedBy(caller))
        {
            return ApiResult.Problem(ApiProblem.Of(403, "notYourReview", "Not yours to decide",
                $"Submission '{submission.SubmissionId}' is assigned to {submission.ReviewerId}" + (submission.EscalatedTo is { Count: > 0 } chain ? $" (escalated to {string.Join(", ", chain)})" : string.Empty) + "."));
        }

        var decision = new ReviewDecision(
            string.Equals(body.Verdict, "accepted", StringComparison.Ordinal) ? Verdict.Accepted : Verdict.Rework,
            body.Feedback!.Trim(), body.Rubric, caller, time.GetUtcNow());
        Submission after = await submissions.UpdateAsync(submission.SubmissionId, s => s.IsOpen ? s.WithDecision(decision) : s, cancellationToken);
        // raised on every answer: a verdict recorded by a request that died before it told the orchestration is told now
        await TellReviewAsync(after, client, cancellationToken);
        return after.Decision == decision
            ? ApiResult.Json(StatusCodes.Status200OK, SubmissionView.From(after, time.GetUtcNow()))
            : ApiResult.Problem(ApiProblem.Of(409, "alreadyDecided", "Already decided",
                $"Submission '{after.SubmissionId}' was {Naming.Camel(after.Status)} by {after.Decision!.DecidedBy}; a resubmission is a new submission."));
    }

    private static ApiProblem? ValidateVerdict(ReviewRequest body)
    {
        if (body.Verdict is not ("accepted" or "rework"))
        {
            return ApiProblem.Of(400, "invalidVerdict", "Not a verdict", "verdict is \"accepted\" or \"rework\".", "verdict");
        }

        if (string.IsNullOrWhiteSpace(body.Feedback) || body.Feedback.Length > MaxFeedback)
        {
            return ApiProblem.Of(400, "invalidFeedback", "Feedback is required", $"feedback is the reviewer's words to the participant, 1 to {MaxFeedback} characters.", "feedback");
        }

        if (body.Rubric?.FirstOrDefault(p => string.IsNullOrWhiteSpace(p.Key) || p.Key.Length > 64 || p.Value is < 0 or > 100) is { Key: not null } bad)
        {
            return ApiProblem.Of(400, "invalidRubric", "Not a rubric score", $"rubric.{bad.Key}: a criterion (at most 64 characters) scores 0 to 100.", $"rubric.{bad.Key}");
        }

        return body.Rubric is { Count: > 50 }
            ? ApiProblem.Of(400, "invalidRubric", "Too many rubric criteria", "rubric holds at most 50 criteria.", "rubric")
            : null;
    }

    private static Task EnsureReviewAsync(Submission submission, DurableTaskClient client, CancellationToken cancellationToken) =>
        DurableStarts.EnsureStartedAsync(
            client,
            nameof(ReviewOrchestrator),
            new ReviewInput(submission.SubmissionId, submission.RemindAt, submission.DueAt),
            InstanceIds.Review(submission.SubmissionId),
            cancellationToken);

    private static async Task TellReviewAsync(Submission submission, DurableTaskClient client, CancellationToken cancellationToken)
    {
        string instanceId = InstanceIds.Review(submission.SubmissionId);
        if (await client.GetInstanceAsync(instanceId, cancellationToken) is { IsCompleted: false })
        {
            await client.RaiseEventAsync(instanceId, ReviewOrchestrator.ReviewCompletedEvent, Naming.Camel(submission.Decision!.Verdict), cancellationToken);
        }
    }

    private static IResult Accepted(Submission submission) =>
        ApiResult.Json(StatusCodes.Status202Accepted, SubmissionView.From(submission, submission.SubmittedAt))
            .WithHeader("Location", $"/api/submissions/{submission.SubmissionId}");


    private static ApiProblem NotFound(string? submissionId) =>
        ApiProblem.Of(404, "submissionNotFound", "No such submission", $"There is no submission '{submissionId}'.", "submissionId");
}

/// <summary>A submission as the API shows it: review state, SLA clock and verdict.</summary>
public sealed record SubmissionView(
    string SubmissionId,
    string CohortId,
    string ParticipantId,
    string StepId,
    Track Track,
    int Attempt,
    Uri ArtifactUrl,
    SubmissionStatus Status,
    string ReviewerId,
    DateTimeOffset SubmittedAt,
    DateTimeOffset RemindAt,
    DateTimeOffset DueAt,
    TimeSpan? Remaining,
    DateTimeOffset? RemindedAt,
    DateTimeOffset? EscalatedAt,
    IReadOnlyList<string> EscalatedTo,
    bool SlaBreached,
    DateTimeOffset? DecidedAt,
    string? DecidedBy,
    Verdict? Verdict,
    string? Feedback,
    IReadOnlyDictionary<string, int>? Rubric,
    TimeSpan? TimeToFeedback)
{
    /// <summary>The view of <paramref name="s"/> at <paramref name="now"/> (the SLA time remaining while it is open).</summary>
    public static SubmissionView From(Submission s, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(s);
        TimeSpan? remaining = s.IsOpen ? (s.DueAt > now ? s.DueAt - now : TimeSpan.Zero) : null;
        return new(s.SubmissionId, s.CohortId, s.ParticipantId, s.StepId, s.Track, s.Attempt, s.ArtifactUrl, s.Status, s.ReviewerId, s.SubmittedAt,
            s.RemindAt, s.DueAt, remaining, s.RemindedAt, s.EscalatedAt, s.EscalatedTo ?? [], s.SlaBreached || (s.IsOpen && now > s.DueAt),
            s.Decision?.DecidedAt, s.Decision?.DecidedBy, s.Decision?.Verdict, s.Decision?.Feedback, s.Decision?.Rubric, s.TimeToFeedback);
    }
}
