using Cohorts.Domain.Enrolment;
using Cohorts.Domain.Reviews;

namespace Cohorts.Domain.Tests;

/// <summary>
/// The manager digest for a small roster: manager M1 (on the roster, with an address) has A and B; M2 is not on the
/// roster and has C. The period is the week of 2026-11-30 (periods count from Monday 2024-01-01).
/// </summary>
public class ManagerDigestTests
{
    private static readonly TimeSpan Week = TimeSpan.FromDays(7);
    private static readonly DateTimeOffset Monday = new(2026, 11, 30, 0, 0, 0, TimeSpan.Zero);

    private static readonly CohortPlan Plan = new(
        "c1", "Claims cohort", new UseCase("Claims triage", "Route claims", null, null, []), Monday.AddDays(-30), CohortPlan.DefaultCheckpoints, ReviewPolicy.Default,
        ["cio@example.com"], "lead@example.com", [], null, Enum.GetValues<Track>());

    private static Participant Person(string id, string? manager, string? email, string name) =>
        new("c1", id, new HrRecord(id, Email: email, DisplayName: name, ManagerId: manager), Track.Builders, "r", "r", false, ParticipantStatus.Active, Monday, Monday, []);

    private static readonly Participant[] Roster =
    [
        Person("M1", null, "m1@example.com", "Maya One"),
        Person("A", "M1", "a@example.com", "Ana"),
        Person("B", "M1", "b@example.com", "Ben"),
        Person("C", "M2", "c@example.com", "Cy"),
    ];

    private static Submission Work(string who, int attempt, DateTimeOffset submitted, Verdict? verdict = null, DateTimeOffset? decided = null)
    {
        var s = new Submission(Submission.IdFor("c1", who, "builders-4", attempt), "c1", who, "builders-4", Track.Builders, new Uri("https://example.com/w"),
            attempt, submitted, "rev", submitted.AddHours(24), submitted.AddHours(48), SubmissionStatus.AwaitingReview);
        return verdict is { } v ? s.WithDecision(new ReviewDecision(v, "notes", null, "rev", decided!.Value)) : s;
    }

    [Fact]
    public void PeriodStart_IsTheMondayOfTheWeek_OrTheStartOfAShortPeriod()
    {
        Assert.Equal(Monday, ManagerDigests.PeriodStart(new DateTimeOffset(2026, 12, 3, 15, 0, 0, TimeSpan.Zero), Week));
        Assert.Equal(new DateTimeOffset(2026, 12, 3, 15, 0, 10, TimeSpan.Zero), ManagerDigests.PeriodStart(new DateTimeOffset(2026, 12, 3, 15, 0, 14, TimeSpan.Zero), TimeSpan.FromSeconds(5)));
    }

    [Fact]
    public void Digest_ListsTheLastPeriodsDemonstrationsAndVerdicts_OfPeopleWhoseManagerHasAnAddress()
    {
        Submission[] work =
        [
            Work("A", 1, Monday.AddDays(-10), Verdict.Rework, Monday.AddDays(-6)),   // decided in the period
            Work("A", 2, Monday.AddDays(-2)),                                          // submitted in the period, open
            Work("B", 1, Monday.AddDays(-20), Verdict.Accepted, Monday.AddDays(-15)), // before the period: not listed
            Work("B", 2, Monday.AddDays(1)),                                           // after it: next week's
            Work("C", 1, Monday.AddDays(-3), Verdict.Accepted, Monday.AddDays(-1)),   // M2 has no address on the roster
        ];

        ManagerDigest digest = Assert.Single(ManagerDigests.Build(Plan, Roster, work, Monday, Week));
        OutboundMessage message = ManagerDigests.Message(Plan, digest, Monday, Week);

        Assert.Equal(("M1", "m1@example.com"), (digest.ManagerId, digest.ManagerEmail));
        Assert.Equal([("A", 1, SubmissionStatus.ReworkRequested), ("A", 2, SubmissionStatus.AwaitingReview)], digest.Lines.Select(l => (l.ParticipantId, l.Attempt, l.Status)));
        Assert.Equal("digest.c1.M1.20261130T000000", message.MessageId);
        Assert.Equal(["m1@example.com"], message.To);
        Assert.Contains("Ana — Demonstration: a reviewed model change (attempt 1): sent back for rework — \"notes\"", message.Text, StringComparison.Ordinal);
        Assert.DoesNotContain("Ben", message.Text, StringComparison.Ordinal);
    }

    [Fact]
    public void NothingInThePeriod_NoDigest()
    {
        Assert.Empty(ManagerDigests.Build(Plan, Roster, [Work("A", 1, Monday.AddDays(-30))], Monday, Week));
    }
}
