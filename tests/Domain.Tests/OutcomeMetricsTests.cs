using Cohorts.Domain.Enrolment;
using Cohorts.Domain.Learning;
using Cohorts.Domain.Outcomes;
using Cohorts.Domain.Reviews;

namespace Cohorts.Domain.Tests;

/// <summary>
/// Checkpoint figures of a small cohort, worked out by hand. Start S = 2026-01-05, checkpoints day 30/60/90, window 48 h,
/// tracks Builders, Translators and Consumers (nobody on Consumers). Roster: b1 and b2 (Builders), t1 (Translators),
/// t2 (Translators, suspended: not counted), x1 (in triage: counted for the cohort, on no track).
/// Baseline: 20 advisory hours a month, 120 days to production, first-pass rate 0.4.
/// </summary>
public class OutcomeMetricsTests
{
    private static readonly DateTimeOffset S = new(2026, 1, 5, 0, 0, 0, TimeSpan.Zero);

    private static CohortPlan Plan(Baseline? baseline) => new(
        "c1", "Claims cohort", new UseCase("Claims triage", "Route claims", null, null, []), S, CohortPlan.DefaultCheckpoints,
        ReviewPolicy.Default, ["cio@example.com"], "lead@example.com", [], baseline, [Track.Builders, Track.Translators, Track.Consumers]);

    private static readonly Baseline Before = new(AdvisoryHoursPerMonth: 20, TimeToProduction: TimeSpan.FromDays(120), FirstPassRate: 0.4);

    private static Participant Person(string id, Track? track, ParticipantStatus status = ParticipantStatus.Active) =>
        new("c1", id, new HrRecord(id), track, "r", "r", false, status, S, S, []);

    private static readonly Participant[] Roster =
        [Person("b1", Track.Builders), Person("b2", Track.Builders), Person("t1", Track.Translators), Person("t2", Track.Translators, ParticipantStatus.Suspended), Person("x1", null)];

    private static OutcomeEvent Event(string id, OutcomeType type, string who, double day, bool? first = null, bool? passed = null, int? findings = null, double? hours = null) =>
        new(id, "c1", type, who, S.AddDays(day), S.AddDays(day), type == OutcomeType.ProductionContribution ? new Uri("https://example.com/m/" + id) : null, first, passed, findings, hours);

    private static readonly OutcomeEvent[] Events =
    [
        Event("e1", OutcomeType.ProductionContribution, "b1", 10),
        Event("e2", OutcomeType.ProductionContribution, "b1", 20),
        Event("e3", OutcomeType.ProductionContribution, "t1", 25),
        Event("e4", OutcomeType.ProductionContribution, "b2", 40),                     // after checkpoint 1
        Event("e5", OutcomeType.ModelRiskReview, "b1", 12, first: true, passed: true),
        Event("e6", OutcomeType.ModelRiskReview, "b2", 15, first: true, findings: 2),  // failed: findings, no pass
        Event("e7", OutcomeType.ModelRiskReview, "b1", 16, first: false, passed: true), // a resubmission: not first-pass
        Event("e8", OutcomeType.AdvisorySupport, "t1", 5, hours: 6),
        Event("e9", OutcomeType.AdvisorySupport, "b2", 28, hours: 4),
        Event("e10", OutcomeType.AdvisorySupport, "b1", -1, hours: 100),              // before the start: not counted
    ];

    private static Submission Work(string who, string step, Track track, int attempt, double submittedDay, Verdict? verdict = null, double? decidedDay = null, double? escalatedDay = null)
    {
        DateTimeOffset at = S.AddDays(submittedDay);
        var s = new Submission(Submission.IdFor("c1", who, step, attempt), "c1", who, step, track, new Uri("https://example.com/w"),
            attempt, at, "rev", at.AddHours(24), at.AddHours(48), SubmissionStatus.AwaitingReview);
        if (escalatedDay is { } e)
        {
            s = s.WithEscalation(S.AddDays(e), ["backup", "lead@example.com"]);
        }

        return verdict is { } v ? s.WithDecision(new ReviewDecision(v, "notes", null, "rev", S.AddDays(decidedDay!.Value))) : s;
    }

    private static readonly Submission[] Reviews =
    [
        Work("b1", "builders-4", Track.Builders, 1, 2, Verdict.Accepted, decidedDay: 3),                  // 24 h: within
        Work("b2", "builders-4", Track.Builders, 1, 5, Verdict.Rework, decidedDay: 8, escalatedDay: 7),   // 72 h: breached
        Work("b2", "builders-4", Track.Builders, 2, 9, escalatedDay: 11),                                  // open, overdue from day 11
        Work("t1", "translators-4", Track.Translators, 1, 29, escalatedDay: 31),                           // open, due day 31
    ];

    private static OutcomeReport At(int ordinal, Baseline? baseline = null) =>
        OutcomeMetrics.Compute(Plan(baseline ?? Before), Plan(baseline ?? Before).Schedule()[ordinal - 1], Roster, Reviews, Events);

    [Fact]
    public void Checkpoint1_CohortFigures_MatchTheHandCount()
    {
        ScopeMetrics c = At(1).Cohort;

        Assert.Equal(4, c.Participants);                                      // b1, b2, t1, x1
        Assert.Equal((3, 2), (c.Production.Contributions, c.Production.Contributors));
        Assert.Equal(TimeSpan.FromDays(17.5), c.Production.MedianTimeToProduction); // b1 day 10, t1 day 25
        Assert.Equal(TimeSpan.FromDays(120), c.Production.BaselineTimeToProduction);
        Assert.Equal(new Share(1, 2), c.Quality.FirstPass);
        Assert.Equal(0.4, c.Quality.BaselineFirstPassRate);
        Assert.Equal(new Share(1, 2), c.Quality.FirstAttemptAccepted);        // b1 accepted, b2 rework
        Assert.Equal(10, c.Advisory.Hours);                                   // 6 + 4, not the 100 before the start
        Assert.Equal(10, c.Advisory.HoursPerMonth!.Value, 9);                 // 30 days = one month
        Assert.Equal(-0.5, c.Advisory.Change!.Value, 9);                      // 10 against 20
        Assert.Equal((4, 2), (c.Reviews.Submitted, c.Reviews.Decided));
        Assert.Equal(new Share(1, 3), c.Reviews.WithinWindow);                // 2 decided + 1 overdue; t1's is still in its window
        Assert.Equal(TimeSpan.FromHours(48), c.Reviews.MedianTimeToFeedback); // 24 h and 72 h
        Assert.Equal(2, c.Reviews.Escalations);                               // day 7 and day 11; t1's comes on day 31
        Assert.Equal(1, c.AcceptedDemonstrations);
        Assert.Equal(0.25, c.AcceptedPerParticipant);
        Assert.Equal(new Share(0, 6), c.Completion);                          // days 7 and 21 of b1, b2, t1; the demonstration is due day 60
    }

    [Fact]
    public void Checkpoint1_PerTrack_IncludesTheEmptyTrack_WithUnknownsAsNull()
    {
        OutcomeReport report = At(1);
        Assert.Equal(["builders", "translators", "consumers"], report.Tracks.Select(t => t.Scope));
        ScopeMetrics builders = report.Tracks[0], translators = report.Tracks[1], consumers = report.Tracks[2];

        Assert.Equal((2, 2, 1), (builders.Participants, builders.Production.Contributions, builders.Production.Contributors));
        Assert.Equal(TimeSpan.FromDays(10), builders.Production.MedianTimeToProduction);
        Assert.Equal(new Share(1, 2), builders.Quality.FirstPass);
        Assert.Equal(4, builders.Advisory.Hours);
        Assert.Null(builders.Advisory.BaselineHoursPerMonth);                 // the baseline is the cohort's
        Assert.Null(builders.Advisory.Change);
        Assert.Equal(new Share(1, 3), builders.Reviews.WithinWindow);
        Assert.Equal(0.5, builders.AcceptedPerParticipant);

        Assert.Equal((1, 1, 1), (translators.Participants, translators.Production.Contributions, translators.Production.Contributors));
        Assert.Equal(TimeSpan.FromDays(25), translators.Production.MedianTimeToProduction);
        Assert.Null(translators.Quality.FirstPass.Rate);                      // no first submissions: unknown, not 0
        Assert.Equal(new Share(0, 0), translators.Reviews.WithinWindow);
        Assert.Null(translators.Reviews.MedianTimeToFeedback);
        Assert.Equal(0.0, translators.AcceptedPerParticipant);

        Assert.Equal(0, consumers.Participants);
        Assert.Equal(0, consumers.Production.Contributions);
        Assert.Null(consumers.Production.MedianTimeToProduction);             // no production contributions
        Assert.Null(consumers.Quality.FirstPass.Rate);
        Assert.Null(consumers.AcceptedPerParticipant);                        // nobody to divide by
        Assert.Null(consumers.Completion.Rate);
        Assert.Equal(0, consumers.Advisory.Hours);
    }

    [Fact]
    public void ComparisonPeoplesEvents_AreNotTheCohorts_WhileSomeoneNotOnTheRosterCountsForTheCohortOnly()
    {
        // c9 is comparable staff on Builders: a contribution on day 8 and 50 advisory hours count nowhere in the cohort's
        // figures; zz is on no roster: their contribution on day 14 counts for the cohort, on no track
        Participant c9 = Person("c9", Track.Builders) with { Group = ParticipantGroup.Comparison };
        OutcomeEvent[] events =
        [
            .. Events,
            Event("e11", OutcomeType.ProductionContribution, "c9", 8),
            Event("e12", OutcomeType.AdvisorySupport, "c9", 9, hours: 50),
            Event("e13", OutcomeType.ProductionContribution, "zz", 14),
        ];
        OutcomeReport report = OutcomeMetrics.Compute(Plan(Before), Plan(Before).Schedule()[0], Roster, Reviews, events, comparison: new ComparisonGroup([c9], ComparisonGroup.NotMatched));

        ScopeMetrics cohort = report.Cohort, builders = report.Tracks[0];
        Assert.Equal((4, 3), (cohort.Production.Contributions, cohort.Production.Contributors)); // e1, e2, e3, e13: b1, t1, zz
        Assert.Equal(TimeSpan.FromDays(14), cohort.Production.MedianTimeToProduction);           // days 10, 14, 25
        Assert.Equal(10, cohort.Advisory.Hours);                                                  // 6 + 4, not c9's 50
        Assert.Equal(4, cohort.Participants);                                                     // c9 is not a participant
        Assert.Equal((2, 1), (builders.Production.Contributions, builders.Production.Contributors)); // b1's two, not c9's
        Assert.Equal(TimeSpan.FromDays(10), builders.Production.MedianTimeToProduction);
        Assert.Equal(4, builders.Advisory.Hours);
        Assert.Equal(1, report.Tracks[1].Production.Contributions);                               // t1's; zz is on no track
        Assert.NotNull(report.Comparison);                                                        // c9 is compared, not counted
    }

    [Fact]
    public void FinalCheckpoint_CountsLaterEventsAndOverdueReviews()
    {
        OutcomeReport report = At(3);
        ScopeMetrics c = report.Cohort;

        Assert.True(report.IsFinal);
        Assert.Equal((4, 3), (c.Production.Contributions, c.Production.Contributors));
        Assert.Equal(TimeSpan.FromDays(25), c.Production.MedianTimeToProduction); // days 10, 25, 40
        Assert.Equal(10.0 / 3, c.Advisory.HoursPerMonth!.Value, 9);           // 10 hours over three months
        Assert.Equal(-5.0 / 6, c.Advisory.Change!.Value, 9);
        Assert.Equal(new Share(1, 4), c.Reviews.WithinWindow);                // t1's is overdue now too
        Assert.Equal(3, c.Reviews.Escalations);
        Assert.Equal(new Share(1, 14), c.Completion);                         // 5 builders steps × 2 + 4 translators steps; b1's demonstration done
    }

    [Fact]
    public void WithoutBaseline_ComparisonsAreUnknown_NotZero()
    {
        ScopeMetrics c = OutcomeMetrics.Compute(Plan(null) with { Baseline = null }, Plan(null).Schedule()[0], Roster, Reviews, Events).Cohort;

        Assert.Null(c.Production.BaselineTimeToProduction);
        Assert.Null(c.Quality.BaselineFirstPassRate);
        Assert.Null(c.Advisory.BaselineHoursPerMonth);
        Assert.Null(c.Advisory.Change);
        Assert.Equal(10, c.Advisory.HoursPerMonth!.Value, 9);                 // the figure itself is still there
    }

    [Fact]
    public void CompressedSchedule_ScalesTheMonth_AndReportsSpansAsTheyAre()
    {
        CohortPlan plan = Plan(Before) with { Checkpoints = [TimeSpan.FromSeconds(3), TimeSpan.FromSeconds(6), TimeSpan.FromSeconds(9)] };
        Assert.Equal(TimeSpan.FromSeconds(3), OutcomeMetrics.ProgramMonth(plan)); // 9 s stands for 90 days
        Assert.Equal(TimeSpan.FromDays(30), OutcomeMetrics.ProgramMonth(Plan(Before) with { Checkpoints = [TimeSpan.FromDays(180)] }));

        OutcomeEvent[] events =
        [
            new("p", "c1", OutcomeType.ProductionContribution, "b1", S.AddSeconds(4), S.AddSeconds(4), new Uri("https://example.com/p")),
            new("a", "c1", OutcomeType.AdvisorySupport, "b1", S.AddSeconds(1), S.AddSeconds(1), Hours: 3),
        ];
        ScopeMetrics c = OutcomeMetrics.Compute(plan, plan.Schedule()[1], Roster, [], events).Cohort;

        Assert.Equal(TimeSpan.FromSeconds(4), c.Production.MedianTimeToProduction);
        Assert.Equal(1.5, c.Advisory.HoursPerMonth!.Value, 9);                 // 3 hours over two 3-second months
    }

    [Fact]
    public void Completion_CountsLmsCompletionsOfDueSteps_ButNeverADemonstration()
    {
        StepCompletion[] done =
        [
            new("c1", "b1", "builders-1", S.AddDays(3)),   // due day 7, done by day 30: counts
            new("c1", "b2", "builders-2", S.AddDays(40)),  // done after checkpoint 1: not yet
            new("c1", "t1", "translators-4", S.AddDays(5)), // a demonstration: only a review completes it
        ];

        Share completion = OutcomeMetrics.Compute(Plan(Before), Plan(Before).Schedule()[0], Roster, Reviews, Events, done).Cohort.Completion;

        Assert.Equal(new Share(1, 6), completion);
        Participant t1 = Roster[2];
        Assert.Equal(AssignmentState.Assigned, Assignments.For(Plan(Before), t1, [], done).Single(a => a.StepId == "translators-4").State);
        Assert.Equal(AssignmentState.Completed, Assignments.For(Plan(Before), Roster[0], [], done).Single(a => a.StepId == "builders-1").State);
    }

    [Fact]
    public void Demonstrations_AreDistinctPerPersonAndStep_PerScopeByTheSubmissionsTrack_AndCountTowardsCompletion()
    {
        // by hand, at the final checkpoint (day 90):
        //   b1 builders-4 accepted twice                                     -> cohort 1, builders 1, b1 done 1
        //   b2 builders-4 on Builders, accepted                               -> cohort 1, builders 1, b2 done 1
        //   b2 translators-4 on Translators: rework, then accepted            -> cohort 1, translators 1 (not on b2's path)
        //   b2 builders-4 again on Translators, accepted                      -> cohort 0 (seen), translators 1 (new pair)
        //   t1 translators-4 accepted on day 95, after the checkpoint        -> nothing
        Submission[] work =
        [
            Work("b1", "builders-4", Track.Builders, 1, 2, Verdict.Accepted, decidedDay: 3),
            Work("b2", "builders-4", Track.Builders, 1, 10, Verdict.Accepted, decidedDay: 11),
            Work("b1", "builders-4", Track.Builders, 2, 4, Verdict.Accepted, decidedDay: 5),
            Work("b2", "translators-4", Track.Translators, 1, 20, Verdict.Rework, decidedDay: 21),
            Work("b2", "translators-4", Track.Translators, 2, 22, Verdict.Accepted, decidedDay: 23),
            Work("b2", "builders-4", Track.Translators, 2, 30, Verdict.Accepted, decidedDay: 31),
            Work("t1", "translators-4", Track.Translators, 1, 40, Verdict.Accepted, decidedDay: 95),
        ];
        CohortPlan plan = Plan(Before);

        OutcomeReport report = OutcomeMetrics.Compute(plan, plan.Schedule()[2], Roster, work, Events);

        Assert.Equal(3, report.Cohort.AcceptedDemonstrations);
        Assert.Equal([2, 2, 0], report.Tracks.Select(t => t.AcceptedDemonstrations));
        Assert.Equal(2, report.Cohort.Completion.Count);                      // b1's and b2's builders-4
        Assert.Equal([2, 0, 0], report.Tracks.Select(t => t.Completion.Count));

        // an LMS completion for b1 walks b1 again with it: builders-1 adds one, builders-4 is not counted twice
        StepCompletion[] lms = [new("c1", "b1", "builders-1", S.AddDays(3)), new("c1", "b1", "builders-4", S.AddDays(4))];
        OutcomeReport withLms = OutcomeMetrics.Compute(plan, plan.Schedule()[2], Roster, work, Events, lms);
        Assert.Equal(3, withLms.Cohort.Completion.Count);
        Assert.Equal(report.Cohort.Completion.Of, withLms.Cohort.Completion.Of);
    }

    [Fact]
    public void Median_OfEvenCount_IsTheMeanOfTheMiddleTwo()
    {
        Assert.Null(OutcomeMetrics.Median([]));
        Assert.Equal(TimeSpan.FromHours(2), OutcomeMetrics.Median([TimeSpan.FromHours(3), TimeSpan.FromHours(1), TimeSpan.FromHours(2)]));
        Assert.Equal(TimeSpan.FromHours(1.5), OutcomeMetrics.Median([TimeSpan.FromHours(2), TimeSpan.FromHours(1)]));
    }

    // read by hand: sorted, 1 1 2 4 | 5 5 6 9 → (4 + 5) / 2; 7 7 7 1 7 → 7; 10 down to 1 → (5 + 6) / 2; −3 2 −1 → −1;
    // two values a tick apart → the lower (the half tick rounds toward it)
    [Theory]
    [InlineData(new long[] { 5, 1, 4, 1, 5, 9, 2, 6 }, 4.5)]
    [InlineData(new long[] { 7, 7, 7, 1, 7 }, 7)]
    [InlineData(new long[] { 10, 9, 8, 7, 6, 5, 4, 3, 2, 1 }, 5.5)]
    [InlineData(new long[] { -3, 2, -1 }, -1)]
    [InlineData(new long[] { 3, 3, 3, 3 }, 3)]
    public void Median_OfUnsortedValuesWithRepeats_IsTheMiddle(long[] hours, double expectedHours)
    {
        Assert.Equal(TimeSpan.FromHours(expectedHours), OutcomeMetrics.Median(hours.Select(h => TimeSpan.FromHours(h))));
    }

    [Fact]
    public void Median_OfTwoTimesATickApart_RoundsTowardTheLower()
    {
        Assert.Equal(TimeSpan.FromTicks(10), OutcomeMetrics.Median([TimeSpan.FromTicks(11), TimeSpan.FromTicks(10)]));
    }
}
