using Cohorts.Application.Access;
using Microsoft.AspNetCore.Http;

namespace Cohorts.Api;

/// <summary>The audit route: binds the request, calls <see cref="AuditService"/> and maps its result.</summary>
public sealed class AuditEndpoints(AuditService audit)
{
    /// <summary><c>GET /api/cohorts/{cohortId}/audit?pageSize=&amp;continuationToken=</c>: newest first.</summary>
    public async Task<IResult> ListAsync(HttpRequest request, string cohortId, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        (int pageSize, string? token, ApiProblem? badPage) = Paging.Read(request.Query, standard: 50, most: 200);
        if (badPage is not null)
        {
            return ApiResult.Problem(badPage);
        }

        Result<AuditPage> page = await audit.ListAsync(cohortId, pageSize, token, cancellationToken);
        return page.Value is { } found ? ApiResult.Json(StatusCodes.Status200OK, found) : ApiResult.Failure(page.Failure!);
    }
}
