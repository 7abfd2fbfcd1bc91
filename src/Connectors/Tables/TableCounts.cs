using Azure;
using Azure.Data.Tables;

namespace Cohorts.Connectors.Tables;

/// <summary>
/// Counts kept in rows beside what they count, under one key prefix of one partition: a base row (<c>{prefix}0</c>) and
/// a row per write that changed a count (<c>{prefix}d|…</c>), which the write adds in its own transaction, so a count
/// never differs from what it counts and a write that did not commit counted nothing. Reading sums the base and the rows
/// written since, then folds those into the base (the base replaced and the rows deleted in one transaction), so a read
/// stays a few rows however much was written. What was stored before its counts were kept is counted once, into the
/// base, before the first write that counts: a write is either in that count or in a row of its own, never both.
/// </summary>
internal sealed class TableCounts(TableClient table, string[] columns)
{
    /// <summary>Rows written since the last fold that make a read fold them.</summary>
    public const int FoldFrom = 10;

    // a transaction's hundred entities: the base and ninety-nine rows folded into it
    private const int FoldPerTransaction = 99;

    private readonly TableMarkers bases = new(table);

    /// <summary>Counts of nothing.</summary>
    public int[] Zero() => new int[columns.Length];

    /// <summary>The key of the row of one write's counts, <paramref name="name"/> unique to the write.</summary>
    public static string RowKeyOf(string prefix, string name) => prefix + "d|" + name;

    /// <summary>The filter of a scope's count rows (the prefix ends with a bar, which a brace follows).</summary>
    public static string Filter(string partition, string prefix) =>
        $"PartitionKey eq {TableKeys.Literal(partition)} and RowKey ge {TableKeys.Literal(prefix)} and RowKey lt {TableKeys.Literal(prefix[..^1] + "}")}";

    /// <summary>Adds the row holding <paramref name="counts"/> to a write's actions, unless it counts nothing.</summary>
    public void AddTo(List<TableTransactionAction> actions, string partition, string rowKey, int[] counts)
    {
        ArgumentNullException.ThrowIfNull(actions);
        if (!Array.TrueForAll(counts, c => c == 0))
        {
            actions.Add(new TableTransactionAction(TableTransactionActionType.Add, Row(partition, rowKey, counts)));
        }
    }

    /// <summary>
    /// Makes sure the scope's base row exists before a write counts into it or a read sums it: when it does not,
    /// <paramref name="countStored"/> counts what is stored, which becomes the base (unless another process added it first).
    /// </summary>
    public Task EnsureBaseAsync(string partition, string prefix, Func<Task<int[]>> countStored, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(countStored);
        return bases.EnsureAsync(partition, prefix + "0", async () => Row(partition, prefix + "0", await countStored()), cancellationToken);
    }

    /// <summary>
    /// The scope's counts: its base and every row written since, which are then folded into the base (ninety-nine a
    /// transaction; rows another reader folded first are left to it). A read of more than one page (over a thousand rows
    /// written since the last fold) is not one snapshot: another reader's fold between its pages moves rows it has not
    /// reached into the base it has already read. Such a read checks the base's ETag at its end and, when the base
    /// changed meanwhile, reads again (the fold has left few rows, so the next read is one page).
    /// </summary>
    public async Task<int[]> ReadAsync(string partition, string prefix, CancellationToken cancellationToken)
    {
        for (int read = 1; ; read++)
        {
            (int[] counts, TableEntity? stored, List<TableEntity> since, int pages) = await ReadRowsAsync(partition, prefix, cancellationToken);
            if (pages > 1 && stored is not null && read < MaxReads && !await UnchangedAsync(stored, cancellationToken))
            {
                continue;
            }

            if (stored is not null && since.Count >= FoldFrom)
            {
                await FoldAsync(stored, since, cancellationToken);
            }

            return counts;
        }
    }

    // reads of a scope whose base keeps changing between their pages (each time another reader folds a thousand rows)
    private const int MaxReads = 5;

    private async Task<(int[] Counts, TableEntity? Stored, List<TableEntity> Since, int Pages)> ReadRowsAsync(string partition, string prefix, CancellationToken cancellationToken)
    {
        int[] counts = Zero();
        TableEntity? stored = null;
        var since = new List<TableEntity>();
        int pages = 0;
        await foreach (Page<TableEntity> page in table.QueryAsync<TableEntity>(Filter(partition, prefix), maxPerPage: 1000, cancellationToken: cancellationToken).AsPages())
        {
            pages++;
            foreach (TableEntity row in page.Values)
            {
                Add(counts, row);
                if (row.RowKey == prefix + "0")
                {
                    stored = row;
                }
                else
                {
                    since.Add(row);
                }
            }
        }

        return (counts, stored, since, pages);
    }

    private async Task<bool> UnchangedAsync(TableEntity stored, CancellationToken cancellationToken)
    {
        NullableResponse<TableEntity> now = await table.GetEntityIfExistsAsync<TableEntity>(stored.PartitionKey, stored.RowKey, select: ["RowKey"], cancellationToken: cancellationToken);
        return now.HasValue && now.Value!.ETag == stored.ETag;
    }

    private async Task FoldAsync(TableEntity stored, List<TableEntity> since, CancellationToken cancellationToken)
    {
        int[] folded = Zero();
        Add(folded, stored);
        ETag etag = stored.ETag;
        foreach (TableEntity[] chunk in since.Chunk(FoldPerTransaction))
        {
            foreach (TableEntity row in chunk)
            {
                Add(folded, row);
            }

            List<TableTransactionAction> actions = [new TableTransactionAction(TableTransactionActionType.UpdateReplace, Row(stored.PartitionKey, stored.RowKey, folded), etag)];
            actions.AddRange(chunk.Select(row => new TableTransactionAction(TableTransactionActionType.Delete, row, row.ETag)));
            try
            {
                Response<IReadOnlyList<Response>> done = await table.SubmitTransactionAsync(actions, cancellationToken);
                if (done.Value.Count == 0 || done.Value[0].Headers.ETag is not { } next)
                {
                    return;
                }

                etag = next;
            }
            catch (RequestFailedException e) when (e.Status is 404 or 409 or 412)
            {
                return; // another reader folded these rows first
            }
        }
    }

    private TableEntity Row(string partition, string rowKey, int[] counts)
    {
        var row = new TableEntity(partition, rowKey);
        for (int i = 0; i < columns.Length; i++)
        {
            if (counts[i] != 0)
            {
                row[columns[i]] = counts[i];
            }
        }

        return row;
    }

    private void Add(int[] counts, TableEntity row)
    {
        for (int i = 0; i < columns.Length; i++)
        {
            counts[i] += row.GetInt32(columns[i]) ?? 0;
        }
    }
}
