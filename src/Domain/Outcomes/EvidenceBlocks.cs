namespace Cohorts.Domain.Outcomes;

/// <summary>One person's outcomes up to a checkpoint: the unit both evidence blocks compare.</summary>
/// <param name="ParticipantId">The person (a roster id).</param>
/// <param name="TimeToFirstProduction">From the cohort start to their first production contribution; null without one.</param>
/// <param name="FirstSubmissions">Their work's first submissions to model-risk review.</param>
/// <param name="FirstPassed">Of those, passed.</param>
/// <param name="AdvisoryHours">Advisory support hours reported for their work.</param>
/// <param name="Contributions">Production contributions.</param>
public sealed record PersonOutcome(string ParticipantId, TimeSpan? TimeToFirstProduction, int FirstSubmissions, int FirstPassed, double AdvisoryHours, int Contributions)
{
    /// <summary>Their first-pass rate; null without a first submission.</summary>
    public double? FirstPassRate => FirstSubmissions == 0 ? null : (double)FirstPassed / FirstSubmissions;

    /// <summary>Each person's outcomes from the events between <paramref name="startsAt"/> and <paramref name="asOf"/>; everyone listed gets one, with or without events.</summary>
    public static Dictionary<string, PersonOutcome> Of(IEnumerable<string> participantIds, IEnumerable<OutcomeEvent> events, DateTimeOffset startsAt, DateTimeOffset asOf)
    {
        ArgumentNullException.ThrowIfNull(participantIds);
        ArgumentNullException.ThrowIfNull(events);
        var byPerson = participantIds.Distinct(StringComparer.Ordinal).ToDictionary(id => id, id => new PersonOutcome(id, null, 0, 0, 0, 0), StringComparer.Ordinal);
        foreach (OutcomeEvent e in events.Where(e => e.OccurredAt >= startsAt && e.OccurredAt <= asOf).OrderBy(e => e.OccurredAt))
        {
            if (!byPerson.TryGetValue(e.ParticipantId, out PersonOutcome? p))
            {
                continue;
            }

            byPerson[e.ParticipantId] = e.Type switch
            {
                OutcomeType.ProductionContribution => p with { Contributions = p.Contributions + 1, TimeToFirstProduction = p.TimeToFirstProduction ?? e.OccurredAt - startsAt },
                OutcomeType.ModelRiskReview when e.FirstSubmission == true => p with { FirstSubmissions = p.FirstSubmissions + 1, FirstPassed = p.FirstPassed + (e.PassedReview ? 1 : 0) },
                OutcomeType.AdvisorySupport => p with { AdvisoryHours = p.AdvisoryHours + (e.Hours ?? 0) },
                _ => p,
            };
        }

        return byPerson;
    }
}

/// <summary>One row of the "versus comparable staff" block (JSON names as integrators read them).</summary>
/// <param name="Metric"><c>timeToFirstProduction</c> (in days here; the API writes an ISO duration), <c>firstPassRate</c>, <c>advisoryHoursPerMonth</c> or <c>contributionsPerPerson</c>.</param>
/// <param name="Cohort">The trained group's figure.</param>
/// <param name="Comparison">The comparison group's.</param>
/// <param name="Difference">Cohort − comparison.</param>
/// <param name="Ci">Its 95% bootstrap interval.</param>
/// <param name="NCohort">Trained people with a value.</param>
/// <param name="NComparison">Comparison people with a value.</param>
/// <param name="Withheld">Why the row's figures are not shown; null when shown.</param>
public sealed record ComparisonMetric(string Metric, double? Cohort, double? Comparison, double? Difference, Interval? Ci, int NCohort, int NComparison, string? Withheld);

/// <summary>The "versus comparable staff" block: observational, with what the groups were matched on.</summary>
/// <param name="MatchedOn">What the comparison people were matched on (<c>track, department, hire date</c>), or that they were not matched.</param>
/// <param name="Metrics">The four metrics, in a fixed order.</param>
public sealed record ComparisonBlock(string MatchedOn, IReadOnlyList<ComparisonMetric> Metrics);

/// <summary>One score band of the "do high scorers ship?" block.</summary>
/// <param name="Band">1 (lowest quartile) … 4 (highest).</param>
/// <param name="N">People in the band.</param>
/// <param name="MedianTimeToFirstProduction">Median time to first production of those in the band who reached it.</param>
/// <param name="FirstPassRate">First submissions passed, out of the band's first submissions.</param>
/// <param name="ContributionsPerPerson">Production contributions per person of the band.</param>
/// <param name="Withheld">Why the band's figures are not shown (under five people); null when shown.</param>
public sealed record ScoreBand(int Band, int N, TimeSpan? MedianTimeToFirstProduction, double? FirstPassRate, double? ContributionsPerPerson, string? Withheld);

/// <summary>The "do high scorers ship?" block of one assessment.</summary>
/// <param name="Assessment">The assessment (a step's activity id or an LMS line item).</param>
/// <param name="Bands">Quartile bands 1–4.</param>
/// <param name="Spearman">Score against days to first production, over those who reached it.</param>
public sealed record ScoreBlock(string Assessment, IReadOnlyList<ScoreBand> Bands, RankCorrelation Spearman);

/// <summary>The report's two evidence blocks, computed from per-person outcomes.</summary>
public static class EvidenceBlocks
{
    /// <summary>
    /// The trained group against the comparison group on the four metrics: time to first production (median, over
    /// those who reached it), first-pass rate (mean of each person's rate, over those with a first submission),
    /// advisory hours per program month and contributions per person (means, over everyone). Each metric is resampled
    /// from its own seed (<paramref name="seed"/> + its position), so the figures can be recomputed exactly.
    /// </summary>
    /// <param name="trained">The trained group's people.</param>
    /// <param name="comparison">The comparison group's people.</param>
    /// <param name="months">Program months from the start to the checkpoint (advisory hours are divided by it).</param>
    /// <param name="matchedOn">What the groups were matched on.</param>
    /// <param name="seed">The bootstrap's seed.</param>
    public static ComparisonBlock Compare(IReadOnlyCollection<PersonOutcome> trained, IReadOnlyCollection<PersonOutcome> comparison, double months, string matchedOn, int seed)
    {
        ArgumentNullException.ThrowIfNull(trained);
        ArgumentNullException.ThrowIfNull(comparison);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(months);
        (string Name, Summary Summary, Func<PersonOutcome, double?> Value)[] metrics =
        [
            ("timeToFirstProduction", Summary.Median, p => p.TimeToFirstProduction?.TotalDays),
            ("firstPassRate", Summary.Mean, p => p.FirstPassRate),
            ("advisoryHoursPerMonth", Summary.Mean, p => p.AdvisoryHours / months),
            ("contributionsPerPerson", Summary.Mean, p => p.Contributions),
        ];
        var rows = new List<ComparisonMetric>(metrics.Length);
        for (int i = 0; i < metrics.Length; i++)
        {
            (string name, Summary summary, Func<PersonOutcome, double?> value) = metrics[i];
            double[] a = [.. trained.Select(value).OfType<double>()];
            double[] b = [.. comparison.Select(value).OfType<double>()];
            GroupDifference d = Evidence.Compare(a, b, summary, seed + i);
            rows.Add(new ComparisonMetric(name, d.Cohort, d.Comparison, d.Difference, d.Ci, d.NCohort, d.NComparison, d.Withheld));
        }

        return new ComparisonBlock(matchedOn, rows);
    }

    /// <summary>Outcome by score quartile for one assessment, and Spearman's ρ of score against days to first production.</summary>
    public static ScoreBlock Scores(string assessment, IReadOnlyList<(double Scaled, PersonOutcome Person)> scored)
    {
        ArgumentNullException.ThrowIfNull(scored);
        int[] bands = Evidence.Bands([.. scored.Select(s => s.Scaled)]);
        var result = new List<ScoreBand>(4);
        for (int band = 1; band <= 4; band++)
        {
            List<PersonOutcome> people = [.. scored.Where((_, i) => bands[i] == band).Select(s => s.Person)];
            if (people.Count < Evidence.MinGroup)
            {
                result.Add(new ScoreBand(band, people.Count, null, null, null, $"fewer than {Evidence.MinGroup} people in the band"));
                continue;
            }

            int firsts = people.Sum(p => p.FirstSubmissions);
            result.Add(new ScoreBand(
                band,
                people.Count,
                OutcomeMetrics.Median(people.Select(p => p.TimeToFirstProduction).OfType<TimeSpan>()),
                firsts == 0 ? null : (double)people.Sum(p => p.FirstPassed) / firsts,
                (double)people.Sum(p => p.Contributions) / people.Count,
                null));
        }

        RankCorrelation spearman = Evidence.Spearman([.. scored.Where(s => s.Person.TimeToFirstProduction is not null).Select(s => (s.Scaled, s.Person.TimeToFirstProduction!.Value.TotalDays))]);
        return new ScoreBlock(assessment, result, spearman);
    }
}
