using Cohorts.Domain.Events;
using System.Collections.Concurrent;
using System.Text;
using Cohorts.Domain;
using Cohorts.Domain.Enrolment;
using Cohorts.Domain.Learning;
using Cohorts.Domain.Outcomes;
using Cohorts.Domain.Reviews;
using Cohorts.Workflows.Activities;
using Microsoft.DurableTask.Testing;
using Microsoft.Extensions.DependencyInjection;
using NSubstitute;

namespace Cohorts.Workflows.Tests;

/// <summary>Counts sends per message id, honouring the port's at-most-once promise as the real notifiers do.</summary>
internal sealed class RecordingNotifier : INotifier
{
    public ConcurrentDictionary<string, int> Sent { get; } = new();

    public ConcurrentQueue<OutboundMessage> Messages { get; } = new();

    public Task<bool> SendAsync(OutboundMessage message, CancellationToken cancellationToken)
    {
        bool sent = Sent.TryAdd(message.MessageId, 1);
        if (sent)
        {
            Messages.Enqueue(message);
        }

        return Task.FromResult(sent);
    }
}

/// <summary>In-memory outcome events for workflow tests; the table store runs on Azurite in the connector and end-to-end tests.</summary>
internal sealed class InMemoryOutcomeStore : IOutcomeStore
{
    private readonly ConcurrentDictionary<(string, string), OutcomeEvent> items = new();

    public Task<(OutcomeEvent Stored, bool Created)> AddAsync(OutcomeEvent outcome, CancellationToken cancellationToken)
    {
        bool created = items.TryAdd((outcome.CohortId, outcome.EventId), outcome);
        return Task.FromResult((items[(outcome.CohortId, outcome.EventId)], created));
    }

    public IAsyncEnumerable<OutcomeEvent> ListAsync(string cohortId, CancellationToken cancellationToken) =>
        items.Values.Where(e => e.CohortId == cohortId).ToAsyncEnumerable();
}

/// <summary>
/// An in-memory report archive for workflow tests: keeps the figures once, counts renders, and makes a plain message
/// (the blob archive and the real renderer are tested against Azurite and end to end).
/// </summary>
internal sealed class InMemoryReportArchive : IReportArchive
{
    private readonly ConcurrentDictionary<(string, int), OutcomeReport> figures = new();
    private readonly ConcurrentDictionary<(string, int), int> rendered = new();

    private readonly ConcurrentDictionary<(string, int, string), ReportSent> sent = new();

    public int Renders(string cohortId, int checkpoint) => rendered.GetValueOrDefault((cohortId, checkpoint));

    public Task RecordSentAsync(string cohortId, int checkpoint, string leader, DateTimeOffset at, CancellationToken cancellationToken)
    {
        sent.TryAdd((cohortId, checkpoint, leader), new ReportSent(leader, at));
        return Task.CompletedTask;
    }

    public Task<IReadOnlyList<ReportSent>> SentAsync(string cohortId, int checkpoint, CancellationToken cancellationToken) =>
        Task.FromResult<IReadOnlyList<ReportSent>>(sent.Where(s => s.Key.Item1 == cohortId && s.Key.Item2 == checkpoint).Select(s => s.Value).ToList());

    public Task<(OutcomeReport Stored, bool Created)> SaveFiguresAsync(OutcomeReport report, CancellationToken cancellationToken)
    {
        bool created = figures.TryAdd((report.CohortId, report.Checkpoint), report);
        return Task.FromResult((figures[(report.CohortId, report.Checkpoint)], created));
    }

    public Task<OutcomeReport?> GetFiguresAsync(string cohortId, int checkpoint, CancellationToken cancellationToken) =>
        Task.FromResult(figures.TryGetValue((cohortId, checkpoint), out OutcomeReport? r) ? r : null);

    public Task RenderAsync(string cohortId, int checkpoint, CancellationToken cancellationToken)
    {
        if (!figures.ContainsKey((cohortId, checkpoint)))
        {
            throw new KeyNotFoundException($"{cohortId} {checkpoint}");
        }

        rendered.AddOrUpdate((cohortId, checkpoint), 1, (_, n) => n + 1);
        return Task.CompletedTask;
    }

    public Task<bool> IsRenderedAsync(string cohortId, int checkpoint, CancellationToken cancellationToken) =>
        Task.FromResult(rendered.ContainsKey((cohortId, checkpoint)));

    public Task<ReportFile?> GetAsync(string cohortId, int checkpoint, ReportFormat format, CancellationToken cancellationToken) =>
        Task.FromResult(rendered.ContainsKey((cohortId, checkpoint)) ? new ReportFile("r", "text/plain", Encoding.UTF8.GetBytes(format.ToString())) : null);

    public Task<ReportEmailParts> ReadRenderedAsync(string cohortId, int checkpoint, CancellationToken cancellationToken) =>
        rendered.ContainsKey((cohortId, checkpoint))
            ? Task.FromResult(new ReportEmailParts("<p>report</p>", "text", [], []))
            : throw new KeyNotFoundException("not rendered");
}

/// <summary>In-memory LMS completions for workflow tests.</summary>
internal sealed class InMemoryCompletionStore : ICompletionStore
{
    private readonly ConcurrentDictionary<(string, string, string), StepCompletion> items = new();

    public Task<int> SaveAsync(string cohortId, IReadOnlyList<StepCompletion> completions, CancellationToken cancellationToken) =>
        Task.FromResult(completions.Count(c => items.TryAdd((cohortId, c.ParticipantId, c.StepId), c)));

    public Task<IReadOnlyList<StepCompletion>> ListForParticipantAsync(string cohortId, string participantId, CancellationToken cancellationToken) =>
        Task.FromResult<IReadOnlyList<StepCompletion>>(items.Values.Where(c => c.CohortId == cohortId && c.ParticipantId == participantId).ToList());

    public IAsyncEnumerable<StepCompletion> ListAsync(string cohortId, CancellationToken cancellationToken) =>
        items.Values.Where(c => c.CohortId == cohortId).ToAsyncEnumerable();
}

/// <summary>Raised events in memory: the first raise of an id stands.</summary>
internal sealed class InMemoryEventOutbox : IEventOutbox
{
    private readonly System.Collections.Concurrent.ConcurrentDictionary<string, CohortEvent> raised = new();
    private readonly System.Collections.Concurrent.ConcurrentDictionary<string, bool> dispatched = new();

    public IReadOnlyList<CohortEvent> Raised => raised.Values.OrderBy(e => e.Time).ToList();

    // raised and not yet handed on, oldest first
    private IEnumerable<CohortEvent> Waiting => Raised.Where(e => !dispatched.ContainsKey(e.Id));

    public Task RaiseAsync(CohortEvent cohortEvent, CancellationToken cancellationToken)
    {
        raised.TryAdd(cohortEvent.Id, cohortEvent);
        return Task.CompletedTask;
    }

    public async Task RaiseAllAsync(IReadOnlyList<CohortEvent> cohortEvents, CancellationToken cancellationToken)
    {
        foreach (CohortEvent cohortEvent in cohortEvents)
        {
            await RaiseAsync(cohortEvent, cancellationToken);
        }
    }

    public Task<CohortEvent?> GetAsync(string eventId, string? receipt, CancellationToken cancellationToken) =>
        Task.FromResult(raised.TryGetValue(eventId, out CohortEvent? found) ? found : null);

    public Task<IReadOnlyList<PendingEvent>> PendingAsync(int max, CancellationToken cancellationToken) =>
        Task.FromResult<IReadOnlyList<PendingEvent>>(Waiting.Take(max).Select(e => new PendingEvent(e, null)).ToList());

    public Task<bool> AnyPendingAsync(CancellationToken cancellationToken) =>
        Task.FromResult(Waiting.Any());

    public Task<int> SkipPendingAsync(int max, CancellationToken cancellationToken)
    {
        List<CohortEvent> skipped = Waiting.Take(max).ToList();
        foreach (CohortEvent cohortEvent in skipped)
        {
            dispatched[cohortEvent.Id] = true;
        }

        return Task.FromResult(skipped.Count);
    }

    public Task MarkDispatchedAsync(IReadOnlyList<PendingEvent> pending, CancellationToken cancellationToken)
    {
        foreach (PendingEvent waiting in pending)
        {
            dispatched[waiting.Event.Id] = true;
        }

        return Task.CompletedTask;
    }
}

/// <summary>The in-process Durable Task host with every workflow and every port in memory (an empty roster by default).</summary>
internal static class WorkflowTestHost
{
    public static Task<DurableTaskTestHost> StartAsync(
        ICohortStore cohorts, ISubmissionStore? submissions = null, INotifier? notifier = null, IReportArchive? reports = null, IRosterStore? roster = null, IEventOutbox? events = null)
    {
        if (roster is null)
        {
            roster = Substitute.For<IRosterStore>();
            roster.ListAsync(default!, default, default, default, default, default, default).ReturnsForAnyArgs(new ParticipantPage([], null));
        }

        return DurableTaskTestHost.StartAsync(
            registry => registry.AddCohortWorkflows(),
            new DurableTaskTestHostOptions
            {
                ConfigureServices = services => services
                    .AddSingleton(cohorts)
                    .AddSingleton(roster)
                    .AddSingleton(submissions ?? new InMemorySubmissionStore())
                    .AddSingleton<IOutcomeStore>(new InMemoryOutcomeStore())
                    .AddSingleton<ICompletionStore>(new InMemoryCompletionStore())
                    .AddSingleton(reports ?? new InMemoryReportArchive())
                    .AddSingleton(notifier ?? new RecordingNotifier())
                    .AddSingleton(events ?? new InMemoryEventOutbox())
                    .AddSingleton<Cohorts.Domain.Access.IAuditLog>(Substitute.For<Cohorts.Domain.Access.IAuditLog>())
                    .AddSingleton<WorkflowEvents>()
                    .AddSingleton<ISubscriptionStore>(Substitute.For<ISubscriptionStore>())
                    .AddSingleton<IDeliveryStore>(Substitute.For<IDeliveryStore>())
                    .AddSingleton<IImportStore>(Substitute.For<IImportStore>())
                    .AddSingleton<IScoreStore>(Substitute.For<IScoreStore>())
                    .AddSingleton<IWebhookSender>(Substitute.For<IWebhookSender>())
                    .AddSingleton(ReportDelivery.Immediate)
                    .AddSingleton(TimeProvider.System),
            });
    }
}
