namespace Cohorts.Workflows.Contracts;

/// <summary>The erasure orchestration's input: the erasure id only (the employee id stays in the erasure record).</summary>
public sealed record ErasureInput(string ErasureId);

/// <summary>One cohort of an erasure.</summary>
public sealed record ErasureStep(string ErasureId, string CohortId);

/// <summary>What one cohort's step erased, by kind of record, and the review orchestrations whose histories go.</summary>
public sealed record ErasedInCohort(IReadOnlyDictionary<string, int> Counts, IReadOnlyList<string> ReviewInstances);

/// <summary>The end of an erasure, with its totals by kind of record.</summary>
public sealed record ErasureFinish(string ErasureId, IReadOnlyDictionary<string, int> Counts, DateTime At);
