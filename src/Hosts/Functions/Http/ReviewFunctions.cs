using Cohorts.Api;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Azure.Functions.Worker;
using Microsoft.DurableTask.Client;

namespace Cohorts.Functions.Http;

/// <summary>The review and LMS routes as HTTP triggers over the shared handlers.</summary>
public sealed class ReviewFunctions(ReviewEndpoints reviews, LmsEndpoints lms)
{
    /// <summary><c>POST /api/cohorts/{cohortId}/submissions</c>.</summary>
    [Function(nameof(ApiRoutes.CreateSubmission))]
    public Task<IActionResult> CreateSubmission(
        [HttpTrigger(AuthorizationLevel.Function, "post", Route = "cohorts/{cohortId}/submissions")] HttpRequest request,
        string cohortId,
        [DurableClient] DurableTaskClient client,
        CancellationToken cancellationToken) =>
        FunctionGate.RunAsync(request, ApiRoutes.CreateSubmission, () => reviews.SubmitAsync(request, cohortId, client, cancellationToken));

    /// <summary><c>GET /api/submissions</c>.</summary>
    [Function(nameof(ApiRoutes.ListSubmissions))]
    public Task<IActionResult> ListSubmissions(
        [HttpTrigger(AuthorizationLevel.Function, "get", Route = "submissions")] HttpRequest request,
        CancellationToken cancellationToken) =>
        FunctionGate.RunAsync(request, ApiRoutes.ListSubmissions, () => reviews.ListAsync(request, cancellationToken));

    /// <summary><c>GET /api/submissions/{submissionId}</c>.</summary>
    [Function(nameof(ApiRoutes.GetSubmission))]
    public Task<IActionResult> GetSubmission(
        [HttpTrigger(AuthorizationLevel.Function, "get", Route = "submissions/{submissionId}")] HttpRequest request,
        string submissionId,
        CancellationToken cancellationToken) =>
        FunctionGate.RunAsync(request, ApiRoutes.GetSubmission, () => reviews.GetAsync(request, submissionId, cancellationToken));

    /// <summary><c>POST /api/submissions/{submissionId}/review</c>.</summary>
    [Function(nameof(ApiRoutes.ReviewSubmission))]
    public Task<IActionResult> ReviewSubmission(
        [HttpTrigger(AuthorizationLevel.Function, "post", Route = "submissions/{submissionId}/review")] HttpRequest request,
        string submissionId,
        [DurableClient] DurableTaskClient client,
        CancellationToken cancellationToken) =>
        FunctionGate.RunAsync(request, ApiRoutes.ReviewSubmission, () => reviews.ReviewAsync(request, submissionId, client, cancellationToken));

    /// <summary><c>GET /api/cohorts/{cohortId}/lms/{format}</c>.</summary>
    [Function(nameof(ApiRoutes.ExportLms))]
    public Task<IActionResult> ExportLms(
        [HttpTrigger(AuthorizationLevel.Function, "get", Route = "cohorts/{cohortId}/lms/{format}")] HttpRequest request,
        string cohortId,
        string format,
        CancellationToken cancellationToken) =>
        FunctionGate.RunAsync(request, ApiRoutes.ExportLms, () => lms.ExportAsync(cohortId, format, cancellationToken));

    /// <summary><c>POST /api/cohorts/{cohortId}/completions</c>.</summary>
    [Function(nameof(ApiRoutes.ImportCompletions))]
    public Task<IActionResult> ImportCompletions(
        [HttpTrigger(AuthorizationLevel.Function, "post", Route = "cohorts/{cohortId}/completions")] HttpRequest request,
        string cohortId,
        CancellationToken cancellationToken) =>
        FunctionGate.RunAsync(request, ApiRoutes.ImportCompletions, () => lms.ImportCompletionsAsync(request, cohortId, cancellationToken));
}
