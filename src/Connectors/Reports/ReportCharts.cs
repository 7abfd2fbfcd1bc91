using Cohorts.Domain.Outcomes;
using ScottPlot;

namespace Cohorts.Connectors.Reports;

/// <summary>A chart of the report as a PNG image, with the id the HTML refers to it by.</summary>
public sealed record ReportChart(string Id, string Title, byte[] Png);

/// <summary>The report's charts, drawn headless with ScottPlot (SkiaSharp): bars per track, and the trend across checkpoints.</summary>
public static class ReportCharts
{
    private const int Width = 640;
    private const int Height = 300;

    /// <summary>The charts of <paramref name="report"/>; the trend appears from the second checkpoint on.</summary>
    public static IReadOnlyList<ReportChart> Draw(OutcomeReport report, IReadOnlyList<OutcomeReport> earlier)
    {
        ArgumentNullException.ThrowIfNull(report);
        ArgumentNullException.ThrowIfNull(earlier);
        string[] tracks = report.Tracks.Select(t => ReportText.TrackTitle(t.Scope)).ToArray();
        var charts = new List<ReportChart>
        {
            Bars("contributions", "Production contributions by track", "contributions", tracks, report.Tracks.Select(t => (double)t.Production.Contributions).ToArray()),
            Bars("sla", "Reviews within the window, by track (%)", "% within window", tracks,
                report.Tracks.Select(t => t.Reviews.WithinWindow.Rate is { } r ? r * 100 : double.NaN).ToArray()),
        };
        List<OutcomeReport> series = [.. earlier.Where(e => e.Checkpoint < report.Checkpoint).OrderBy(e => e.Checkpoint), report];
        if (series.Count > 1)
        {
            charts.Add(Trend(series));
        }

        return charts;
    }

    private static ReportChart Bars(string id, string title, string axis, string[] labels, double[] values)
    {
        var plot = new Plot();
        // a track with no data has no bar (NaN is not drawn as zero)
        Bar[] bars = values.Select((v, i) => new Bar
        {
            Position = i,
            Value = double.IsNaN(v) ? 0 : v,
            Label = double.IsNaN(v) ? "none yet" : v.ToString("0.#", System.Globalization.CultureInfo.InvariantCulture),
            FillColor = double.IsNaN(v) ? Colors.LightGray : new Color(0x1f, 0x5f, 0x99),
        }).ToArray();
        var plotted = plot.Add.Bars(bars);
        plotted.ValueLabelStyle.FontSize = 13;
        plot.Axes.Bottom.SetTicks(Enumerable.Range(0, labels.Length).Select(i => (double)i).ToArray(), labels);
        plot.Axes.Bottom.MajorTickStyle.Length = 0;
        plot.Axes.SetLimitsY(0, Math.Max(1, bars.Max(b => b.Value)) * 1.2);
        plot.Title(title);
        plot.YLabel(axis);
        plot.HideGrid();
        return new ReportChart(id, title, plot.GetImageBytes(Width, Height, ImageFormat.Png));
    }

    private static ReportChart Trend(List<OutcomeReport> series)
    {
        var plot = new Plot();
        double[] x = series.Select(r => (double)r.Checkpoint).ToArray();
        var contributions = plot.Add.Scatter(x, series.Select(r => (double)r.Cohort.Production.Contributions).ToArray());
        contributions.LegendText = "production contributions";
        contributions.LineWidth = 3;
        contributions.MarkerSize = 9;
        var demonstrations = plot.Add.Scatter(x, series.Select(r => (double)r.Cohort.AcceptedDemonstrations).ToArray());
        demonstrations.LegendText = "accepted demonstrations";
        demonstrations.LineWidth = 3;
        demonstrations.MarkerSize = 9;
        plot.Axes.Bottom.SetTicks(x, series.Select(r => ReportText.CheckpointTitle(r)).ToArray());
        double top = series.Max(r => Math.Max(r.Cohort.Production.Contributions, r.Cohort.AcceptedDemonstrations));
        plot.Axes.SetLimitsX(x[0] - 0.25, x[^1] + 0.25);
        plot.Axes.SetLimitsY(0, Math.Max(1, top) * 1.3);
        plot.Title("Across the checkpoints");
        plot.ShowLegend(Alignment.UpperLeft);
        return new ReportChart("trend", "Across the checkpoints", plot.GetImageBytes(Width, Height, ImageFormat.Png));
    }
}
