using System.Security.Cryptography;
using System.Text;

namespace Cohorts.Domain.Access;

/// <summary>Where an erasure is.</summary>
public enum ErasureState
{
    /// <summary>Requested and under way (its orchestration runs, and finishes after a restart).</summary>
    Running,

    /// <summary>Every store was rewritten; the employee id is no longer kept, only its pseudonym.</summary>
    Completed,
}

/// <summary>
/// A request to erase one person's personal data, in one cohort or in all. While it runs it holds the employee id the
/// stores are searched by; once completed only the pseudonym remains, with what was erased, by kind of record.
/// </summary>
public sealed record ErasureRecord(
    string ErasureId,
    string? EmployeeId,
    string Pseudonym,
    string? CohortId,
    string Reason,
    string RequestedBy,
    DateTimeOffset RequestedAt,
    ErasureState State,
    IReadOnlyList<string> Cohorts,
    IReadOnlyDictionary<string, int> Erased,
    DateTimeOffset? CompletedAt = null)
{
    /// <summary>The id of the erasure of <paramref name="pseudonym"/> in <paramref name="cohortId"/> (all cohorts when null): the same request is the same erasure.</summary>
    public static string IdOf(string pseudonym, string? cohortId) =>
        "era_" + Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes($"{pseudonym}\n{cohortId ?? "*"}")))[..24];

    /// <summary>Whether <paramref name="id"/> is shaped like an erasure id.</summary>
    public static bool IsId(string? id) => id is { Length: 28 } && id.StartsWith("era_", StringComparison.Ordinal) && id[4..].All(char.IsAsciiHexDigitLower);
}

/// <summary>Erasure requests, by id.</summary>
public interface IErasureStore
{
    /// <summary>Stores <paramref name="record"/> unless one with its id exists; returns what is stored and whether this call stored it.</summary>
    Task<(ErasureRecord Stored, bool Created)> CreateAsync(ErasureRecord record, CancellationToken cancellationToken);

    /// <summary>The record, or null.</summary>
    Task<ErasureRecord?> GetAsync(string erasureId, CancellationToken cancellationToken);

    /// <summary>Applies <paramref name="change"/> to the stored record (re-reading on a concurrent write).</summary>
    Task<ErasureRecord> UpdateAsync(string erasureId, Func<ErasureRecord, ErasureRecord> change, CancellationToken cancellationToken);
}

/// <summary>
/// Pseudonyms of employee ids: a keyed hash (HMAC-SHA256 under a key made once per deployment and kept in storage), so
/// that an erased person's rows can still be counted and recognised by a later import, while the id itself cannot be
/// recovered by trying likely ids.
/// </summary>
public sealed class Pseudonymizer(byte[] key)
{
    /// <summary>The pseudonym of <paramref name="employeeId"/>: <c>prs_</c> and 24 hex digits.</summary>
    public string Of(string employeeId)
    {
        ArgumentNullException.ThrowIfNull(employeeId);
        return "prs_" + Convert.ToHexStringLower(HMACSHA256.HashData(key, Encoding.UTF8.GetBytes(employeeId)))[..24];
    }

    /// <summary>Whether <paramref name="id"/> is a pseudonym rather than an employee id.</summary>
    public static bool IsPseudonym(string id) => id is { Length: 28 } && id.StartsWith("prs_", StringComparison.Ordinal);
}

/// <summary>The deployment's pseudonym key, and the tombstones that keep erased people from being enrolled again.</summary>
public interface IErasureRegistry
{
    /// <summary>The pseudonymizer under this deployment's key (made on first use, then the same for good).</summary>
    Task<Pseudonymizer> PseudonymizerAsync(CancellationToken cancellationToken);

    /// <summary>Records that the person behind <paramref name="pseudonym"/> was erased from <paramref name="cohortId"/> (every cohort when null).</summary>
    Task AddTombstoneAsync(string? cohortId, string pseudonym, CancellationToken cancellationToken);

    /// <summary>The pseudonyms erased from <paramref name="cohortId"/> or from every cohort.</summary>
    Task<IReadOnlySet<string>> TombstonesAsync(string cohortId, CancellationToken cancellationToken);
}

/// <summary>One person to erase from one cohort: their employee id, its pseudonym, and the addresses and names they go by, to find them in free text.</summary>
public sealed record PersonToErase(string CohortId, string EmployeeId, string Pseudonym, IReadOnlyList<string> Identifiers);

/// <summary>
/// A store that holds personal data: it finds the person in one cohort and rewrites or deletes what it holds of them,
/// idempotently (a second run finds nothing left). The erasure runs every registered one.
/// </summary>
public interface IPersonalDataHolder
{
    /// <summary>The kind of record, as the erasure reports it (<c>participants</c>, <c>submissions</c>…).</summary>
    string Kind { get; }

    /// <summary>Holders with a higher order run later: the roster last, since it tells the others the person's addresses.</summary>
    int Order => 0;

    /// <summary>Rewrites or deletes what is held of <paramref name="person"/>; returns how many records changed.</summary>
    Task<int> EraseAsync(PersonToErase person, CancellationToken cancellationToken);
}

/// <summary>Purges the histories of finished orchestrations (a person's review orchestrations, on erasure).</summary>
public interface IHistoryPurger
{
    /// <summary>Purges each instance's history; returns how many were purged (an instance already gone counts none).</summary>
    Task<int> PurgeAsync(IReadOnlyList<string> instanceIds, CancellationToken cancellationToken);
}
