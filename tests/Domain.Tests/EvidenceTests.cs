using Cohorts.Domain.Outcomes;

namespace Cohorts.Domain.Tests;

/// <summary>
/// The evidence statistics against figures worked out by hand (the working is in each test): Spearman's ρ from the
/// ranks, its interval from Fisher's z with Bonett and Wright's standard error, quartile bands from definition 7, and
/// the bootstrap interval by what the data allow it to be.
/// </summary>
public sealed class EvidenceTests
{
    [Fact]
    public void Spearman_OfSixPairsWithoutTies_IsOneMinusSixSumD2OverNN2Minus1_WithItsFisherInterval()
    {
        // x ranks 1..6, y ranks 2 1 4 3 6 5: every d is ±1, Σd² = 6, ρ = 1 − 6·6 / (6·35) = 1 − 36/210 = 0.828571
        // z = atanh(0.828571) = ½ ln(1.828571 / 0.171429) = ½ ln 10.6667 = 1.183562
        // se = √((1 + 0.828571²/2) / (6 − 3)) = √(1.343265 / 3) = 0.669145; 1.959964 · se = 1.311500
        // interval: tanh(1.183562 − 1.311500) = tanh(−0.127938) = −0.127245; tanh(2.495062) = 0.986482
        RankCorrelation r = Evidence.Spearman([(1, 2), (2, 1), (3, 4), (4, 3), (5, 6), (6, 5)]);

        Assert.Null(r.Withheld);
        Assert.Equal(6, r.N);
        Assert.Equal(0.828571, r.Rho!.Value, 5);
        Assert.Equal(-0.127245, r.Ci!.Low, 4);
        Assert.Equal(0.986482, r.Ci.High, 4);
    }

    [Fact]
    public void Spearman_WithTiedScores_UsesAverageRanks()
    {
        // x 10 20 20 30 40 → ranks 1 2.5 2.5 4 5; y 1 3 2 5 4 → ranks 1 3 2 5 4; both means 3
        // deviations x: −2 −.5 −.5 1 2, y: −2 0 −1 2 1; Σdxdy = 4 + 0 + .5 + 2 + 2 = 8.5; Σdx² = 9.5; Σdy² = 10
        // ρ = 8.5 / √95 = 0.872082
        RankCorrelation r = Evidence.Spearman([(10, 1), (20, 3), (20, 2), (30, 5), (40, 4)]);

        Assert.Equal(0.872082, r.Rho!.Value, 5);
    }

    [Fact]
    public void Spearman_OfFourPeople_IsWithheldWithTheReason_NotShownAsZero()
    {
        RankCorrelation r = Evidence.Spearman([(1, 1), (2, 2), (3, 3), (4, 4)]);

        Assert.Null(r.Rho);
        Assert.Null(r.Ci);
        Assert.Equal(4, r.N);
        Assert.Contains("fewer than 5", r.Withheld, StringComparison.Ordinal);
    }

    [Fact]
    public void Bands_SplitAtTheInterpolatedQuartiles()
    {
        // eight scores .1 … .8: Q1 at position 7·¼ = 1.75 → .2 + .75·.1 = .275; median at 3.5 → .45; Q3 at 5.25 → .625
        int[] bands = Evidence.Bands([0.8, 0.1, 0.5, 0.3, 0.7, 0.2, 0.6, 0.4]);

        Assert.Equal([4, 1, 3, 2, 4, 1, 3, 2], bands);
    }

    [Fact]
    public void Compare_MediansOfTwoSeparatedGroups_DifferByTheirMedians_AndTheIntervalStaysWhereResamplesCanReach()
    {
        // cohort medians: 30 32 35 38 40 41 45 → 38; comparison 60 62 70 75 80 90 → (70 + 75) / 2 = 72.5; difference −34.5
        // any resampled cohort median lies in [30, 45] and any comparison median in [60, 90]: the interval lies in
        // [30 − 90, 45 − 60] = [−60, −15], so it excludes zero
        double[] cohort = [30, 32, 35, 38, 40, 41, 45];
        double[] comparison = [60, 62, 70, 75, 80, 90];

        GroupDifference d = Evidence.Compare(cohort, comparison, Summary.Median, seed: 42);

        Assert.Null(d.Withheld);
        Assert.Equal(38, d.Cohort);
        Assert.Equal(72.5, d.Comparison);
        Assert.Equal(-34.5, d.Difference);
        Assert.InRange(d.Ci!.Low, -60, -34.5);
        Assert.InRange(d.Ci.High, -34.5, -15);
        Assert.True(d.Ci.ExcludesZero);
        Assert.Equal((7, 6), (d.NCohort, d.NComparison));
    }

    [Fact]
    public void Compare_WithTheSameSeed_IsReproducible_AndOverlappingGroups_IncludeZero()
    {
        // the same people in both groups: the means are equal (3 and 3), and resampling moves each either way
        double[] group = [1, 2, 3, 4, 5];

        GroupDifference first = Evidence.Compare(group, group, Summary.Mean, seed: 7);
        GroupDifference again = Evidence.Compare(group, group, Summary.Mean, seed: 7);

        Assert.Equal(first, again);
        Assert.Equal(0, first.Difference);
        Assert.False(first.Ci!.ExcludesZero);
    }

    [Fact]
    public void Compare_WhenEitherGroupHasFewerThanFive_IsWithheldNamingIt()
    {
        GroupDifference d = Evidence.Compare([1, 2, 3, 4, 5, 6], [1, 2, 3, 4], Summary.Mean, seed: 1);

        Assert.Null(d.Cohort);
        Assert.Null(d.Difference);
        Assert.Null(d.Ci);
        Assert.Equal((6, 4), (d.NCohort, d.NComparison));
        Assert.Equal("fewer than 5 people with a value: the comparison group has 4", d.Withheld);
    }
}

/// <summary>Per-person outcomes and the two blocks, from events and scores laid out by hand.</summary>
public sealed class EvidenceBlocksTests
{
    private static readonly DateTimeOffset Start = new(2026, 1, 1, 0, 0, 0, TimeSpan.Zero);

    [Fact]
    public void PersonOutcomes_CountEachPersonsEvents_BetweenTheStartAndTheCheckpoint()
    {
        OutcomeEvent[] events =
        [
            new("e1", "c", OutcomeType.ProductionContribution, "A", Start.AddDays(20), Start),
            new("e2", "c", OutcomeType.ProductionContribution, "A", Start.AddDays(10), Start), // earlier: the first
            new("e3", "c", OutcomeType.ModelRiskReview, "A", Start.AddDays(5), Start, FirstSubmission: true, Passed: true),
            new("e4", "c", OutcomeType.ModelRiskReview, "A", Start.AddDays(6), Start, FirstSubmission: true, Findings: 2),
            new("e5", "c", OutcomeType.ModelRiskReview, "A", Start.AddDays(7), Start, FirstSubmission: false, Passed: true), // a resubmission
            new("e6", "c", OutcomeType.AdvisorySupport, "A", Start.AddDays(3), Start, Hours: 4),
            new("e7", "c", OutcomeType.AdvisorySupport, "A", Start.AddDays(95), Start, Hours: 100), // after the checkpoint
            new("e8", "c", OutcomeType.ProductionContribution, "Z", Start.AddDays(1), Start), // not listed
        ];

        Dictionary<string, PersonOutcome> people = PersonOutcome.Of(["A", "B"], events, Start, Start.AddDays(90));

        Assert.Equal(new PersonOutcome("A", TimeSpan.FromDays(10), 2, 1, 4, 2), people["A"]);
        Assert.Equal(new PersonOutcome("B", null, 0, 0, 0, 0), people["B"]);
        Assert.Equal(0.5, people["A"].FirstPassRate);
        Assert.Null(people["B"].FirstPassRate);
        Assert.False(people.ContainsKey("Z"));
    }

    [Fact]
    public void Compare_GivesTheFourMetrics_AndWithholdsOnlyTheOneWithTooFewValues()
    {
        // trained: six people reaching production on days 20 30 40 50 60 70 (median 45), each with 3 hours over
        // 3 months (1 an hour per month) and one contribution; comparison: six on days 80 … 130 (median 105), 6 hours
        // (2 per month), one contribution. Only two people of each group had a first model-risk submission.
        PersonOutcome Person(string id, int day, double hours, int firsts) => new(id, TimeSpan.FromDays(day), firsts, firsts, hours, 1);
        PersonOutcome[] trained = [.. new[] { 20, 30, 40, 50, 60, 70 }.Select((d, i) => Person($"T{i}", d, 3, i < 2 ? 1 : 0))];
        PersonOutcome[] comparison = [.. new[] { 80, 90, 100, 110, 120, 130 }.Select((d, i) => Person($"C{i}", d, 6, i < 2 ? 1 : 0))];

        ComparisonBlock block = EvidenceBlocks.Compare(trained, comparison, months: 3, "track, department, hire date", seed: 90);

        Assert.Equal(["timeToFirstProduction", "firstPassRate", "advisoryHoursPerMonth", "contributionsPerPerson"], block.Metrics.Select(m => m.Metric));
        ComparisonMetric time = block.Metrics[0];
        Assert.Equal((45.0, 105.0, -60.0), (time.Cohort!.Value, time.Comparison!.Value, time.Difference!.Value));
        Assert.True(time.Ci!.High < 0, "every resampled trained median (20–70) is below every comparison one (80–130)");
        Assert.Equal((6, 6), (time.NCohort, time.NComparison));
        ComparisonMetric firstPass = block.Metrics[1];
        Assert.Equal((2, 2), (firstPass.NCohort, firstPass.NComparison));
        Assert.NotNull(firstPass.Withheld);
        Assert.Null(firstPass.Difference);
        ComparisonMetric advisory = block.Metrics[2];
        Assert.Equal((1.0, 2.0, -1.0), (advisory.Cohort!.Value, advisory.Comparison!.Value, advisory.Difference!.Value));
        Assert.Equal(0.0, block.Metrics[3].Difference);
    }

    [Fact]
    public void Scores_BandByQuartile_WithholdSmallBands_AndCorrelateScoreWithDaysToProduction()
    {
        // twenty people, scores .05 .10 … 1.00; Q1 at 19·¼ = 4.75 → .25 + .75·.05 = .2875, median .525, Q3 .7625:
        // bands of 5 each (.05–.25, .30–.50, .55–.75, .80–1.00). Days to production fall as scores rise (100 − 4·i),
        // except the top band, where nobody reached production: ρ over the fifteen who did is exactly −1.
        var scored = new List<(double, PersonOutcome)>();
        for (int i = 1; i <= 20; i++)
        {
            TimeSpan? days = i <= 15 ? TimeSpan.FromDays(100 - (4 * i)) : null;
            scored.Add((i * 0.05, new PersonOutcome($"P{i}", days, 1, i % 2, 0, days is null ? 0 : 1)));
        }

        ScoreBlock block = EvidenceBlocks.Scores("urn:cohorts:c:steps:builders-4", scored);

        Assert.Equal([5, 5, 5, 5], block.Bands.Select(b => b.N));
        // band 1: i = 1…5, days 96 92 88 84 80 → median 88; odd i passed: 1 3 5 → 3/5; five contributions
        Assert.Equal(TimeSpan.FromDays(88), block.Bands[0].MedianTimeToFirstProduction);
        Assert.Equal(0.6, block.Bands[0].FirstPassRate);
        Assert.Equal(1.0, block.Bands[0].ContributionsPerPerson);
        // band 4: nobody reached production
        Assert.Null(block.Bands[3].MedianTimeToFirstProduction);
        Assert.Equal(0.0, block.Bands[3].ContributionsPerPerson);
        Assert.Equal(15, block.Spearman.N);
        Assert.Equal(-1.0, block.Spearman.Rho!.Value, 10);
    }

    [Fact]
    public void Scores_OfNinePeople_WithholdEveryBandUnderFive()
    {
        var scored = Enumerable.Range(1, 9).Select(i => (i / 10.0, new PersonOutcome($"P{i}", TimeSpan.FromDays(i), 0, 0, 0, 1))).ToList();

        ScoreBlock block = EvidenceBlocks.Scores("a", scored);

        Assert.All(block.Bands, b => Assert.NotNull(b.Withheld));
        Assert.All(block.Bands, b => Assert.Null(b.ContributionsPerPerson));
        Assert.Equal(9, block.Bands.Sum(b => b.N));
    }
}
