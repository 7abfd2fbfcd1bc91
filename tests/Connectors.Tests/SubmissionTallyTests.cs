using Azure.Data.Tables;
using Cohorts.Connectors.Tables;
using Cohorts.Domain;
using Cohorts.Domain.Reviews;
using Cohorts.TestSupport;

namespace Cohorts.Connectors.Tests;

/// <summary>
/// The review figures the cohort view reads, on Azurite: kept as submissions are created, decided and escalated,
/// counted once for a cohort whose submissions predate them, and read with the same number of storage requests
/// whether the cohort has five submissions or two hundred and five.
/// </summary>
[Collection(SharedAzurite.Name)]
public sealed class SubmissionTallyTests(AzuriteFixture azurite)
{
    private static readonly DateTimeOffset At = new(2026, 11, 2, 9, 0, 0, TimeSpan.Zero);

    private (TableSubmissionStore Store, TableClient Table, CountingPolicy Counter) NewStore()
    {
        (TableClient table, CountingPolicy counter) = CountingPolicy.NewTable(azurite.ConnectionString, "t");
        return (new TableSubmissionStore(table), table, counter);
    }

    private static Submission Submitted(string cohortId, int person, int attempt = 1) =>
        new(Submission.IdFor(cohortId, $"p{person}", "builders-4", attempt), cohortId, $"p{person}", "builders-4", Track.Builders, new Uri("https://git.example.com/x"), attempt,
            At, "rev-a", At.AddHours(24), At.AddHours(48), SubmissionStatus.AwaitingReview);

    [Fact]
    public async Task Tally_FollowsTheSubmissions_AndItsReadsDoNotGrowWithThem()
    {
        (TableSubmissionStore store, _, CountingPolicy counter) = NewStore();
        const string Cohort = "tally-grow";
        for (int i = 0; i < 5; i++)
        {
            await store.CreateAsync(Submitted(Cohort, i), CancellationToken.None);
        }

        // p0 decided in 2 h, p1 in 30 h, p2 escalated then decided in 60 h (past its 48 h window)
        await store.UpdateAsync(Submission.IdFor(Cohort, "p0", "builders-4", 1), s => s with { Decision = new ReviewDecision(Verdict.Accepted, "ok", null, "rev-a", At.AddHours(2)) }, CancellationToken.None);
        await store.UpdateAsync(Submission.IdFor(Cohort, "p1", "builders-4", 1), s => s with { Decision = new ReviewDecision(Verdict.Rework, "again", null, "rev-a", At.AddHours(30)) }, CancellationToken.None);
        await store.UpdateAsync(Submission.IdFor(Cohort, "p2", "builders-4", 1), s => s with { EscalatedAt = At.AddHours(48) }, CancellationToken.None);
        await store.UpdateAsync(Submission.IdFor(Cohort, "p2", "builders-4", 1), s => s with { Decision = new ReviewDecision(Verdict.Accepted, "ok", null, "rev-b", At.AddHours(60)) }, CancellationToken.None);

        (int before, long bytesBefore) = (counter.Requests, counter.Bytes);
        ReviewTally small = await store.TallyAsync(Cohort, CancellationToken.None);
        (int readsForFive, long bytesForFive) = (counter.Requests - before, counter.Bytes - bytesBefore);

        Assert.Equal((5, 3, 2, 1), (small.Submitted, small.Decided, small.DecidedInWindow, small.Escalations));
        Assert.InRange(small.MedianTimeToFeedback()!.Value.TotalHours, 30 * 0.99, 30 * 1.01); // 2 h, 30 h, 60 h

        for (int i = 5; i < 205; i++)
        {
            await store.CreateAsync(Submitted(Cohort, i), CancellationToken.None);
        }

        (before, bytesBefore) = (counter.Requests, counter.Bytes);
        ReviewTally large = await store.TallyAsync(Cohort, CancellationToken.None);
        (int readsFor205, long bytesFor205) = (counter.Requests - before, counter.Bytes - bytesBefore);

        for (int i = 205; i < 405; i++)
        {
            await store.CreateAsync(Submitted(Cohort, i), CancellationToken.None);
        }

        (before, bytesBefore) = (counter.Requests, counter.Bytes);
        ReviewTally larger = await store.TallyAsync(Cohort, CancellationToken.None);
        (int readsFor405, long bytesFor405) = (counter.Requests - before, counter.Bytes - bytesBefore);

        Assert.Equal((205, 405), (large.Submitted, larger.Submitted));
        Assert.Equal([readsForFive, readsForFive], new[] { readsFor205, readsFor405 });
        Assert.True(readsFor405 <= 2, $"{readsFor405} requests to read the figures"); // one query of the shard rows
        // at most eight shard rows whatever the count (five submissions fill only some of them); a scan of 405 would read over 150 KB
        Assert.True(bytesFor405 < bytesFor205 * 1.05 && bytesFor405 < 8 * 1024, $"{bytesForFive} bytes read for 5 submissions, {bytesFor205} for 205, {bytesFor405} for 405");
    }

    [Fact]
    public async Task CohortOlderThanTheFigures_IsCountedOnce_ThenKeptAsItChanges()
    {
        (TableSubmissionStore store, TableClient table, _) = NewStore();
        const string Cohort = "tally-old";
        for (int i = 0; i < 3; i++)
        {
            await store.CreateAsync(Submitted(Cohort, i), CancellationToken.None);
        }

        await store.UpdateAsync(Submission.IdFor(Cohort, "p0", "builders-4", 1), s => s with { Decision = new ReviewDecision(Verdict.Accepted, "ok", null, "rev-a", At.AddHours(1)) }, CancellationToken.None);
        // as a store written before the figures left it: no tally rows
        await foreach (TableEntity row in table.QueryAsync<TableEntity>($"PartitionKey eq '{Cohort}' and RowKey ge 'tally|' and RowKey lt 'tally}}'"))
        {
            await table.DeleteEntityAsync(row.PartitionKey, row.RowKey);
        }

        var upgraded = new TableSubmissionStore(table); // a new process: nothing remembered
        await upgraded.UpdateAsync(Submission.IdFor(Cohort, "p1", "builders-4", 1), s => s with { Decision = new ReviewDecision(Verdict.Accepted, "ok", null, "rev-a", At.AddHours(3)) }, CancellationToken.None);
        await upgraded.CreateAsync(Submitted(Cohort, 3), CancellationToken.None);

        ReviewTally tally = await upgraded.TallyAsync(Cohort, CancellationToken.None);

        Assert.Equal((4, 2, 2, 0), (tally.Submitted, tally.Decided, tally.DecidedInWindow, tally.Escalations));
    }
}
