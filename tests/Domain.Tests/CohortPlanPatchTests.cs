using System.Text.Json;
using System.Text.Json.Nodes;

namespace Cohorts.Domain.Tests;

/// <summary>JSON merge patches of a plan (RFC 7396): what changes, what is refused, and the fields named.</summary>
public class CohortPlanPatchTests
{
    private static readonly DateTimeOffset Now = new(2026, 11, 24, 9, 0, 0, TimeSpan.Zero);

    private static CohortPlan Current() => CohortPlanFactory.Create(new CohortPlanDraft
    {
        Id = "claims-2026",
        Name = "Claims triage cohort",
        UseCase = new UseCaseDraft { Title = "Claims triage", Problem = "Route incoming claims", DataExtract = "claims-extract" },
        StartsAt = Now,
        Checkpoints = ["P30D", "P60D", "P90D"],
        Leaders = ["cio@example.com"],
        ProgramLead = "lead@example.com",
        Reviewers = [new ReviewerDraft { Id = "rev-a", Email = "a@example.com", Tracks = ["builders"] }],
        Baseline = new BaselineDraft { AdvisoryHoursPerMonth = 120 },
    }, Now).Plan!;

    private static PlanPatchResult Apply(string patch) => CohortPlanPatch.Apply(Current(), JsonNode.Parse(patch)!.AsObject(), Now);

    [Fact]
    public void NestedMembersMerge_NullRemoves_ArraysReplace()
    {
        PlanPatchResult result = Apply("""{"useCase":{"title":"Claims routing","dataExtract":null},"leaders":["ceo@example.com","cio@example.com"],"baseline":null}""");

        CohortPlan plan = Assert.IsType<CohortPlan>(result.Plan);
        Assert.Equal(("Claims routing", "Route incoming claims", null), (plan.UseCase.Title, plan.UseCase.Problem, plan.UseCase.DataExtract));
        Assert.Equal(["ceo@example.com", "cio@example.com"], plan.Leaders);
        Assert.Null(plan.Baseline);
        Assert.Equal(["useCase", "leaders", "baseline"], result.Changed);
        Assert.Null(result.ImmutableField);
    }

    [Fact]
    public void SegmentationRules_ChangeFreely_AndRoundTrip()
    {
        PlanPatchResult added = Apply("""{"segmentation":[{"id":"champions","attribute":"jobTitle","pattern":"wellbeing champion","track":"consumers"},{"id":"drivers","attribute":"occupationCode","pattern":"^83","track":"triage","reason":"no part in the use case"}]}""");

        CohortPlan plan = Assert.IsType<CohortPlan>(added.Plan);
        Assert.Equal(["segmentation"], added.Changed);
        Assert.Null(added.ImmutableField);
        Assert.Equal(
            [("champions", Enrolment.HrField.JobTitle, (Track?)Track.Consumers, "the cohort's rule champions"), ("drivers", Enrolment.HrField.OccupationCode, null, "no part in the use case")],
            plan.Segmentation!.Select(r => (r.Id, r.Attribute, r.Track, r.Reason)));
        PlanPatchResult again = CohortPlanPatch.Apply(plan, JsonNode.Parse("""{"name":"Claims triage cohort"}""")!.AsObject(), Now);
        Assert.Empty(again.Changed); // written out and read back, the rules are the same rules
    }

    [Fact]
    public void Community_IsFixedOnceTheCohortExists()
    {
        Assert.Equal("community", Apply("""{"community":{"kind":"teams"}}""").ImmutableField);
    }

    [Fact]
    public void TheSameValueWrittenAnotherWay_ChangesNothing()
    {
        // the same instant in another offset, the same durations spelled as hours
        PlanPatchResult result = Apply("""{"startsAt":"2026-11-24T10:00:00+01:00","reviewPolicy":{"window":"PT48H"},"name":"Claims triage cohort"}""");

        Assert.Empty(result.Changed);
        Assert.Null(result.ImmutableField);
    }

    [Theory]
    [InlineData("""{"checkpoints":["P10D"]}""", "checkpoints")]
    [InlineData("""{"startsAt":"2026-12-01T00:00:00Z"}""", "startsAt")]
    [InlineData("""{"tracks":["builders"]}""", "tracks")]
    [InlineData("""{"name":"Renamed","id":"claims-2027"}""", "id")]
    public void TheScheduleAndThePaths_AreNamedAsImmutable(string patch, string field)
    {
        Assert.Equal(field, Apply(patch).ImmutableField);
    }

    [Fact]
    public void APatchThatMakesThePlanInvalid_NamesEachField()
    {
        PlanPatchResult result = Apply("""{"leaders":["not an address"],"programLead":null}""");

        Assert.Null(result.Plan);
        Assert.Equal(["leaders[0]", "programLead"], result.Errors.Select(e => e.Field).Order());
    }

    [Fact]
    public void AnUnknownMemberOrAWrongType_IsAJsonErrorWithItsPath()
    {
        Assert.Equal("$.nmae", Assert.Throws<JsonException>(() => Apply("""{"nmae":"typo"}""")).Path);
        Assert.Equal("$.leaders", Assert.Throws<JsonException>(() => Apply("""{"leaders":"cio@example.com"}""")).Path);
    }
}
