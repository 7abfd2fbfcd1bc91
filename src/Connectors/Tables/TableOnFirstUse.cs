using Azure.Data.Tables;

namespace Cohorts.Connectors.Tables;

/// <summary>Creates a table the first time a store uses it (once per store instance; creating it again is harmless).</summary>
internal sealed class TableOnFirstUse(TableClient table)
{
    private int ready;

    /// <summary>Makes sure the table exists.</summary>
    public async Task EnsureAsync(CancellationToken cancellationToken)
    {
        if (Volatile.Read(ref ready) == 0)
        {
            await table.CreateIfNotExistsAsync(cancellationToken);
            Volatile.Write(ref ready, 1);
        }
    }
}
