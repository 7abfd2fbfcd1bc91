using Cohorts.Api;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Azure.Functions.Worker;
using Microsoft.DurableTask.Client;

namespace Cohorts.Functions.Http;

/// <summary>
/// The Functions route table: one HTTP trigger per route of <see cref="ApiRoutes"/>, each calling the shared handler.
/// Routes and methods are written out here (attributes need constants); a test compares them with the server's.
/// </summary>
public sealed class ApiFunctions(CohortEndpoints cohorts, SystemEndpoints system)
{
    /// <summary><c>GET /api/health</c>.</summary>
    [Function(nameof(ApiRoutes.Health))]
    public Task<IActionResult> Health(
        [HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "health")] HttpRequest request,
        [DurableClient] DurableTaskClient client,
        CancellationToken cancellationToken) =>
        FunctionGate.RunAsync(request, ApiRoutes.Health, () => system.HealthAsync(client, cancellationToken));

    /// <summary><c>GET /api/openapi.json</c>.</summary>
    [Function(nameof(ApiRoutes.OpenApi))]
    public static Task<IActionResult> OpenApi(
        [HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "openapi.json")] HttpRequest request) =>
        FunctionGate.RunAsync(request, ApiRoutes.OpenApi, () => Task.FromResult(SystemEndpoints.OpenApi()));

    /// <summary><c>GET /api/docs</c>.</summary>
    [Function(nameof(ApiRoutes.Docs))]
    public static Task<IActionResult> Docs(
        [HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "docs")] HttpRequest request) =>
        FunctionGate.RunAsync(request, ApiRoutes.Docs, () => Task.FromResult(SystemEndpoints.Docs()));

    /// <summary><c>POST /api/cohorts</c>.</summary>
    [Function(nameof(ApiRoutes.CreateCohort))]
    public Task<IActionResult> CreateCohort(
        [HttpTrigger(AuthorizationLevel.Function, "post", Route = "cohorts")] HttpRequest request,
        [DurableClient] DurableTaskClient client,
        CancellationToken cancellationToken) =>
        FunctionGate.RunAsync(request, ApiRoutes.CreateCohort, () => cohorts.CreateCohortAsync(request, client, cancellationToken));

    /// <summary><c>GET /api/cohorts</c>.</summary>
    [Function(nameof(ApiRoutes.ListCohorts))]
    public Task<IActionResult> ListCohorts(
        [HttpTrigger(AuthorizationLevel.Function, "get", Route = "cohorts")] HttpRequest request,
        CancellationToken cancellationToken) =>
        FunctionGate.RunAsync(request, ApiRoutes.ListCohorts, () => cohorts.ListCohortsAsync(request, cancellationToken));

    /// <summary><c>GET /api/cohorts/{cohortId}</c>.</summary>
    [Function(nameof(ApiRoutes.GetCohort))]
    public Task<IActionResult> GetCohort(
        [HttpTrigger(AuthorizationLevel.Function, "get", Route = "cohorts/{cohortId}")] HttpRequest request,
        string cohortId,
        [DurableClient] DurableTaskClient client,
        CancellationToken cancellationToken) =>
        FunctionGate.RunAsync(request, ApiRoutes.GetCohort, () => cohorts.GetCohortAsync(cohortId, client, cancellationToken));

    /// <summary><c>PATCH /api/cohorts/{cohortId}</c>.</summary>
    [Function(nameof(ApiRoutes.PatchCohort))]
    public Task<IActionResult> PatchCohort(
        [HttpTrigger(AuthorizationLevel.Function, "patch", Route = "cohorts/{cohortId}")] HttpRequest request,
        string cohortId,
        [DurableClient] DurableTaskClient client,
        CancellationToken cancellationToken) =>
        FunctionGate.RunAsync(request, ApiRoutes.PatchCohort, () => cohorts.PatchCohortAsync(request, cohortId, client, cancellationToken));

    /// <summary><c>POST /api/cohorts/{cohortId}/cancel</c>.</summary>
    [Function(nameof(ApiRoutes.CancelCohort))]
    public Task<IActionResult> CancelCohort(
        [HttpTrigger(AuthorizationLevel.Function, "post", Route = "cohorts/{cohortId}/cancel")] HttpRequest request,
        string cohortId,
        [DurableClient] DurableTaskClient client,
        CancellationToken cancellationToken) =>
        FunctionGate.RunAsync(request, ApiRoutes.CancelCohort, () => cohorts.CancelCohortAsync(cohortId, client, cancellationToken));
}
