using Cohorts.Domain;

namespace Cohorts.Application;

/// <summary>What kind of failure a use case answers; the HTTP surface maps each kind to one status code.</summary>
public enum FailureKind
{
    /// <summary>The request is not valid as sent (400).</summary>
    Invalid,

    /// <summary>What it names does not exist, or is not the caller's to see (404).</summary>
    NotFound,

    /// <summary>The caller may not do this to what it names (403).</summary>
    Forbidden,

    /// <summary>The request conflicts with the state of what it names (409).</summary>
    Conflict,

    /// <summary>What was sent is over a limit (413).</summary>
    TooLarge,

    /// <summary>A conditional request without its condition (428).</summary>
    PreconditionRequired,

    /// <summary>A conditional request whose condition no longer holds (412).</summary>
    PreconditionFailed,

    /// <summary>Well formed, but it cannot be what it claims to be: an idempotency key sent again with another body (422).</summary>
    Unprocessable,

    /// <summary>The store stayed busy with concurrent changes; retry after a moment (503 with Retry-After).</summary>
    Busy,
}

/// <summary>
/// A use case's refusal: a stable <see cref="Code"/> clients switch on, the <see cref="Field"/> (or row) at fault, and
/// every error when there is more than one.
/// </summary>
public sealed record Failure(FailureKind Kind, string Code, string Title, string Detail, string? Field = null, IReadOnlyList<PlanError>? Errors = null)
{
    /// <summary>400.</summary>
    public static Failure Invalid(string code, string title, string detail, string? field = null) => new(FailureKind.Invalid, code, title, detail, field);

    /// <summary>404.</summary>
    public static Failure NotFound(string code, string title, string detail, string? field = null) => new(FailureKind.NotFound, code, title, detail, field);

    /// <summary>403.</summary>
    public static Failure Forbidden(string code, string title, string detail, string? field = null) => new(FailureKind.Forbidden, code, title, detail, field);

    /// <summary>409.</summary>
    public static Failure Conflict(string code, string title, string detail, string? field = null) => new(FailureKind.Conflict, code, title, detail, field);

    /// <summary>A required field is absent or empty.</summary>
    public static Failure MissingField(string field) => Invalid(ErrorCodes.MissingField, "A field is missing", $"{field} is required.", field);

    /// <summary>No such cohort (or not the caller's).</summary>
    public static Failure CohortNotFound(string cohortId) =>
        NotFound(ErrorCodes.CohortNotFound, "No such cohort", $"There is no cohort '{cohortId}'.", "cohortId");

    /// <summary>Nobody with that id is on the cohort's roster.</summary>
    public static Failure ParticipantNotFound(string cohortId, string? participantId) =>
        NotFound(ErrorCodes.ParticipantNotFound, "No such participant", $"Nobody with id '{participantId}' is on the roster of cohort '{cohortId}'.", "participantId");

    /// <summary>A continuation token the list did not give (made up, or another list's).</summary>
    public static Failure ForeignContinuationToken() =>
        Invalid(ErrorCodes.InvalidQuery, "A query parameter is invalid", "continuationToken is not one this list gave; page from the first page again.", "continuationToken");

    /// <summary>An action on a cohort that is completed, cancelled or failed.</summary>
    public static Failure CohortClosed(string cohortId, CohortStatus status) =>
        Conflict(ErrorCodes.CohortClosed, "The cohort is closed", $"Cohort '{cohortId}' is {status.ToString().ToLowerInvariant()}; nothing more can be done to it.");
}

/// <summary>A use case's answer: its value, or the <see cref="Failure"/> that stopped it.</summary>
public readonly record struct Result<T>
{
    private Result(T? value, Failure? failure)
    {
        Value = value;
        Failure = failure;
    }

    /// <summary>The value, when the use case succeeded.</summary>
    public T? Value { get; }

    /// <summary>Why it did not, when it failed.</summary>
    public Failure? Failure { get; }

    /// <summary>Whether it succeeded.</summary>
    public bool Succeeded => Failure is null;

    /// <summary>A success.</summary>
    public static implicit operator Result<T>(T value) => new(value, null);

    /// <summary>A failure.</summary>
    public static implicit operator Result<T>(Failure failure) => new(default, failure);
}
