using Cohorts.Domain;
using Cohorts.Domain.Access;
using Microsoft.AspNetCore.Http;

namespace Cohorts.Api;

/// <summary>
/// Object-level access (OWASP API1) for every route under <c>cohorts/{cohortId}</c>, run by both hosts after the role
/// check and before the handler: a caller who may not see the cohort (a leader not among its leaders, a key confined
/// to other cohorts) gets the same 404 as for a cohort that does not exist. Callers who see every cohort pass without
/// a read.
/// </summary>
public sealed class CohortAccess(ICohortStore cohorts)
{
    /// <summary>The route parameter that names a cohort.</summary>
    public const string Parameter = "cohortId";

    /// <summary>Whether <paramref name="route"/> is about one cohort (its template names <c>{cohortId}</c>).</summary>
    public static bool Guards(ApiRoute route)
    {
        ArgumentNullException.ThrowIfNull(route);
        return route.Template.Contains("{" + Parameter + "}", StringComparison.Ordinal);
    }

    /// <summary>Null when the caller may reach <paramref name="cohortId"/> on <paramref name="route"/>; otherwise the 404 to answer.</summary>
    public async Task<IResult?> DenyAsync(Caller caller, ApiRoute route, string? cohortId, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(caller);
        ArgumentNullException.ThrowIfNull(route);
        if (caller.SeesEveryCohort(route.Roles))
        {
            return null;
        }

        CohortRecord? cohort = cohortId is null ? null : await cohorts.FindAsync(cohortId, cancellationToken);
        return cohort is not null && caller.MaySee(cohort.Plan, route.Roles) ? null : ApiResult.Failure(Failure.CohortNotFound(cohortId ?? string.Empty));
    }
}
