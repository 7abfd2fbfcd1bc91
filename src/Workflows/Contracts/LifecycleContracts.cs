using Cohorts.Domain;

namespace Cohorts.Workflows.Contracts;

/// <summary>Input of the cohort lifecycle: ids and dates only, never names or emails.</summary>
public sealed record CohortLifecycleInput(string CohortId, DateTimeOffset StartsAt, IReadOnlyList<CheckpointDue> Checkpoints);

/// <summary>How a lifecycle ended and how many checkpoints it recorded.</summary>
public sealed record CohortLifecycleResult(CohortStatus Status, int CheckpointsRecorded);

/// <summary>Input of one checkpoint's sub-orchestration.</summary>
public sealed record CheckpointInput(string CohortId, CheckpointDue Checkpoint);

/// <summary>What one checkpoint recorded.</summary>
public sealed record CheckpointResult(int Ordinal, DateTimeOffset RecordedAt);

/// <summary>A requested status change of a cohort, at the orchestration's time.</summary>
public sealed record CohortStatusChange(string CohortId, CohortStatus Status, DateTimeOffset At);
