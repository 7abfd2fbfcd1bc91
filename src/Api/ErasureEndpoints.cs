using Cohorts.Application.Access;
using Cohorts.Domain.Access;
using Microsoft.AspNetCore.Http;
using Microsoft.DurableTask.Client;

namespace Cohorts.Api;

/// <summary>An erasure request as sent (<c>POST /api/erasures</c>).</summary>
public sealed record ErasureRequest(string? EmployeeId, string? CohortId, string? Reason);

/// <summary>An erasure as the API shows it: never the employee id, which is forgotten once it completes.</summary>
public sealed record ErasureView(
    string ErasureId, ErasureState State, string? CohortId, string Pseudonym, string Reason, string RequestedBy, DateTimeOffset RequestedAt,
    DateTimeOffset? CompletedAt, IReadOnlyList<string> Cohorts, IReadOnlyDictionary<string, int> Erased)
{
    /// <summary>The view of <paramref name="r"/>.</summary>
    public static ErasureView From(ErasureRecord r)
    {
        ArgumentNullException.ThrowIfNull(r);
        return new(r.ErasureId, r.State, r.CohortId, r.Pseudonym, r.Reason, r.RequestedBy, r.RequestedAt, r.CompletedAt, r.Cohorts, r.Erased);
    }
}

/// <summary>The erasure routes: each binds the request, calls <see cref="ErasureService"/> and maps its result.</summary>
public sealed class ErasureEndpoints(ErasureService erasures)
{
    /// <summary><c>POST /api/erasures</c>: 202 with the erasure started; the same request again 200 with the same erasure.</summary>
    public async Task<IResult> StartAsync(HttpRequest request, DurableTaskClient client, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        (ErasureRequest? body, ApiProblem? problem) = await RequestBody.ReadJsonAsync<ErasureRequest>(request, cancellationToken);
        if (body is null)
        {
            return ApiResult.Problem(problem!);
        }

        Result<StartedErasure> started = await erasures.StartAsync(
            new RequestErasure(body.EmployeeId, body.CohortId, body.Reason, ApiRoles.CallerOf(request.HttpContext.User)), client, cancellationToken);
        return started.Value is { } found
            ? ApiResult.Json(found.Created ? StatusCodes.Status202Accepted : StatusCodes.Status200OK, ErasureView.From(found.Record))
                .WithHeader("Location", $"/api/erasures/{found.Record.ErasureId}")
            : ApiResult.Failure(started.Failure!);
    }

    /// <summary><c>GET /api/erasures/{erasureId}</c>: its state and what was erased, by kind of record.</summary>
    public async Task<IResult> GetAsync(HttpRequest request, string erasureId, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        Result<ErasureRecord> found = await erasures.GetAsync(erasureId, ApiRoles.CallerOf(request.HttpContext.User), cancellationToken);
        return found.Value is { } record ? ApiResult.Json(StatusCodes.Status200OK, ErasureView.From(record)) : ApiResult.Failure(found.Failure!);
    }
}
