using Cohorts.Domain;
using Cohorts.Domain.Outcomes;
using Cohorts.Workflows.Contracts;
using Cohorts.Workflows.Orchestrators;
using Microsoft.DurableTask;
using Microsoft.DurableTask.Client;
using Microsoft.DurableTask.Testing;
using Microsoft.Extensions.DependencyInjection;

namespace Cohorts.Workflows.Tests;

/// <summary>The lifecycle run for real in the in-process Durable Task host (no virtual clock: durations come from the input).</summary>
public sealed class CohortLifecycleTests : IAsyncLifetime
{
    private readonly InMemoryCohortStore store = new();
    private readonly InMemoryReportArchive reports = new();
    private readonly RecordingNotifier notifier = new();
    private DurableTaskTestHost host = null!;

    public async Task InitializeAsync() => host = await WorkflowTestHost.StartAsync(store, notifier: notifier, reports: reports);

    public async Task DisposeAsync() => await host.DisposeAsync();

    private async Task<CohortLifecycleInput> CreateAsync(string id, DateTimeOffset startsAt, params string[] checkpoints)
    {
        CohortPlan plan = CohortPlanFactory.Create(
            new CohortPlanDraft
            {
                Id = id,
                Name = "n",
                UseCase = new UseCaseDraft { Title = "t", Problem = "p" },
                StartsAt = startsAt,
                Checkpoints = checkpoints,
                Leaders = ["l@example.com", "m@example.com"],
                ProgramLead = "p@example.com",
            },
            startsAt).Plan!;
        await store.CreateAsync(CohortRecord.New(plan, "fp", DateTimeOffset.UtcNow), CancellationToken.None);
        return new CohortLifecycleInput(id, plan.StartsAt, plan.Schedule());
    }

    private async Task<OrchestrationMetadata> StartAndWaitAsync(CohortLifecycleInput input, TimeSpan within)
    {
        string instanceId = InstanceIds.Lifecycle(input.CohortId);
        await host.Client.ScheduleNewOrchestrationInstanceAsync(nameof(CohortLifecycleOrchestrator), input, new StartOrchestrationOptions { InstanceId = instanceId });
        using var timeout = new CancellationTokenSource(within);
        return await host.Client.WaitForInstanceCompletionAsync(instanceId, getInputsAndOutputs: true, timeout.Token);
    }

    [Fact]
    public async Task Lifecycle_ThreeShortCheckpoints_RecordsEachOnceAndCompletes()
    {
        CohortLifecycleInput input = await CreateAsync("c-three", DateTimeOffset.UtcNow, "PT1S", "PT2S", "PT3S");

        OrchestrationMetadata done = await StartAndWaitAsync(input, TimeSpan.FromSeconds(60));

        Assert.Equal(OrchestrationRuntimeStatus.Completed, done.RuntimeStatus);
        Assert.Equal(new CohortLifecycleResult(CohortStatus.Completed, 3), done.ReadOutputAs<CohortLifecycleResult>());
        CohortRecord record = (await store.GetAsync("c-three", CancellationToken.None))!;
        Assert.Equal(CohortStatus.Completed, record.Status);
        Assert.Equal([1, 2, 3], record.Checkpoints.Select(c => c.Ordinal));
        foreach (CheckpointDue due in input.Checkpoints)
        {
            // each checkpoint ran as its own sub-orchestration under its deterministic id, not before it was due
            OrchestrationMetadata? sub = await host.Client.GetInstanceAsync(InstanceIds.Checkpoint("c-three", due.Ordinal), getInputsAndOutputs: true);
            Assert.Equal(OrchestrationRuntimeStatus.Completed, sub?.RuntimeStatus);
            Assert.True(record.Checkpoints.Single(c => c.Ordinal == due.Ordinal).RecordedAt >= due.DueAt.AddSeconds(-1));
            Assert.Equal(new CheckpointOutcome(due.Ordinal, record.Checkpoints.Single(c => c.Ordinal == due.Ordinal).RecordedAt, Leaders: 2, Sent: 2), sub!.ReadOutputAs<CheckpointOutcome>());
            Assert.Equal(1, reports.Renders("c-three", due.Ordinal));
        }

        // each leader got each checkpoint's report once
        Assert.Equal(
            new[] { "l@example.com", "m@example.com" }.SelectMany(l => new[] { 1, 2, 3 }.Select(n => ReportMessages.IdFor("c-three", n, l))).Order(),
            notifier.Messages.Select(m => m.MessageId).Order());
    }

    [Fact]
    public async Task Lifecycle_CancelledWhileWaiting_StopsAtOnceAndKeepsWhatWasRecorded()
    {
        CohortLifecycleInput input = await CreateAsync("c-cancel", DateTimeOffset.UtcNow, "PT1S", "PT1H", "PT2H");
        string instanceId = InstanceIds.Lifecycle("c-cancel");
        await host.Client.ScheduleNewOrchestrationInstanceAsync(nameof(CohortLifecycleOrchestrator), input, new StartOrchestrationOptions { InstanceId = instanceId });
        await WaitForAsync(async () => (await store.GetAsync("c-cancel", CancellationToken.None))!.Checkpoints.Count == 1);

        await host.Client.RaiseEventAsync(instanceId, CohortLifecycleOrchestrator.CancelEvent, "cancelled");
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        OrchestrationMetadata done = await host.Client.WaitForInstanceCompletionAsync(instanceId, getInputsAndOutputs: true, timeout.Token);

        Assert.Equal(new CohortLifecycleResult(CohortStatus.Cancelled, 1), done.ReadOutputAs<CohortLifecycleResult>());
        CohortRecord record = (await store.GetAsync("c-cancel", CancellationToken.None))!;
        Assert.Equal(CohortStatus.Cancelled, record.Status);
        Assert.Single(record.Checkpoints);
    }

    [Fact]
    public async Task Lifecycle_StartInTheFuture_StaysScheduledUntilThen()
    {
        CohortLifecycleInput input = await CreateAsync("c-later", DateTimeOffset.UtcNow.AddSeconds(3), "PT1S");
        string instanceId = InstanceIds.Lifecycle("c-later");
        await host.Client.ScheduleNewOrchestrationInstanceAsync(nameof(CohortLifecycleOrchestrator), input, new StartOrchestrationOptions { InstanceId = instanceId });
        await WaitForAsync(async () => (await host.Client.GetInstanceAsync(instanceId))?.RuntimeStatus == OrchestrationRuntimeStatus.Running);

        Assert.Equal(CohortStatus.Scheduled, (await store.GetAsync("c-later", CancellationToken.None))!.Status);

        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        await host.Client.WaitForInstanceCompletionAsync(instanceId, timeout.Token);
        Assert.Equal(CohortStatus.Completed, (await store.GetAsync("c-later", CancellationToken.None))!.Status);
    }

    [Fact]
    public async Task Lifecycle_StoreWithoutTheCohort_FailsAndSaysSo()
    {
        var input = new CohortLifecycleInput("c-missing", DateTimeOffset.UtcNow, [new CheckpointDue(1, TimeSpan.FromSeconds(1), DateTimeOffset.UtcNow.AddSeconds(1))]);

        OrchestrationMetadata done = await StartAndWaitAsync(input, TimeSpan.FromSeconds(90));

        Assert.Equal(OrchestrationRuntimeStatus.Failed, done.RuntimeStatus);
        Assert.Contains("c-missing", done.FailureDetails?.ErrorMessage ?? string.Empty, StringComparison.Ordinal);
    }

    private static async Task WaitForAsync(Func<Task<bool>> condition)
    {
        DateTime deadline = DateTime.UtcNow.AddSeconds(30);
        while (!await condition())
        {
            Assert.True(DateTime.UtcNow < deadline, "condition not met within 30 s");
            await Task.Delay(100);
        }
    }
}
