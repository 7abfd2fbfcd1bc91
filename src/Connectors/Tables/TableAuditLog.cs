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
/// <c>o|{inverted ticks}|{id}</c> holding the entry, so that a query reads a cohort's entries newest first. Entries of
/// one cohort and moment appended together (a workflow's hundred joiners) are kept many to a row (<see
/// cref="TableBundles"/>): <c>i|~{bundle}</c> and <c>o|{inverted ticks}|~{bundle}</c> holding them as an array, so
/// that the audit costs the store a few rows per hundred people instead of two hundred; a retried activity appends the
/// same entries in the same order, so its bundle is met and left as it was.
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
        // a transaction holds one partition and at most 100 rows: 50 entries, or 50 bundles, of one cohort
        foreach (IGrouping<string, AuditEntry> cohort in entries.DistinctBy(e => e.Id).GroupBy(e => PartitionOf(e.CohortId)))
        {
            List<Bundle<AuditEntry>> packed = cohort.GroupBy(e => e.At).SelectMany(moment => TableBundles.Pack(moment.ToList(), e => e.Id)).ToList();
            await TableOnce.AddAsync(table, packed.Where(b => b.Items.Count == 1).Select(b => b.Items[0]).ToList(), 50, Rows, cancellationToken);
            await TableOnce.AddAsync(table, packed.Where(b => b.Items.Count > 1).ToList(), 50, b => BundleRows(cohort.Key, b), cancellationToken);
        }
    }

    /// <inheritdoc/>
    /// <remarks>
    /// The token is the row key of the last row read whole, or <c>@{n}@{row key}</c> when a page ended inside a bundle
    /// row after its first n entries.
    /// </remarks>
    public async Task<(IReadOnlyList<AuditEntry> Items, string? ContinuationToken)> ListAsync(string? cohortId, int pageSize, string? continuationToken, CancellationToken cancellationToken)
    {
        await onFirstUse.EnsureAsync(cancellationToken);
        (string? within, int skip) = Within(continuationToken);
        string filter = continuationToken is null
            ? TableClient.CreateQueryFilter($"PartitionKey eq {PartitionOf(cohortId)} and RowKey ge {"o|"} and RowKey lt {"o}"}")
            : within is not null
                ? TableClient.CreateQueryFilter($"PartitionKey eq {PartitionOf(cohortId)} and RowKey ge {within} and RowKey lt {"o}"}")
                : TableClient.CreateQueryFilter($"PartitionKey eq {PartitionOf(cohortId)} and RowKey gt {continuationToken} and RowKey lt {"o}"}");
        var items = new List<AuditEntry>(pageSize);
        string? last = null;
        await foreach (TableEntity row in table.QueryAsync<TableEntity>(filter, maxPerPage: Math.Min(pageSize + 1, 1000), cancellationToken: cancellationToken))
        {
            IReadOnlyList<AuditEntry> held = Read(row);
            for (int i = row.RowKey == within ? skip : 0; i < held.Count; i++)
            {
                if (items.Count == pageSize)
                {
                    return (items, i == 0 ? last : string.Create(CultureInfo.InvariantCulture, $"@{i}@{row.RowKey}"));
                }

                items.Add(held[i]);
            }

            last = row.RowKey;
        }

        return (items, null);
    }

    /// <summary>The row and the entries of it read already, of a token that ended a page inside a bundle row.</summary>
    private static (string? Row, int Skip) Within(string? token)
    {
        if (token is not ['@', ..] || token.IndexOf('@', 1) is not (> 1 and int at)
            || !int.TryParse(token.AsSpan(1, at - 1), NumberStyles.None, CultureInfo.InvariantCulture, out int skip))
        {
            return (null, 0);
        }

        return (token[(at + 1)..], skip);
    }

    /// <inheritdoc/>
    public async Task<int> PseudonymiseAsync(string cohortId, string participantId, string pseudonym, CancellationToken cancellationToken)
    {
        await onFirstUse.EnsureAsync(cancellationToken);
        string filter = TableClient.CreateQueryFilter($"PartitionKey eq {PartitionOf(cohortId)} and RowKey ge {"o|"} and RowKey lt {"o}"}");
        int changed = 0;
        await foreach (TableEntity row in table.QueryAsync<TableEntity>(filter, cancellationToken: cancellationToken))
        {
            IReadOnlyList<AuditEntry> held = Read(row);
            bool Names(AuditEntry entry) => entry.Targets.Values.Contains(participantId, StringComparer.Ordinal);
            int theirs = held.Count(Names);
            if (theirs == 0)
            {
                continue;
            }

            List<AuditEntry> rewritten = held.Select(entry => Names(entry)
                ? entry with { Targets = entry.Targets.ToDictionary(t => t.Key, t => t.Value == participantId ? pseudonym : t.Value, StringComparer.Ordinal) }
                : entry).ToList();
            if (TableBundles.Holds(row))
            {
                TableBundles.Put(row, rewritten);
            }
            else
            {
                row["Doc"] = JsonSerializer.Serialize(rewritten[0], CohortsJson.Options);
            }

            await table.UpdateEntityAsync(row, row.ETag, TableUpdateMode.Replace, cancellationToken);
            changed += theirs;
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

    private static IEnumerable<TableTransactionAction> BundleRows(string partition, Bundle<AuditEntry> bundle)
    {
        string ordered = "o|" + (DateTimeOffset.MaxValue.UtcTicks - bundle.Items[0].At.UtcTicks).ToString("D19", CultureInfo.InvariantCulture) + "|~" + bundle.Id;
        yield return new TableTransactionAction(TableTransactionActionType.Add, new TableEntity(partition, "i|~" + bundle.Id) { ["Ordered"] = ordered });
        var row = new TableEntity(partition, ordered);
        TableBundles.Put(row, bundle.Items, bundle.Json);
        yield return new TableTransactionAction(TableTransactionActionType.Add, row);
    }

    /// <summary>The entries a row holds: one, or a bundle's.</summary>
    private static IReadOnlyList<AuditEntry> Read(TableEntity row) =>
        TableBundles.Holds(row)
            ? TableBundles.Read<AuditEntry>(row)
            : [JsonSerializer.Deserialize<AuditEntry>(row.GetString("Doc"), CohortsJson.Options) ?? throw new JsonException($"Audit row {row.RowKey} holds null.")];

    private static string PartitionOf(string? cohortId) => cohortId is null ? Global : KeyEscape.Escape(cohortId);
}
