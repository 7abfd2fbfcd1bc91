using Cohorts.Domain;
using Cohorts.Workflows.Contracts;
using Microsoft.DurableTask;

namespace Cohorts.Workflows.Activities;

/// <summary>
/// Stores a checkpoint's snapshot. Idempotent: the activity runs at least once, and a second run finds the first
/// snapshot and returns it instead of adding another.
/// </summary>
public sealed class RecordCheckpointActivity(ICohortStore store, TimeProvider time) : TaskActivity<CheckpointInput, CheckpointResult>
{
    /// <inheritdoc/>
    public override async Task<CheckpointResult> RunAsync(TaskActivityContext context, CheckpointInput input)
    {
        ArgumentNullException.ThrowIfNull(input);
        var snapshot = new CheckpointSnapshot(input.Checkpoint.Ordinal, input.Checkpoint.DueAt, time.GetUtcNow(), Participants: 0);
        CohortRecord record = await store.UpdateAsync(input.CohortId, r => r.WithCheckpoint(snapshot), CancellationToken.None);
        CheckpointSnapshot stored = record.Checkpoints.Single(c => c.Ordinal == input.Checkpoint.Ordinal);
        return new CheckpointResult(stored.Ordinal, stored.RecordedAt);
    }
}
