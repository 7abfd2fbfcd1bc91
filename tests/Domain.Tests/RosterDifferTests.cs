using Cohorts.Domain.Enrolment;

namespace Cohorts.Domain.Tests;

public class RosterDifferTests
{
    private static readonly Segmenter Rules = new(DefaultSegmentationRules.All);

    private static RosterEntry OnRoster(string id, Track? track, string title, ParticipantStatus status = ParticipantStatus.Active, bool overridden = false) =>
        new(id, track, status, overridden, HrFingerprint.Of(new HrRecord(id, JobTitle: title)));

    private static HrRow Row(int row, string id, string title, bool terminated = false) => new(row, new HrRecord(id, JobTitle: title, Terminated: terminated), null);

    private static (List<RosterChange> Changes, DiffSummary Summary) Diff(IEnumerable<RosterEntry> roster, IEnumerable<HrRow> rows, bool fullSource = true)
    {
        var differ = new RosterDiffer(roster.ToDictionary(e => e.EmployeeId), Rules, fullSource: fullSource);
        var changes = rows.Select(differ.Accept).OfType<RosterChange>().ToList();
        changes.AddRange(differ.Leavers());
        return (changes, differ.Summary());
    }

    [Fact]
    public void ManyIds_PastTheExpectedCount_DuplicatesAndLeaversAreFoundAmongAllOfThem()
    {
        // 5,000 people with no size given (the id table starts small and grows many times); every 7th id listed again at
        // the end; the roster holds the 5,000 plus 50 who are not listed (the leavers)
        RosterEntry[] roster = [.. Enumerable.Range(0, 5050).Select(i => OnRoster($"P{i}", Track.Builders, "Data Scientist"))];
        var rows = Enumerable.Range(0, 5000).Select(i => Row(i + 2, $"P{i}", "Data Scientist")).ToList();
        rows.AddRange(Enumerable.Range(0, 5000).Where(i => i % 7 == 0).Select(i => Row(i + 10_000, $"P{i}", "Data Scientist")));

        (List<RosterChange> changes, DiffSummary summary) = Diff(roster, rows);

        string[] repeated = [.. Enumerable.Range(0, 5000).Where(i => i % 7 == 0).Select(i => $"P{i}").Order(StringComparer.Ordinal)];
        Assert.Equal(repeated, summary.DuplicateIds);
        Assert.Equal(
            Enumerable.Range(5000, 50).Select(i => $"P{i}").Order(StringComparer.Ordinal),
            changes.Where(c => c.Kind == ChangeKind.Leave).Select(c => c.EmployeeId).Order(StringComparer.Ordinal));
        Assert.Equal(5000 - repeated.Length, summary.Unchanged);
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task ChangesAsync_GivesEachRowsChangeThenTheLeavers_WhetherTheRowsComeAtOnceOrAfterAWait(bool waiting)
    {
        RosterEntry[] roster = [OnRoster("stays", Track.Builders, "Data Scientist"), OnRoster("gone", Track.Builders, "Data Scientist")];
        HrRow[] rows =
        [
            Row(2, "new", "Data Scientist"),              // a joiner
            Row(3, "stays", "Data Scientist"),            // unchanged: no change
            Row(4, "left", "Data Scientist", true),       // terminated, never enrolled: no change
            Row(5, "other", "Data Scientist"),            // a joiner
        ];
        var differ = new RosterDiffer(roster.ToDictionary(e => e.EmployeeId), Rules);

        var changes = new List<(ChangeKind, string)>();
        await foreach (RosterChange change in differ.ChangesAsync(Source(rows, waiting)))
        {
            changes.Add((change.Kind, change.EmployeeId));
        }

        Assert.Equal([(ChangeKind.Join, "new"), (ChangeKind.Join, "other"), (ChangeKind.Leave, "gone")], changes);
        Assert.Equal((4, 2, 1, 1), (differ.Summary().Rows, differ.Summary().Joiners, differ.Summary().Leavers, differ.Summary().Unchanged));
    }

    [Fact]
    public async Task ChangesAsync_TokenGivenByWithCancellation_ReachesTheRows()
    {
        using var differ = new RosterDiffer(new Dictionary<string, RosterEntry>(), Rules);
        using var stop = new CancellationTokenSource();
        await stop.CancelAsync();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(async () =>
        {
            await foreach (RosterChange change in differ.ChangesAsync(Source([Row(2, "a", "Data Scientist")], waiting: true)).WithCancellation(stop.Token))
            {
                Assert.Fail($"{change.EmployeeId} was handed out after the enumeration was cancelled");
            }
        });
    }

    private static async IAsyncEnumerable<HrRow> Source(IEnumerable<HrRow> rows, bool waiting, [System.Runtime.CompilerServices.EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        foreach (HrRow row in rows)
        {
            if (waiting)
            {
                await Task.Delay(5, cancellationToken); // a row that is not at hand: the next read waits
            }

            yield return row;
        }
    }

    [Fact]
    public void ARowWithAValueNoStoreCanHold_IsRejected_WithoutTakingItsPersonForALeaver()
    {
        RosterEntry[] roster = [OnRoster("kept", Track.Builders, "Data Scientist")];
        HrRow[] rows =
        [
            Row(2, "kept", new string('T', 40_000)),   // on the roster: rejected, not suspended
            Row(3, "fresh", new string('T', 257)),     // one over the limit: rejected, not enrolled
            Row(4, "ok", new string('T', 256)),        // at the limit: enrolled
            Row(5, "a/b", "Data Scientist"),           // an id no route can address
            Row(6, "kept", "Data Scientist"),          // the oversized id again: a duplicate, listed once more
        ];

        (List<RosterChange> changes, DiffSummary summary) = Diff(roster, rows);

        Assert.Equal(["ok"], changes.Select(c => c.EmployeeId));
        Assert.Equal([(2, "jobTitle"), (3, "jobTitle"), (5, "employeeId"), (6, "employeeId")], summary.Rejected.Select(r => (r.Row, r.Field)));
        Assert.Equal((1, 0, 4, 0), (summary.Joiners, summary.Leavers, summary.Invalid, summary.Unchanged));
        Assert.Equal(["kept"], summary.DuplicateIds);
    }

    [Fact]
    public void Diff_EachKindOfChange_IsFoundOnce()
    {
        RosterEntry[] roster =
        [
            OnRoster("same", Track.Builders, "Data Scientist"),
            OnRoster("mover", Track.Builders, "Data Scientist"),
            OnRoster("retitled", Track.Builders, "Data Scientist"),
            OnRoster("gone", Track.Consumers, "Clerk"),
            OnRoster("quits", Track.Consumers, "Clerk"),
            OnRoster("back", Track.Consumers, "Clerk", ParticipantStatus.Suspended),
            OnRoster("placed", Track.Governors, "Manager", overridden: true),
        ];
        HrRow[] rows =
        [
            Row(2, "same", "Data Scientist"),
            Row(3, "mover", "Product Manager"),       // builders -> translators
            Row(4, "retitled", "Senior Data Scientist"), // same track, other title
            Row(5, "quits", "Clerk", terminated: true),
            Row(6, "back", "Clerk"),
            Row(7, "placed", "Chief Data Officer"),   // an override is kept: only the title changes
            Row(8, "new", "Manager"),                 // triage
            Row(9, "left-long-ago", "Clerk", terminated: true),
        ];

        (List<RosterChange> changes, DiffSummary summary) = Diff(roster, rows);

        var kinds = changes.ToDictionary(c => c.EmployeeId, c => c.Kind);
        Assert.Equal(ChangeKind.Move, kinds["mover"]);
        Assert.Equal(ChangeKind.Update, kinds["retitled"]);
        Assert.Equal(ChangeKind.Leave, kinds["gone"]);   // absent from a full export
        Assert.Equal(ChangeKind.Leave, kinds["quits"]);  // marked terminated
        Assert.Equal(ChangeKind.Rejoin, kinds["back"]);
        Assert.Equal(ChangeKind.Update, kinds["placed"]);
        Assert.Equal(ChangeKind.Join, kinds["new"]);
        Assert.False(kinds.ContainsKey("same"));
        Assert.False(kinds.ContainsKey("left-long-ago"));
        Assert.Equal((1, 1, 1, 2, 2, 1, 1, 1), (summary.Joiners, summary.Rejoiners, summary.Movers, summary.Updated, summary.Leavers, summary.Unchanged, summary.Triage, summary.TerminatedNotEnrolled));
        Assert.Equal(Track.Governors, changes.Single(c => c.EmployeeId == "placed").To);
    }

    [Fact]
    public void Diff_DuplicateId_RejectsEveryRowAndTakesTheFirstChangeBackOutOfTheCounts()
    {
        (_, DiffSummary summary) = Diff([], [Row(2, "a", "Clerk"), Row(3, "b", "Clerk"), Row(4, "a", "Clerk"), Row(5, "a", "Clerk")]);

        Assert.Equal(1, summary.Joiners);
        Assert.Equal(["a"], summary.DuplicateIds);
        Assert.Equal([2, 4, 5], summary.Rejected.Select(r => r.Row).Order());
        Assert.Equal(3, summary.Invalid);
    }

    [Fact]
    public void Diff_PartialSource_DoesNotTurnAbsenceIntoLeaving()
    {
        (List<RosterChange> changes, DiffSummary summary) = Diff(
            [OnRoster("quiet", Track.Consumers, "Clerk"), OnRoster("quits", Track.Consumers, "Clerk")],
            [Row(1, "quits", "Clerk", terminated: true)],
            fullSource: false);

        Assert.Equal(["quits"], changes.Select(c => c.EmployeeId));
        Assert.Equal(1, summary.Leavers);
    }
}
