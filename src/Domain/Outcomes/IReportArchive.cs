namespace Cohorts.Domain.Outcomes;

/// <summary>
/// Where checkpoint reports live: the figures of each checkpoint, stored once (later events never rewrite them), and
/// the report rendered from them in every format, also stored once, from which each leader's email is made.
/// </summary>
public interface IReportArchive
{
    /// <summary>Stores the figures unless the checkpoint already has some; returns what is stored and whether this call stored it.</summary>
    Task<(OutcomeReport Stored, bool Created)> SaveFiguresAsync(OutcomeReport report, CancellationToken cancellationToken);

    /// <summary>The figures of a checkpoint, or null before it was recorded.</summary>
    Task<OutcomeReport?> GetFiguresAsync(string cohortId, int checkpoint, CancellationToken cancellationToken);

    /// <summary>Renders the stored figures of a checkpoint in every format and stores what is not stored yet.</summary>
    /// <exception cref="KeyNotFoundException">The checkpoint has no figures.</exception>
    Task RenderAsync(string cohortId, int checkpoint, CancellationToken cancellationToken);

    /// <summary>Whether the checkpoint's report was rendered (its files can be read).</summary>
    Task<bool> IsRenderedAsync(string cohortId, int checkpoint, CancellationToken cancellationToken);

    /// <summary>A rendered file, or null before the report was rendered.</summary>
    Task<ReportFile?> GetAsync(string cohortId, int checkpoint, ReportFormat format, CancellationToken cancellationToken);

    /// <summary>Records that <paramref name="leader"/> was sent the checkpoint's report at <paramref name="at"/> (the first time stays).</summary>
    Task RecordSentAsync(string cohortId, int checkpoint, string leader, DateTimeOffset at, CancellationToken cancellationToken);

    /// <summary>Who was sent the checkpoint's report, and when.</summary>
    Task<IReadOnlyList<ReportSent>> SentAsync(string cohortId, int checkpoint, CancellationToken cancellationToken);

    /// <summary>The rendered report's parts for its email (<see cref="ReportMessages.Compose"/>).</summary>
    /// <exception cref="KeyNotFoundException">The report was not rendered.</exception>
    Task<ReportEmailParts> ReadRenderedAsync(string cohortId, int checkpoint, CancellationToken cancellationToken);
}

/// <summary>A checkpoint report sent to one leader.</summary>
public sealed record ReportSent(string Leader, DateTimeOffset SentAt);
