using Cohorts.Domain.Enrolment;

namespace Cohorts.Domain.Tests;

/// <summary>
/// What a delta round means for a cohort, case by case. The roster holds E-1 (employeeId E-1, object id obj-1), E-2
/// (object id obj-2) and a user keyed by their object id obj-3 (no employeeId).
/// </summary>
public class DirectorySyncPlannerTests
{
    private static readonly DateTimeOffset LinkedAt = new(2026, 11, 1, 8, 0, 0, TimeSpan.Zero);
    private static readonly HashSet<string> Roster = ["E-1", "E-2", "obj-3"];
    private static readonly TimeSpan Daily = TimeSpan.FromDays(1);

    private static DirectoryLink Link(string? deltaLink = "link-1", params (string ObjectId, string Key)[] members) =>
        new("c1", "group-1", deltaLink, members.ToDictionary(m => m.ObjectId, m => m.Key), null, LinkedAt);

    private static DirectoryDelta Delta(IEnumerable<DirectoryUser> changed, IEnumerable<string> removed, bool full = false) =>
        new(changed.ToList(), removed.ToList(), "link-2", full);

    [Fact]
    public void FirstRound_IsTheBaseline_AndRemembersTheRosterMembersObjectIds()
    {
        DirectoryDelta everyone = Delta(
            [new DirectoryUser("obj-1", new HrRecord("E-1")), new DirectoryUser("obj-2", new HrRecord("E-2")), new DirectoryUser("obj-9", new HrRecord("E-9"))],
            []);

        DirectorySyncStep step = DirectorySyncPlanner.Plan(Link(deltaLink: null), everyone, Roster, LinkedAt.AddMinutes(15), Daily);

        Assert.Equal(DirectorySyncAction.Baseline, step.Action);
        Assert.Empty(step.Rows);
        Assert.Equal("link-2", step.Next.DeltaLink);
        Assert.Equal(new Dictionary<string, string> { ["obj-1"] = "E-1", ["obj-2"] = "E-2" }, step.Next.Members); // E-9 is not on the roster
        Assert.Equal(LinkedAt.AddMinutes(15), step.Next.LastRoundAt);
    }

    [Fact]
    public void LaterRound_ImportsOnlyRosterMembers_ChangedOrRemoved()
    {
        DirectoryLink link = Link("link-1", ("obj-1", "E-1"), ("obj-2", "E-2"));
        DirectoryDelta delta = Delta(
            [new DirectoryUser("obj-1", new HrRecord("E-1", JobTitle: "Data Scientist")), new DirectoryUser("obj-9", new HrRecord("E-9", JobTitle: "Analyst"))],
            ["obj-2", "obj-3", "obj-unknown"]);

        DirectorySyncStep step = DirectorySyncPlanner.Plan(link, delta, Roster, LinkedAt.AddHours(1), Daily);

        Assert.Equal(DirectorySyncAction.ImportChanges, step.Action);
        Assert.Equal(
            [new HrRecord("E-1", JobTitle: "Data Scientist"), new HrRecord("E-2", Terminated: true), new HrRecord("obj-3", Terminated: true)],
            step.Rows);
        Assert.Equal(new Dictionary<string, string> { ["obj-1"] = "E-1" }, step.Next.Members); // obj-2 is gone from the directory
        Assert.Equal(LinkedAt, step.Next.LastFullImportAt);
    }

    [Fact]
    public void LaterRound_WithNothingOnTheRoster_ChangesNothing_ButKeepsTheNewLink()
    {
        DirectorySyncStep step = DirectorySyncPlanner.Plan(Link(), Delta([new DirectoryUser("obj-9", new HrRecord("E-9"))], ["obj-8"]), Roster, LinkedAt.AddHours(1), Daily);

        Assert.Equal(DirectorySyncAction.NoChanges, step.Action);
        Assert.Empty(step.Rows);
        Assert.Equal("link-2", step.Next.DeltaLink);
    }

    [Fact]
    public void ExpiredLink_ReadsTheGroupInFull()
    {
        DirectorySyncStep step = DirectorySyncPlanner.Plan(Link(), Delta([new DirectoryUser("obj-1", new HrRecord("E-1"))], [], full: true), Roster, LinkedAt.AddHours(1), Daily);

        Assert.Equal(DirectorySyncAction.ImportGroup, step.Action);
        Assert.Equal(LinkedAt.AddHours(1), step.Next.LastFullImportAt);
        Assert.Equal("link-2", step.Next.DeltaLink);
    }

    [Fact]
    public void FullReadDue_ReadsTheGroupInFull_SoPeopleNewToTheGroupJoin()
    {
        DirectorySyncStep early = DirectorySyncPlanner.Plan(Link(), Delta([], []), Roster, LinkedAt.AddHours(23), Daily);
        DirectorySyncStep due = DirectorySyncPlanner.Plan(Link(), Delta([], []), Roster, LinkedAt.AddHours(24), Daily);

        Assert.Equal(DirectorySyncAction.NoChanges, early.Action);
        Assert.Equal(DirectorySyncAction.ImportGroup, due.Action);
    }

    [Fact]
    public void Linking_TheSameGroupAgain_KeepsTheDeltaState_AnotherGroupStartsOver()
    {
        DirectoryLink earlier = Link("link-1", ("obj-1", "E-1"));

        DirectoryLink same = DirectoryLink.Linked(earlier, "c1", "GROUP-1", LinkedAt.AddDays(2));
        DirectoryLink other = DirectoryLink.Linked(earlier, "c1", "group-2", LinkedAt.AddDays(2));

        Assert.Equal("link-1", same.DeltaLink);
        Assert.Single(same.Members);
        Assert.Equal(LinkedAt.AddDays(2), same.LastFullImportAt);
        Assert.Null(other.DeltaLink);
        Assert.Empty(other.Members);
        Assert.Equal("group-2", other.GroupId);
    }
}

public class HrRecordFillTests
{
    [Fact]
    public void FilledFrom_KeepsWhatTheDeltaLeftOut_AndTakesWhatItReported()
    {
        var known = new HrRecord("E-1", Email: "a@example.com", Upn: "a@example.com", DisplayName: "A", ManagerId: "M-1", JobTitle: "Analyst", Department: "Risk", JobFamily: "Quant", JobLevel: "L4", ExplicitTrack: "governors");
        var reported = new HrRecord("E-1", JobTitle: "Data Scientist", Terminated: true);

        HrRecord filled = reported.FilledFrom(known);

        Assert.Equal(new HrRecord("E-1", "a@example.com", "a@example.com", "A", "M-1", "Data Scientist", "Risk", "Quant", "L4", "governors", Terminated: true), filled);
    }
}
