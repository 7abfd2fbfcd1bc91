using Cohorts.Application.Webhooks;
using Cohorts.Domain;
using Cohorts.Domain.Enrolment;
using Cohorts.Domain.Events;
using Cohorts.Workflows.Contracts;
using Microsoft.DurableTask;
using Microsoft.DurableTask.Client;
using NSubstitute;

namespace Cohorts.Application.Tests;

/// <summary>
/// The dispatcher keeps up with a backlog (batch after batch in one call, up to its bound), passes each event's receipt
/// to its delivery, with no active subscription marks what is pending without reading it, and when nothing is pending
/// reads nothing more.
/// </summary>
public sealed class EventDispatcherTests
{
    private static readonly DateTimeOffset At = new(2026, 11, 2, 9, 0, 0, TimeSpan.Zero);

    private static PendingEvent Joined(int person, string? receipt) =>
        new(CohortEvents.Participant("c1", "imp1", new RosterChange(ChangeKind.Join, $"p{person}", person + 1, null, null, Track.Consumers, "title-operational", "r"), At)!, receipt);

    /// <summary>An outbox whose pending events come in the batches given, one batch a call, then none.</summary>
    private static IEventOutbox Outbox(params int[] batches)
    {
        IEventOutbox outbox = Substitute.For<IEventOutbox>();
        outbox.AnyPendingAsync(Arg.Any<CancellationToken>()).Returns(true);
        var calls = new Queue<IReadOnlyList<PendingEvent>>(batches.Select((n, b) => (IReadOnlyList<PendingEvent>)Enumerable.Range(b * 1000, n).Select(i => Joined(i, "r" + b)).ToList()));
        outbox.PendingAsync(Arg.Any<int>(), Arg.Any<CancellationToken>()).Returns(_ => calls.Count > 0 ? calls.Dequeue() : []);
        return outbox;
    }

    private static ISubscriptionStore Subscriptions(params WebhookSubscription[] subscriptions)
    {
        ISubscriptionStore store = Substitute.For<ISubscriptionStore>();
        store.ListAsync(Arg.Any<CancellationToken>()).Returns(_ => Each(subscriptions));
        return store;
    }

    private static async IAsyncEnumerable<WebhookSubscription> Each(WebhookSubscription[] subscriptions)
    {
        foreach (WebhookSubscription subscription in subscriptions)
        {
            await Task.Yield();
            yield return subscription;
        }
    }

    // active, wanting none of the participant events the outbox holds: every event is read, none started
    private static readonly WebhookSubscription Decisions = new("sub0", new Uri("https://hooks.example.com/d"), ["review.decided"], null, "whsec_d", At, "integrator-key");

    [Fact]
    public async Task ABacklog_IsHandedOnBatchAfterBatchInOneCall_UntilABatchIsNotFull()
    {
        IEventOutbox outbox = Outbox(200, 200, 37, 200);   // the last comes after the call has ended
        var dispatcher = new EventDispatcher(outbox, Subscriptions(Decisions), new WebhookOptions());

        int handed = await dispatcher.DispatchAsync(Substitute.For<DurableTaskClient>("test"), CancellationToken.None);

        Assert.Equal(437, handed);
        await outbox.Received(3).MarkDispatchedAsync(Arg.Any<IReadOnlyList<PendingEvent>>(), Arg.Any<CancellationToken>());
    }

    [Fact]
    public async Task ABacklogLongerThanACallTakes_IsLeftForTheNextTick()
    {
        IEventOutbox outbox = Outbox(Enumerable.Repeat(200, EventDispatcher.MostBatches + 5).ToArray());
        var dispatcher = new EventDispatcher(outbox, Subscriptions(Decisions), new WebhookOptions());

        Assert.Equal(EventDispatcher.MostBatches * 200, await dispatcher.DispatchAsync(Substitute.For<DurableTaskClient>("test"), CancellationToken.None));
        Assert.Equal(5 * 200, await dispatcher.DispatchAsync(Substitute.For<DurableTaskClient>("test"), CancellationToken.None));
    }

    [Fact]
    public async Task EachDelivery_CarriesItsEventsReceipt()
    {
        IEventOutbox outbox = Outbox(3);
        var subscription = new WebhookSubscription("sub1", new Uri("https://hooks.example.com/x"), ["participant.joined"], "c1", "whsec_x", At, "integrator-key");
        DurableTaskClient client = Substitute.For<DurableTaskClient>("test");
        var dispatcher = new EventDispatcher(outbox, Subscriptions(subscription), new WebhookOptions());

        Assert.Equal(3, await dispatcher.DispatchAsync(client, CancellationToken.None));

        await client.Received(3).ScheduleNewOrchestrationInstanceAsync(
            Arg.Any<TaskName>(), Arg.Is<object?>(i => i is EventDeliveryInput && ((EventDeliveryInput)i).Receipt == "r0" && ((EventDeliveryInput)i).SubscriptionId == "sub1"), Arg.Any<StartOrchestrationOptions?>(), Arg.Any<CancellationToken>());
    }

    [Fact]
    public async Task WithNothingPending_ATickReadsNeitherTheEventsNorTheSubscriptions()
    {
        IEventOutbox outbox = Substitute.For<IEventOutbox>();
        outbox.AnyPendingAsync(Arg.Any<CancellationToken>()).Returns(false);
        ISubscriptionStore subscriptions = Subscriptions(Decisions);
        var dispatcher = new EventDispatcher(outbox, subscriptions, new WebhookOptions());

        Assert.Equal(0, await dispatcher.DispatchAsync(Substitute.For<DurableTaskClient>("test"), CancellationToken.None));

        subscriptions.DidNotReceive().ListAsync(Arg.Any<CancellationToken>());
        await outbox.DidNotReceive().PendingAsync(Arg.Any<int>(), Arg.Any<CancellationToken>());
        await outbox.DidNotReceive().SkipPendingAsync(Arg.Any<int>(), Arg.Any<CancellationToken>());
    }

    [Fact]
    public async Task WithNoActiveSubscription_WhatIsPendingIsMarkedUnread_BatchAfterBatch()
    {
        IEventOutbox outbox = Substitute.For<IEventOutbox>();
        var rows = new Queue<int>([200, 200, 12, 200]);   // the last comes after the call has ended
        outbox.AnyPendingAsync(Arg.Any<CancellationToken>()).Returns(true);
        outbox.SkipPendingAsync(Arg.Any<int>(), Arg.Any<CancellationToken>()).Returns(_ => rows.Dequeue());
        WebhookSubscription disabled = Decisions with { Events = ["*"], DisabledAt = At, DisabledReason = "410" };
        var dispatcher = new EventDispatcher(outbox, Subscriptions(disabled), new WebhookOptions());

        Assert.Equal(412, await dispatcher.DispatchAsync(Substitute.For<DurableTaskClient>("test"), CancellationToken.None));

        await outbox.DidNotReceive().PendingAsync(Arg.Any<int>(), Arg.Any<CancellationToken>());
        Assert.Single(rows);
    }
}
