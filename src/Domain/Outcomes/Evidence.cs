namespace Cohorts.Domain.Outcomes;

/// <summary>How a group's figure is summarised: the median (times, skewed) or the mean (rates and counts per person).</summary>
public enum Summary
{
    /// <summary>The middle value (the mean of the two middle values for an even count).</summary>
    Median,

    /// <summary>The arithmetic mean.</summary>
    Mean,
}

/// <summary>A 95% interval.</summary>
/// <param name="Low">Its lower end.</param>
/// <param name="High">Its upper end.</param>
public sealed record Interval(double Low, double High)
{
    /// <summary>Whether zero lies outside the interval (the difference is distinguishable from none).</summary>
    public bool ExcludesZero => Low > 0 || High < 0;
}

/// <summary>One figure of the trained group beside the comparison group's.</summary>
/// <param name="Cohort">The trained group's figure; null when withheld or without values.</param>
/// <param name="Comparison">The comparison group's figure; null when withheld or without values.</param>
/// <param name="Difference">Cohort − comparison; null when withheld.</param>
/// <param name="Ci">The 95% bootstrap interval of the difference; null when withheld.</param>
/// <param name="NCohort">People of the trained group with a value.</param>
/// <param name="NComparison">People of the comparison group with a value.</param>
/// <param name="Withheld">Why the figures are not shown (a group under <see cref="Evidence.MinGroup"/>); null when shown.</param>
public sealed record GroupDifference(double? Cohort, double? Comparison, double? Difference, Interval? Ci, int NCohort, int NComparison, string? Withheld);

/// <summary>Spearman's rank correlation with its 95% interval.</summary>
/// <param name="Rho">The coefficient; null when withheld.</param>
/// <param name="Ci">Its 95% interval; null when withheld.</param>
/// <param name="N">Pairs it was computed on.</param>
/// <param name="Withheld">Why it is not shown; null when shown.</param>
public sealed record RankCorrelation(double? Rho, Interval? Ci, int N, string? Withheld);

/// <summary>
/// The statistics behind the report's two evidence blocks: a trained group against comparable staff (observational:
/// a difference with a percentile bootstrap interval, reproducible from its seed), and score against outcome
/// (quartile bands, Spearman's rho with a Fisher-z interval). Groups under five people are withheld, never shown as 0.
/// </summary>
public static class Evidence
{
    /// <summary>The smallest group shown; smaller ones are withheld with the reason.</summary>
    public const int MinGroup = 5;

    /// <summary>Bootstrap resamples per difference.</summary>
    public const int Resamples = 2000;

    /// <summary>The standard normal distribution's 97.5th percentile (a two-sided 95% interval).</summary>
    private const double Z975 = 1.959963984540054;

    /// <summary>
    /// The difference of <paramref name="summary"/> between the two groups, with a 95% percentile bootstrap interval
    /// (each group resampled with replacement <see cref="Resamples"/> times from a <see cref="Random"/> seeded with
    /// <paramref name="seed"/>, so a stored report can be recomputed exactly).
    /// </summary>
    public static GroupDifference Compare(IReadOnlyList<double> cohort, IReadOnlyList<double> comparison, Summary summary, int seed)
    {
        ArgumentNullException.ThrowIfNull(cohort);
        ArgumentNullException.ThrowIfNull(comparison);
        if (cohort.Count < MinGroup || comparison.Count < MinGroup)
        {
            string which = cohort.Count < MinGroup ? $"the cohort has {cohort.Count}" : $"the comparison group has {comparison.Count}";
            return new GroupDifference(null, null, null, null, cohort.Count, comparison.Count, $"fewer than {MinGroup} people with a value: {which}");
        }

        double a = SummariseInPlace([.. cohort], summary);
        double b = SummariseInPlace([.. comparison], summary);
        var random = new Random(seed);
        double[] left = new double[cohort.Count];
        double[] right = new double[comparison.Count];
        double[] differences = new double[Resamples];
        for (int r = 0; r < Resamples; r++)
        {
            Resample(cohort, left, random);
            Resample(comparison, right, random);
            differences[r] = SummariseInPlace(left, summary) - SummariseInPlace(right, summary);
        }

        Array.Sort(differences);
        var ci = new Interval(Percentile(differences, 0.025), Percentile(differences, 0.975));
        return new GroupDifference(a, b, a - b, ci, cohort.Count, comparison.Count, null);
    }

    /// <summary>
    /// Spearman's rank correlation (average ranks for ties) with a 95% interval from Fisher's z transform and the
    /// standard error √((1 + ρ²/2) / (n − 3)) that Bonett and Wright (2000, Psychometrika 65(1)) give for Spearman's ρ.
    /// </summary>
    public static RankCorrelation Spearman(IReadOnlyList<(double X, double Y)> pairs)
    {
        ArgumentNullException.ThrowIfNull(pairs);
        if (pairs.Count < MinGroup)
        {
            return new RankCorrelation(null, null, pairs.Count, $"fewer than {MinGroup} people with both a score and a value");
        }

        double rho = Pearson(Ranks([.. pairs.Select(p => p.X)]), Ranks([.. pairs.Select(p => p.Y)]));
        if (double.IsNaN(rho))
        {
            return new RankCorrelation(null, null, pairs.Count, "every score or every value is the same");
        }

        if (Math.Abs(rho) >= 1)
        {
            return new RankCorrelation(rho, new Interval(rho, rho), pairs.Count, null);
        }

        double z = Math.Atanh(rho);
        double se = Math.Sqrt((1 + (rho * rho / 2)) / (pairs.Count - 3));
        return new RankCorrelation(rho, new Interval(Math.Tanh(z - (Z975 * se)), Math.Tanh(z + (Z975 * se))), pairs.Count, null);
    }

    /// <summary>
    /// The quartile band (1 lowest … 4 highest) of each score: at or below the first quartile is band 1, at or below the
    /// median band 2, at or below the third quartile band 3, above it band 4. Quartiles interpolate between order
    /// statistics (Hyndman and Fan's definition 7, the default of R and of spreadsheets).
    /// </summary>
    public static int[] Bands(IReadOnlyList<double> scores)
    {
        ArgumentNullException.ThrowIfNull(scores);
        if (scores.Count == 0)
        {
            return [];
        }

        double[] sorted = [.. scores.Order()];
        double q1 = Percentile(sorted, 0.25), q2 = Percentile(sorted, 0.5), q3 = Percentile(sorted, 0.75);
        return [.. scores.Select(s => s <= q1 ? 1 : s <= q2 ? 2 : s <= q3 ? 3 : 4)];
    }

    /// <summary>
    /// The median or mean of <paramref name="values"/> (which must not be empty), in place: a median sorts them. The
    /// median is the 0.5 quantile of definition 7 (the middle value, or the mean of the middle two).
    /// </summary>
    private static double SummariseInPlace(double[] values, Summary summary)
    {
        if (summary == Summary.Mean)
        {
            return values.Average();
        }

        Array.Sort(values);
        return Percentile(values, 0.5);
    }

    /// <summary>The median of <paramref name="values"/> (the mean of the middle two when even); null when there are none.</summary>
    public static double? Median(IEnumerable<double> values)
    {
        double[] sorted = [.. values.Order()];
        return sorted.Length == 0 ? null : Percentile(sorted, 0.5);
    }

    /// <summary>The <paramref name="p"/> quantile of sorted values, interpolating between order statistics (definition 7).</summary>
    private static double Percentile(double[] sorted, double p)
    {
        double h = (sorted.Length - 1) * p;
        int below = (int)Math.Floor(h);
        int above = Math.Min(below + 1, sorted.Length - 1);
        return sorted[below] + ((h - below) * (sorted[above] - sorted[below]));
    }

    /// <summary>The rank of each value (1 = smallest), ties given the average of the ranks they span.</summary>
    private static double[] Ranks(double[] values)
    {
        int[] order = [.. Enumerable.Range(0, values.Length).OrderBy(i => values[i])];
        double[] ranks = new double[values.Length];
        for (int start = 0; start < order.Length;)
        {
            int end = start;
            while (end + 1 < order.Length && values[order[end + 1]] == values[order[start]])
            {
                end++;
            }

            double average = ((start + end) / 2.0) + 1;
            for (int k = start; k <= end; k++)
            {
                ranks[order[k]] = average;
            }

            start = end + 1;
        }

        return ranks;
    }

    /// <summary>Pearson's correlation; NaN when either side does not vary.</summary>
    private static double Pearson(double[] x, double[] y)
    {
        double mx = x.Average(), my = y.Average();
        double xy = 0, xx = 0, yy = 0;
        for (int i = 0; i < x.Length; i++)
        {
            xy += (x[i] - mx) * (y[i] - my);
            xx += (x[i] - mx) * (x[i] - mx);
            yy += (y[i] - my) * (y[i] - my);
        }

        return xx == 0 || yy == 0 ? double.NaN : xy / Math.Sqrt(xx * yy);
    }

    private static void Resample(IReadOnlyList<double> from, double[] into, Random random)
    {
        for (int i = 0; i < into.Length; i++)
        {
            into[i] = from[random.Next(from.Count)];
        }
    }
}
