using Cohorts.Domain;
using Cohorts.Domain.Access;

namespace Cohorts.Application.Access;

/// <summary>A page of audit entries, newest first, and the token for the next one (null at the end).</summary>
public sealed record AuditPage(IReadOnlyList<AuditEntry> Items, string? ContinuationToken);

/// <summary>Reading a cohort's audit log.</summary>
public sealed class AuditService(ICohortStore cohorts, IAuditLog log)
{
    /// <summary>The cohort's audit entries, newest first, paged; 404 for a cohort that does not exist.</summary>
    public async Task<Result<AuditPage>> ListAsync(string cohortId, int pageSize, string? continuationToken, CancellationToken cancellationToken)
    {
        if (await cohorts.FindAsync(cohortId, cancellationToken) is null)
        {
            return Failure.CohortNotFound(cohortId);
        }

        string scope = "audit:" + cohortId;
        string? after = null;
        if (continuationToken is not null && !PageTokens.TryUnwrap(scope, continuationToken, out after))
        {
            return Failure.ForeignContinuationToken();
        }

        (IReadOnlyList<AuditEntry> items, string? next) = await log.ListAsync(cohortId, pageSize, after, cancellationToken);
        return new AuditPage(items, PageTokens.Wrap(scope, next));
    }
}
