using System.Diagnostics;
using System.Diagnostics.Metrics;

namespace Cohorts.Workflows;

/// <summary>
/// The product's own meters and activity source (both named <see cref="Name"/>), recorded where each business
/// event happens: imports applied and their rows, reviews requested, decided within and past the window,
/// escalations, reports sent, webhook deliveries. Tags carry ids and outcomes, never a name or an address.
/// </summary>
public static class CohortsTelemetry
{
    /// <summary>The meter's and the activity source's name.</summary>
    public const string Name = "Cohorts";

    /// <summary>The product's activity source.</summary>
    public static readonly ActivitySource Source = new(Name);

    private static readonly Meter Meter = new(Name);

    /// <summary>Imports applied.</summary>
    public static readonly Counter<long> ImportsApplied = Meter.CreateCounter<long>("cohorts.imports.applied", "{import}", "Imports whose changes were applied to a roster");

    /// <summary>Changes applied by imports.</summary>
    public static readonly Counter<long> ImportChanges = Meter.CreateCounter<long>("cohorts.imports.changes", "{change}", "Roster changes (joins, moves, updates, leaves) applied by imports");

    /// <summary>Source rows read by imports.</summary>
    public static readonly Counter<long> ImportRows = Meter.CreateCounter<long>("cohorts.imports.rows", "{row}", "Source rows read by imports, by outcome (read, rejected)");

    /// <summary>Reviews requested (a review opened).</summary>
    public static readonly UpDownCounter<long> ReviewsOpen = Meter.CreateUpDownCounter<long>("cohorts.reviews.open", "{review}", "Reviews requested and not yet decided, as seen by this process");

    /// <summary>Reviews decided, tagged within_window true or false.</summary>
    public static readonly Counter<long> ReviewsDecided = Meter.CreateCounter<long>("cohorts.reviews.decided", "{review}", "Reviews decided, within the review window or past it");

    /// <summary>Reviews escalated.</summary>
    public static readonly Counter<long> Escalations = Meter.CreateCounter<long>("cohorts.reviews.escalations", "{review}", "Reviews escalated after the window passed without a verdict");

    /// <summary>Checkpoint reports sent to leaders.</summary>
    public static readonly Counter<long> ReportsSent = Meter.CreateCounter<long>("cohorts.reports.sent", "{report}", "Checkpoint reports mailed to leaders");

    /// <summary>Webhook delivery attempts, tagged outcome.</summary>
    public static readonly Counter<long> WebhookDeliveries = Meter.CreateCounter<long>("cohorts.webhooks.deliveries", "{attempt}", "Webhook delivery attempts, by outcome");
}
