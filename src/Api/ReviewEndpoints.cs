using Cohorts.Application.Reviews;
using Cohorts.Domain;
using Cohorts.Domain.Access;
using Cohorts.Domain.Reviews;
using Microsoft.AspNetCore.Http;
using Microsoft.DurableTask.Client;

namespace Cohorts.Api;

/// <summary>A participant's work for a demonstration step (<c>POST /api/cohorts/{cohortId}/submissions</c>).</summary>
public sealed record SubmissionRequest(string? ParticipantId, string? StepId, string? ArtifactUrl);

/// <summary>A verdict (<c>POST /api/submissions/{submissionId}/review</c>).</summary>
public sealed record ReviewRequest(string? Verdict, string? Feedback, Dictionary<string, int>? Rubric);

/// <summary>The review routes: each binds the request, calls <see cref="ReviewService"/> and maps its result.</summary>
public sealed class ReviewEndpoints(ReviewService reviews, TimeProvider time)
{
    /// <summary><c>POST /api/cohorts/{cohortId}/submissions</c>: 202 with the submission; the same Idempotency-Key again answers the same.</summary>
    public async Task<IResult> SubmitAsync(HttpRequest request, string cohortId, DurableTaskClient client, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        (SubmissionRequest? body, ApiProblem? problem) = await RequestBody.ReadJsonAsync<SubmissionRequest>(request, cancellationToken);
        if (body is null)
        {
            return ApiResult.Problem(problem!);
        }

        var work = new SubmitWork(cohortId, body.ParticipantId, body.StepId, body.ArtifactUrl, request.Headers["Idempotency-Key"].FirstOrDefault());
        Result<Submission> submitted = await reviews.SubmitAsync(work, time.GetUtcNow(), client, cancellationToken);
        return submitted.Value is { } submission
            ? ApiResult.Json(StatusCodes.Status202Accepted, SubmissionView.From(submission, submission.SubmittedAt)).WithHeader("Location", $"/api/submissions/{submission.SubmissionId}")
            : ApiResult.Failure(submitted.Failure!);
    }

    /// <summary><c>GET /api/submissions/{submissionId}</c>: review state, SLA clock and verdict.</summary>
    public async Task<IResult> GetAsync(HttpRequest request, string submissionId, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        Caller caller = ApiRoles.CallerOf(request.HttpContext.User);
        return View(await reviews.GetAsync(submissionId, s => caller.MaySee(s, ApiRoutes.GetSubmission.Roles), cancellationToken));
    }

    /// <summary>
    /// <c>GET /api/submissions?cohortId=&amp;status=&amp;reviewerId=&amp;pageSize=&amp;continuationToken=</c>: oldest due first;
    /// a caller who is only a reviewer gets their own queue.
    /// </summary>
    public async Task<IResult> ListAsync(HttpRequest request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        (int pageSize, string? token, ApiProblem? badPage) = Paging.Read(request.Query, standard: 50, most: 200);
        if (badPage is not null)
        {
            return ApiResult.Problem(badPage);
        }

        Caller caller = ApiRoles.CallerOf(request.HttpContext.User);
        bool ownQueue = !caller.Holds(ApiRoles.Hr) && !caller.Holds(ApiRoles.Integrator);
        var query = new SubmissionListQuery(Text(request, "cohortId"), Text(request, "status"), Text(request, "reviewerId"), caller.Id, ownQueue, pageSize, token)
        {
            Visible = s => caller.MaySee(s, ApiRoutes.ListSubmissions.Roles),
        };
        Result<SubmissionPage> page = await reviews.ListAsync(query, cancellationToken);
        DateTimeOffset now = time.GetUtcNow();
        return page.Value is { } found
            ? ApiResult.Json(StatusCodes.Status200OK, new SubmissionPageView(found.Items.Select(s => SubmissionView.From(s, now)).ToList(), found.ContinuationToken))
            : ApiResult.Failure(page.Failure!);
    }

    private static string? Text(HttpRequest request, string name) =>
        request.Query[name] is { Count: > 0 } value ? value.ToString() : null;

    /// <summary>
    /// <c>POST /api/submissions/{submissionId}/review</c>: 200 with the decided submission; 404 unknown; 403 not the
    /// caller's to decide; 409 already decided.
    /// </summary>
    public async Task<IResult> ReviewAsync(HttpRequest request, string submissionId, DurableTaskClient client, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        (ReviewRequest? body, ApiProblem? problem) = await RequestBody.ReadJsonAsync<ReviewRequest>(request, cancellationToken);
        if (body is null)
        {
            return ApiResult.Problem(problem!);
        }

        var review = new DecideReview(submissionId, body.Verdict, body.Feedback, body.Rubric, ApiRoles.CallerOf(request.HttpContext.User));
        return View(await reviews.DecideAsync(review, time.GetUtcNow(), client, cancellationToken));
    }

    private IResult View(Result<Submission> result) =>
        result.Value is { } submission
            ? ApiResult.Json(StatusCodes.Status200OK, SubmissionView.From(submission, time.GetUtcNow()))
            : ApiResult.Failure(result.Failure!);
}

/// <summary>A page of submissions.</summary>
public sealed record SubmissionPageView(IReadOnlyList<SubmissionView> Items, string? ContinuationToken);

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
    TimeSpan? TimeToFeedback,
    IReadOnlyList<ReviewerMove> Moves)
{
    /// <summary>The view of <paramref name="s"/> at <paramref name="now"/> (the SLA time remaining while it is open).</summary>
    public static SubmissionView From(Submission s, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(s);
        TimeSpan? remaining = s.IsOpen ? (s.DueAt > now ? s.DueAt - now : TimeSpan.Zero) : null;
        return new(s.SubmissionId, s.CohortId, s.ParticipantId, s.StepId, s.Track, s.Attempt, s.ArtifactUrl, s.Status, s.ReviewerId, s.SubmittedAt,
            s.RemindAt, s.DueAt, remaining, s.RemindedAt, s.EscalatedAt, s.EscalatedTo ?? [], s.SlaBreached || (s.IsOpen && now > s.DueAt),
            s.Decision?.DecidedAt, s.Decision?.DecidedBy, s.Decision?.Verdict, s.Decision?.Feedback, s.Decision?.Rubric, s.TimeToFeedback, s.Moves ?? []);
    }
}
