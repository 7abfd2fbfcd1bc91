using System.Runtime.InteropServices;

namespace Cohorts.Domain.Enrolment;

/// <summary>
/// Compares an HR source, row by row, with the roster. It keeps only ids (to find duplicates and leavers), never the
/// rows, so memory grows with the number of people and not with the file. Each row's change is handed out as it is
/// found; a duplicate id found later makes both rows rejected and the id listed in
/// <see cref="DiffSummary.DuplicateIds"/>, which an apply skips: duplicates are reported, never merged.
/// </summary>
/// <param name="roster">The roster now.</param>
/// <param name="segmenter">The rules.</param>
/// <param name="expectedPeople">How many people the source is expected to list, when known: sizes the id table once
/// instead of doubling it as it grows (a doubling briefly holds both tables, which is the peak of a large import).</param>
/// <param name="fullSource">Whether the source lists everyone (an export, a group's members): then absence means
/// leaving. A partial source (a directory delta) lists changes only; its leavers are the rows marked terminated.</param>
/// <param name="erased">Whether an employee id belongs to someone erased on request: their rows are listed as erased and never enrolled.</param>
/// <param name="group">The group the source enrols (trained or comparison): only that group's people can leave, and a row
/// for someone in the other group is rejected, naming the group (nobody is in both groups of one cohort).</param>
public sealed class RosterDiffer(
    IReadOnlyDictionary<string, RosterEntry> roster, Segmenter segmenter, int expectedPeople = 0, bool fullSource = true, Func<string, bool>? erased = null,
    ParticipantGroup group = ParticipantGroup.Trained) : IDisposable
{
    /// <summary>Rejected rows listed by number in the summary; more are counted.</summary>
    public const int MaxRejectedListed = 1000;

    /// <summary>Titles listed in the summary's triage groups, the largest first; the triage count is always complete.</summary>
    public const int MaxTriageTitlesListed = 200;

    // Per id, one int: the first row (24 bits; rows beyond 16M are only named approximately), the change kind + 1
    // (3 bits, 0 for none), whether it went to triage, whether it was unchanged. One int instead of a tuple keeps a
    // million-person import's id table at about 24 bytes an entry plus the id itself.
    private const int RowMask = 0xFFFFFF;
    private const int TriageBit = 1 << 27;
    private const int UnchangedBit = 1 << 28;

    // a row held back with its id known (erased, or a value beyond what can be stored): already listed and counted
    private const int HeldBit = 1 << 29;

    private readonly IdTable seen = new(Math.Max(expectedPeople, 0));
    private readonly HashSet<string> duplicates = new(StringComparer.Ordinal);
    private readonly List<RejectedRow> rejected = [];
    private readonly int[] counts = new int[Enum.GetValues<ChangeKind>().Length]; // changes, by kind
    private int rows;
    private int unchanged;
    private int triage;
    private int invalid;
    private int terminatedNotEnrolled;
    private int erasedRows;

    // triage by title: the tally per title; a triaged person's entry in the id table says which tally counted them, so
    // that a duplicate found later takes its first row back out
    private readonly Dictionary<string, int> triageTitles = new(StringComparer.Ordinal);
    private readonly List<TriageTally> tallies = [];

    /// <summary>Takes one source row; returns the change it makes, if any.</summary>
    public RosterChange? Accept(HrRow row)
    {
        ArgumentNullException.ThrowIfNull(row);
        rows++;
        if (row.Record is null)
        {
            Reject(row.Rejected ?? new RejectedRow(row.Row, "row", "unreadable row"));
            return null;
        }

        HrRecord hr = row.Record;
        if (HrRecordLimits.IdProblem(hr.EmployeeId) is { } idProblem)
        {
            // an id no route or key can address: rejected, never in the table (so never a duplicate or a leaver)
            Reject(new RejectedRow(row.Row, HrRecordLimits.EmployeeIdField, idProblem));
            return null;
        }

        // the id's entry, found or added in one look-up (an import makes one per person): written below on every path;
        // nothing else adds to the table before then
        ref IdTable.Entry seenEntry = ref seen.GetOrAdd(hr.EmployeeId, out bool listedBefore);
        if (listedBefore)
        {
            MarkDuplicate(hr.EmployeeId, seenEntry, row.Row);
            return null;
        }

        if (HrRecordLimits.AttributeProblem(hr) is { } problem)
        {
            // a value that cannot be stored rejects its row before any batch is applied; a person already enrolled
            // is still listed by the source, so they are not taken for a leaver
            Reject(new RejectedRow(row.Row, problem.Field, problem.Reason));
            seenEntry.Bits = (row.Row & RowMask) | HeldBit;
            return null;
        }

        if (erased?.Invoke(hr.EmployeeId) == true)
        {
            // erased on request: listed by row, never enrolled again
            seenEntry.Bits = (row.Row & RowMask) | HeldBit;
            erasedRows++;
            if (rejected.Count < MaxRejectedListed)
            {
                rejected.Add(new RejectedRow(row.Row, "employeeId", "erased on request: not enrolled again"));
            }

            return null;
        }

        // a first import's roster is empty: no look-up then (an id's hash costs as much as the rest of the row's checks)
        RosterEntry? elsewhere = null;
        if (roster.Count > 0 && roster.TryGetValue(hr.EmployeeId, out elsewhere) && elsewhere.Group != group)
        {
            // listed, so never a leaver of this group; the person stays where they are
            seenEntry.Bits = (row.Row & RowMask) | HeldBit;
            Reject(new RejectedRow(row.Row, "employeeId", $"employee id '{hr.EmployeeId}' is in the {GroupName(elsewhere.Group)} group of this cohort; a person cannot be in both groups"));
            return null;
        }

        int unchangedBefore = unchanged;
        RosterChange? change = Classify(hr, row.Row, elsewhere);
        bool toTriage = change is { To: null, Kind: ChangeKind.Join or ChangeKind.Rejoin or ChangeKind.Move };
        seenEntry.Bits = (row.Row & RowMask)
            | (change is null ? 0 : ((int)change.Kind + 1) << 24)
            | (toTriage ? TriageBit : 0)
            | (unchanged > unchangedBefore ? UnchangedBit : 0);
        if (change is null)
        {
            return null;
        }

        counts[(int)change.Kind]++;
        if (toTriage)
        {
            triage++;
            string title = hr.JobTitle?.Trim() ?? string.Empty;
            ref int tally = ref CollectionsMarshal.GetValueRefOrAddDefault(triageTitles, title, out bool known);
            if (!known)
            {
                tally = tallies.Count;
                tallies.Add(new TriageTally(title, change.Rule, change.Reason));
            }

            tallies[tally].Count++;
            seenEntry.Tally = tally + 1;
        }

        return change;
    }

    /// <summary>
    /// The changes <paramref name="rows"/> make, then the leavers: <see cref="Accept"/> row by row and
    /// <see cref="Leavers"/> after the last. Enumerate once.
    /// </summary>
    public IAsyncEnumerable<RosterChange> ChangesAsync(IAsyncEnumerable<HrRow> rows, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(rows);
        return new ChangeStream(this, rows, cancellationToken);
    }

    /// <summary>The leavers: active people on the roster whom the source does not list. Call once, after the last row.</summary>
    public IEnumerable<RosterChange> Leavers()
    {
        if (!fullSource)
        {
            yield break;
        }

        foreach (RosterEntry entry in roster.Values)
        {
            if (entry.Status == ParticipantStatus.Active && entry.Group == group && !seen.Contains(entry.EmployeeId))
            {
                counts[(int)ChangeKind.Leave]++;
                yield return new RosterChange(ChangeKind.Leave, entry.EmployeeId, null, null, entry.Track, entry.Track, "absent", "not in the source any more: suspended, evidence kept", group);
            }
        }
    }

    /// <summary>The counts so far (complete after <see cref="Leavers"/> has been enumerated).</summary>
    public DiffSummary Summary() => new(
        rows,
        counts[(int)ChangeKind.Join],
        counts[(int)ChangeKind.Rejoin],
        counts[(int)ChangeKind.Move],
        counts[(int)ChangeKind.Update],
        counts[(int)ChangeKind.Leave],
        unchanged,
        triage,
        invalid,
        terminatedNotEnrolled,
        roster.Values.Count(e => e.Status == ParticipantStatus.Active && e.Group == group),
        rejected,
        duplicates.Order(StringComparer.Ordinal).ToList(),
        erasedRows,
        TriageByTitle: tallies
            .Where(t => t.Count > 0)
            .OrderByDescending(t => t.Count).ThenBy(t => t.Title, StringComparer.Ordinal)
            .Take(MaxTriageTitlesListed)
            .Select(t => new TriageTitle(t.Title, t.Count, t.Rule, t.Reason))
            .ToList());

    private RosterChange? Classify(HrRecord hr, int row, RosterEntry? current)
    {
        if (hr.Terminated)
        {
            if (current is { Status: ParticipantStatus.Active })
            {
                return new RosterChange(ChangeKind.Leave, hr.EmployeeId, row, hr, current.Track, current.Track, "terminated", "marked terminated or inactive in the source: suspended, evidence kept", group);
            }

            if (current is null)
            {
                terminatedNotEnrolled++;
            }
            else
            {
                unchanged++;
            }

            return null;
        }

        if (current is null || current.Status == ParticipantStatus.Suspended)
        {
            TrackAssignment assignment = current is { TrackOverridden: true }
                ? new TrackAssignment(current.Track, "override", "kept the track an admin chose")
                : segmenter.Assign(hr);
            return new RosterChange(current is null ? ChangeKind.Join : ChangeKind.Rejoin, hr.EmployeeId, row, hr, current?.Track, assignment.Track, assignment.Rule, assignment.Reason, group);
        }

        if (!current.TrackOverridden)
        {
            TrackAssignment assignment = segmenter.Assign(hr);
            if (assignment.Track != current.Track)
            {
                return new RosterChange(ChangeKind.Move, hr.EmployeeId, row, hr, current.Track, assignment.Track, assignment.Rule, assignment.Reason, group);
            }
        }

        if (HrFingerprint.Of(hr) != current.Fingerprint)
        {
            return new RosterChange(ChangeKind.Update, hr.EmployeeId, row, hr, current.Track, current.Track, "attributes", "HR attributes changed; track unchanged", group);
        }

        unchanged++;
        return null;
    }

    /// <summary>Gives the id table's arrays back to the shared pools; the summary stays readable, rows are not taken after.</summary>
    public void Dispose() => seen.Dispose();

    /// <summary>The group's name as the API spells it.</summary>
    public static string GroupName(ParticipantGroup group) => group == ParticipantGroup.Comparison ? "comparison" : "trained";

    private void MarkDuplicate(string employeeId, IdTable.Entry firstSeen, int row)
    {
        int first = firstSeen.Bits;
        int firstRow = first & RowMask;
        if (duplicates.Add(employeeId) && (first & HeldBit) == 0)
        {
            // the first row's change was already handed out: take it back out of the counts; the apply skips the id
            int kind = (first >> 24) & 0x7;
            if (kind > 0)
            {
                counts[kind - 1]--;
            }
            else if ((first & UnchangedBit) != 0)
            {
                unchanged--;
            }
            else
            {
                terminatedNotEnrolled--;
            }

            if ((first & TriageBit) != 0)
            {
                triage--;
                if (firstSeen.Tally > 0)
                {
                    tallies[firstSeen.Tally - 1].Count--;
                }
            }

            Reject(new RejectedRow(firstRow, "employeeId", $"employee id '{employeeId}' appears more than once (also row {row}); none of its rows is applied"));
        }

        Reject(new RejectedRow(row, "employeeId", $"employee id '{employeeId}' appears more than once (first at row {firstRow}); none of its rows is applied"));
    }

    private void Reject(RejectedRow row)
    {
        invalid++;
        if (rejected.Count < MaxRejectedListed)
        {
            rejected.Add(row);
        }
    }

    /// <summary>
    /// <see cref="ChangesAsync"/>'s changes. Written out rather than as an async iterator: a row its source has at hand
    /// is taken without an await or a state machine's step (an iterator's step per row was a tenth of an import's read).
    /// </summary>
    private sealed class ChangeStream(RosterDiffer differ, IAsyncEnumerable<HrRow> rows, CancellationToken cancellationToken)
        : IAsyncEnumerable<RosterChange>, IAsyncEnumerator<RosterChange>
    {
        private IAsyncEnumerator<HrRow>? source;
        private IEnumerator<RosterChange>? leavers;
        private CancellationTokenSource? linked;

        public RosterChange Current { get; private set; } = null!;

        public IAsyncEnumerator<RosterChange> GetAsyncEnumerator(CancellationToken token = default)
        {
            if (source is not null)
            {
                throw new InvalidOperationException("A diff's changes are enumerated once.");
            }

            // a token given here (WithCancellation) counts as well as the one given to ChangesAsync
            CancellationToken cancellation = cancellationToken;
            if (token.CanBeCanceled)
            {
                linked = CancellationTokenSource.CreateLinkedTokenSource(cancellation, token);
                cancellation = linked.Token;
            }

            source = rows.GetAsyncEnumerator(cancellation);
            return this;
        }

        public ValueTask<bool> MoveNextAsync()
        {
            while (leavers is null)
            {
                ValueTask<bool> next = source!.MoveNextAsync();
                if (!next.IsCompletedSuccessfully)
                {
                    return WaitAsync(next);
                }

                if (Take(next.Result))
                {
                    return ValueTask.FromResult(true);
                }
            }

            return ValueTask.FromResult(NextLeaver());
        }

        public async ValueTask DisposeAsync()
        {
            leavers?.Dispose();
            if (source is not null)
            {
                await source.DisposeAsync();
            }

            linked?.Dispose();
        }

        private async ValueTask<bool> WaitAsync(ValueTask<bool> next) => Take(await next) || await MoveNextAsync();

        // whether a change is at hand: the row made one, or the rows ended and a leaver is next
        private bool Take(bool read)
        {
            if (!read)
            {
                leavers = differ.Leavers().GetEnumerator();
                return NextLeaver();
            }

            if (differ.Accept(source!.Current) is { } change)
            {
                Current = change;
                return true;
            }

            return false;
        }

        private bool NextLeaver()
        {
            if (leavers!.MoveNext())
            {
                Current = leavers.Current;
                return true;
            }

            return false;
        }
    }

    private sealed class TriageTally(string title, string rule, string reason)
    {
        public string Title { get; } = title;

        public string Rule { get; } = rule;

        public string Reason { get; } = reason;

        public int Count { get; set; }
    }
}
