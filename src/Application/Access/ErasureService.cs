using Cohorts.Domain;
using Cohorts.Domain.Access;
using Cohorts.Workflows;
using Cohorts.Workflows.Contracts;
using Cohorts.Workflows.Orchestrators;
using Microsoft.DurableTask.Client;

namespace Cohorts.Application.Access;

/// <summary>A request to erase one person (<c>POST /api/erasures</c>).</summary>
public sealed record RequestErasure(string? EmployeeId, string? CohortId, string? Reason, Caller By);

/// <summary>The erasure a request started (or found started), and whether this request started it.</summary>
public sealed record StartedErasure(ErasureRecord Record, bool Created);

/// <summary>Erasing a person's personal data on request: one durable orchestration per request.</summary>
public sealed class ErasureService(IErasureStore erasures, IErasureRegistry registry, ICohortStore cohorts, TimeProvider time)
{
    /// <summary>The longest reason kept.</summary>
    public const int MaxReason = 500;

    /// <summary>
    /// Records the request and starts its orchestration under a deterministic id (the pseudonym and the cohort), so the
    /// same request again finds the same erasure. A key confined to cohorts names one of them.
    /// </summary>
    public async Task<Result<StartedErasure>> StartAsync(RequestErasure request, DurableTaskClient client, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        if (string.IsNullOrWhiteSpace(request.EmployeeId))
        {
            return Failure.MissingField("employeeId");
        }

        string employeeId = request.EmployeeId.Trim();
        if (employeeId.Length > 128 || employeeId.Any(char.IsControl))
        {
            return Invalid("employeeId is at most 128 characters, without control characters.", "employeeId");
        }

        if (string.IsNullOrWhiteSpace(request.Reason))
        {
            return Failure.MissingField("reason");
        }

        if (request.Reason.Length > MaxReason)
        {
            return Invalid($"reason is at most {MaxReason} characters (the request's ground, such as 'GDPR Art. 17 request 2026-114'; not the person's name).", "reason");
        }

        if (request.CohortId is { } cohortId)
        {
            if (!request.By.InScope(cohortId) || await cohorts.FindAsync(cohortId, cancellationToken) is null)
            {
                return Failure.CohortNotFound(cohortId);
            }
        }
        else if (request.By.CohortPatterns is { } patterns)
        {
            return Invalid($"cohortId: this key reaches only cohorts matching {string.Join(", ", patterns)}; name one of them.", "cohortId");
        }

        Pseudonymizer pseudonyms = await registry.PseudonymizerAsync(cancellationToken);
        string pseudonym = pseudonyms.Of(employeeId);
        string erasureId = ErasureRecord.IdOf(pseudonym, request.CohortId);
        var record = new ErasureRecord(
            erasureId, employeeId, pseudonym, request.CohortId, request.Reason.Trim(), request.By.Id, time.GetUtcNow(), ErasureState.Running, [], new Dictionary<string, int>());
        (ErasureRecord stored, bool created) = await erasures.CreateAsync(record, cancellationToken);
        if (stored.State == ErasureState.Running)
        {
            // also on a repeat: a crash may have come between the record and the start
            await DurableStarts.EnsureStartedAsync(client, nameof(ErasureOrchestrator), new ErasureInput(erasureId), InstanceIds.Erasure(erasureId), cancellationToken);
        }

        return new StartedErasure(stored, created);
    }

    /// <summary>The erasure, when the caller may see it (a confined key: erasures in its cohorts only).</summary>
    public async Task<Result<ErasureRecord>> GetAsync(string erasureId, Caller caller, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(caller);
        return ErasureRecord.IsId(erasureId) && await erasures.GetAsync(erasureId, cancellationToken) is { } found
            && (caller.CohortPatterns is null || (found.CohortId is { } c && caller.InScope(c)))
            ? found
            : Failure.NotFound(ErrorCodes.ErasureNotFound, "No such erasure", $"There is no erasure '{erasureId}'.", "erasureId");
    }

    private static Failure Invalid(string detail, string field) => Failure.Invalid(ErrorCodes.InvalidErasure, "The erasure request is invalid", detail, field);
}
