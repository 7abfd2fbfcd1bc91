using Cohorts.Domain.Enrolment;

namespace Cohorts.Workflows.Contracts;

/// <summary>Input of one import's roster sync: ids and how long a dry run waits. No names, no emails, no rows.</summary>
/// <param name="CohortId">The cohort.</param>
/// <param name="ImportId">The import.</param>
/// <param name="ApplyWindow">How long a dry run or a held import waits for an apply.</param>
/// <param name="ResumeAt">Set when an apply goes on in a new generation of the orchestration, or a failed apply is taken
/// up again: the first batch not applied, with the number of change lines; the source is not read again.</param>
/// <param name="BatchesPerCall">How many batches one apply activity takes (1 for imports started before this was added, whose history has one call per batch).</param>
/// <param name="PushAssignments">Whether a learning platform was configured when the import started: without one, the
/// push after each apply call would do nothing, and is not scheduled (true for imports started before this was added,
/// whose history has the calls).</param>
/// <param name="CallsPerGeneration">How many apply calls one generation of the orchestration makes before it continues as
/// new from the next batch (0, for imports started before this was added, whose history has every call: never).</param>
public sealed record RosterSyncInput(
    string CohortId, string ImportId, TimeSpan ApplyWindow, ResumePoint? ResumeAt = null, int BatchesPerCall = 1, bool PushAssignments = true, int CallsPerGeneration = 0);

/// <summary>Where a resumed apply starts.</summary>
public sealed record ResumePoint(int Batch, int ChangeLines);

/// <summary>What reading the source found, in counts.</summary>
public sealed record ImportReadResult(bool Failed, int ChangeLines, int Joiners, int Movers, int Leavers, int Triage, int Invalid, bool DryRun, bool BlockedByLeavers);

/// <summary>Which import, for activities that need nothing else.</summary>
public sealed record ImportRef(string CohortId, string ImportId);

/// <summary>Batches of an apply: <paramref name="Batches"/> batches of changes from <c>Batch * BatchSize</c>.</summary>
public sealed record ApplyBatchInput(string CohortId, string ImportId, int Batch, int BatchSize, int Batches = 1);

/// <summary>A requested state of an import, at the orchestration's time.</summary>
public sealed record ImportStateChange(string CohortId, string ImportId, ImportState State, DateTimeOffset At, string? Error = null);

/// <summary>The apply request an admin sent after the dry run.</summary>
public sealed record ApplyDecision(bool Force);

/// <summary>How a roster sync ended.</summary>
public sealed record RosterSyncResult(ImportState State, int Applied);
