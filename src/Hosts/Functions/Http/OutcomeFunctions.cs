using Cohorts.Api;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Azure.Functions.Worker;

namespace Cohorts.Functions.Http;

/// <summary>The outcome and report routes as HTTP triggers over the shared handlers.</summary>
public sealed class OutcomeFunctions(OutcomeEndpoints outcomes)
{
    /// <summary><c>POST /api/cohorts/{cohortId}/outcomes</c>.</summary>
    [Function(nameof(ApiRoutes.PostOutcome))]
    public Task<IActionResult> PostOutcome(
        [HttpTrigger(AuthorizationLevel.Function, "post", Route = "cohorts/{cohortId}/outcomes")] HttpRequest request,
        string cohortId,
        CancellationToken cancellationToken) =>
        FunctionGate.RunAsync(request, ApiRoutes.PostOutcome, () => outcomes.PostAsync(request, cohortId, cancellationToken));

    /// <summary><c>GET /api/cohorts/{cohortId}/reports</c>.</summary>
    [Function(nameof(ApiRoutes.ListReports))]
    public Task<IActionResult> ListReports(
        [HttpTrigger(AuthorizationLevel.Function, "get", Route = "cohorts/{cohortId}/reports")] HttpRequest request,
        string cohortId,
        CancellationToken cancellationToken) =>
        FunctionGate.RunAsync(request, ApiRoutes.ListReports, () => outcomes.ListReportsAsync(cohortId, cancellationToken));

    /// <summary><c>GET /api/cohorts/{cohortId}/reports/{checkpoint}?format=html|csv|json</c>.</summary>
    [Function(nameof(ApiRoutes.GetReport))]
    public Task<IActionResult> GetReport(
        [HttpTrigger(AuthorizationLevel.Function, "get", Route = "cohorts/{cohortId}/reports/{checkpoint}")] HttpRequest request,
        string cohortId,
        string checkpoint,
        CancellationToken cancellationToken) =>
        FunctionGate.RunAsync(request, ApiRoutes.GetReport, () => outcomes.GetReportAsync(cohortId, checkpoint, request.Query["format"].FirstOrDefault(), cancellationToken));
}
