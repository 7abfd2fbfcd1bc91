using Cohorts.Api;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Azure.Functions.Worker;

namespace Cohorts.Functions.Http;

/// <summary>The practice routes (a use case's data extract, sandbox links) as HTTP triggers over the shared handlers.</summary>
public sealed class PracticeFunctions(PracticeEndpoints practice)
{
    /// <summary><c>PUT /api/cohorts/{cohortId}/extract/{fileName}</c>.</summary>
    [Function(nameof(ApiRoutes.PutExtractFile))]
    public Task<IActionResult> PutExtractFile(
        [HttpTrigger(AuthorizationLevel.Function, "put", Route = "cohorts/{cohortId}/extract/{fileName}")] HttpRequest request,
        string cohortId,
        string fileName,
        CancellationToken cancellationToken) =>
        FunctionGate.RunAsync(request, ApiRoutes.PutExtractFile, () => practice.PutExtractAsync(request, cohortId, fileName, cancellationToken));

    /// <summary><c>POST /api/cohorts/{cohortId}/participants/{participantId}/sandbox-access</c>.</summary>
    [Function(nameof(ApiRoutes.IssueSandboxAccess))]
    public Task<IActionResult> IssueSandboxAccess(
        [HttpTrigger(AuthorizationLevel.Function, "post", Route = "cohorts/{cohortId}/participants/{participantId}/sandbox-access")] HttpRequest request,
        string cohortId,
        string participantId,
        CancellationToken cancellationToken) =>
        FunctionGate.RunAsync(request, ApiRoutes.IssueSandboxAccess, () => practice.IssueSandboxAccessAsync(cohortId, participantId, cancellationToken));
}
