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

/// <summary>A rendered checkpoint report: how many leaders it goes to and how long to hold it before sending.</summary>
public sealed record RenderedCheckpoint(int Ordinal, int Leaders, TimeSpan HoldFor);

/// <summary>One leader's copy of a checkpoint report: the leader by position in the plan, not by address.</summary>
public sealed record ReportRecipient(string CohortId, int Checkpoint, int LeaderIndex);

/// <summary>What a checkpoint's orchestration did: the recording and how many leaders' emails this run sent (retries that found one sent count zero).</summary>
public sealed record CheckpointOutcome(int Ordinal, DateTimeOffset RecordedAt, int Leaders, int Sent);

/// <summary>A requested status change of a cohort, at the orchestration's time.</summary>
public sealed record CohortStatusChange(string CohortId, CohortStatus Status, DateTimeOffset At);
