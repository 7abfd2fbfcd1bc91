using System.Security.Cryptography;
using System.Text;

namespace Cohorts.Domain.Outcomes;

/// <summary>The formats a report is served in.</summary>
public enum ReportFormat
{
    /// <summary>The page a leader reads, charts embedded.</summary>
    Html,

    /// <summary>One row per scope.</summary>
    Csv,

    /// <summary>The figures.</summary>
    Json,
}

/// <summary>A stored report file.</summary>
public sealed record ReportFile(string FileName, string ContentType, byte[] Content);

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

    /// <summary>The report's email to <paramref name="leader"/> (its id is <see cref="ReportMessages.IdFor"/>).</summary>
    /// <exception cref="KeyNotFoundException">The report was not rendered.</exception>
    Task<OutboundMessage> MessageAsync(CohortPlan plan, int checkpoint, string leader, CancellationToken cancellationToken);
}

/// <summary>Ids of report messages.</summary>
public static class ReportMessages
{
    /// <summary>
    /// The message id of a checkpoint report to one leader: <c>report.{cohortId}.{checkpoint}.{16 hex of the address}</c>
    /// (the same on every retry; no address shows).
    /// </summary>
    public static string IdFor(string cohortId, int checkpoint, string leader)
    {
        ArgumentNullException.ThrowIfNull(leader);
        byte[] hash = SHA256.HashData(Encoding.UTF8.GetBytes(leader.Trim().ToLowerInvariant()));
        return $"report.{cohortId}.{checkpoint}.{Convert.ToHexStringLower(hash, 0, 8)}";
    }
}
