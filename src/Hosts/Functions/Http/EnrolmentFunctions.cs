using Cohorts.Api;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Azure.Functions.Worker;
using Microsoft.DurableTask.Client;

namespace Cohorts.Functions.Http;

/// <summary>The enrolment routes as HTTP triggers over the shared handlers.</summary>
public sealed class EnrolmentFunctions(EnrolmentEndpoints enrolment)
{
    /// <summary><c>POST /api/cohorts/{cohortId}/imports</c>.</summary>
    [Function(nameof(ApiRoutes.StartImport))]
    public Task<IActionResult> StartImport(
        [HttpTrigger(AuthorizationLevel.Function, "post", Route = "cohorts/{cohortId}/imports")] HttpRequest request,
        string cohortId,
        [DurableClient] DurableTaskClient client,
        CancellationToken cancellationToken) =>
        FunctionGate.RunAsync(request, ApiRoutes.StartImport, () => enrolment.StartImportAsync(request, cohortId, client, cancellationToken));

    /// <summary><c>GET /api/cohorts/{cohortId}/imports</c>.</summary>
    [Function(nameof(ApiRoutes.ListImports))]
    public Task<IActionResult> ListImports(
        [HttpTrigger(AuthorizationLevel.Function, "get", Route = "cohorts/{cohortId}/imports")] HttpRequest request,
        string cohortId,
        CancellationToken cancellationToken) =>
        FunctionGate.RunAsync(request, ApiRoutes.ListImports, () => enrolment.ListImportsAsync(request, cohortId, cancellationToken));

    /// <summary><c>GET /api/cohorts/{cohortId}/imports/{importId}</c>.</summary>
    [Function(nameof(ApiRoutes.GetImport))]
    public Task<IActionResult> GetImport(
        [HttpTrigger(AuthorizationLevel.Function, "get", Route = "cohorts/{cohortId}/imports/{importId}")] HttpRequest request,
        string cohortId,
        string importId,
        CancellationToken cancellationToken) =>
        FunctionGate.RunAsync(request, ApiRoutes.GetImport, () => enrolment.GetImportAsync(request, cohortId, importId, cancellationToken));

    /// <summary><c>POST /api/cohorts/{cohortId}/imports/{importId}/apply</c>.</summary>
    [Function(nameof(ApiRoutes.ApplyImport))]
    public Task<IActionResult> ApplyImport(
        [HttpTrigger(AuthorizationLevel.Function, "post", Route = "cohorts/{cohortId}/imports/{importId}/apply")] HttpRequest request,
        string cohortId,
        string importId,
        [DurableClient] DurableTaskClient client,
        CancellationToken cancellationToken) =>
        FunctionGate.RunAsync(request, ApiRoutes.ApplyImport, () => enrolment.ApplyImportAsync(request, cohortId, importId, client, cancellationToken));

    /// <summary><c>GET /api/cohorts/{cohortId}/participants</c>.</summary>
    [Function(nameof(ApiRoutes.ListParticipants))]
    public Task<IActionResult> ListParticipants(
        [HttpTrigger(AuthorizationLevel.Function, "get", Route = "cohorts/{cohortId}/participants")] HttpRequest request,
        string cohortId,
        CancellationToken cancellationToken) =>
        FunctionGate.RunAsync(request, ApiRoutes.ListParticipants, () => enrolment.ListParticipantsAsync(request, cohortId, cancellationToken));

    /// <summary><c>GET /api/cohorts/{cohortId}/participants/{participantId}</c>.</summary>
    [Function(nameof(ApiRoutes.GetParticipant))]
    public Task<IActionResult> GetParticipant(
        [HttpTrigger(AuthorizationLevel.Function, "get", Route = "cohorts/{cohortId}/participants/{participantId}")] HttpRequest request,
        string cohortId,
        string participantId,
        CancellationToken cancellationToken) =>
        FunctionGate.RunAsync(request, ApiRoutes.GetParticipant, () => enrolment.GetParticipantAsync(request, cohortId, participantId, cancellationToken));

    /// <summary><c>PUT /api/cohorts/{cohortId}/participants/{participantId}/track</c>.</summary>
    [Function(nameof(ApiRoutes.SetParticipantTrack))]
    public Task<IActionResult> SetParticipantTrack(
        [HttpTrigger(AuthorizationLevel.Function, "put", Route = "cohorts/{cohortId}/participants/{participantId}/track")] HttpRequest request,
        string cohortId,
        string participantId,
        CancellationToken cancellationToken) =>
        FunctionGate.RunAsync(request, ApiRoutes.SetParticipantTrack, () => enrolment.SetTrackAsync(request, cohortId, participantId, cancellationToken));
}
