using Azure.Data.Tables;
using Cohorts.Connectors.Tables;
using Cohorts.Domain;
using Cohorts.Domain.Enrolment;
using Cohorts.Domain.Events;
using Cohorts.TestSupport;

namespace Cohorts.Connectors.Tests;

/// <summary>The event outbox on Azurite: events raised, listed as pending, and marked handed on in batches.</summary>
[Collection(SharedAzurite.Name)]
public sealed class EventOutboxTests(AzuriteFixture azurite)
{
    private static readonly DateTimeOffset At = new(2026, 11, 2, 9, 0, 0, TimeSpan.Zero);

    private static CohortEvent Joined(int person) =>
        CohortEvents.Participant("c1", "imp1", new RosterChange(ChangeKind.Join, $"p{person}", person + 1, null, null, Track.Consumers, "title-operational", "r"), At.AddMilliseconds(person))!;

    [Fact]
    public async Task MarkDispatched_OfMoreThanATransactionHolds_LeavesNothingPending_EvenWithOneHandedOnBefore()
    {
        var outbox = new TableEventOutbox(new TableClient(azurite.ConnectionString, "t" + Guid.NewGuid().ToString("N")[..20]));
        List<CohortEvent> raised = Enumerable.Range(0, 250).Select(Joined).ToList();
        await outbox.RaiseAllAsync(raised, CancellationToken.None);
        IReadOnlyList<CohortEvent> pending = await outbox.PendingAsync(300, CancellationToken.None);
        Assert.Equal(250, pending.Count);

        await outbox.MarkDispatchedAsync([pending[150]], CancellationToken.None);   // handed on before a crash
        Assert.Equal(249, (await outbox.PendingAsync(300, CancellationToken.None)).Count);
        await outbox.MarkDispatchedAsync(pending, CancellationToken.None);          // the whole list again: its second hundred holds a row gone

        Assert.Empty(await outbox.PendingAsync(300, CancellationToken.None));
        Assert.NotNull(await outbox.GetAsync(raised[42].Id, CancellationToken.None)); // the events themselves stay
    }
}
