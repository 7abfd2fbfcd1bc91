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

/// <summary>A rendered chart image: its content id (how the email's HTML refers to it) and the PNG.</summary>
public sealed record ChartImage(string Id, byte[] Png);

/// <summary>What a rendered report holds for its email: the email's HTML and text, the charts it shows, and the files it attaches.</summary>
public sealed record ReportEmailParts(string EmailHtml, string Text, IReadOnlyList<ChartImage> Charts, IReadOnlyList<ReportFile> Attachments);

/// <summary>The emails that carry checkpoint reports to leaders.</summary>
public static class ReportMessages
{
    /// <summary>
    /// The report's email to <paramref name="leader"/>: the HTML with its charts inline (by content id), the text part,
    /// the CSV and JSON attached; the subject names the cohort and the checkpoint (or the final report).
    /// </summary>
    public static OutboundMessage Compose(CohortPlan plan, int checkpoint, string leader, ReportEmailParts report)
    {
        ArgumentNullException.ThrowIfNull(plan);
        ArgumentNullException.ThrowIfNull(report);
        string title = checkpoint == plan.Checkpoints.Count ? "final outcome report" : $"checkpoint {checkpoint} of {plan.Checkpoints.Count}";
        List<MessageAttachment> attachments =
        [
            .. report.Charts.Select(c => new MessageAttachment(c.Id + ".png", "image/png", c.Png, ContentId: c.Id)),
            .. report.Attachments.Select(f => new MessageAttachment(f.FileName, f.ContentType, f.Content)),
        ];
        return new OutboundMessage(IdFor(plan.Id, checkpoint, leader), [leader], $"{plan.Name}: {title}", report.Text, report.EmailHtml, attachments);
    }

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
