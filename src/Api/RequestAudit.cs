using System.Security.Claims;
using Cohorts.Domain;
using Cohorts.Domain.Access;
using Cohorts.Domain.Reviews;
using Microsoft.AspNetCore.Http;

namespace Cohorts.Api;

/// <summary>
/// Records every change made through the API in the audit log, for both hosts and every route that is not a read:
/// after the handler ran, in the same request, with the caller's id and the role they acted in, the operation, the
/// ids in its route (and the id of what it created), and how it ended. Written whatever the client does meanwhile: a
/// change the client stopped waiting for is still a change.
/// </summary>
public sealed class RequestAudit(IAuditLog log, TimeProvider time)
{
    /// <summary>Whether <paramref name="route"/> can change something (every route but reads and the anonymous ones).</summary>
    public static bool Records(ApiRoute route)
    {
        ArgumentNullException.ThrowIfNull(route);
        return route.Method != "GET" && !route.IsAnonymous;
    }

    /// <summary>The time a request starts, which its entry carries: what the change caused (a workflow's events) comes after it.</summary>
    public DateTimeOffset Now => time.GetUtcNow();

    /// <summary>
    /// Appends the entry for <paramref name="route"/> called at <paramref name="path"/> by <paramref name="user"/>,
    /// started <paramref name="at"/> and answered <paramref name="result"/>.
    /// </summary>
    public async Task RecordAsync(ClaimsPrincipal user, ApiRoute route, string path, DateTimeOffset at, IResult result)
    {
        ArgumentNullException.ThrowIfNull(route);
        Caller caller = ApiRoles.CallerOf(user);
        int status = result is IStatusCodeHttpResult { StatusCode: int code } ? code : StatusCodes.Status200OK;
        var targets = new Dictionary<string, string>(route.ValuesIn(path), StringComparer.Ordinal);
        string? createdIn = null;
        if (result is ApiResult { Headers: var headers } && headers.TryGetValue("Location", out string? location))
        {
            string[] segments = location.Trim('/').Split('/');
            targets["created"] = Uri.UnescapeDataString(segments[^1]);
            // what was created names its cohort: /api/cohorts/{cohortId}/…
            createdIn = segments is ["api", "cohorts", var cohort, ..] ? Uri.UnescapeDataString(cohort) : null;
        }

        // what the answer is about may name its cohort too (an erasure in one cohort)
        string? answeredIn = result is ApiResult { Value: { } value } ? value.GetType().GetProperty("CohortId")?.GetValue(value) as string : null;
        string? cohortId = targets.GetValueOrDefault(CohortAccess.Parameter)
            ?? (targets.GetValueOrDefault("submissionId") is { } submissionId ? Submission.CohortOf(submissionId) : null)
            ?? createdIn
            ?? answeredIn;
        string role = caller.ActingRole(route.Roles);
        var entry = new AuditEntry(
            AuditEntry.NewId(),
            at,
            cohortId is not null && EntityIds.Validate(cohortId) is null ? cohortId : null,
            caller.Id,
            role,
            char.ToLowerInvariant(route.Name[0]) + route.Name[1..],
            targets,
            AuditEntry.OutcomeOf(status),
            status,
            AdminOverride: role == ApiRoles.Admin && !route.Roles.Contains(ApiRoles.Admin));
        await log.AppendAsync([entry], CancellationToken.None);
    }
}
