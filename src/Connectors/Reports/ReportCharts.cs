using Cohorts.Domain.Outcomes;
using ScottPlot;
using SkiaSharp;

namespace Cohorts.Connectors.Reports;

/// <summary>A chart of the report as a PNG image, with the id the HTML refers to it by.</summary>
public sealed record ReportChart(string Id, string Title, byte[] Png);

/// <summary>The report's charts, drawn headless with ScottPlot (SkiaSharp): bars per track, and the trend across checkpoints.</summary>
public static class ReportCharts
{
    private const int Width = 640;
    private const int Height = 300;

    /// <summary>The zlib level of the charts' PNGs.</summary>
    private const int PngLevel = 3;

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
        if (report.Comparison is { } versus && Versus(versus) is { } chart)
        {
            charts.Add(chart);
        }

        foreach (ScoreBlock scored in report.Scores ?? [])
        {
            TimeSpan[] shown = [.. scored.Bands.Where(b => b.Withheld is null).Select(b => b.MedianTimeToFirstProduction).OfType<TimeSpan>()];
            if (shown.Length == 0)
            {
                continue; // every band withheld or without a value: the section's table says so, an empty chart would not
            }

            // the unit the largest median reads best in: days for a real cohort, seconds for one compressed into a demo
            (string unit, double per) = shown.Max() switch
            {
                { TotalDays: >= 2 } => ("days", TimeSpan.FromDays(1).TotalSeconds),
                { TotalHours: >= 2 } => ("hours", TimeSpan.FromHours(1).TotalSeconds),
                { TotalMinutes: >= 2 } => ("minutes", TimeSpan.FromMinutes(1).TotalSeconds),
                _ => ("seconds", 1),
            };
            string[] bands = scored.Bands.Select(b => $"Q{b.Band} (n={b.N})").ToArray();
            charts.Add(Bars(ScoreChart(scored.Assessment), $"Median {unit} to first production by score band: {scored.Assessment}", unit, bands,
                scored.Bands.Select(b => b.MedianTimeToFirstProduction is { } t && b.Withheld is null ? t.TotalSeconds / per : double.NaN).ToArray()));
        }

        List<OutcomeReport> series = [.. earlier.Where(e => e.Checkpoint < report.Checkpoint).OrderBy(e => e.Checkpoint), report];
        if (series.Count > 1)
        {
            charts.Add(Trend(series));
        }

        return charts;
    }

    /// <summary>The id of the chart of the comparison with comparable staff (drawn in its own section of the report).</summary>
    public const string VersusChart = "versus";

    /// <summary>The id of an assessment's score-band chart (drawn in its own section of the report).</summary>
    public static string ScoreChart(string assessment) => "scores-" + assessment;

    /// <summary>Whether a chart belongs to a section of its own rather than to the outcomes at the top.</summary>
    public static bool HasOwnSection(ReportChart chart)
    {
        ArgumentNullException.ThrowIfNull(chart);
        return chart.Id == VersusChart || chart.Id.StartsWith("scores-", StringComparison.Ordinal);
    }

    // each outcome not withheld, as trained and comparison side by side relative to the comparison group (= 100), with
    // the difference's 95% interval drawn on the trained bar: one scale for days, rates, hours and counts
    private static ReportChart? Versus(ComparisonBlock block)
    {
        List<ComparisonMetric> shown = [.. block.Metrics.Where(m => m.Withheld is null && m.Comparison is > 0 && m.Cohort is not null)];
        if (shown.Count == 0)
        {
            return null;
        }

        const string title = "Trained against comparable staff (comparison = 100, 95% interval)";
        var plot = new Plot();
        var bars = new List<Bar>();
        for (int i = 0; i < shown.Count; i++)
        {
            ComparisonMetric m = shown[i];
            double scale = 100 / m.Comparison!.Value;
            bars.Add(new Bar { Position = (i * 3) + 0, Value = m.Cohort!.Value * scale, FillColor = new Color(0x1f, 0x5f, 0x99), Label = (m.Cohort.Value * scale).ToString("0", System.Globalization.CultureInfo.InvariantCulture) });
            bars.Add(new Bar { Position = (i * 3) + 1, Value = 100, FillColor = Colors.Gray, Label = "100" });
            if (m.Ci is { } ci)
            {
                double low = 100 + (ci.Low * scale), high = 100 + (ci.High * scale);
                var line = plot.Add.Line((i * 3) + 0, low, (i * 3) + 0, high);
                line.LineWidth = 3;
                line.LineColor = Colors.Black;
            }
        }

        var plotted = plot.Add.Bars(bars.ToArray());
        plotted.ValueLabelStyle.FontSize = 12;
        plot.Axes.Bottom.SetTicks([.. Enumerable.Range(0, shown.Count).Select(i => (i * 3) + 0.5)], [.. shown.Select(m => ReportText.MetricTitle(m.Metric))]);
        plot.Axes.Bottom.MajorTickStyle.Length = 0;
        double top = Math.Max(120, bars.Max(b => b.Value) * 1.25);
        plot.Axes.SetLimitsY(0, top);
        plot.Title(title);
        plot.YLabel("% of the comparison group");
        plot.HideGrid();
        return new ReportChart(VersusChart, title, Png(plot));
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
        return new ReportChart(id, title, Png(plot));
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
        return new ReportChart("trend", "Across the checkpoints", Png(plot));
    }

    /// <summary>
    /// The plot as a PNG, compressed at zlib level <see cref="PngLevel"/>: flat colours and text compress nearly as well
    /// as at the default level 6, in a third of the time (the encoding was half of a report's rendering). Each row is
    /// filtered against the row above only ("up"): a chart's bars and background repeat down the image, so that one
    /// filter compresses within 2% of trying all five on every row, at a quarter of the encoding's time.
    /// </summary>
    private static byte[] Png(Plot plot)
    {
        using var surface = SKSurface.Create(new SKImageInfo(Width, Height, SKColorType.Rgba8888, SKAlphaType.Premul));
        plot.Render(surface.Canvas, Width, Height);
        using SKPixmap pixels = surface.PeekPixels();
        using var encoded = new SKDynamicMemoryWStream();
        if (!pixels.Encode(encoded, new SKPngEncoderOptions(SKPngEncoderFilterFlags.Up, PngLevel)))
        {
            throw new InvalidOperationException("The chart could not be encoded as PNG.");
        }

        using SKData data = encoded.DetachAsData();
        return data.ToArray();
    }
}
