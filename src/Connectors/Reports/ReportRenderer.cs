using System.Globalization;
using System.Net;
using System.Text;
using System.Text.Json;
using Cohorts.Connectors.Csv;
using Cohorts.Connectors.Json;
using Cohorts.Domain.Outcomes;

namespace Cohorts.Connectors.Reports;

/// <summary>The report in its three formats; the HTML has charts embedded as data URIs (for a browser) or cid: links (for email).</summary>
/// <param name="Html">HTML for a browser, charts embedded.</param>
/// <param name="EmailHtml">HTML for email, charts referred to as inline attachments (<c>cid:{chart id}</c>).</param>
/// <param name="Csv">One row per scope (the cohort, then each track).</param>
/// <param name="Json">The figures as JSON.</param>
/// <param name="Text">The headline figures as plain text (the email's text part).</param>
/// <param name="Charts">The charts.</param>
public sealed record RenderedReport(string Html, string EmailHtml, string Csv, string Json, string Text, IReadOnlyList<ReportChart> Charts);

/// <summary>
/// Writes an outcome report for leaders: the headline outcomes first (production, velocity, first-pass quality,
/// advisory support, the review promise, demonstrations), then the charts, then the figures per track, with completion
/// as a secondary column. Missing baselines read "no baseline" and figures with nothing to count "none yet".
/// </summary>
public static class ReportRenderer
{
    /// <summary>The CSV columns, in order.</summary>
    public static IReadOnlyList<string> CsvHeader { get; } =
    [
        "scope", "participants", "productionContributions", "contributors", "medianTimeToProduction", "baselineTimeToProduction",
        "firstPassRate", "firstPassPassed", "firstPassSubmitted", "baselineFirstPassRate", "firstAttemptAcceptance",
        "advisoryHours", "advisoryHoursPerMonth", "baselineAdvisoryHoursPerMonth", "advisoryChange",
        "reviewsSubmitted", "reviewsDecided", "withinWindowRate", "medianTimeToFeedback", "escalations",
        "acceptedDemonstrations", "acceptedPerParticipant", "completionRate",
    ];

    private static readonly CultureInfo Invariant = CultureInfo.InvariantCulture;

    /// <summary>Renders <paramref name="report"/>; <paramref name="earlier"/> are the cohort's earlier checkpoints (for the trend).</summary>
    public static RenderedReport Render(OutcomeReport report, IReadOnlyList<OutcomeReport> earlier)
    {
        ArgumentNullException.ThrowIfNull(report);
        IReadOnlyList<ReportChart> charts = ReportCharts.Draw(report, earlier);
        return new RenderedReport(
            Html(report, charts, c => "data:image/png;base64," + Convert.ToBase64String(c.Png)),
            Html(report, charts, c => "cid:" + c.Id),
            Csv(report),
            Json(report),
            Text(report),
            charts);
    }

    /// <summary>The headline figures as plain text.</summary>
    public static string Text(OutcomeReport report)
    {
        ArgumentNullException.ThrowIfNull(report);
        return string.Join("\r\n",
            [
                $"{report.CohortName}: {Title(report)}",
                $"Use case: {report.UseCase}; as of {AsOf(report)}; {report.Cohort.Participants} participants",
                string.Empty,
                .. Headlines(report).Select(h => $"{h.Label}: {h.Value} ({h.Detail})"),
                string.Empty,
                "The per-track figures and charts are in the HTML part; the same figures are attached as CSV and JSON.",
            ]);
    }

    /// <summary>The six headline outcomes, in the order a leader reads them: what, the figure, and against what.</summary>
    private static (string Label, string Value, string Detail)[] Headlines(OutcomeReport report)
    {
        ScopeMetrics c = report.Cohort;
        return
        [
            ("Production contributions", c.Production.Contributions.ToString(Invariant), $"by {c.Production.Contributors} of {c.Participants} participants"),
            ("Time to first production (median)", ReportText.Span(c.Production.MedianTimeToProduction), ReportText.VersusBaseline(c.Production.MedianTimeToProduction, c.Production.BaselineTimeToProduction)),
            ("First-pass quality (model-risk review)", ReportText.Share(c.Quality.FirstPass), ReportText.VersusBaseline(c.Quality.FirstPass.Rate, c.Quality.BaselineFirstPassRate)),
            ("Advisory support a month", c.Advisory.HoursPerMonth is { } perMonth ? $"{ReportText.Number(perMonth)} h" : ReportText.NoneYet, ReportText.VersusBaseline(c.Advisory)),
            ($"Reviews within {ReportText.Span(report.ReviewWindow)}", ReportText.Share(c.Reviews.WithinWindow),
                $"median feedback {ReportText.Span(c.Reviews.MedianTimeToFeedback)} · {c.Reviews.Escalations} escalated"),
            ("Accepted demonstrations", $"{ReportText.Number(c.AcceptedPerParticipant, 2)} per participant",
                $"{c.AcceptedDemonstrations} in all · first attempt accepted {ReportText.Percent(c.Quality.FirstAttemptAccepted.Rate)}"),
        ];
    }

    private static string Title(OutcomeReport report) => report.IsFinal ? "final outcome report" : $"checkpoint {report.Checkpoint} of {report.Checkpoints}";

    private static string AsOf(OutcomeReport report) => report.AsOf.UtcDateTime.ToString("yyyy-MM-dd HH:mm 'UTC'", Invariant);

    /// <summary>The figures as JSON (durations in ISO 8601; unknown figures and missing baselines are null).</summary>
    public static string Json(OutcomeReport report) => JsonSerializer.Serialize(report, CohortsJson.Options);

    /// <summary>The figures as CSV, one row per scope; empty cells are unknown, and baseline cells without a baseline read "no baseline".</summary>
    public static string Csv(OutcomeReport report)
    {
        ArgumentNullException.ThrowIfNull(report);
        string csv = SafeCsv.Write(SafeCsv.Plain, [.. CsvHeader], new[] { report.Cohort }.Concat(report.Tracks).Select(Row));
        // each further block is a table of its own after a blank line, with its own header: the figures of the JSON
        if (report.Comparison is { } versus)
        {
            csv += "\r\n" + SafeCsv.Write(SafeCsv.Plain, [.. ComparisonCsvHeader], versus.Metrics.Select(m => ComparisonRow(versus, m)));
        }

        if (report.Scores is { Count: > 0 } scores)
        {
            csv += "\r\n" + SafeCsv.Write(SafeCsv.Plain, [.. ScoreBandCsvHeader], scores.SelectMany(s => s.Bands.Select(b => BandRow(s, b))));
            csv += "\r\n" + SafeCsv.Write(SafeCsv.Plain, [.. SpearmanCsvHeader], scores.Select(SpearmanRow));
        }

        return csv;
    }

    /// <summary>The columns of the score-band table (when scores exist).</summary>
    public static IReadOnlyList<string> ScoreBandCsvHeader { get; } =
        ["assessment", "band", "n", "medianTimeToFirstProduction", "firstPassRate", "contributionsPerPerson", "withheld"];

    /// <summary>The columns of the rank-correlation table (when scores exist).</summary>
    public static IReadOnlyList<string> SpearmanCsvHeader { get; } = ["assessment", "spearmanRho", "ciLow", "ciHigh", "n", "withheld"];

    private static string[] BandRow(ScoreBlock block, ScoreBand b) =>
        [block.Assessment, Count(b.Band), Count(b.N), b.MedianTimeToFirstProduction is { } t ? ReportText.Iso(t) : string.Empty, Decimal(b.FirstPassRate), Decimal(b.ContributionsPerPerson), b.Withheld ?? string.Empty];

    private static string[] SpearmanRow(ScoreBlock block) =>
        [block.Assessment, Decimal(block.Spearman.Rho), Decimal(block.Spearman.Ci?.Low), Decimal(block.Spearman.Ci?.High), Count(block.Spearman.N), block.Spearman.Withheld ?? string.Empty];

    /// <summary>The columns of the comparison table (the CSV's second table, when the cohort has a comparison group).</summary>
    public static IReadOnlyList<string> ComparisonCsvHeader { get; } =
        ["metric", "cohort", "comparison", "difference", "ciLow", "ciHigh", "nCohort", "nComparison", "withheld", "matchedOn"];

    private static string[] ComparisonRow(ComparisonBlock block, ComparisonMetric m)
    {
        Func<double?, string> figure = m.Metric == "timeToFirstProduction"
            ? v => v is { } days ? Cohorts.Connectors.Json.ComparisonMetricConverter.Iso(days) : string.Empty
            : Decimal;
        return [m.Metric, figure(m.Cohort), figure(m.Comparison), figure(m.Difference), figure(m.Ci?.Low), figure(m.Ci?.High),
            Count(m.NCohort), Count(m.NComparison), m.Withheld ?? string.Empty, block.MatchedOn];
    }

    private static string[] Row(ScopeMetrics s) =>
    [
        s.Scope,
        Count(s.Participants),
        Count(s.Production.Contributions),
        Count(s.Production.Contributors),
        ReportText.Iso(s.Production.MedianTimeToProduction),
        s.Production.BaselineTimeToProduction is { } b ? ReportText.Iso(b) : ReportText.NoBaseline,
        Decimal(s.Quality.FirstPass.Rate),
        Count(s.Quality.FirstPass.Count),
        Count(s.Quality.FirstPass.Of),
        s.Quality.BaselineFirstPassRate is { } r ? Decimal(r) : ReportText.NoBaseline,
        Decimal(s.Quality.FirstAttemptAccepted.Rate),
        Decimal(s.Advisory.Hours),
        Decimal(s.Advisory.HoursPerMonth),
        s.Advisory.BaselineHoursPerMonth is { } h ? Decimal(h) : ReportText.NoBaseline,
        s.Advisory.BaselineHoursPerMonth is null ? ReportText.NoBaseline : Decimal(s.Advisory.Change),
        Count(s.Reviews.Submitted),
        Count(s.Reviews.Decided),
        Decimal(s.Reviews.WithinWindow.Rate),
        ReportText.Iso(s.Reviews.MedianTimeToFeedback),
        Count(s.Reviews.Escalations),
        Count(s.AcceptedDemonstrations),
        Decimal(s.AcceptedPerParticipant),
        Decimal(s.Completion.Rate),
    ];

    private static string Count(int value) => value.ToString(Invariant);

    private static string Decimal(double? value) => value is { } v ? v.ToString("0.####", Invariant) : string.Empty;

    private static string Html(OutcomeReport report, IReadOnlyList<ReportChart> charts, Func<ReportChart, string> source)
    {
        ScopeMetrics c = report.Cohort;
        var html = new StringBuilder();
        html.Append("<!DOCTYPE html><html lang=\"en\"><head><meta charset=\"utf-8\"><title>").Append(E(report.CohortName)).Append(" — ").Append(E(ReportText.CheckpointTitle(report))).Append(" report</title></head>")
            .Append("<body style=\"font-family:Segoe UI,Helvetica,Arial,sans-serif;color:#1b1b1b;max-width:760px;margin:0 auto;padding:16px\">")
            .Append("<h1 style=\"font-size:22px;margin:0 0 4px\">").Append(E(report.CohortName)).Append(": ")
            .Append(Title(report)).Append("</h1>")
            .Append("<p style=\"margin:0 0 16px;color:#555\">Use case: ").Append(E(report.UseCase)).Append(" · as of ").Append(AsOf(report))
            .Append(" · ").Append(c.Participants).Append(" participants</p>");

        html.Append("<h2 style=\"font-size:17px\">Outcomes</h2><table role=\"presentation\" style=\"border-collapse:separate;border-spacing:8px;width:100%\"><tr>");
        (string Label, string Value, string Detail)[] headlines = Headlines(report);
        for (int i = 0; i < headlines.Length; i++)
        {
            html.Append(i == 3 ? "</tr><tr>" : string.Empty);
            Tile(html, headlines[i].Label, headlines[i].Value, headlines[i].Detail);
        }

        html.Append("</tr></table>");

        foreach (ReportChart chart in charts.Where(c => !ReportCharts.HasOwnSection(c)))
        {
            Image(html, chart, source);
        }

        if (report.Comparison is { } versus)
        {
            Versus(html, versus, charts.FirstOrDefault(c => c.Id == ReportCharts.VersusChart), source);
        }

        foreach (ScoreBlock scored in report.Scores ?? [])
        {
            ByScore(html, scored, charts.FirstOrDefault(c => c.Id == ReportCharts.ScoreChart(scored.Assessment)), source);
        }

        html.Append("<h2 style=\"font-size:17px\">By track</h2><table style=\"border-collapse:collapse;font-size:13px;width:100%\"><tr style=\"background:#eef2f6\">");
        foreach (string head in new[] { "Track", "People", "Production", "Median to production", "First-pass", "Advisory h", "Within window", "Median feedback", "Escalated", "Accepted / person", "Completion (secondary)" })
        {
            html.Append("<th style=\"text-align:left;padding:4px 6px\">").Append(E(head)).Append("</th>");
        }

        html.Append("</tr>");
        foreach (ScopeMetrics t in report.Tracks)
        {
            html.Append("<tr style=\"border-top:1px solid #dde\">");
            foreach (string cell in new[]
            {
                ReportText.TrackTitle(t.Scope), t.Participants.ToString(Invariant), t.Production.Contributions.ToString(Invariant),
                ReportText.Span(t.Production.MedianTimeToProduction), ReportText.Share(t.Quality.FirstPass), ReportText.Number(t.Advisory.Hours),
                ReportText.Share(t.Reviews.WithinWindow), ReportText.Span(t.Reviews.MedianTimeToFeedback), t.Reviews.Escalations.ToString(Invariant),
                ReportText.Number(t.AcceptedPerParticipant, 2),
            })
            {
                html.Append("<td style=\"padding:4px 6px\">").Append(E(cell)).Append("</td>");
            }

            html.Append("<td style=\"padding:4px 6px;color:#888\">").Append(E(ReportText.Percent(t.Completion.Rate))).Append("</td></tr>");
        }

        html.Append("</table><p style=\"font-size:12px;color:#666;margin-top:16px\">Production contributions and model-risk results are reported by the teams' tooling; ")
            .Append("time to production counts from the cohort start to each contributor's first contribution; advisory hours are per month of the programme (")
            .Append(E(ReportText.Span(report.ProgramMonth))).Append("). A review counts as late when its verdict came after the window or it is still open past it. ")
            .Append("Completion (steps done of steps due: ").Append(E(ReportText.Share(c.Completion))).Append(") is shown for reference only; it is not an outcome. ")
            .Append("The same figures are attached as CSV and JSON.</p></body></html>");
        return html.ToString();
    }

    private static void Versus(StringBuilder html, ComparisonBlock block, ReportChart? chart, Func<ReportChart, string> source)
    {
        html.Append("<h2 style=\"font-size:17px\">Versus comparable staff</h2><p style=\"margin:0 0 8px;color:#555;font-size:13px\">Observational, not a trial: ")
            .Append("the cohort's trained people against comparable staff who were not trained (").Append(E(block.MatchedOn))
            .Append("). Each difference is trained minus comparison, with a 95% bootstrap interval; a figure is withheld when a group has fewer than ")
            .Append(Evidence.MinGroup).Append(" people.</p>");
        Table(html, ["Outcome", "Trained", "Comparison", "Difference", "95% interval", "n (trained / comparison)"], block.Metrics.Select(m =>
        {
            Func<double?, string> shown = m.Metric switch
            {
                "timeToFirstProduction" => v => v is { } d ? ReportText.Span(TimeSpan.FromDays(d)) : "—", // days, hours or seconds as the figure reads best
                "firstPassRate" => v => v is { } r ? $"{(r * 100).ToString("0.#", Invariant)}%" : "—",
                _ => v => v is { } x ? x.ToString("0.##", Invariant) : "—",
            };
            return m.Withheld is { } why
                ? new[] { ReportText.MetricTitle(m.Metric), "withheld", "withheld", "withheld", why, $"{m.NCohort} / {m.NComparison}" }
                : [ReportText.MetricTitle(m.Metric), shown(m.Cohort), shown(m.Comparison), shown(m.Difference),
                    m.Ci is { } ci ? $"{shown(ci.Low)} to {shown(ci.High)}" : "—", $"{m.NCohort} / {m.NComparison}"];
        }));
        if (chart is not null)
        {
            Image(html, chart, source);
        }
    }

    private static void ByScore(StringBuilder html, ScoreBlock block, ReportChart? chart, Func<ReportChart, string> source)
    {
        RankCorrelation rho = block.Spearman;
        html.Append("<h2 style=\"font-size:17px\">Do high scorers ship? ").Append(E(block.Assessment)).Append("</h2><p style=\"margin:0 0 8px;color:#555;font-size:13px\">")
            .Append("Trained people by quartile of their score (band 4 the highest), and what they went on to do. Spearman's rank correlation of score and days to first production: ")
            .Append(E(rho.Rho is { } r ? $"{r.ToString("0.00", Invariant)} (95% interval {rho.Ci?.Low.ToString("0.00", Invariant)} to {rho.Ci?.High.ToString("0.00", Invariant)}, n = {rho.N})" : $"withheld ({rho.Withheld})"))
            .Append("; a negative value means higher scorers reached production sooner. Bands under ").Append(Evidence.MinGroup).Append(" people are withheld.</p>");
        Table(html, ["Score band", "People", "Median to production", "First-pass", "Contributions / person"], block.Bands.Select(b => b.Withheld is { } why
            ? new[] { $"Q{b.Band}", b.N.ToString(Invariant), "withheld", why, string.Empty }
            : [$"Q{b.Band}", b.N.ToString(Invariant), ReportText.Span(b.MedianTimeToFirstProduction), ReportText.Percent(b.FirstPassRate), ReportText.Number(b.ContributionsPerPerson, 2)]));
        if (chart is not null)
        {
            Image(html, chart, source);
        }
    }

    private static void Table(StringBuilder html, string[] heads, IEnumerable<string[]> rows)
    {
        html.Append("<table style=\"border-collapse:collapse;font-size:13px;width:100%\"><tr style=\"background:#eef2f6\">");
        foreach (string head in heads)
        {
            html.Append("<th style=\"text-align:left;padding:4px 6px\">").Append(E(head)).Append("</th>");
        }

        html.Append("</tr>");
        foreach (string[] cells in rows)
        {
            html.Append("<tr style=\"border-top:1px solid #dde\">");
            foreach (string cell in cells)
            {
                html.Append("<td style=\"padding:4px 6px\">").Append(E(cell)).Append("</td>");
            }

            html.Append("</tr>");
        }

        html.Append("</table>");
    }

    private static void Image(StringBuilder html, ReportChart chart, Func<ReportChart, string> source) =>
        html.Append("<p style=\"margin:12px 0\"><img src=\"").Append(E(source(chart))).Append("\" alt=\"").Append(E(chart.Title))
            .Append("\" width=\"640\" height=\"300\" style=\"max-width:100%;height:auto\"></p>");

    private static void Tile(StringBuilder html, string label, string value, string detail) =>
        html.Append("<td style=\"vertical-align:top;width:33%;background:#f4f7fa;border-radius:6px;padding:10px\"><div style=\"font-size:12px;color:#555\">")
            .Append(E(label)).Append("</div><div style=\"font-size:24px;font-weight:600;margin:4px 0\">").Append(E(value))
            .Append("</div><div style=\"font-size:12px;color:#555\">").Append(E(detail)).Append("</div></td>");

    private static string E(string text) => WebUtility.HtmlEncode(text);
}
