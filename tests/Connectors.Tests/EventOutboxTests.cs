using Azure.Data.Tables;
using Cohorts.Connectors.Tables;
using Cohorts.Domain;
using Cohorts.Domain.Access;
using Cohorts.Domain.Enrolment;
using Cohorts.Domain.Events;
using Cohorts.TestSupport;

namespace Cohorts.Connectors.Tests;

/// <summary>The event outbox on Azurite: events raised alone and together, listed as pending, found again, erased, and marked handed on in batches.</summary>
[Collection(SharedAzurite.Name)]
public sealed class EventOutboxTests(AzuriteFixture azurite)
{
    private static readonly DateTimeOffset At = new(2026, 11, 2, 9, 0, 0, TimeSpan.Zero);

    private static CohortEvent Joined(int person) =>
        CohortEvents.Participant("c1", "imp1", new RosterChange(ChangeKind.Join, $"p{person}", person + 1, null, null, Track.Consumers, "title-operational", "r"), At.AddMilliseconds(person))!;

    private TableClient NewTable() => new(azurite.ConnectionString, "t" + Guid.NewGuid().ToString("N")[..20]);

    [Fact]
    public async Task MarkDispatched_OfMoreThanATransactionHolds_LeavesNothingPending_EvenWithOneHandedOnBefore()
    {
        var outbox = new TableEventOutbox(NewTable());
        Assert.False(await outbox.AnyPendingAsync(CancellationToken.None));   // a new table
        List<CohortEvent> raised = Enumerable.Range(0, 130).Select(Joined).ToList();
        foreach (CohortEvent one in raised)
        {
            await outbox.RaiseAsync(one, CancellationToken.None);   // each alone: a row of its own
        }

        Assert.True(await outbox.AnyPendingAsync(CancellationToken.None));

        IReadOnlyList<PendingEvent> pending = await outbox.PendingAsync(300, CancellationToken.None);
        Assert.Equal(130, pending.Count);
        Assert.All(pending, p => Assert.Null(p.Receipt));

        await outbox.MarkDispatchedAsync([pending[120]], CancellationToken.None);   // handed on before a crash
        Assert.Equal(129, (await outbox.PendingAsync(300, CancellationToken.None)).Count);
        await outbox.MarkDispatchedAsync(pending, CancellationToken.None);          // the whole list again: its second hundred holds a row gone

        Assert.Empty(await outbox.PendingAsync(300, CancellationToken.None));
        Assert.False(await outbox.AnyPendingAsync(CancellationToken.None));   // the events' own rows are not pending
        Assert.NotNull(await outbox.GetAsync(raised[42].Id, null, CancellationToken.None)); // the events themselves stay
    }

    [Fact]
    public async Task RaisedTogether_TheyTakeAFewRows_AndAreListedFoundAndHandedOnWhole_AndASecondRaiseChangesNothing()
    {
        TableClient table = NewTable();
        var outbox = new TableEventOutbox(table);
        List<CohortEvent> raised = Enumerable.Range(0, 250).Select(Joined).ToList();
        await outbox.RaiseAllAsync(raised, CancellationToken.None);
        int rows = await table.QueryAsync<TableEntity>().CountAsync();
        Assert.InRange(rows, 2, 20); // 250 events of about 330 characters: a handful of 30,000-character bundles, two rows each
        // and compressed: the store keeps a fraction of the events' JSON
        long stored = (await table.QueryAsync<TableEntity>().ToListAsync()).Sum(r => r.GetBinary("Docz")?.Length ?? 0);
        long json = raised.Sum(e => (long)System.Text.Json.JsonSerializer.Serialize(e, Cohorts.Connectors.Json.CohortsJson.Options).Length);
        Assert.InRange(stored, 1, json / 4);

        await outbox.RaiseAllAsync(raised, CancellationToken.None);   // the retried activity
        Assert.Equal(rows, await table.QueryAsync<TableEntity>().CountAsync());

        IReadOnlyList<PendingEvent> pending = await outbox.PendingAsync(300, CancellationToken.None);
        Assert.Equal(raised.Select(e => e.Id).Order(), pending.Select(p => p.Event.Id).Order());
        Assert.All(pending, p => Assert.NotNull(p.Receipt));
        CohortEvent found = (await outbox.GetAsync(raised[137].Id, pending.Single(p => p.Event.Id == raised[137].Id).Receipt, CancellationToken.None))!;
        Assert.Equal("p137", found.Data["participantId"]!.GetValue<string>());
        Assert.Null(await outbox.GetAsync(raised[137].Id, null, CancellationToken.None)); // not a row of its own

        // fewer than a bundle asked for: whole bundles come, so the first is not split
        IReadOnlyList<PendingEvent> first = await outbox.PendingAsync(10, CancellationToken.None);
        Assert.True(first.Count > 10);
        Assert.Single(first.Select(p => p.Receipt).Distinct());

        await outbox.MarkDispatchedAsync(first, CancellationToken.None);
        Assert.Equal(250 - first.Count, (await outbox.PendingAsync(300, CancellationToken.None)).Count);
        await outbox.MarkDispatchedAsync(pending, CancellationToken.None);   // the first bundle's pending row is gone already
        Assert.Empty(await outbox.PendingAsync(300, CancellationToken.None));
        Assert.NotNull(await outbox.GetAsync(raised[3].Id, pending.Single(p => p.Event.Id == raised[3].Id).Receipt, CancellationToken.None));
    }

    [Fact]
    public async Task Erasure_TakesThePersonsEventOutOfItsBundle_AndLeavesTheOthersPendingAndFound()
    {
        var outbox = new TableEventOutbox(NewTable());
        List<CohortEvent> raised = Enumerable.Range(0, 40).Select(Joined).ToList();
        await outbox.RaiseAllAsync(raised, CancellationToken.None);
        string receipt = (await outbox.PendingAsync(100, CancellationToken.None))[0].Receipt!;

        int erased = await outbox.EraseAsync(new PersonToErase("c1", "p7", "anon-7", ["p7"]), CancellationToken.None);

        Assert.Equal(1, erased);
        Assert.Null(await outbox.GetAsync(raised[7].Id, receipt, CancellationToken.None));
        Assert.NotNull(await outbox.GetAsync(raised[8].Id, receipt, CancellationToken.None));
        IReadOnlyList<PendingEvent> pending = await outbox.PendingAsync(100, CancellationToken.None);
        Assert.Equal(39, pending.Count);
        Assert.DoesNotContain(pending, p => p.Event.Id == raised[7].Id);
        Assert.Equal(0, await outbox.EraseAsync(new PersonToErase("c2", "p8", "anon-8", ["p8"]), CancellationToken.None)); // another cohort's person
    }

    [Fact]
    public async Task APendingRowWhoseBundleIsGone_IsDroppedByTheNextDispatch()
    {
        TableClient table = NewTable();
        var outbox = new TableEventOutbox(table);
        await outbox.RaiseAllAsync(Enumerable.Range(0, 5).Select(Joined).ToList(), CancellationToken.None);
        TableEntity bundle = await table.QueryAsync<TableEntity>(e => e.RowKey.CompareTo("b|") >= 0 && e.RowKey.CompareTo("b}") < 0).SingleAsync();
        await table.DeleteEntityAsync(bundle.PartitionKey, bundle.RowKey);   // an erasure stopped between its two deletes

        Assert.Empty(await outbox.PendingAsync(100, CancellationToken.None));
        Assert.Equal(0, await table.QueryAsync<TableEntity>().CountAsync());
    }

    [Fact]
    public async Task SkipPending_MarksTheOldestRowsWithoutReadingThem_SinglesAndBundles()
    {
        TableClient table = NewTable();
        var outbox = new TableEventOutbox(table);
        foreach (CohortEvent one in Enumerable.Range(0, 3).Select(Joined))
        {
            await outbox.RaiseAsync(one, CancellationToken.None);   // three rows of their own
        }

        await outbox.RaiseAllAsync(Enumerable.Range(10, 120).Select(Joined).ToList(), CancellationToken.None);   // a few bundles, each one pending row
        int pendingRows = await table.QueryAsync<TableEntity>(e => e.RowKey.CompareTo("p|") >= 0 && e.RowKey.CompareTo("p}") < 0).CountAsync();

        Assert.Equal(2, await outbox.SkipPendingAsync(2, CancellationToken.None));
        Assert.Equal(120 + 1, (await outbox.PendingAsync(500, CancellationToken.None)).Count);   // the two oldest singles went
        Assert.True(await outbox.AnyPendingAsync(CancellationToken.None));   // bundles' pending rows among them
        Assert.Equal(pendingRows - 2, await outbox.SkipPendingAsync(500, CancellationToken.None));
        Assert.Empty(await outbox.PendingAsync(500, CancellationToken.None));
        Assert.False(await outbox.AnyPendingAsync(CancellationToken.None));
        Assert.Equal(0, await outbox.SkipPendingAsync(500, CancellationToken.None));
        Assert.NotNull(await outbox.GetAsync(Joined(1).Id, null, CancellationToken.None)); // the events themselves stay
    }
}
