using Cohorts.Domain.Learning;
using Cohorts.Domain.Reviews;

namespace Cohorts.Domain.Tests;

/// <summary>Who reviews, who an escalation reaches, what a decision does, and when path steps fall due.</summary>
public class ReviewRulesTests
{
    private static readonly DateTimeOffset Start = new(2026, 12, 1, 9, 0, 0, TimeSpan.Zero);

    private static CohortPlan Plan(IReadOnlyList<Reviewer> reviewers, params TimeSpan[] checkpoints) => new(
        "c1", "Cohort", new UseCase("Claims triage", "Route claims", null, null, []), Start,
        checkpoints.Length == 0 ? CohortPlan.DefaultCheckpoints : checkpoints, ReviewPolicy.Default,
        ["cio@example.com"], "lead@example.com", reviewers, null, Enum.GetValues<Track>());

    private static readonly Reviewer Ana = new("ana", "ana@example.com", [Track.Builders], false);
    private static readonly Reviewer Bo = new("bo", "bo@example.com", [Track.Builders, Track.Governors], false);
    private static readonly Reviewer Any = new("any", "any@example.com", [], false);
    private static readonly Reviewer Backup = new("backup", "backup@example.com", [Track.Builders], true);
    private static readonly Reviewer OverallBackup = new("overall", "overall@example.com", [], true);

    [Fact]
    public void Choose_TakesTheLeastLoadedReviewerOfTheTrack_TiesById_NeverTheBackupWhileOthersCan()
    {
        CohortPlan plan = Plan([Bo, Ana, Backup, Any]);

        Assert.Equal("ana", ReviewerPool.Choose(plan, Track.Builders, new Dictionary<string, int>())!.Id); // all at 0: the first by id
        Assert.Equal("any", ReviewerPool.Choose(plan, Track.Builders, new Dictionary<string, int> { ["ana"] = 1 })!.Id);
        Assert.Equal("bo", ReviewerPool.Choose(plan, Track.Builders, new Dictionary<string, int> { ["ana"] = 2, ["any"] = 2, ["bo"] = 1 })!.Id);
        Assert.Equal("any", ReviewerPool.Choose(plan, Track.Leaders, new Dictionary<string, int> { ["any"] = 9 })!.Id);          // only "any" reviews every track
    }

    [Fact]
    public void Choose_FallsBackToTheBackup_ThenToNobody()
    {
        Assert.Equal("backup", ReviewerPool.Choose(Plan([Backup]), Track.Builders, new Dictionary<string, int>())!.Id);
        Assert.Null(ReviewerPool.Choose(Plan([Ana]), Track.Leaders, new Dictionary<string, int>()));
    }

    [Fact]
    public void EscalationChain_IsTheTracksBackup_ElseTheOverallOne_ThenTheProgramLead()
    {
        Assert.Equal(["backup", "lead@example.com"], ReviewerPool.EscalationChain(Plan([Ana, Backup, OverallBackup]), Track.Builders, "ana"));
        Assert.Equal(["overall", "lead@example.com"], ReviewerPool.EscalationChain(Plan([Ana, Backup, OverallBackup]), Track.Governors, "bo"));
        Assert.Equal(["lead@example.com"], ReviewerPool.EscalationChain(Plan([Backup]), Track.Builders, "backup")); // the backup was the reviewer
    }

    private static Submission Open() => new(
        Submission.IdFor("c1", "E1", "builders-4", 1), "c1", "E1", "builders-4", Track.Builders, new Uri("https://example.com/w"), 1,
        Start, "ana", Start.AddHours(24), Start.AddHours(48), SubmissionStatus.AwaitingReview);

    [Fact]
    public void Submission_ReminderThenEscalation_ThenOneDecision()
    {
        Submission reminded = Open().WithReminder(Start.AddHours(24));
        Submission escalated = reminded.WithEscalation(Start.AddHours(48), ["backup", "lead@example.com"]);
        var decision = new ReviewDecision(Verdict.Accepted, "good", null, "backup", Start.AddHours(50));
        Submission decided = escalated.WithDecision(decision);

        Assert.Equal(SubmissionStatus.Reminded, reminded.Status);
        Assert.Same(reminded, reminded.WithReminder(Start.AddHours(25)));          // once
        Assert.Equal(SubmissionStatus.Escalated, escalated.Status);
        Assert.True(escalated.SlaBreached);
        Assert.True(escalated.MayBeDecidedBy("BACKUP"));
        Assert.False(Open().MayBeDecidedBy("backup"));                             // not before escalation
        Assert.Equal(SubmissionStatus.Accepted, decided.Status);
        Assert.Equal(TimeSpan.FromHours(50), decided.TimeToFeedback);
        Assert.Same(decided, decided.WithEscalation(Start.AddHours(60), ["x"])); // nothing changes a decided submission
        Assert.Throws<InvalidOperationException>(() => decided.WithDecision(decision with { Verdict = Verdict.Rework }));
    }

    [Fact]
    public void Submission_DecidedInTime_IsNotABreach_DecidedLate_Is()
    {
        Assert.False(Open().WithDecision(new ReviewDecision(Verdict.Rework, "again", null, "ana", Start.AddHours(47))).SlaBreached);
        Assert.True(Open().WithDecision(new ReviewDecision(Verdict.Rework, "again", null, "ana", Start.AddHours(49))).SlaBreached);
    }

    [Fact]
    public void SubmissionIds_AreDeterministic_PerAttempt_AndNameTheirCohort()
    {
        string id = Submission.IdFor("cohort.a-1", "E1", "builders-4", 1);

        Assert.Equal(id, Submission.IdFor("cohort.a-1", "E1", "builders-4", 1));
        Assert.NotEqual(id, Submission.IdFor("cohort.a-1", "E1", "builders-4", 2));
        Assert.Equal("cohort.a-1", Submission.CohortOf(id));
        Assert.Null(Submission.CohortOf("cohort.a-1"));
        Assert.Null(Submission.CohortOf("../x.0123456789abcdef"));
    }

    [Fact]
    public void Paths_OpenWithProblemFraming_EndInDemonstrations_AndScaleToTheFinalCheckpoint()
    {
        foreach (Track track in Enum.GetValues<Track>())
        {
            IReadOnlyList<LearningStep> path = LearningPaths.For(track, new UseCase("Claims triage", "Route claims", "extracts/claims.csv", null, []));
            Assert.Equal(StepKind.ProblemFraming, path[0].Kind);
            Assert.Contains("Route claims", path[0].Instructions, StringComparison.Ordinal);
            Assert.Equal(StepKind.CapabilityDemonstration, path[^1].Kind);
            Assert.Equal(path.Count, path.Select(s => s.StepId).Distinct().Count());
            Assert.True(path.Zip(path.Skip(1)).All(p => p.First.DueOffset < p.Second.DueOffset), $"{track} steps fall due in order");
        }

        LearningStep frame = LearningPaths.For(Track.Builders, Plan([]).UseCase)[0]; // day 7 of 90
        Assert.Equal(Start.AddDays(7), LearningPaths.DueAt(Plan([]), frame));
        Assert.Equal(Start.AddSeconds(7), LearningPaths.DueAt(Plan([], TimeSpan.FromSeconds(30), TimeSpan.FromSeconds(90)), frame));
    }
}

public class AssignmentsTests
{
    private static readonly DateTimeOffset Start = new(2026, 12, 1, 9, 0, 0, TimeSpan.Zero);

    private static readonly CohortPlan Plan = new(
        "c1", "Cohort", new UseCase("Claims triage", "Route claims", null, null, []), Start, CohortPlan.DefaultCheckpoints, ReviewPolicy.Default,
        ["cio@example.com"], "lead@example.com", [], null, Enum.GetValues<Track>());

    private static Enrolment.Participant Person(Track? track) =>
        new("c1", "E1", new Enrolment.HrRecord("E1"), track, "rule", "reason", false, Enrolment.ParticipantStatus.Active, Start, Start, []);

    private static Submission Attempt(string stepId, Track track, int attempt, SubmissionStatus status) =>
        new(Submission.IdFor("c1", "E1", stepId, attempt), "c1", "E1", stepId, track, new Uri("https://example.com/w"), attempt, Start, "ana", Start, Start, status);

    [Fact]
    public void Joiner_GetsTheWholePathOfTheirTrack_Assigned()
    {
        IReadOnlyList<Learning.Assignment> assigned = Learning.Assignments.For(Plan, Person(Track.Leaders), []);

        Assert.Equal(["leaders-1", "leaders-2", "leaders-3"], assigned.Select(a => a.StepId));
        Assert.All(assigned, a => Assert.Equal((Learning.AssignmentState.Assigned, true), (a.State, a.OnCurrentTrack)));
        Assert.Equal(Start.AddDays(7), assigned[0].DueAt);
    }

    [Fact]
    public void Mover_GetsTheNewPath_AndKeepsTheDemonstrationsDoneOnTheOldOne()
    {
        Submission[] done =
        [
            Attempt("builders-4", Track.Builders, 1, SubmissionStatus.ReworkRequested),
            Attempt("builders-4", Track.Builders, 2, SubmissionStatus.Accepted),
            Attempt("specialists-4", Track.Specialists, 1, SubmissionStatus.AwaitingReview),
        ];

        IReadOnlyList<Learning.Assignment> assigned = Learning.Assignments.For(Plan, Person(Track.Specialists), done);

        Assert.Equal(["specialists-1", "specialists-2", "specialists-3", "specialists-4", "specialists-5", "builders-4"], assigned.Select(a => a.StepId));
        Assert.Equal(Learning.AssignmentState.AwaitingReview, assigned[3].State);
        Assert.Equal((Learning.AssignmentState.Accepted, 2, false), (assigned[5].State, assigned[5].Attempts, assigned[5].OnCurrentTrack));
    }

    [Fact]
    public void Triage_IsAssignedNothing()
    {
        Assert.Empty(Learning.Assignments.For(Plan, Person(null), []));
    }
}
