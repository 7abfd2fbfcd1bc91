using System.Security.Cryptography;
using System.Text;

namespace Cohorts.Domain.Access;

/// <summary>
/// One change, as the audit log keeps it: who (the caller's id and the role they acted in, or <c>system</c> for a
/// workflow or a schedule), what (the action and the ids it touched), when, and how it ended. Ids only: no names, no
/// emails, no free text.
/// </summary>
/// <param name="Id">Stable for the change it records: a retried activity or a replayed request records it once.</param>
/// <param name="At">When the change was made.</param>
/// <param name="CohortId">The cohort the change belongs to; null for changes outside any cohort (subscriptions).</param>
/// <param name="ActorId">The caller's id (an API key's name, a token's object id) or the workflow's name.</param>
/// <param name="ActorRole">The role the actor acted in: hr, reviewer, integrator, leader, admin or system.</param>
/// <param name="Action">What was done: an API operation (<c>applyImport</c>) or an event type (<c>review.escalated</c>).</param>
/// <param name="Targets">The ids the change touched, by kind (<c>importId</c>, <c>participantId</c>, <c>submissionId</c>…).</param>
/// <param name="Outcome"><c>succeeded</c>, <c>refused</c> (the request was answered 4xx) or <c>failed</c> (5xx).</param>
/// <param name="Status">The HTTP status answered, for a change made through the API.</param>
/// <param name="AdminOverride">Whether an admin acted where the operation's own role is another (an admin deciding a review).</param>
public sealed record AuditEntry(
    string Id,
    DateTimeOffset At,
    string? CohortId,
    string ActorId,
    string ActorRole,
    string Action,
    IReadOnlyDictionary<string, string> Targets,
    string Outcome,
    int? Status = null,
    bool AdminOverride = false)
{
    /// <summary>The outcome of an HTTP status: succeeded (2xx), refused (4xx) or failed.</summary>
    public static string OutcomeOf(int status) => status switch
    {
        >= 200 and < 300 => "succeeded",
        >= 400 and < 500 => "refused",
        _ => "failed",
    };

    /// <summary>A new random id, for a change that is made once (a request).</summary>
    public static string NewId() => "aud_" + Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(12));

    /// <summary>An id derived from <paramref name="parts"/>, for a change that may be recorded again (a retried activity).</summary>
    public static string IdOf(params string[] parts) =>
        "aud_" + Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(string.Join('\n', parts))))[..24];
}

/// <summary>
/// The append-only audit log: entries are added, never changed by the API, and listed per cohort newest first. The
/// one rewrite is erasure's, which replaces an erased person's id among an entry's targets by its pseudonym.
/// </summary>
public interface IAuditLog
{
    /// <summary>
    /// Adds the entries; one whose id is stored already is left as it was. Entries appended together may be kept
    /// together, so a retried writer appends the same list again, not a part of it.
    /// </summary>
    Task AppendAsync(IReadOnlyList<AuditEntry> entries, CancellationToken cancellationToken);

    /// <summary>A cohort's entries, newest first, from after <paramref name="continuationToken"/>; at most <paramref name="pageSize"/>.</summary>
    Task<(IReadOnlyList<AuditEntry> Items, string? ContinuationToken)> ListAsync(string? cohortId, int pageSize, string? continuationToken, CancellationToken cancellationToken);

    /// <summary>Replaces <paramref name="participantId"/> by <paramref name="pseudonym"/> among the targets of the cohort's entries; returns how many changed.</summary>
    Task<int> PseudonymiseAsync(string cohortId, string participantId, string pseudonym, CancellationToken cancellationToken);
}
