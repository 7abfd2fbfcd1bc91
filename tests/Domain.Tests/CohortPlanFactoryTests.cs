
namespace Cohorts.Domain.Tests;

public class CohortPlanFactoryTests
{
    private static readonly DateTimeOffset Now = new(2026, 11, 24, 9, 0, 0, TimeSpan.Zero);

    private static CohortPlanDraft Minimal() => new()
    {
        Id = "claims-2026",
        Name = "Claims triage cohort",
        UseCase = new UseCaseDraft { Title = "Claims triage", Problem = "Route incoming claims to the right desk" },
        Leaders = ["cio@example.com"],
        ProgramLead = "lead@example.com",
    };

    [Fact]
    public void Create_MinimalPlan_FillsTheDesignDefaults()
    {
        PlanResult result = CohortPlanFactory.Create(Minimal(), Now);

        Assert.Empty(result.Errors);
        CohortPlan plan = Assert.IsType<CohortPlan>(result.Plan);
        Assert.Equal(Now, plan.StartsAt);
        Assert.Equal([TimeSpan.FromDays(30), TimeSpan.FromDays(60), TimeSpan.FromDays(90)], plan.Checkpoints);
        Assert.Equal(TimeSpan.FromHours(48), plan.ReviewPolicy.Window);
        Assert.Equal(TimeSpan.FromHours(24), plan.ReviewPolicy.Reminder);
        Assert.Equal(6, plan.Tracks.Count);
        Assert.Null(plan.Baseline);
    }

    [Fact]
    public void Create_CompressedCheckpoints_ScheduleFromTheStart()
    {
        PlanResult result = CohortPlanFactory.Create(Minimal() with { Checkpoints = ["PT5S", "PT10S", "PT15S"] }, Now);

        IReadOnlyList<CheckpointDue> schedule = result.Plan!.Schedule();
        Assert.Equal([1, 2, 3], schedule.Select(c => c.Ordinal));
        Assert.Equal([Now.AddSeconds(5), Now.AddSeconds(10), Now.AddSeconds(15)], schedule.Select(c => c.DueAt));
    }

    [Fact]
    public void Create_ShortWindowWithoutReminder_RemindsHalfway()
    {
        PlanResult result = CohortPlanFactory.Create(Minimal() with { ReviewPolicy = new ReviewPolicyDraft { Window = "PT10S" } }, Now);

        Assert.Equal(TimeSpan.FromSeconds(5), result.Plan!.ReviewPolicy.Reminder);
    }

    // Each case breaks one field; the expected field and code are what a client would need to fix it.
    public static TheoryData<string, CohortPlanDraft, string, string> Broken => new()
    {
        { "no id", Minimal() with { Id = null }, "id", "required" },
        { "id with a slash", Minimal() with { Id = "a/b" }, "id", "invalidId" },
        { "no name", Minimal() with { Name = "  " }, "name", "required" },
        { "no use case", Minimal() with { UseCase = null }, "useCase", "required" },
        { "no problem", Minimal() with { UseCase = new UseCaseDraft { Title = "t" } }, "useCase.problem", "required" },
        { "bad sandbox", Minimal() with { UseCase = new UseCaseDraft { Title = "t", Problem = "p", SandboxUrl = "ftp://x" } }, "useCase.sandboxUrl", "invalidUrl" },
        { "month checkpoint", Minimal() with { Checkpoints = ["P30D", "P3M"] }, "checkpoints[1]", "invalidDuration" },
        { "decreasing", Minimal() with { Checkpoints = ["PT10S", "PT5S"] }, "checkpoints[1]", "notIncreasing" },
        { "zero offset", Minimal() with { Checkpoints = ["PT0S"] }, "checkpoints[0]", "outOfRange" },
        { "no checkpoints", Minimal() with { Checkpoints = [] }, "checkpoints", "invalidCount" },
        { "reminder after window", Minimal() with { ReviewPolicy = new ReviewPolicyDraft { Window = "PT1H", Reminder = "PT2H" } }, "reviewPolicy.reminder", "outOfRange" },
        { "bad window", Minimal() with { ReviewPolicy = new ReviewPolicyDraft { Window = "two days" } }, "reviewPolicy.window", "invalidDuration" },
        { "no leaders", Minimal() with { Leaders = [] }, "leaders", "required" },
        { "bad leader", Minimal() with { Leaders = ["cio@example.com", "not-an-email"] }, "leaders[1]", "invalidEmail" },
        { "display-name leader", Minimal() with { Leaders = ["CIO <cio@example.com>"] }, "leaders[0]", "invalidEmail" },
        { "no program lead", Minimal() with { ProgramLead = null }, "programLead", "required" },
        { "unknown track", Minimal() with { Tracks = ["builders", "wizards"] }, "tracks[1]", "unknownTrack" },
        { "numeric track", Minimal() with { Tracks = ["2"] }, "tracks[0]", "unknownTrack" },
        { "twice a track", Minimal() with { Tracks = ["builders", "Builders"] }, "tracks[1]", "duplicate" },
        { "reviewer without email", Minimal() with { Reviewers = [new ReviewerDraft { Id = "r1" }] }, "reviewers[0].email", "required" },
        { "reviewer twice", Minimal() with { Reviewers = [new ReviewerDraft { Id = "r1", Email = "a@example.com" }, new ReviewerDraft { Id = "r1", Email = "b@example.com" }] }, "reviewers[1].id", "duplicate" },
        { "first-pass rate over 1", Minimal() with { Baseline = new BaselineDraft { FirstPassRate = 1.5 } }, "baseline.firstPassRate", "outOfRange" },
        { "negative advisory hours", Minimal() with { Baseline = new BaselineDraft { AdvisoryHoursPerMonth = -1 } }, "baseline.advisoryHoursPerMonth", "outOfRange" },
    };

    [Theory]
    [MemberData(nameof(Broken))]
    public void Create_BrokenField_IsNamedWithItsCode(string why, CohortPlanDraft draft, string field, string code)
    {
        PlanResult result = CohortPlanFactory.Create(draft, Now);

        Assert.Null(result.Plan);
        Assert.True(result.Errors.Any(e => e.Field == field && e.Code == code), $"{why}: expected {field}/{code}, got {string.Join("; ", result.Errors)}");
    }

    [Fact]
    public void Create_SeveralBrokenFields_ReportsEveryOne()
    {
        PlanResult result = CohortPlanFactory.Create(new CohortPlanDraft { Checkpoints = ["P1Y"] }, Now);

        Assert.Equal(
            ["id", "name", "useCase", "checkpoints[0]", "leaders", "programLead"],
            result.Errors.Select(e => e.Field));
    }

    [Theory]
    [InlineData("9999-12-31T00:00:00Z")]   // its checkpoints are past the last date there is
    [InlineData("0001-01-01T00:00:00Z")]
    [InlineData("2035-01-01T00:00:00Z")]   // eight years ahead
    public void Create_AStartNoClockCanReach_IsOutOfRange(string startsAt)
    {
        CohortPlanDraft draft = Minimal() with { StartsAt = DateTimeOffset.Parse(startsAt, System.Globalization.CultureInfo.InvariantCulture) };

        PlanResult result = CohortPlanFactory.Create(draft, Now);

        Assert.Null(result.Plan);
        Assert.Equal(("startsAt", "outOfRange"), (Assert.Single(result.Errors).Field, result.Errors[0].Code));
    }

    [Theory]
    [InlineData(double.PositiveInfinity, null)] // 1e309 in JSON
    [InlineData(double.NegativeInfinity, null)]
    [InlineData(100_001d, null)]
    [InlineData(null, double.PositiveInfinity)]
    [InlineData(null, double.NaN)]
    public void Create_ABaselineFigureOutOfRange_IsNamed(double? hours, double? rate)
    {
        CohortPlanDraft draft = Minimal() with { Baseline = new BaselineDraft { AdvisoryHoursPerMonth = hours, FirstPassRate = rate } };

        PlanResult result = CohortPlanFactory.Create(draft, Now);

        Assert.Null(result.Plan);
        Assert.Equal(hours is null ? "baseline.firstPassRate" : "baseline.advisoryHoursPerMonth", Assert.Single(result.Errors).Field);
    }
}
