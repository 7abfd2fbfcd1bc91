using System.Globalization;
using Cohorts.Domain;
using Cohorts.Domain.Outcomes;

namespace Cohorts.Connectors.Reports;

/// <summary>How the report writes its figures for people: spans in the largest sensible unit, rates as percentages, unknowns in words.</summary>
public static class ReportText
{
    /// <summary>What an unknown figure (nothing to count yet) reads as.</summary>
    public const string NoneYet = "none yet";

    /// <summary>What a comparison without a baseline reads as.</summary>
    public const string NoBaseline = "no baseline";

    private static readonly CultureInfo Invariant = CultureInfo.InvariantCulture;

    /// <summary>The title of a comparison metric as the report shows it.</summary>
    public static string MetricTitle(string metric) => metric switch
    {
        "timeToFirstProduction" => "Time to first production (median)",
        "firstPassRate" => "First-pass quality",
        "advisoryHoursPerMonth" => "Advisory hours a month",
        "contributionsPerPerson" => "Contributions per person",
        _ => metric,
    };

    /// <summary>A track's title from its API name (<c>builders</c> → Builders); <c>cohort</c> → Whole cohort.</summary>
    public static string TrackTitle(string scope)
    {
        ArgumentNullException.ThrowIfNull(scope);
        return scope == OutcomeMetrics.CohortScope ? "Whole cohort" : string.Concat(char.ToUpperInvariant(scope[0]).ToString(), scope[1..]);
    }

    /// <summary><c>final</c> or <c>checkpoint n</c>.</summary>
    public static string CheckpointTitle(OutcomeReport report)
    {
        ArgumentNullException.ThrowIfNull(report);
        return report.IsFinal ? "final" : $"checkpoint {report.Checkpoint}";
    }

    /// <summary>A span in days, hours, minutes or seconds (17.5 days, 48 h, 4 s); <see cref="NoneYet"/> when unknown.</summary>
    public static string Span(TimeSpan? span) => span switch
    {
        null => NoneYet,
        { } s when s.Duration() >= TimeSpan.FromDays(2) => $"{s.TotalDays.ToString("0.#", Invariant)} days",
        { } s when s.Duration() >= TimeSpan.FromHours(2) => $"{s.TotalHours.ToString("0.#", Invariant)} h",
        { } s when s.Duration() >= TimeSpan.FromMinutes(2) => $"{s.TotalMinutes.ToString("0.#", Invariant)} min",
        { } s => $"{s.TotalSeconds.ToString("0.#", Invariant)} s",
    };

    /// <summary>A rate as a whole percentage; <see cref="NoneYet"/> when unknown.</summary>
    public static string Percent(double? rate) => rate is { } r ? $"{Math.Round(r * 100, MidpointRounding.AwayFromZero).ToString("0", Invariant)}%" : NoneYet;

    /// <summary>A share as "50% (1 of 2)"; <see cref="NoneYet"/> when there is nothing to count.</summary>
    public static string Share(Share share)
    {
        ArgumentNullException.ThrowIfNull(share);
        return share.Rate is null ? NoneYet : $"{Percent(share.Rate)} ({share.Count} of {share.Of})";
    }

    /// <summary>A number with up to <paramref name="decimals"/> decimals; <see cref="NoneYet"/> when unknown.</summary>
    public static string Number(double? value, int decimals = 1) =>
        value is { } v ? v.ToString("0." + new string('#', decimals), Invariant) : NoneYet;

    /// <summary>The velocity against its baseline: "baseline 120 days: 102.5 days faster"; <see cref="NoBaseline"/> without one.</summary>
    public static string VersusBaseline(TimeSpan? value, TimeSpan? baseline) => (value, baseline) switch
    {
        (_, null) => NoBaseline,
        (null, { } b) => $"baseline {Span(b)}",
        ({ } v, { } b) when v <= b => $"baseline {Span(b)}: {Span(b - v)} faster",
        ({ } v, { } b) => $"baseline {Span(b)}: {Span(v - b)} slower",
    };

    /// <summary>A rate against its baseline rate: "baseline 40%: +10 points"; <see cref="NoBaseline"/> without one.</summary>
    public static string VersusBaseline(double? rate, double? baseline) => (rate, baseline) switch
    {
        (_, null) => NoBaseline,
        (null, { } b) => $"baseline {Percent(b)}",
        ({ } r, { } b) => $"baseline {Percent(b)}: {Signed(Math.Round((r - b) * 100, MidpointRounding.AwayFromZero))} points",
    };

    /// <summary>Advisory hours a month against the baseline: "baseline 20 h: −50%"; <see cref="NoBaseline"/> without one.</summary>
    public static string VersusBaseline(AdvisoryMetrics advisory)
    {
        ArgumentNullException.ThrowIfNull(advisory);
        return advisory switch
        {
            { BaselineHoursPerMonth: null } => NoBaseline,
            { Change: { } change, BaselineHoursPerMonth: { } b } => $"baseline {Number(b)} h: {Signed(Math.Round(change * 100, MidpointRounding.AwayFromZero))}%",
            { BaselineHoursPerMonth: { } b } => $"baseline {Number(b)} h",
        };
    }

    /// <summary>An ISO 8601 duration for the machine-readable formats; empty when unknown.</summary>
    public static string Iso(TimeSpan? span) => span is { } s ? IsoDuration.Format(s) : string.Empty;

    private static string Signed(double value) => value > 0 ? "+" + value.ToString("0", Invariant) : value < 0 ? "−" + (-value).ToString("0", Invariant) : "±0";
}
