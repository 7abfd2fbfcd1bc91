using System.Collections.Concurrent;
using Cohorts.Domain;
using Cohorts.Domain.Reviews;
using Cohorts.Workflows.Contracts;
using Cohorts.Workflows.Orchestrators;
using Microsoft.DurableTask;
using Microsoft.DurableTask.Client;
using Microsoft.DurableTask.Testing;
using Microsoft.Extensions.DependencyInjection;

namespace Cohorts.Workflows.Tests;

/// <summary>The review orchestration in the in-process Durable Task host, with in-memory stores and a recording notifier.</summary>
public sealed class ReviewOrchestratorTests : IAsyncLifetime
{
    private readonly InMemoryCohortStore cohorts = new();
    private readonly InMemorySubmissionStore submissions = new();
    private readonly RecordingNotifier notifier = new();
    private DurableTaskTestHost host = null!;

    public async Task InitializeAsync()
    {
        host = await WorkflowTestHost.StartAsync(cohorts, submissions, notifier);
        CohortPlan plan = CohortPlanFactory.Create(
            new CohortPlanDraft
            {
                Id = "c1",
                Name = "n",
                UseCase = new UseCaseDraft { Title = "t", Problem = "p" },
                Leaders = ["l@example.com"],
                ProgramLead = "lead@example.com",
                Reviewers = [new ReviewerDraft { Id = "ana", Email = "ana@example.com", Tracks = ["builders"] }],
            },
            DateTimeOffset.UtcNow).Plan!;
        await cohorts.CreateAsync(CohortRecord.New(plan, "fp", DateTimeOffset.UtcNow), CancellationToken.None);
    }

    public async Task DisposeAsync() => await host.DisposeAsync();

    private async Task<(string InstanceId, Submission Submission)> StartAsync(string participant, TimeSpan reminder, TimeSpan window)
    {
        DateTimeOffset now = DateTimeOffset.UtcNow;
        var submission = new Submission(Submission.IdFor("c1", participant, "builders-4", 1), "c1", participant, "builders-4", Track.Builders,
            new Uri("https://example.com/w"), 1, now, "ana", now + reminder, now + window, SubmissionStatus.AwaitingReview);
        await submissions.CreateAsync(submission, CancellationToken.None);
        string instanceId = InstanceIds.Review(submission.SubmissionId);
        await host.Client.ScheduleNewOrchestrationInstanceAsync(nameof(ReviewOrchestrator), new ReviewInput(submission.SubmissionId, submission.RemindAt, submission.DueAt), new StartOrchestrationOptions { InstanceId = instanceId });
        return (instanceId, submission);
    }

    private async Task DecideAsync(Submission submission, string instanceId, Verdict verdict)
    {
        await submissions.UpdateAsync(submission.SubmissionId, s => s.WithDecision(new ReviewDecision(verdict, "f", null, "ana", DateTimeOffset.UtcNow)), CancellationToken.None);
        await host.Client.RaiseEventAsync(instanceId, ReviewOrchestrator.ReviewCompletedEvent, "accepted");
    }

    [Fact]
    public async Task VerdictInTime_CompletesAtOnce_ThoughTheTimersAreHoursAway()
    {
        (string instanceId, Submission submission) = await StartAsync("E1", TimeSpan.FromHours(24), TimeSpan.FromHours(48));
        await WaitForAsync(() => notifier.Sent.ContainsKey($"{submission.SubmissionId}.request"));

        await DecideAsync(submission, instanceId, Verdict.Accepted);
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(20));
        OrchestrationMetadata done = await host.Client.WaitForInstanceCompletionAsync(instanceId, getInputsAndOutputs: true, timeout.Token);

        Assert.Equal(OrchestrationRuntimeStatus.Completed, done.RuntimeStatus);
        Assert.Equal(new ReviewStepResult(true, SubmissionStatus.Accepted, false), done.ReadOutputAs<ReviewStepResult>());
        Assert.Equal([$"{submission.SubmissionId}.decision", $"{submission.SubmissionId}.request"], notifier.Sent.Keys.Order(StringComparer.Ordinal));
    }

    [Fact]
    public async Task NoVerdict_RemindsThenEscalates_AndKeepsWaiting_UntilTheVerdict()
    {
        (string instanceId, Submission submission) = await StartAsync("E2", TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(2));
        await WaitForAsync(() => notifier.Sent.ContainsKey($"{submission.SubmissionId}.escalation"));
        await Task.Delay(TimeSpan.FromSeconds(1));
        Assert.Equal(OrchestrationRuntimeStatus.Running, (await host.Client.GetInstanceAsync(instanceId))!.RuntimeStatus);

        await DecideAsync(submission, instanceId, Verdict.Rework);
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(20));
        OrchestrationMetadata done = await host.Client.WaitForInstanceCompletionAsync(instanceId, getInputsAndOutputs: true, timeout.Token);

        Assert.Equal(new ReviewStepResult(true, SubmissionStatus.ReworkRequested, true), done.ReadOutputAs<ReviewStepResult>());
        Submission stored = (await submissions.GetAsync(submission.SubmissionId, CancellationToken.None))!;
        Assert.Equal(["lead@example.com"], stored.EscalatedTo); // no backup reviewer in this plan
        Assert.All(notifier.Sent.Values, count => Assert.Equal(1, count));
        Assert.Equal(4, notifier.Sent.Count(m => m.Key.StartsWith(submission.SubmissionId, StringComparison.Ordinal)));
    }

    [Fact]
    public async Task VerdictWhoseEventWasLost_IsSeenAtTheNextTimer()
    {
        (string instanceId, Submission submission) = await StartAsync("E3", TimeSpan.FromSeconds(1), TimeSpan.FromHours(1));
        await submissions.UpdateAsync(submission.SubmissionId, s => s.WithDecision(new ReviewDecision(Verdict.Accepted, "f", null, "ana", DateTimeOffset.UtcNow)), CancellationToken.None);

        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(20));
        OrchestrationMetadata done = await host.Client.WaitForInstanceCompletionAsync(instanceId, getInputsAndOutputs: true, timeout.Token);

        Assert.Equal(SubmissionStatus.Accepted, done.ReadOutputAs<ReviewStepResult>()!.Status);
        Assert.False(notifier.Sent.ContainsKey($"{submission.SubmissionId}.reminder")); // decided: no reminder goes out
    }

    private static async Task WaitForAsync(Func<bool> condition)
    {
        for (int i = 0; i < 200 && !condition(); i++)
        {
            await Task.Delay(100);
        }

        Assert.True(condition(), "timed out");
    }
}

/// <summary>An in-memory <see cref="ISubmissionStore"/> for workflow tests; the table store runs on Azurite end to end.</summary>
internal sealed class InMemorySubmissionStore : ISubmissionStore
{
    private readonly ConcurrentDictionary<string, Submission> items = new();

    public Task<(Submission Stored, bool Created)> CreateAsync(Submission submission, CancellationToken cancellationToken)
    {
        bool created = items.TryAdd(submission.SubmissionId, submission);
        return Task.FromResult((items[submission.SubmissionId], created));
    }

    public Task<Submission?> GetAsync(string submissionId, CancellationToken cancellationToken) =>
        Task.FromResult(items.TryGetValue(submissionId, out Submission? s) ? s : null);

    public Task<ReviewTally> TallyAsync(string cohortId, CancellationToken cancellationToken) =>
        Task.FromResult(items.Values.Where(s => s.CohortId == cohortId).Aggregate(ReviewTally.Empty, (tally, s) => tally.Plus(ReviewTally.Of(s))));

    public Task<Submission> UpdateAsync(string submissionId, Func<Submission, Submission> change, CancellationToken cancellationToken)
    {
        while (true)
        {
            Submission current = items.TryGetValue(submissionId, out Submission? s) ? s : throw new KeyNotFoundException(submissionId);
            Submission changed = change(current);
            if (ReferenceEquals(changed, current) || items.TryUpdate(submissionId, changed, current))
            {
                return Task.FromResult(changed);
            }
        }
    }

    public Task<IReadOnlyList<Submission>> ListForParticipantAsync(string cohortId, string participantId, CancellationToken cancellationToken) =>
        Task.FromResult<IReadOnlyList<Submission>>(items.Values.Where(s => s.CohortId == cohortId && s.ParticipantId == participantId).ToList());

    public IAsyncEnumerable<Submission> ListAsync(string cohortId, CancellationToken cancellationToken) =>
        items.Values.Where(s => s.CohortId == cohortId).ToAsyncEnumerable();

    public IAsyncEnumerable<Submission> QueryAsync(SubmissionQuery query, CancellationToken cancellationToken) =>
        items.Values.Where(s => (query.CohortId is null || s.CohortId == query.CohortId) && (query.Statuses is null || query.Statuses.Contains(s.Status))
            && (query.ReviewerId is null || s.MayBeDecidedBy(query.ReviewerId))).ToAsyncEnumerable();

    public Task<IReadOnlyDictionary<string, int>> OpenReviewsAsync(string cohortId, CancellationToken cancellationToken) =>
        Task.FromResult<IReadOnlyDictionary<string, int>>(items.Values.Where(s => s.CohortId == cohortId && s.IsOpen).GroupBy(s => s.ReviewerId).ToDictionary(g => g.Key, g => g.Count()));
}
