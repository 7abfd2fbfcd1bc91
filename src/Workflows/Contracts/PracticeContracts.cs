namespace Cohorts.Workflows.Contracts;

/// <summary>
/// The practice orchestration of one cohort: how often a pending team is polled, how long after the cohort ends its
/// sandbox group keeps its members, and whether the cohort has ended. Ids and durations only.
/// </summary>
public sealed record PracticeInput(string CohortId, TimeSpan PollEvery, TimeSpan RevokeAfter, bool Ended = false);

/// <summary>What one round of keeping the sandbox group and the team equal to the active roster did.</summary>
public sealed record PracticeSyncResult(int GroupAdded, int GroupRemoved, int TeamAdded, int TeamRemoved, int ChannelsCreated, int NotFound, int Failed);
