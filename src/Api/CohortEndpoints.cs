using Cohorts.Domain;
using Cohorts.Domain.Outcomes;
using Cohorts.Domain.Reviews;
using Cohorts.Domain.Enrolment;
using Microsoft.AspNetCore.Http;
using Microsoft.DurableTask.Client;

namespace Cohorts.Api;

/// <summary>
/// The handlers of the cohort routes. Each maps the request to a call of <see cref="CohortService"/> and the result to
/// a status code; authentication and roles are checked by the host before a handler runs.
/// </summary>
public sealed class CohortEndpoints(CohortService cohorts, IRosterStore roster, ISubmissionStore submissions, TimeProvider time)
{
    /// <summary><c>POST /api/cohorts</c>: 201 created, 200 the identical request again, 409 the id with another plan, 400 invalid.</summary>
    public async Task<IResult> CreateCohortAsync(HttpRequest request, DurableTaskClient client, CancellationToken cancellationToken)
    {
        (CohortPlanDraft? draft, ApiProblem? problem) = await RequestBody.ReadJsonAsync<CohortPlanDraft>(request, cancellationToken);
        if (draft is null)
        {
            return ApiResult.Problem(problem!);
        }

        (CohortService.CreateOutcome outcome, CohortRecord? record, IReadOnlyList<PlanError> errors) =
            await cohorts.CreateAsync(draft, RequestBody.Fingerprint(draft), client, cancellationToken);
        return outcome switch
        {
            CohortService.CreateOutcome.Invalid => ApiResult.Problem(Problems.InvalidPlan(errors)),
            CohortService.CreateOutcome.Conflict => ApiResult.Problem(Problems.CohortConflict(record!.Id)),
            CohortService.CreateOutcome.Created => ApiResult.Json(StatusCodes.Status201Created, CohortView.From(record!, record!.Status))
                .WithHeader("Location", $"/api/cohorts/{Uri.EscapeDataString(record.Id)}"),
            _ => ApiResult.Json(StatusCodes.Status200OK, CohortView.From(record!, record!.Status)),
        };
    }

    /// <summary><c>GET /api/cohorts/{cohortId}</c>.</summary>
    public async Task<IResult> GetCohortAsync(string cohortId, DurableTaskClient client, CancellationToken cancellationToken)
    {
        if (EntityIds.Validate(cohortId) is not null)
        {
            return ApiResult.Problem(Problems.CohortNotFound(cohortId));
        }

        (CohortRecord Record, CohortStatus Status)? found = await cohorts.GetAsync(cohortId, client, cancellationToken);
        if (found is null)
        {
            return ApiResult.Problem(Problems.CohortNotFound(cohortId));
        }

        List<Submission> work = await submissions.ListAsync(cohortId, cancellationToken).ToListAsync(cancellationToken);
        return ApiResult.Json(StatusCodes.Status200OK, CohortView.From(
            found.Value.Record, found.Value.Status, await roster.CountAsync(cohortId, cancellationToken), OutcomeMetrics.Reviews(work, time.GetUtcNow())));
    }

    /// <summary><c>POST /api/cohorts/{cohortId}/cancel</c>: 202 accepted, 404 unknown, 409 already closed.</summary>
    public async Task<IResult> CancelCohortAsync(string cohortId, DurableTaskClient client, CancellationToken cancellationToken)
    {
        if (EntityIds.Validate(cohortId) is not null)
        {
            return ApiResult.Problem(Problems.CohortNotFound(cohortId));
        }

        (CohortRecord Record, bool Accepted)? result = await cohorts.CancelAsync(cohortId, client, cancellationToken);
        if (result is null)
        {
            return ApiResult.Problem(Problems.CohortNotFound(cohortId));
        }

        CohortRecord record = result.Value.Record;
        return result.Value.Accepted
            ? ApiResult.Json(StatusCodes.Status202Accepted, CohortView.From(record, record.Status))
            : ApiResult.Problem(Problems.CohortClosed(cohortId, record.Status));
    }
}
