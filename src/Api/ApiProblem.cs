using Cohorts.Domain;
using Microsoft.AspNetCore.Http;

namespace Cohorts.Api;

/// <summary>
/// An RFC 7807 problem with a stable <see cref="Code"/> clients can switch on, and the <see cref="Field"/> (or row)
/// at fault. <see cref="Errors"/> lists every problem when there is more than one.
/// </summary>
public sealed record ApiProblem(
    string Type,
    string Title,
    int Status,
    string Detail,
    string Code,
    string? Field = null,
    IReadOnlyList<PlanError>? Errors = null,
    string? Instance = null)
{
    /// <summary>Builds a problem whose type URI is derived from its code.</summary>
    public static ApiProblem Of(int status, string code, string title, string detail, string? field = null, IReadOnlyList<PlanError>? errors = null) =>
        new($"urn:cohorts:problem:{code}", title, status, detail, code, field, errors);
}

/// <summary>The problems the API answers with, by stable code.</summary>
public static class Problems
{
    /// <summary>
    /// The one mapping of a use case's failure to HTTP, for both hosts: its kind gives the status (invalid 400, not
    /// found 404, forbidden 403, conflict 409); code, field and errors pass through.
    /// </summary>
    public static ApiProblem Of(Failure failure)
    {
        ArgumentNullException.ThrowIfNull(failure);
        int status = failure.Kind switch
        {
            FailureKind.Invalid => 400,
            FailureKind.NotFound => 404,
            FailureKind.Forbidden => 403,
            FailureKind.Conflict => 409,
            FailureKind.TooLarge => 413,
            FailureKind.PreconditionRequired => 428,
            FailureKind.PreconditionFailed => 412,
            FailureKind.Unprocessable => 422,
            FailureKind.Busy => 503,
            _ => throw new ArgumentOutOfRangeException(nameof(failure), failure.Kind, "A failure kind without a status."),
        };
        return ApiProblem.Of(status, failure.Code, failure.Title, failure.Detail, failure.Field, failure.Errors);
    }

    /// <summary>
    /// What a request that failed with <paramref name="error"/> answers, in both hosts: an unreadable or oversized body
    /// is the client's fault (400/413, its own words); a store kept busy by concurrent writers is a 503 to retry; anything else is a 500 that says nothing of the server's insides.
    /// </summary>
    public static ApiProblem OfException(Exception? error) => error switch
    {
        BadHttpRequestException { StatusCode: 413 } tooLarge => ApiProblem.Of(413, ErrorCodes.PayloadTooLarge, "The request body is too large", tooLarge.Message),
        BadHttpRequestException bad => ApiProblem.Of(bad.StatusCode, ErrorCodes.BadRequest, "The request cannot be read", bad.Message),
        StoreBusyException busy => ApiProblem.Of(503, ErrorCodes.Busy, "Busy with concurrent changes", busy.Message),
        _ => ApiProblem.Of(500, ErrorCodes.InternalError, "Internal error", "The server failed to handle the request; it has been logged."),
    };

    /// <summary>401: no credentials, or credentials that do not match.</summary>
    public static ApiProblem Unauthenticated(string detail) =>
        ApiProblem.Of(401, ErrorCodes.Unauthenticated, "Authentication required", detail);

    /// <summary>403: authenticated, but without a role the operation needs.</summary>
    public static ApiProblem Forbidden(IReadOnlyList<string> roles) =>
        ApiProblem.Of(403, ErrorCodes.Forbidden, "Not allowed", $"This operation needs one of the roles: {string.Join(", ", roles)} (or admin).");

    /// <summary>400 for a body that is not the JSON expected.</summary>
    public static ApiProblem InvalidJson(string detail, string? field) =>
        ApiProblem.Of(400, ErrorCodes.InvalidJson, "The request body is not valid JSON for this operation", detail, field);

    /// <summary>413 for a body over the limit.</summary>
    public static ApiProblem TooLarge(long limit) =>
        ApiProblem.Of(413, ErrorCodes.PayloadTooLarge, "The request body is too large", $"The body may be at most {limit} bytes.");

    /// <summary>400 for a query parameter that cannot be used.</summary>
    public static ApiProblem InvalidQuery(string parameter, string detail) =>
        ApiProblem.Of(400, ErrorCodes.InvalidQuery, "A query parameter is invalid", detail + ".", parameter);

    /// <summary>415 for a body of the wrong media type.</summary>
    public static ApiProblem UnsupportedMediaType(string expected) =>
        ApiProblem.Of(415, ErrorCodes.UnsupportedMediaType, "Unsupported media type", $"Send the body as {expected}.");
}
