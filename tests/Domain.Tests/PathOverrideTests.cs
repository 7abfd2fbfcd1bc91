using Cohorts.Domain.Enrolment;
using Cohorts.Domain.Learning;

namespace Cohorts.Domain.Tests;

/// <summary>A cohort that sets its own Builders path: three steps written out by hand, on a 9-second schedule.</summary>
public class PathOverrideTests
{
    private static readonly DateTimeOffset Now = new(2026, 11, 24, 9, 0, 0, TimeSpan.Zero);

    private static PathStepDraft Step(string kind, int day, string title = "A step") => new() { Kind = kind, Title = title, Instructions = "Do it on the claims extract.", Day = day };

    private static CohortPlanDraft Draft(Dictionary<string, IReadOnlyList<PathStepDraft?>?> paths) => new()
    {
        Id = "claims-2026",
        Name = "Claims triage cohort",
        UseCase = new UseCaseDraft { Title = "Claims triage", Problem = "Route incoming claims to the right desk" },
        Checkpoints = ["PT3S", "PT6S", "PT9S"],
        Leaders = ["cio@example.com"],
        ProgramLead = "lead@example.com",
        Paths = paths,
    };

    [Fact]
    public void OwnPath_ReplacesTheDefaultForItsTrack_OnlyThere()
    {
        PlanResult result = CohortPlanFactory.Create(
            Draft(new() { ["builders"] = [Step("problemFraming", 0, "Frame the claims problem"), Step("task", 30), Step("capabilityDemonstration", 90, "Ship a reviewed change")] }), Now);

        Assert.Empty(result.Errors);
        CohortPlan plan = result.Plan!;
        IReadOnlyList<LearningStep> builders = LearningPaths.For(plan, Track.Builders);
        Assert.Equal(["builders-1", "builders-2", "builders-3"], builders.Select(s => s.StepId));
        Assert.Equal("Frame the claims problem", builders[0].Title);
        Assert.Equal([Now, Now.AddSeconds(3), Now.AddSeconds(9)], builders.Select(s => LearningPaths.DueAt(plan, s))); // days 0, 30, 90 of a 9-second cohort
        Assert.True(LearningPaths.Find(plan, "builders-3")!.IsDemonstration);
        Assert.Null(LearningPaths.Find(plan, "builders-5"));                       // the default had five steps
        Assert.Equal(LearningPaths.For(Track.Translators, plan.UseCase), LearningPaths.For(plan, Track.Translators));

        var person = new Participant("claims-2026", "B1", new HrRecord("B1"), Track.Builders, "r", "r", false, ParticipantStatus.Active, Now, Now, []);
        Assert.Equal(["builders-1", "builders-2", "builders-3"], Assignments.For(plan, person, []).Select(a => a.StepId));
    }

    [Fact]
    public void BadPaths_AreRefusedFieldByField()
    {
        PlanResult result = CohortPlanFactory.Create(
            Draft(new()
            {
                ["wizards"] = [Step("problemFraming", 0)],
                ["builders"] = [Step("task", 10), Step("capabilityDemonstration", 5)],
                ["translators"] = [Step("problemFraming", 0), Step("reading", 20)],
                ["consumers"] = [Step("problemFraming", 0), Step("task", 95)],
                ["leaders"] = [Step("problemFraming", 0), Step("task", 30)],
            }),
            Now);

        Assert.Null(result.Plan);
        Assert.Equal(
            [
                ("paths.builders[0].kind", "notProblemFirst"),
                ("paths.builders[1].day", "notIncreasing"),
                ("paths.consumers[1].day", "outOfRange"),
                ("paths.leaders", "noDemonstration"),
                ("paths.translators[1].kind", "unknownKind"),
                ("paths.wizards", "unknownTrack"),
            ],
            result.Errors.Select(e => (e.Field, e.Code)).Order());
    }
}
