using System.Globalization;
using System.Text.Json;
using Azure.Data.Tables;
using Cohorts.Connectors.Json;
using Cohorts.Domain;
using Cohorts.Domain.Access;

namespace Cohorts.Connectors.Tables;

/// <summary>
/// The audit log in a table, a partition per cohort (<c>~</c> for changes outside any cohort). Each entry is two rows
/// written in one transaction: <c>i|{id}</c>, which makes a second append of the same id fail and change nothing, and
/// <c>o|{inverted ticks}|{id}</c> holding the entry, so that a query reads a cohort's entries newest first.
/// </summary>
public sealed class TableAuditLog(TableClient table) : IAuditLog, IPersonalDataHolder
{
    /// <inheritdoc/>
    public string Kind => "auditEntries";

    /// <inheritdoc/>
    public Task<int> EraseAsync(PersonToErase person, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(person);
        return PseudonymiseAsync(person.CohortId, person.EmployeeId, person.Pseudonym, cancellationToken);
    }

    /// <summary>The table's default name.</summary>
    public const string DefaultTable = "audit";

    private const string Global = "~";
    private readonly TableOnFirstUse onFirstUse = new(table);

    /// <inheritdoc/>
    public async Task AppendAsync(IReadOnlyList<AuditEntry> entries, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(entries);
        await onFirstUse.EnsureAsync(cancellationToken);
        // a transaction holds one partition and at most 100 rows: 50 entries of one cohort
        foreach (IGrouping<string, AuditEntry> cohort in entries.DistinctBy(e => e.Id).GroupBy(e => PartitionOf(e.CohortId)))
        {
            await TableOnce.AddAsync(table, cohort.ToList(), 50, Rows, cancellationToken);
        }
    }

    /// <inheritdoc/>
    public async Task<(IReadOnlyList<AuditEntry> Items, string? ContinuationToken)> ListAsync(string? cohortId, int pageSize, string? continuationToken, CancellationToken cancellationToken)
    {
        await onFirstUse.EnsureAsync(cancellationToken);
        string filter = continuationToken is null
            ? TableClient.CreateQueryFilter($"PartitionKey eq {PartitionOf(cohortId)} and RowKey ge {"o|"} and RowKey lt {"o}"}")
            : TableClient.CreateQueryFilter($"PartitionKey eq {PartitionOf(cohortId)} and RowKey gt {continuationToken} and RowKey lt {"o}"}");
        var items = new List<AuditEntry>(pageSize);
        string? last = null;
        bool more = false;
        await foreach (TableEntity row in table.QueryAsync<TableEntity>(filter, maxPerPage: Math.Min(pageSize + 1, 1000), cancellationToken: cancellationToken))
        {
            if (items.Count == pageSize)
            {
                more = true;
                break;
            }

            items.Add(Read(row));
            last = row.RowKey;
        }

        return (items, more ? last : null);
    }

    /// <inheritdoc/>
    public async Task<int> PseudonymiseAsync(string cohortId, string participantId, string pseudonym, CancellationToken cancellationToken)
    {
        await onFirstUse.EnsureAsync(cancellationToken);
        string filter = TableClient.CreateQueryFilter($"PartitionKey eq {PartitionOf(cohortId)} and RowKey ge {"o|"} and RowKey lt {"o}"}");
        int changed = 0;
        await foreach (TableEntity row in table.QueryAsync<TableEntity>(filter, cancellationToken: cancellationToken))
        {
            AuditEntry entry = Read(row);
            if (!entry.Targets.Values.Contains(participantId, StringComparer.Ordinal))
            {
                continue;
            }

            var targets = entry.Targets.ToDictionary(t => t.Key, t => t.Value == participantId ? pseudonym : t.Value, StringComparer.Ordinal);
            row["Doc"] = JsonSerializer.Serialize(entry with { Targets = targets }, CohortsJson.Options);
            await table.UpdateEntityAsync(row, row.ETag, TableUpdateMode.Replace, cancellationToken);
            changed++;
        }

        return changed;
    }

    private static IEnumerable<TableTransactionAction> Rows(AuditEntry entry)
    {
        string partition = PartitionOf(entry.CohortId);
        string ordered = "o|" + (DateTimeOffset.MaxValue.UtcTicks - entry.At.UtcTicks).ToString("D19", CultureInfo.InvariantCulture) + "|" + KeyEscape.Escape(entry.Id);
        yield return new TableTransactionAction(TableTransactionActionType.Add, new TableEntity(partition, "i|" + KeyEscape.Escape(entry.Id)) { ["Ordered"] = ordered });
        yield return new TableTransactionAction(TableTransactionActionType.Add, new TableEntity(partition, ordered) { ["Doc"] = JsonSerializer.Serialize(entry, CohortsJson.Options) });
    }

    private static AuditEntry Read(TableEntity row) =>
        JsonSerializer.Deserialize<AuditEntry>(row.GetString("Doc"), CohortsJson.Options) ?? throw new JsonException($"Audit row {row.RowKey} holds null.");

    private static string PartitionOf(string? cohortId) => cohortId is null ? Global : KeyEscape.Escape(cohortId);
}
