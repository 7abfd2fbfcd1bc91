using Cohorts.Domain.Enrolment;

namespace Cohorts.Domain.Tests;

/// <summary>
/// How a placement is decided and explained: folding, occupation codes, the order of explicit track, a cohort's own
/// rules, code and default rules, and the import's triage grouped by title. Expected values are read from the titles
/// and from the ISCO-08 and SOC 2018 group names, by hand.
/// </summary>
public class SegmentationTests
{
    [Theory]
    [InlineData("Senior Data Scientist", "data scientist")]
    [InlineData("Compliance-Beauftragter", "compliance beauftragter")]
    [InlineData("Geschäftsführerin", "geschaftsfuhrerin")]
    [InlineData("Científico de Datos Sénior", "cientifico de datos")]
    [InlineData("Lead Data Scientist", "data scientist")]
    [InlineData("Claims Team Lead", "claims team lead")]
    [InlineData("ML Engineer II", "ml engineer")]
    [InlineData("Sr. Accountant", "accountant")]
    [InlineData("Manager", "manager")]
    [InlineData("Délégué à la protection des données", "delegue a la protection des donnees")]
    [InlineData("  ", "")]
    public void Fold_DropsCaseAccentsPunctuationAndSeniority(string title, string folded) => Assert.Equal(folded, TitleFolding.Fold(title));

    [Theory]
    [InlineData("2512", "ISCO-08", "2512", Track.Builders)]        // Software developers
    [InlineData("2611", "ISCO-08", "2611", Track.Governors)]       // Lawyers
    [InlineData("3321", "ISCO-08", "3321", Track.Consumers)]       // Insurance representatives
    [InlineData("1120", "ISCO-08", "11", Track.Leaders)]           // Managing directors and chief executives
    [InlineData("4222", "ISCO-08", "4", Track.Consumers)]          // Contact centre information clerks
    [InlineData("15-2051", "SOC 2018", "15-2051", Track.Builders)] // Data Scientists
    [InlineData("15-2051.00", "SOC 2018", "15-2051", Track.Builders)] // the O*NET-SOC form
    [InlineData("152051", "SOC 2018", "15-2051", Track.Builders)]  // written without its hyphen
    [InlineData("13-1031", "SOC 2018", "13-1031", Track.Consumers)] // Claims Adjusters, Examiners, and Investigators
    [InlineData("23-1011", "SOC 2018", "23-1", Track.Governors)]   // Lawyers
    public void OccupationCode_FindsTheLongestGroup(string code, string scheme, string prefix, Track track)
    {
        OccupationGroup? group = OccupationCodes.Find(code);

        Assert.NotNull(group);
        Assert.Equal((scheme, prefix, (Track?)track), (group.Scheme, group.Prefix, group.Track));
    }

    [Theory]
    [InlineData("9112")]     // ISCO-08 Cleaners and helpers in offices, hotels and other establishments
    [InlineData("5120")]     // ISCO-08 Cooks
    [InlineData("8322")]     // ISCO-08 Car, taxi and van drivers
    [InlineData("33-9032")]  // SOC 2018 Security Guards
    [InlineData("53-3032")]  // SOC 2018 Heavy and Tractor-Trailer Truck Drivers
    public void OccupationCode_OfARoleWithNoPartInAnAIUseCase_IsTriage(string code)
    {
        OccupationGroup? group = OccupationCodes.Find(code);

        Assert.NotNull(group);
        Assert.Null(group.Track);
    }

    [Theory]
    [InlineData("7212")]     // ISCO-08 Welders: not in the table, the title decides
    [InlineData("99-9999")]
    [InlineData("A12")]
    [InlineData("")]
    [InlineData(null)]
    public void OccupationCode_NotInTheTable_IsNoGroup(string? code) => Assert.Null(OccupationCodes.Find(code));

    [Fact]
    public void Code_OutranksTheTitle_AndIsNamedAsTheReason()
    {
        var segmenter = new Segmenter(DefaultSegmentationRules.All);

        TrackAssignment assignment = segmenter.Assign(new HrRecord("1", JobTitle: "Data Scientist", OccupationCode: "2611"));

        Assert.Equal(Track.Governors, assignment.Track);
        Assert.Equal("occupation-code:ISCO-08:2611", assignment.Rule);
        Assert.Contains("occupation code 2611", assignment.Reason, StringComparison.Ordinal);
        Assert.Contains("Lawyers", assignment.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public void ExplicitTrack_OutranksAWrongCode()
    {
        var segmenter = new Segmenter(DefaultSegmentationRules.All);

        TrackAssignment assignment = segmenter.Assign(new HrRecord("1", JobTitle: "Data Scientist", OccupationCode: "2611", ExplicitTrack: "builders"));

        Assert.Equal((Track?)Track.Builders, assignment.Track);
        Assert.Equal(Segmenter.ExplicitRule, assignment.Rule);
    }

    [Fact]
    public void CohortRule_OutranksTheCode_AndTheDefaultRules()
    {
        SegmentationRule own = new("drivers-route-planning", HrField.JobTitle, @"\bdriver\b", Track.Consumers, "drivers use the route model's plans");
        var segmenter = new Segmenter(DefaultSegmentationRules.All, ownRules: [own]);

        TrackAssignment byOwn = segmenter.Assign(new HrRecord("1", JobTitle: "Delivery Driver", OccupationCode: "8322"));
        TrackAssignment byCode = segmenter.Assign(new HrRecord("2", JobTitle: "Courier", OccupationCode: "8322"));

        Assert.Equal((Track.Consumers, "drivers-route-planning"), (byOwn.Track!.Value, byOwn.Rule));
        Assert.Contains("'Driver' in the job title", byOwn.Reason, StringComparison.Ordinal);
        Assert.Equal((null, "occupation-code:ISCO-08:83"), (byCode.Track, byCode.Rule));
    }

    [Fact]
    public void Code_OfATrackTheCohortDoesNotRun_IsTriage_NamingTheCode()
    {
        var segmenter = new Segmenter(DefaultSegmentationRules.All, [Track.Consumers]);

        TrackAssignment assignment = segmenter.Assign(new HrRecord("1", JobTitle: "Claims Handler", OccupationCode: "15-2051"));

        Assert.True(assignment.IsTriage);
        Assert.Contains("15-2051", assignment.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public void CodeNotInTheTable_LeavesTheTitleToDecide()
    {
        var segmenter = new Segmenter(DefaultSegmentationRules.All);

        Assert.Equal(Track.Builders, segmenter.Assign(new HrRecord("1", JobTitle: "Data Scientist", OccupationCode: "7212")).Track);
    }

    [Theory]
    [InlineData("Datenwissenschaftlerin", "Analytics", Track.Builders, "datenwissenschaftlerin")]
    [InlineData("Schadensachbearbeiter", "Schaden", Track.Consumers, "schadensachbearbeiter")]
    [InlineData("Juriste", "Juridique", Track.Governors, "juriste")]
    public void Placement_NamesTheWordsThatDecidedIt(string title, string department, Track track, string words)
    {
        TrackAssignment assignment = new Segmenter(DefaultSegmentationRules.All).Assign(new HrRecord("1", JobTitle: title, Department: department));

        Assert.Equal((Track?)track, assignment.Track);
        Assert.Contains($"'{words}' in the job title", assignment.Reason, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("Claims", Track.Consumers, "department-operational")]    // a loss assessor in claims handles claims
    [InlineData("Siniestros", Track.Consumers, "department-operational")]
    [InlineData("Facilities", null, "department-no-ai-role")]
    [InlineData("Marketing", null, Segmenter.TriageRule)]                // a person would hesitate
    public void TitleWithoutAKeyword_IsPlacedByItsDepartment(string department, Track? track, string rule)
    {
        TrackAssignment assignment = new Segmenter(DefaultSegmentationRules.All).Assign(new HrRecord("1", JobTitle: "Loss Assessor", Department: department));

        Assert.Equal((track, rule), (assignment.Track, assignment.Rule));
    }

    [Fact]
    public void BareManager_InAnOperationalDepartment_StaysInTriage()
    {
        TrackAssignment assignment = new Segmenter(DefaultSegmentationRules.All).Assign(new HrRecord("1", JobTitle: "Manager", Department: "Sales"));

        Assert.Equal((null, "title-bare-manager"), (assignment.Track, assignment.Rule));
    }

    [Fact]
    public void CohortRules_EachProblemIsNamedByItsField()
    {
        var errors = new List<PlanError>();
        SegmentationRuleDraft[] drafts =
        [
            new() { Id = "ok", Attribute = "department", Pattern = "^Claims$", Track = "consumers" },
            new() { Id = "ok", Attribute = "title", Pattern = "(a+)+\\1", Track = "governors" },  // taken id, no such attribute, a backreference, a track not run
            new() { Id = "title-executive", Attribute = "jobTitle", Pattern = "[", Track = "wizards", Reason = new string('r', 301) },
            new() { Id = "", Attribute = "jobTitle", Pattern = new string('a', 501), Track = "triage" },
        ];

        IReadOnlyList<SegmentationRule>? rules = CohortSegmentation.Read(drafts, [Track.Consumers, Track.Builders], errors);

        Assert.Equal(["ok"], rules!.Select(r => r.Id));
        Assert.Equal(
            [
                ("segmentation[1].id", "duplicateId"), ("segmentation[1].attribute", "unknownAttribute"), ("segmentation[1].pattern", "invalidPattern"), ("segmentation[1].track", "trackNotInUse"),
                ("segmentation[2].id", "reservedId"), ("segmentation[2].pattern", "invalidPattern"), ("segmentation[2].track", "unknownTrack"), ("segmentation[2].reason", "tooLong"),
                ("segmentation[3].id", "required"), ("segmentation[3].pattern", "tooLong"),
            ],
            errors.Select(e => (e.Field, e.Code)));
    }

    [Fact]
    public void CohortRules_MoreThanTheLimit_AreRefusedAsAWhole()
    {
        var errors = new List<PlanError>();
        var drafts = Enumerable.Range(0, CohortSegmentation.MaxRules + 1).Select(i => (SegmentationRuleDraft?)new SegmentationRuleDraft { Id = $"r{i}", Attribute = "jobTitle", Pattern = "x", Track = "triage" }).ToList();

        Assert.Null(CohortSegmentation.Read(drafts, [Track.Consumers], errors));
        Assert.Equal(("segmentation", "tooMany"), (errors.Single().Field, errors.Single().Code));
    }

    [Fact]
    public void CohortRule_ANestedQuantifier_RunsInLinearTime()
    {
        // (a+)+$ takes exponential time on a backtracking engine over "aaaa…b"; the cohort's rules run on the linear one
        var errors = new List<PlanError>();
        SegmentationRule rule = CohortSegmentation.Read([new SegmentationRuleDraft { Id = "nested", Attribute = "jobTitle", Pattern = "^(a+)+$", Track = "consumers" }], [Track.Consumers], errors)!.Single();

        Assert.Empty(errors);
        Assert.Null(rule.Find(new string('a', 200) + "b")); // returns rather than hitting the two-second timeout
    }

    [Fact]
    public void Diff_GroupsTriageByTitle_WithCounts_AndTakesADuplicateBackOut()
    {
        string[] titles = ["Wellbeing Champion", "Wellbeing Champion", "Wellbeing Champion", "Facilities Coordinator", "Facilities Coordinator", "Manager", "Data Scientist"];
        var differ = new RosterDiffer(new Dictionary<string, RosterEntry>(), new Segmenter(DefaultSegmentationRules.All));
        for (int i = 0; i < titles.Length; i++)
        {
            differ.Accept(new HrRow(i + 2, new HrRecord($"p{i}", JobTitle: titles[i]), null));
        }

        differ.Accept(new HrRow(9, new HrRecord("p0", JobTitle: "Wellbeing Champion"), null)); // p0 twice: neither row applies

        DiffSummary summary = differ.Summary();
        Assert.Equal(5, summary.Triage);
        Assert.Equal(
            [("Facilities Coordinator", 2, "title-no-ai-role"), ("Wellbeing Champion", 2, Segmenter.TriageRule), ("Manager", 1, "title-bare-manager")],
            summary.TriageByTitle!.Select(t => (t.Title, t.Count, t.Rule)));
    }
}
