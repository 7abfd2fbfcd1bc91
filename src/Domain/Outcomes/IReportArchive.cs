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

    /// <summary>A rendered file, or null before the report was rendered.</summary>
    Task<ReportFile?> GetAsync(string cohortId, int checkpoint, ReportFormat format, CancellationToken cancellationToken);

    /// <summary>The rendered report's parts for its email (<see cref="ReportMessages.Compose"/>).</summary>
    /// <exception cref="KeyNotFoundException">The report was not rendered.</exception>
    Task<ReportEmailParts> ReadRenderedAsync(string cohortId, int checkpoint, CancellationToken cancellationToken);
}
