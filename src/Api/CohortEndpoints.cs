using System.Text.Json.Nodes;
using Cohorts.Application.Cohorts;
using Cohorts.Domain;
using Cohorts.Domain.Access;
using Microsoft.AspNetCore.Http;
using Microsoft.DurableTask.Client;

namespace Cohorts.Api;

/// <summary>
/// The handlers of the cohort routes: each binds the request, calls <see cref="CohortService"/> and maps its result;
/// authentication and roles are checked by the host before a handler runs.
/// </summary>
public sealed class CohortEndpoints(CohortService cohorts)
{
    /// <summary><c>POST /api/cohorts</c>: 201 created, 200 the identical request again, 409 the id with another plan, 400 invalid.</summary>
    public async Task<IResult> CreateCohortAsync(HttpRequest request, DurableTaskClient client, CancellationToken cancellationToken)
    {
        (CohortPlanDraft? draft, ApiProblem? problem) = await RequestBody.ReadJsonAsync<CohortPlanDraft>(request, cancellationToken);
        if (draft is null)
        {
            return ApiResult.Problem(problem!);
        }

        Result<CreatedCohort> created = await cohorts.CreateAsync(draft, RequestBody.Fingerprint(draft), client, cancellationToken);
        return created.Value switch
        {
            null => ApiResult.Failure(created.Failure!),
            { Created: true, Record: var record } => ApiResult.Json(StatusCodes.Status201Created, CohortView.From(record, record.Status))
                .WithHeader("Location", $"/api/cohorts/{Uri.EscapeDataString(record.Id)}").WithHeader("ETag", CohortService.ETagOf(record)),
            { Record: var record } => ApiResult.Json(StatusCodes.Status200OK, CohortView.From(record, record.Status)).WithHeader("ETag", CohortService.ETagOf(record)),
        };
    }

    /// <summary><c>GET /api/cohorts?status=&amp;pageSize=&amp;continuationToken=</c>: the cohorts, in id order, paged.</summary>
    public async Task<IResult> ListCohortsAsync(HttpRequest request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        CohortStatus? status = null;
        if (request.Query["status"] is { Count: > 0 } text)
        {
            if (!Naming.TryParse(text.ToString(), out CohortStatus parsed))
            {
                return ApiResult.Problem(Problems.InvalidQuery("status", $"'{text}' is not a status; use scheduled, running, completed, cancelled or failed"));
            }

            status = parsed;
        }

        (int pageSize, string? token, ApiProblem? badPage) = Paging.Read(request.Query, standard: 50, most: 100);
        if (badPage is not null)
        {
            return ApiResult.Problem(badPage);
        }

        Caller caller = ApiRoles.CallerOf(request.HttpContext.User);
        var query = new CohortListQuery(status, pageSize, token) { Visible = plan => caller.MaySee(plan, ApiRoutes.ListCohorts.Roles) };
        Result<CohortPage> page = await cohorts.ListAsync(query, cancellationToken);
        return page.Value is { } found ? ApiResult.Json(StatusCodes.Status200OK, found) : ApiResult.Failure(page.Failure!);
    }

    /// <summary><c>GET /api/cohorts/{cohortId}</c>.</summary>
    public async Task<IResult> GetCohortAsync(string cohortId, DurableTaskClient client, CancellationToken cancellationToken)
    {
        Result<CohortOverview> found = await cohorts.GetAsync(cohortId, client, cancellationToken);
        return found.Value is { } cohort
            ? ApiResult.Json(StatusCodes.Status200OK, CohortView.From(cohort.Record, cohort.Status, cohort.Roster, cohort.Reviews, cohort.LearningRecords, cohort.Community)).WithHeader("ETag", CohortService.ETagOf(cohort.Record))
            : ApiResult.Failure(found.Failure!);
    }

    /// <summary>
    /// <c>PATCH /api/cohorts/{cohortId}</c> (<c>application/merge-patch+json</c>, <c>If-Match</c>): 200 with the cohort and
    /// its new ETag; 428 without If-Match, 412 stale, 409 a field that cannot change, 400 an invalid result.
    /// </summary>
    public async Task<IResult> PatchCohortAsync(HttpRequest request, string cohortId, DurableTaskClient client, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        (JsonObject? patch, ApiProblem? problem) = await RequestBody.ReadJsonAsync<JsonObject>(request, cancellationToken);
        if (patch is null)
        {
            return ApiResult.Problem(problem!);
        }

        string? ifMatch = request.Headers.IfMatch is { Count: > 0 } tags ? tags.ToString() : null;
        var change = new PatchCohort(cohortId, patch, ifMatch, ApiRoles.CallerId(request.HttpContext.User) ?? "unknown");
        Result<PatchedCohort> patched = await cohorts.PatchAsync(change, client, cancellationToken);
        return patched.Value is { Record: var record }
            ? ApiResult.Json(StatusCodes.Status200OK, CohortView.From(record, record.Status)).WithHeader("ETag", CohortService.ETagOf(record))
            : ApiResult.Failure(patched.Failure!);
    }

    /// <summary><c>POST /api/cohorts/{cohortId}/cancel</c>: 202 accepted, 404 unknown, 409 already closed.</summary>
    public async Task<IResult> CancelCohortAsync(string cohortId, DurableTaskClient client, CancellationToken cancellationToken)
    {
        Result<CohortRecord> cancelled = await cohorts.CancelAsync(cohortId, client, cancellationToken);
        return cancelled.Value is { } record
            ? ApiResult.Json(StatusCodes.Status202Accepted, CohortView.From(record, record.Status))
            : ApiResult.Failure(cancelled.Failure!);
    }
}
