namespace Cohorts.Domain;

/// <summary>
/// What is stored about a cohort: its plan, where its lifecycle stands and the checkpoint snapshots recorded so far.
/// Changes are pure functions returning a new record, so the store can apply them under optimistic concurrency.
/// </summary>
/// <param name="Plan">The validated plan.</param>
/// <param name="Fingerprint">A digest of the request that created it: the same request again is the same cohort.</param>
/// <param name="Status">Where the lifecycle stands.</param>
/// <param name="CreatedAt">When the cohort was created.</param>
/// <param name="StatusChangedAt">When <paramref name="Status"/> last changed.</param>
/// <param name="Checkpoints">The snapshots recorded, at most one per ordinal.</param>
/// <param name="Revision">The plan's revision: 1 when created, one more for each change (the cohort's ETag).</param>
/// <param name="Changes">Each change of the plan after its creation: who, when, which fields.</param>
public sealed record CohortRecord(
    CohortPlan Plan,
    string Fingerprint,
    CohortStatus Status,
    DateTimeOffset CreatedAt,
    DateTimeOffset StatusChangedAt,
    IReadOnlyList<CheckpointSnapshot> Checkpoints,
    int Revision = 1,
    IReadOnlyList<CohortChange>? Changes = null)
{
    /// <summary>The cohort id.</summary>
    public string Id => Plan.Id;

    /// <summary>
    /// The plan replaced by <paramref name="plan"/> (same id) as revision <see cref="Revision"/> + 1, the change recorded.
    /// </summary>
    public CohortRecord WithPlan(CohortPlan plan, string by, IReadOnlyList<string> fields, DateTimeOffset at)
    {
        ArgumentNullException.ThrowIfNull(plan);
        if (!string.Equals(plan.Id, Id, StringComparison.Ordinal))
        {
            throw new ArgumentException($"A change of cohort '{Id}' cannot bring the plan of '{plan.Id}'.", nameof(plan));
        }

        return this with { Plan = plan, Revision = Revision + 1, Changes = [.. Changes ?? [], new CohortChange(Revision + 1, at, by, fields)] };
    }

    /// <summary>A new cohort, scheduled, with nothing recorded.</summary>
    public static CohortRecord New(CohortPlan plan, string fingerprint, DateTimeOffset now) =>
        new(plan, fingerprint, CohortStatus.Scheduled, now, now, []);

    /// <summary>
    /// Moves to <paramref name="status"/>. Terminal statuses are final and moves backwards are ignored, so a retried
    /// or late status change never undoes a later one. Returns this same instance when nothing changes.
    /// </summary>
    public CohortRecord WithStatus(CohortStatus status, DateTimeOffset at)
    {
        if (Status == status || Status.IsTerminal() || (status == CohortStatus.Scheduled && Status == CohortStatus.Running))
        {
            return this;
        }

        return this with { Status = status, StatusChangedAt = at };
    }

    /// <summary>
    /// Adds the snapshot for a checkpoint unless one with that ordinal is already there (a retried activity), in
    /// which case this same instance is returned and the first snapshot stands.
    /// </summary>
    public CohortRecord WithCheckpoint(CheckpointSnapshot snapshot)
    {
        ArgumentNullException.ThrowIfNull(snapshot);
        if (Checkpoints.Any(c => c.Ordinal == snapshot.Ordinal))
        {
            return this;
        }

        if (snapshot.Ordinal < 1 || snapshot.Ordinal > Plan.Checkpoints.Count)
        {
            throw new ArgumentOutOfRangeException(nameof(snapshot), snapshot.Ordinal, $"Cohort '{Id}' has {Plan.Checkpoints.Count} checkpoints.");
        }

        return this with { Checkpoints = [.. Checkpoints, snapshot] };
    }
}

/// <summary>A dated snapshot of a cohort at one checkpoint; the final one is the report.</summary>
/// <param name="Ordinal">1-based position in the schedule.</param>
/// <param name="DueAt">When it was due.</param>
/// <param name="RecordedAt">When it was recorded.</param>
/// <param name="Participants">Active participants at that moment.</param>
public sealed record CheckpointSnapshot(int Ordinal, DateTimeOffset DueAt, DateTimeOffset RecordedAt, int Participants);

/// <summary>One change of a cohort's plan: the revision it made, when, by whom (a key name or a token's id), and the fields it changed.</summary>
public sealed record CohortChange(int Revision, DateTimeOffset At, string By, IReadOnlyList<string> Fields);
