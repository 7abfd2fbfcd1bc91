using Cohorts.Workflows.Activities;
using Cohorts.Workflows.Contracts;
using Microsoft.DurableTask;

namespace Cohorts.Workflows.Orchestrators;

/// <summary>
/// One per cohort and checkpoint ordinal (instance id <c>{cohortId}:checkpoint:{ordinal}</c>): computes and stores the
/// checkpoint's figures, renders the report, holds it if configured, then emails each leader their copy (in parallel;
/// each send is idempotent by message id, so a crash between rendering and sending still ends with one email per leader).
/// </summary>
public sealed class CheckpointOrchestrator : TaskOrchestrator<CheckpointInput, CheckpointOutcome>
{
    /// <inheritdoc/>
    public override async Task<CheckpointOutcome> RunAsync(TaskOrchestrationContext context, CheckpointInput input)
    {
        ArgumentNullException.ThrowIfNull(context);
        ArgumentNullException.ThrowIfNull(input);
        CheckpointResult recorded = await context.CallActivityAsync<CheckpointResult>(nameof(RecordCheckpointActivity), input, WorkflowRetries.Store);
        RenderedCheckpoint rendered = await context.CallActivityAsync<RenderedCheckpoint>(nameof(RenderReportActivity), input, WorkflowRetries.Store);
        if (rendered.HoldFor > TimeSpan.Zero)
        {
            await context.CreateTimer(context.CurrentUtcDateTime + rendered.HoldFor, CancellationToken.None);
        }

        bool[] sent = await Task.WhenAll(Enumerable.Range(0, rendered.Leaders).Select(leader =>
            context.CallActivityAsync<bool>(nameof(SendReportActivity), new ReportRecipient(input.CohortId, recorded.Ordinal, leader), WorkflowRetries.Store)));
        return new CheckpointOutcome(recorded.Ordinal, recorded.RecordedAt, rendered.Leaders, sent.Count(s => s));
    }
}
