using Azure.Data.Tables;
using Cohorts.Connectors.Tables;
using Cohorts.Domain.Learning;
using Cohorts.TestSupport;

namespace Cohorts.Connectors.Tests;

/// <summary>
/// A cohort's xAPI figures (statements received, and how many matched nobody or nothing), on Azurite: counted as
/// statements are stored (a repeated statement once), apart from other cohorts' statements, counted once for statements
/// stored before the counts, and read with the same requests for five statements as for two hundred.
/// </summary>
[Collection(SharedAzurite.Name)]
public sealed class StatementCountsTests(AzuriteFixture azurite)
{
    private static readonly DateTimeOffset At = new(2026, 11, 29, 9, 0, 0, TimeSpan.Zero);

    private (TableStatementStore Store, TableClient Table, CountingPolicy Counter) NewStore()
    {
        (TableClient table, CountingPolicy counter) = CountingPolicy.NewTable(azurite.ConnectionString, "x");
        return (new TableStatementStore(table), table, counter);
    }

    private static StoredStatement Statement(int n, string? cohortId, bool matched) =>
        new(new XapiStatement($"00000000-0000-0000-0000-{n:D12}", "ana@example.com", null, "http://adlnet.gov/expapi/verbs/completed", "https://lms.example.com/a", null, At, "{}", $"digest-{n}"),
            new XapiOutcome(cohortId, matched ? "E1" : null, matched ? "builders-1" : null, matched, matched ? "completed" : "unknown person"),
            At.AddSeconds(n));

    [Fact]
    public async Task Counts_FollowTheStatements_AndTheirReadsDoNotGrowWithThem()
    {
        (TableStatementStore store, _, CountingPolicy counter) = NewStore();
        // c1: statements 1-5, of which 2 and 4 matched nobody; c2: statement 6; no cohort at all: statement 7
        for (int n = 1; n <= 5; n++)
        {
            Assert.Equal(StatementWrite.Added, await store.AddAsync(Statement(n, "c1", matched: n % 2 == 1), CancellationToken.None));
        }

        await store.AddAsync(Statement(6, "c2", matched: true), CancellationToken.None);
        await store.AddAsync(Statement(7, null, matched: false), CancellationToken.None);
        // statement 3 sent again: the same, not counted twice
        Assert.Equal(StatementWrite.Same, await store.AddAsync(Statement(3, "c1", matched: true), CancellationToken.None));

        Assert.Equal((5, 2), await store.CountAsync("c1", CancellationToken.None));
        Assert.Equal((1, 0), await store.CountAsync("c2", CancellationToken.None));
        (int readsForFive, long bytesForFive) = await counter.MeasureAsync(() => store.CountAsync("c1", CancellationToken.None));

        // 200 more for c1, every fourth unmatched (8, 12, … 204: 50 of them)
        for (int n = 8; n < 208; n++)
        {
            await store.AddAsync(Statement(n, "c1", matched: n % 4 != 0), CancellationToken.None);
        }

        Assert.Equal((205, 52), await store.CountAsync("c1", CancellationToken.None));
        (int readsFor205, long bytesFor205) = await counter.MeasureAsync(async () => Assert.Equal((205, 52), await store.CountAsync("c1", CancellationToken.None)));

        Assert.Equal(readsForFive, readsFor205);
        Assert.True(readsFor205 <= 1, $"{readsFor205} requests to read the counts");
        // one row either way; a scan of 205 statements would read tens of kilobytes
        Assert.True(bytesFor205 < bytesForFive * 1.5 && bytesFor205 < 2 * 1024, $"{bytesForFive} bytes read for 5 statements, {bytesFor205} for 205");
    }

    [Fact]
    public async Task StatementsStoredBeforeTheCounts_AreCountedOnce_ThenKeptAsTheyCome()
    {
        (TableStatementStore store, TableClient table, _) = NewStore();
        for (int n = 1; n <= 4; n++)
        {
            await store.AddAsync(Statement(n, "old", matched: n != 2), CancellationToken.None);
        }

        // as a store written before the counts left it: no count rows
        await foreach (TableEntity row in table.QueryAsync<TableEntity>("PartitionKey eq 'statements' and RowKey ge 'n|' and RowKey lt 'n}'"))
        {
            await table.DeleteEntityAsync(row.PartitionKey, row.RowKey);
        }

        var upgraded = new TableStatementStore(table); // a new process: nothing remembered
        await upgraded.AddAsync(Statement(5, "old", matched: false), CancellationToken.None);
        // 1-4 counted once (2 unmatched), 5 as it came (unmatched)
        Assert.Equal((5, 2), await upgraded.CountAsync("old", CancellationToken.None));
        Assert.Equal((5, 2), await new TableStatementStore(table).CountAsync("old", CancellationToken.None));
    }
}
