using System.Collections.Concurrent;
using Azure;
using Azure.Data.Tables;

namespace Cohorts.Connectors.Tables;

/// <summary>
/// Rows whose being there says that a piece of work done once for their partition is done (the first count of what was
/// stored before its counts were kept, the keying of emails stored before their key): when the row is missing the work
/// is done and the row it makes added; a process that finds another's row added first keeps that one. Such rows are
/// never deleted, so each is read at most once per process.
/// </summary>
internal sealed class TableMarkers(TableClient table)
{
    private readonly ConcurrentDictionary<(string Partition, string RowKey), bool> known = new();

    /// <summary>Makes sure the row is there: when it is not, <paramref name="work"/> runs and the row it returns is added.</summary>
    public async Task EnsureAsync(string partition, string rowKey, Func<Task<TableEntity>> work, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(work);
        if (known.ContainsKey((partition, rowKey)))
        {
            return;
        }

        if (!(await table.GetEntityIfExistsAsync<TableEntity>(partition, rowKey, select: ["RowKey"], cancellationToken: cancellationToken)).HasValue)
        {
            await AddAsync(await work(), cancellationToken);
        }

        known.TryAdd((partition, rowKey), true);
    }

    /// <summary>Adds the row unless another writer added it first (its row stands).</summary>
    public async Task AddAsync(TableEntity row, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(row);
        try
        {
            await table.AddEntityAsync(row, cancellationToken);
        }
        catch (RequestFailedException e) when (e.Status == 409)
        {
            // made by another writer first
        }
    }
}
