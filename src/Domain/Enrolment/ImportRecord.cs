namespace Cohorts.Domain.Enrolment;

/// <summary>Where an import stands.</summary>
public enum ImportState
{
    /// <summary>Reading the source and computing the diff.</summary>
    Reading,

    /// <summary>A dry run: the diff waits for an apply.</summary>
    AwaitingApply,

    /// <summary>More leavers than the threshold allows: waits for an apply with force.</summary>
    BlockedByLeavers,

    /// <summary>Writing the changes in batches.</summary>
    Applying,

    /// <summary>Done: the roster matches the source.</summary>
    Applied,

    /// <summary>The source could not be read; nothing was changed.</summary>
    Failed,

    /// <summary>Nobody applied the dry run in time; nothing was changed.</summary>
    Expired,
}

/// <summary>Where an import's people come from (<see cref="ImportSettings.Source"/>).</summary>
public static class ImportSources
{
    /// <summary>An HR export (CSV), everyone listed.</summary>
    public const string Csv = "csv";

    /// <summary>The members of an Entra ID group, everyone listed.</summary>
    public const string Graph = "graph";

    /// <summary>The roster members a directory delta round reported changed or removed: nobody else is listed.</summary>
    public const string GraphDelta = "graphDelta";

    /// <summary>Whether the source lists everyone, so that absence from it means leaving.</summary>
    public static bool ListsEveryone(string source) => source != GraphDelta;
}

/// <summary>
/// How an import reads its source and when it may apply; which group it enrols (<see cref="Group"/>), and whether its
/// source is a candidate pool from which one comparison person is picked per trained participant (<see cref="Match"/>).
/// </summary>
public sealed record ImportSettings(
    string Source,
    string? Profile,
    string? Columns,
    string? Encoding,
    char? Delimiter,
    bool DryRun,
    bool Force,
    double LeaverThreshold,
    string? GraphGroupId = null)
{
    /// <summary>The group the import enrols.</summary>
    public ParticipantGroup Group { get; init; } = ParticipantGroup.Trained;

    /// <summary>Whether the source is a candidate pool to match from (comparison imports only).</summary>
    public bool Match { get; init; }

    /// <summary>The default share of the active roster that may leave in one import without force.</summary>
    public const double DefaultLeaverThreshold = 0.1;

    /// <summary>However small the roster, this many leavers never need force.</summary>
    public const int MinimumLeaverLimit = 5;

    /// <summary>The most leavers an import applies without force, for a roster of <paramref name="activeBefore"/> active people.</summary>
    public int LeaverLimit(int activeBefore) => Math.Max(MinimumLeaverLimit, (int)Math.Floor(activeBefore * LeaverThreshold));
}

/// <summary>One import of a cohort: its settings, its state and the diff's counts. The changes themselves are stored beside it.</summary>
public sealed record ImportRecord(
    string CohortId,
    string ImportId,
    ImportState State,
    ImportSettings Settings,
    DateTimeOffset CreatedAt,
    DateTimeOffset UpdatedAt,
    long SourceBytes,
    DiffSummary? Summary = null,
    int ChangeLines = 0,
    string? ErrorField = null,
    string? Error = null,
    long SourceLines = 0,
    int AppliedBatches = 0,
    int AppliedChanges = 0)
{
    /// <summary>
    /// Whether the import failed while applying, after its diff was read: its remaining batches can be applied again
    /// (an apply request resumes it from <see cref="AppliedBatches"/>).
    /// </summary>
    public bool Resumable => State == ImportState.Failed && Summary is not null && AppliedBatches * BatchSize < ChangeLines;

    /// <summary>
    /// Changes per batch: one table transaction holds at most 100 entities, and the roster's head counts take one of
    /// them. An import cut in hundreds before (recorded by an older version) resumes a little earlier than it stopped:
    /// applying a change again changes nothing.
    /// </summary>
    public const int BatchSize = 99;

    /// <summary>
    /// This import with the batches up to <paramref name="batch"/> applied (<paramref name="changes"/> changes since the
    /// last batch recorded); batches applied before count once.
    /// </summary>
    public ImportRecord WithBatchApplied(int batch, int changes, DateTimeOffset at) =>
        batch < AppliedBatches ? this : this with { AppliedBatches = batch + 1, AppliedChanges = AppliedChanges + changes, UpdatedAt = at };

    /// <summary>A failed apply taken up again: applying, the error cleared, the batches applied kept.</summary>
    public ImportRecord Resumed(DateTimeOffset at) =>
        Resumable ? this with { State = ImportState.Applying, Error = null, ErrorField = null, UpdatedAt = at } : this;

    /// <summary>Moves to <paramref name="state"/> unless the import already ended (applied, failed, expired).</summary>
    public ImportRecord WithState(ImportState state, DateTimeOffset at) =>
        State is ImportState.Applied or ImportState.Failed or ImportState.Expired || State == state ? this : this with { State = state, UpdatedAt = at };
}
