using Azure.Data.Tables;

namespace Cohorts.Connectors.Tables;

/// <summary>Rows written once: what an append-only table (the event outbox, the audit log) needs from a retried writer.</summary>
internal static class TableOnce
{
    /// <summary>
    /// Adds each item's rows, <paramref name="perTransaction"/> items to a transaction (one partition, at most 100 rows);
    /// a transaction that meets an item added before (a retried activity) is written again item by item, where the
    /// first write of each stands.
    /// </summary>
    public static async Task AddAsync<T>(TableClient table, IReadOnlyList<T> items, int perTransaction, Func<T, IEnumerable<TableTransactionAction>> rows, CancellationToken cancellationToken)
    {
        foreach (T[] batch in items.Chunk(perTransaction))
        {
            try
            {
                await table.SubmitTransactionAsync(batch.SelectMany(rows), cancellationToken);
            }
            catch (TableTransactionFailedException e) when (e.Status == 409 && batch.Length > 1)
            {
                foreach (T one in batch)
                {
                    await AddAsync(table, [one], 1, rows, cancellationToken);
                }
            }
            catch (TableTransactionFailedException e) when (e.Status == 409)
            {
                // added before: the first stands
            }
        }
    }
}
