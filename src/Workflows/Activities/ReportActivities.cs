using Cohorts.Domain;
using Cohorts.Domain.Events;
using Cohorts.Domain.Outcomes;
using Cohorts.Workflows.Contracts;
using Microsoft.DurableTask;

namespace Cohorts.Workflows.Activities;

/// <summary>How checkpoint reports go out: <see cref="HoldFor"/> is the time between rendering a report and emailing it (a look before it goes out; zero by default).</summary>
public sealed record ReportDelivery(TimeSpan HoldFor)
{
    /// <summary>Sent as soon as rendered.</summary>
    public static ReportDelivery Immediate { get; } = new(TimeSpan.Zero);
}

/// <summary>
/// Renders a checkpoint's stored figures as HTML (charts as PNG), CSV and JSON and stores them; idempotent (what is
/// stored stays). Returns how many leaders the report goes to and how long to hold it, never their addresses.
/// </summary>
public sealed class RenderReportActivity(ICohortStore store, IReportArchive reports, ReportDelivery delivery) : TaskActivity<CheckpointInput, RenderedCheckpoint>
{
    /// <inheritdoc/>
    public override async Task<RenderedCheckpoint> RunAsync(TaskActivityContext context, CheckpointInput input)
    {
        ArgumentNullException.ThrowIfNull(input);
        CohortRecord cohort = await store.GetAsync(input.CohortId, CancellationToken.None)
            ?? throw new KeyNotFoundException($"There is no cohort '{input.CohortId}'.");
        await reports.RenderAsync(input.CohortId, input.Checkpoint.Ordinal, CancellationToken.None);
        return new RenderedCheckpoint(input.Checkpoint.Ordinal, cohort.Plan.Leaders.Count, delivery.HoldFor);
    }
}

/// <summary>
/// Emails a rendered report to one leader (by position in the plan's list, so no address enters the orchestration).
/// The notifier sends each message id at most once, so a retried activity does not send the report twice.
/// </summary>
public sealed class SendReportActivity(ICohortStore store, IReportArchive reports, INotifier notifier, WorkflowEvents events, TimeProvider time) : TaskActivity<ReportRecipient, bool>
{
    /// <inheritdoc/>
    public override async Task<bool> RunAsync(TaskActivityContext context, ReportRecipient input)
    {
        ArgumentNullException.ThrowIfNull(input);
        CohortPlan plan = (await store.GetAsync(input.CohortId, CancellationToken.None)
            ?? throw new KeyNotFoundException($"There is no cohort '{input.CohortId}'.")).Plan;
        string leader = plan.Leaders[input.LeaderIndex];
        OutboundMessage message = ReportMessages.Compose(plan, input.Checkpoint, leader, await reports.ReadRenderedAsync(plan.Id, input.Checkpoint, CancellationToken.None));
        bool sent = await notifier.SendAsync(message, CancellationToken.None);
        await reports.RecordSentAsync(plan.Id, input.Checkpoint, leader, time.GetUtcNow(), CancellationToken.None);
        await events.RaiseAsync(CohortEvents.ReportSent(plan.Id, input.Checkpoint, input.LeaderIndex, time.GetUtcNow()), CancellationToken.None);
        return sent;
    }
}
