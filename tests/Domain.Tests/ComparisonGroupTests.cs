using Cohorts.Domain.Enrolment;

namespace Cohorts.Domain.Tests;

/// <summary>
/// The comparison group: matching a candidate pool to the trained group (pairs and balance worked out by hand below),
/// and the roster diff keeping the two groups apart.
/// </summary>
public class ComparisonGroupTests
{
    private static readonly DateOnly AsOf = new(2026, 1, 1);

    private static MatchPerson P(string id, Track? track, string? department, string? hired) =>
        new(id, track, department, hired is null ? null : DateOnly.Parse(hired, System.Globalization.CultureInfo.InvariantCulture));

    [Fact]
    public void Match_PicksTheSameTrack_ThenTheSameDepartment_ThenTheNearestHireDate_EachCandidateOnce()
    {
        MatchPerson[] trained =
        [
            P("T1", Track.Translators, "Claims", "2020-01-01"),
            P("T2", Track.Translators, "Claims", "2015-06-01"),
            P("T3", Track.Builders, "IT", "2018-03-01"),
            P("T4", Track.Consumers, "Sales", null),
            P("T5", null, "Facilities", "2021-01-01"), // in triage: no track to match on
        ];
        MatchPerson[] pool =
        [
            P("C1", Track.Translators, "claims ", "2019-12-01"), // T1: same department (case and spaces aside), 31 days apart
            P("C2", Track.Translators, "Claims", "2015-07-01"),  // T2: same department, 30 days apart
            P("C3", Track.Translators, "Finance", "2020-01-02"), // one day from T1, but another department: never first
            P("C4", Track.Builders, "Finance", "2018-03-05"),    // four days from T3, another department
            P("C5", Track.Builders, "IT", null),                 // T3's department, date unknown: the department wins
            P("C6", Track.Consumers, "Sales", "2010-01-01"),     // T4 has no date: C6 and C7 tie, the lower id wins
            P("C7", Track.Consumers, "Sales", "2011-01-01"),
            P("C8", null, "Claims", "2020-01-01"),               // in triage: never picked
        ];

        ComparisonMatch match = ComparisonMatcher.Match(trained, pool, alreadyTrained: 2, AsOf);

        Assert.Equal(
            [("T1", "C1", true, (int?)31), ("T2", "C2", true, 30), ("T3", "C5", true, null), ("T4", "C6", true, null)],
            match.Pairs.Select(p => (p.Trained, p.Comparison, p.SameDepartment, p.HireDaysApart)));
        Assert.Equal(["T5"], match.Unmatched);
        Assert.Equal((8, 2), (match.Candidates, match.AlreadyTrained));

        // tenure in days to 2026-01-01, by hand: T1 2,192; T2 3,867; T3 2,863; T5 1,826 (T4 unknown);
        // sorted in years 5.00, 6.00, 7.84, 10.59: the median is (6.0014 + 7.8385) / 2 = 6.92
        GroupBalance trainedGroup = match.Balance[0];
        Assert.Equal((ParticipantGroup.Trained, 5, 6.9), (trainedGroup.Group, trainedGroup.N, trainedGroup.MedianTenureYears));
        Assert.Equal(new Dictionary<string, int> { ["builders"] = 1, ["consumers"] = 1, ["translators"] = 2, ["triage"] = 1 }, trainedGroup.ByTrack);
        Assert.Equal(new Dictionary<string, int> { ["Claims"] = 2, ["Facilities"] = 1, ["IT"] = 1, ["Sales"] = 1 }, trainedGroup.ByDepartment);

        // C1 2,223 days, C2 3,837, C6 5,844 (C5 unknown): 6.09, 10.51, 16.00 years; the median is 10.5
        GroupBalance comparison = match.Balance[1];
        Assert.Equal((ParticipantGroup.Comparison, 4, 10.5), (comparison.Group, comparison.N, comparison.MedianTenureYears));
        Assert.Equal(new Dictionary<string, int> { ["builders"] = 1, ["consumers"] = 1, ["translators"] = 2 }, comparison.ByTrack);
        // departments are counted without case: C1's "claims " and C2's "Claims" are one department
        Assert.Equal([("claims", 2), ("IT", 1), ("Sales", 1)], comparison.ByDepartment.Select(d => (d.Key, d.Value)));
    }

    [Fact]
    public void Match_IsTheSameWhateverTheOrderOfThePool()
    {
        MatchPerson[] trained = [P("a", Track.Builders, "IT", "2020-01-01"), P("b", Track.Builders, "IT", "2020-01-01")];
        MatchPerson[] pool = [P("x", Track.Builders, "IT", "2020-01-01"), P("y", Track.Builders, "IT", "2020-01-01"), P("z", Track.Builders, "IT", "2019-01-01")];

        ComparisonMatch forwards = ComparisonMatcher.Match(trained, pool, 0, AsOf);
        ComparisonMatch backwards = ComparisonMatcher.Match([.. trained.Reverse()], [.. pool.Reverse()], 0, AsOf);

        Assert.Equal([("a", "x"), ("b", "y")], forwards.Pairs.Select(p => (p.Trained, p.Comparison)));
        Assert.Equal(forwards.Pairs, backwards.Pairs);
    }

    [Fact]
    public void Diff_OfAComparisonImport_RejectsTrainedPeople_AndLeavesTheTrainedGroupAlone()
    {
        var segmenter = new Segmenter(DefaultSegmentationRules.All);
        var roster = new Dictionary<string, RosterEntry>
        {
            ["t1"] = new("t1", Track.Builders, ParticipantStatus.Active, false, "x"),
            ["t2"] = new("t2", Track.Builders, ParticipantStatus.Active, false, "x"), // not in the comparison file: not a leaver of it
            ["c1"] = new("c1", Track.Builders, ParticipantStatus.Active, false, "x", ParticipantGroup.Comparison),
            ["c2"] = new("c2", Track.Builders, ParticipantStatus.Active, false, "x", ParticipantGroup.Comparison),
        };
        var differ = new RosterDiffer(roster, segmenter, group: ParticipantGroup.Comparison);
        HrRow[] rows =
        [
            new(2, new HrRecord("t1", JobTitle: "Data Scientist"), null), // trained: a person is in one group only
            new(3, new HrRecord("c1", JobTitle: "Data Scientist"), null),
            new(4, new HrRecord("c3", JobTitle: "Data Scientist"), null),
        ];

        List<RosterChange> changes = rows.Select(differ.Accept).OfType<RosterChange>().ToList();
        changes.AddRange(differ.Leavers());
        DiffSummary summary = differ.Summary();

        Assert.Equal([(ChangeKind.Update, "c1"), (ChangeKind.Join, "c3"), (ChangeKind.Leave, "c2")], changes.Select(c => (c.Kind, c.EmployeeId)));
        Assert.All(changes, c => Assert.Equal(ParticipantGroup.Comparison, c.Group));
        RejectedRow rejected = Assert.Single(summary.Rejected);
        Assert.Equal((2, "employeeId"), (rejected.Row, rejected.Field));
        Assert.Contains("trained group", rejected.Reason, StringComparison.Ordinal);
        Assert.Equal(2, summary.ActiveBefore); // the comparison group's own people

        // and the other way round: a trained import names the comparison person and does not suspend them
        var trainedDiffer = new RosterDiffer(roster, segmenter);
        Assert.Null(trainedDiffer.Accept(new HrRow(2, new HrRecord("c1", JobTitle: "Data Scientist"), null)));
        Assert.Equal(ChangeKind.Update, trainedDiffer.Accept(new HrRow(3, new HrRecord("t1", JobTitle: "Data Scientist"), null))?.Kind);
        Assert.Equal(["t2"], trainedDiffer.Leavers().Select(c => c.EmployeeId));
        Assert.Contains("comparison group", Assert.Single(trainedDiffer.Summary().Rejected).Reason, StringComparison.Ordinal);
    }
}
