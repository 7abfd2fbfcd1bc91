using System.Collections.Concurrent;
using Cohorts.Domain;
using Cohorts.Domain.Access;
using Cohorts.Domain.Enrolment;
using Cohorts.Domain.Events;
using Cohorts.Workflows.Activities;
using Cohorts.Workflows.Contracts;
using Microsoft.DurableTask;
using Microsoft.Extensions.Time.Testing;
using NSubstitute;

namespace Cohorts.Workflows.Tests;

/// <summary>
/// One apply call of 24 batches of 100 (2,350 joiners, the last batch 50): the batches are written in waves of ten, and a
/// wave's participant.joined events are raised only once its batches are written, while the next wave is written; the
/// import records the batches applied only after every event is raised; a retry raises the same groups of events.
/// </summary>
public class ApplyImportBatchActivityTests
{
    private const int Joiners = 2_350;
    private static readonly DateTimeOffset At = new(2026, 11, 29, 9, 0, 0, TimeSpan.Zero);

    private sealed class Context : TaskActivityContext
    {
        public override TaskName Name => nameof(ApplyImportBatchActivity);

        public override string InstanceId => "c1:import:i1";
    }

    [Fact]
    public async Task EventsFollowTheirWave_WhileTheNextWaveIsWritten_AndTheImportRecordsTheCallAfterThem()
    {
        List<RosterChange> log = [.. Enumerable.Range(1, Joiners).Select(i => new RosterChange(ChangeKind.Join, $"E{i:D5}", i + 1, new HrRecord($"E{i:D5}"), null, Track.Builders, "title-data", "builds models"))];
        ImportRecord record = new("c1", "i1", ImportState.Applying, new ImportSettings(ImportSources.Csv, null, null, null, null, false, false, 0.1), At, At, 1000,
            Summary: new DiffSummary(Joiners, Joiners, 0, 0, 0, 0, 0, 0, 0, 0, 0, [], []), ChangeLines: Joiners);
        IImportStore imports = Substitute.For<IImportStore>();
        imports.GetAsync("c1", "i1", Arg.Any<CancellationToken>()).Returns(_ => record);
        imports.ReadChangesAsync("c1", "i1", 0, 2_400, Arg.Any<CancellationToken>()).Returns(_ => log.ToAsyncEnumerable());

        var written = new ConcurrentDictionary<string, int>(StringComparer.Ordinal);
        var firstWaveRaised = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        IRosterStore roster = Substitute.For<IRosterStore>();
        roster.ApplyAsync("c1", "i1", Arg.Any<IReadOnlyList<RosterChange>>(), Arg.Any<DateTimeOffset>(), Arg.Any<CancellationToken>()).Returns(async call =>
        {
            var changes = call.Arg<IReadOnlyList<RosterChange>>();
            if (int.Parse(changes[0].EmployeeId[1..], System.Globalization.CultureInfo.InvariantCulture) > 1_000)
            {
                // a batch of the second wave or later is written only once the first wave's events are raised: an activity
                // that raised nothing until every batch was written would never get here (and the test fails on its timeout)
                await firstWaveRaised.Task.WaitAsync(TimeSpan.FromSeconds(20));
            }

            foreach (RosterChange change in changes)
            {
                written.AddOrUpdate(change.EmployeeId, 1, (_, n) => n + 1);
            }

            return changes;
        });

        var raised = new ConcurrentQueue<List<string>>();
        IEventOutbox outbox = Substitute.For<IEventOutbox>();
        outbox.RaiseAllAsync(Arg.Any<IReadOnlyList<CohortEvent>>(), Arg.Any<CancellationToken>()).Returns(call =>
        {
            List<string> ids = [.. call.Arg<IReadOnlyList<CohortEvent>>().Select(e => e.Data["participantId"]!.GetValue<string>())];
            Assert.All(ids, id => Assert.True(written.ContainsKey(id), $"{id}'s event was raised before its batch was written"));
            raised.Enqueue(ids);
            if (ids.Contains("E01000"))
            {
                firstWaveRaised.TrySetResult();
            }

            return Task.CompletedTask;
        });
        int raisedWhenRecorded = -1;
        imports.UpdateAsync("c1", "i1", Arg.Any<Func<ImportRecord, ImportRecord>>(), Arg.Any<CancellationToken>()).Returns(call =>
        {
            raisedWhenRecorded = raised.Sum(r => r.Count);
            record = call.Arg<Func<ImportRecord, ImportRecord>>()(record);
            return record;
        });

        var activity = new ApplyImportBatchActivity(imports, roster, new WorkflowEvents(outbox, Substitute.For<IAuditLog>()), new FakeTimeProvider(At));
        int applied = await activity.RunAsync(new Context(), new ApplyBatchInput("c1", "i1", 0, 100, 24));

        Assert.Equal(Joiners, applied);
        Assert.Equal(Joiners, written.Count);
        Assert.All(written.Values, n => Assert.Equal(1, n));
        // three waves: batches 1-10 (E00001-E01000), 11-20 (E01001-E02000), 21-24 (E02001-E02350), in the change log's order
        List<List<string>> groups = [.. raised];
        Assert.Equal([1_000, 1_000, 350], groups.Select(g => g.Count));
        Assert.Equal(log.Select(c => c.EmployeeId), groups.SelectMany(g => g));
        Assert.Equal(Joiners, raisedWhenRecorded);
        Assert.Equal((24, Joiners), (record.AppliedBatches, record.AppliedChanges));

        // a retry of the call raises the same groups again (the outbox keys them by their events' ids)
        raised.Clear();
        await activity.RunAsync(new Context(), new ApplyBatchInput("c1", "i1", 0, 100, 24));
        Assert.Equal(groups, [.. raised]);
        Assert.Equal((24, Joiners), (record.AppliedBatches, record.AppliedChanges)); // batch 23 already recorded: not counted again
    }

    [Fact]
    public async Task PeopleAnotherImportPutInPlaceFirst_RaiseNoEvent_AndAreNotCountedAsApplied()
    {
        // 250 joiners in three batches (100, 100, 50); the store finds every person with an even number already in place
        // (another import applied them first), so it applies the 125 odd ones
        List<RosterChange> log = [.. Enumerable.Range(1, 250).Select(i => new RosterChange(ChangeKind.Join, $"E{i:D3}", i + 1, new HrRecord($"E{i:D3}"), null, Track.Builders, "title-data", "builds models"))];
        ImportRecord record = new("c1", "i1", ImportState.Applying, new ImportSettings(ImportSources.Csv, null, null, null, null, false, false, 0.1), At, At, 1000,
            Summary: new DiffSummary(250, 250, 0, 0, 0, 0, 0, 0, 0, 0, 0, [], []), ChangeLines: 250);
        IImportStore imports = Substitute.For<IImportStore>();
        imports.GetAsync("c1", "i1", Arg.Any<CancellationToken>()).Returns(_ => record);
        imports.ReadChangesAsync("c1", "i1", 0, 300, Arg.Any<CancellationToken>()).Returns(_ => log.ToAsyncEnumerable());
        imports.UpdateAsync("c1", "i1", Arg.Any<Func<ImportRecord, ImportRecord>>(), Arg.Any<CancellationToken>()).Returns(call => record = call.Arg<Func<ImportRecord, ImportRecord>>()(record));
        IRosterStore roster = Substitute.For<IRosterStore>();
        roster.ApplyAsync("c1", "i1", Arg.Any<IReadOnlyList<RosterChange>>(), Arg.Any<DateTimeOffset>(), Arg.Any<CancellationToken>()).Returns(call =>
            Task.FromResult<IReadOnlyList<RosterChange>>([.. call.Arg<IReadOnlyList<RosterChange>>().Where(c => int.Parse(c.EmployeeId[1..], System.Globalization.CultureInfo.InvariantCulture) % 2 == 1)]));
        var raised = new ConcurrentQueue<string>();
        IEventOutbox outbox = Substitute.For<IEventOutbox>();
        outbox.RaiseAllAsync(Arg.Any<IReadOnlyList<CohortEvent>>(), Arg.Any<CancellationToken>()).Returns(call =>
        {
            foreach (CohortEvent e in call.Arg<IReadOnlyList<CohortEvent>>())
            {
                raised.Enqueue(e.Data["participantId"]!.GetValue<string>());
            }

            return Task.CompletedTask;
        });

        var activity = new ApplyImportBatchActivity(imports, roster, new WorkflowEvents(outbox, Substitute.For<IAuditLog>()), new FakeTimeProvider(At));
        int applied = await activity.RunAsync(new Context(), new ApplyBatchInput("c1", "i1", 0, 100, 3));

        Assert.Equal(125, applied);
        Assert.Equal(["E001", "E003", "E005"], raised.Take(3));
        Assert.Equal(125, raised.Count);
        Assert.DoesNotContain(raised, id => int.Parse(id[1..], System.Globalization.CultureInfo.InvariantCulture) % 2 == 0);
        Assert.Equal((3, 125), (record.AppliedBatches, record.AppliedChanges)); // all three batches applied, 125 people in them
    }
}
