using Cohorts.Api;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Azure.Functions.Worker;

namespace Cohorts.Functions.Http;

/// <summary>The xAPI Statement resource as HTTP triggers over the shared handlers.</summary>
public sealed class XapiFunctions(XapiEndpoints xapi)
{
    /// <summary><c>POST /api/xapi/statements</c>.</summary>
    [Function(nameof(ApiRoutes.PostStatements))]
    public Task<IActionResult> PostStatements(
        [HttpTrigger(AuthorizationLevel.Function, "post", Route = "xapi/statements")] HttpRequest request,
        CancellationToken cancellationToken) =>
        FunctionGate.RunAsync(request, ApiRoutes.PostStatements, () => xapi.PostAsync(request, cancellationToken));

    /// <summary><c>PUT /api/xapi/statements?statementId=</c>.</summary>
    [Function(nameof(ApiRoutes.PutStatement))]
    public Task<IActionResult> PutStatement(
        [HttpTrigger(AuthorizationLevel.Function, "put", Route = "xapi/statements")] HttpRequest request,
        CancellationToken cancellationToken) =>
        FunctionGate.RunAsync(request, ApiRoutes.PutStatement, () => xapi.PutAsync(request, cancellationToken));

    /// <summary><c>GET /api/xapi/statements</c>.</summary>
    [Function(nameof(ApiRoutes.GetStatements))]
    public Task<IActionResult> GetStatements(
        [HttpTrigger(AuthorizationLevel.Function, "get", Route = "xapi/statements")] HttpRequest request,
        CancellationToken cancellationToken) =>
        FunctionGate.RunAsync(request, ApiRoutes.GetStatements, () => xapi.GetAsync(request, cancellationToken));
}
