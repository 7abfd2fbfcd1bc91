using Cohorts.Server.Hosting;
using DurableTask.Core;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Time.Testing;
using NSubstitute;

namespace Cohorts.Server.Tests;

/// <summary>
/// The activity locks the sidecar's dispatcher never renews, held by the layer between it and the backend: a substituted
/// backend counts the renewals as fake time passes (a visibility timeout of 30 s renews every 10 s).
/// </summary>
public sealed class ActivityLocksTests
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(30);
    private readonly FakeTimeProvider time = new();
    private readonly IOrchestrationService backend = Substitute.For<IOrchestrationService>();
    private readonly ActivityLocks locks;
    private readonly SidecarCompatibleOrchestrationService service;
    private readonly List<string> calls = [];

    public ActivityLocksTests()
    {
        locks = new ActivityLocks(Timeout, time, NullLogger<ActivityLocks>.Instance);
        service = new SidecarCompatibleOrchestrationService(backend, locks);
        backend.RenewTaskActivityWorkItemLockAsync(Arg.Any<TaskActivityWorkItem>()).Returns(c =>
        {
            Record("renew " + c.Arg<TaskActivityWorkItem>().Id);
            return c.Arg<TaskActivityWorkItem>();
        });
        backend.CompleteTaskActivityWorkItemAsync(Arg.Any<TaskActivityWorkItem>(), Arg.Any<TaskMessage>()).Returns(c =>
        {
            Record("complete " + c.Arg<TaskActivityWorkItem>().Id);
            return Task.CompletedTask;
        });
        backend.AbandonTaskActivityWorkItemAsync(Arg.Any<TaskActivityWorkItem>()).Returns(c =>
        {
            Record("abandon " + c.Arg<TaskActivityWorkItem>().Id);
            return Task.CompletedTask;
        });
    }

    [Fact]
    public async Task ARunningActivity_IsRenewedEveryThirdOfTheTimeout_UntilItCompletes_AndNeverAfter()
    {
        TaskActivityWorkItem push = await LockAsync("push-1");

        await PassAsync(TimeSpan.FromSeconds(9));
        Assert.Empty(Calls());
        await PassAsync(TimeSpan.FromSeconds(1));
        await UntilAsync(1);
        await PassAsync(TimeSpan.FromSeconds(10));
        await UntilAsync(2);
        await PassAsync(TimeSpan.FromSeconds(10));
        await UntilAsync(3);

        await service.CompleteTaskActivityWorkItemAsync(push, new TaskMessage());
        await PassAsync(TimeSpan.FromSeconds(60));
        Assert.Equal(["renew push-1", "renew push-1", "renew push-1", "complete push-1"], Calls());
        Assert.Equal(0, locks.Count);
    }

    [Fact]
    public async Task CompletingWhileARenewalIsInFlight_WaitsForIt_SoTheMessageIsDeletedWithItsNewReceipt()
    {
        var renewing = new TaskCompletionSource<TaskActivityWorkItem>(TaskCreationOptions.RunContinuationsAsynchronously);
        backend.RenewTaskActivityWorkItemLockAsync(Arg.Any<TaskActivityWorkItem>()).Returns(c =>
        {
            Record("renew started");
            return renewing.Task;
        });
        TaskActivityWorkItem push = await LockAsync("push-2");
        await PassAsync(TimeSpan.FromSeconds(10));
        await UntilAsync(1);

        Task completing = service.CompleteTaskActivityWorkItemAsync(push, new TaskMessage());
        await Task.Delay(50);
        Assert.False(completing.IsCompleted);
        Assert.Equal(["renew started"], Calls());
        Record("renew ended");
        renewing.SetResult(push);
        await completing;

        Assert.Equal(["renew started", "renew ended", "complete push-2"], Calls());
    }

    [Fact]
    public async Task AnAbandonedActivity_IsNoLongerRenewed_WhileOthersStillAre()
    {
        TaskActivityWorkItem failed = await LockAsync("failed");
        await LockAsync("running");

        await service.AbandonTaskActivityWorkItemAsync(failed);
        await PassAsync(TimeSpan.FromSeconds(10));
        await UntilAsync(2);

        Assert.Equal(["abandon failed", "renew running"], Calls());
        Assert.Equal(1, locks.Count);
    }

    [Fact]
    public async Task ARenewalThatFails_IsNotRetried_AndTheActivityStillCompletes()
    {
        backend.RenewTaskActivityWorkItemLockAsync(Arg.Any<TaskActivityWorkItem>()).Returns<TaskActivityWorkItem>(_ =>
        {
            Record("renew refused");
            throw new InvalidOperationException("The specified message does not exist.");
        });
        TaskActivityWorkItem push = await LockAsync("push-3");

        await PassAsync(TimeSpan.FromSeconds(10));
        await UntilAsync(1);
        await PassAsync(TimeSpan.FromSeconds(30));
        await service.CompleteTaskActivityWorkItemAsync(push, new TaskMessage());

        Assert.Equal(["renew refused", "complete push-3"], Calls());
    }

    [Fact]
    public async Task StoppingTheBackend_LetsGoOfEveryHeldActivity()
    {
        backend.StartAsync().Returns(Task.CompletedTask);
        backend.StopAsync(Arg.Any<bool>()).Returns(Task.CompletedTask);
        await service.StartAsync();
        await LockAsync("a");
        await LockAsync("b");

        await service.StopAsync();
        await PassAsync(TimeSpan.FromSeconds(60));

        Assert.Empty(Calls());
        Assert.Equal(0, locks.Count);
    }

    [Fact]
    public async Task NoActivityToLock_HoldsNothing()
    {
        backend.LockNextTaskActivityWorkItem(Arg.Any<TimeSpan>(), Arg.Any<CancellationToken>()).Returns((TaskActivityWorkItem)null!);

        Assert.Null(await service.LockNextTaskActivityWorkItem(TimeSpan.FromSeconds(1), CancellationToken.None));
        Assert.Equal(0, locks.Count);
    }

    private async Task<TaskActivityWorkItem> LockAsync(string id)
    {
        var workItem = new TaskActivityWorkItem { Id = id };
        backend.LockNextTaskActivityWorkItem(Arg.Any<TimeSpan>(), Arg.Any<CancellationToken>()).Returns(workItem);
        return await service.LockNextTaskActivityWorkItem(TimeSpan.FromSeconds(1), CancellationToken.None);
    }

    private void Record(string call)
    {
        lock (calls)
        {
            calls.Add(call);
        }
    }

    private List<string> Calls()
    {
        lock (calls)
        {
            return [.. calls];
        }
    }

    // timers fire on Advance; the renewal that follows runs on the thread pool
    private async Task PassAsync(TimeSpan span)
    {
        time.Advance(span);
        await Task.Delay(20);
    }

    private async Task UntilAsync(int count)
    {
        for (int i = 0; i < 200 && Calls().Count < count; i++)
        {
            await Task.Delay(10);
        }

        Assert.Equal(count, Calls().Count);
        await Task.Delay(20); // and the renewal's loop waits on its next timer again
    }
}
