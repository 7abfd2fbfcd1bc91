namespace Cohorts.Domain.Enrolment;

/// <summary>What matching reads of a person: their id, track (null in triage), department and hire date.</summary>
public sealed record MatchPerson(string EmployeeId, Track? Track, string? Department, DateOnly? HireDate);

/// <summary>A trained participant and the comparison person picked for them; how far apart their hire dates are, when both are known.</summary>
public sealed record MatchedPair(string Trained, string Comparison, Track Track, bool SameDepartment, int? HireDaysApart);

/// <summary>One group's make-up: its size, its size per track and per department, and its median tenure in years.</summary>
public sealed record GroupBalance(
    ParticipantGroup Group, int N, IReadOnlyDictionary<string, int> ByTrack, IReadOnlyDictionary<string, int> ByDepartment, double? MedianTenureYears);

/// <summary>
/// The outcome of matching a candidate pool to the trained group: how many candidates the pool offered, how many were
/// trained already (and so skipped), the pairs, the trained participants nobody could be matched to, and the balance
/// table of the two groups as they will be compared.
/// </summary>
public sealed record ComparisonMatch(
    int Candidates, int AlreadyTrained, IReadOnlyList<MatchedPair> Pairs, IReadOnlyList<string> Unmatched, IReadOnlyList<GroupBalance> Balance);

/// <summary>
/// Picks one comparison person per trained participant from a candidate pool: on the same track; from the same
/// department where the pool has one; then the nearest hire date; each candidate used once. Trained participants are
/// taken in employee-id order and ties broken by the candidate's employee id, so the same pool and roster always give
/// the same pairs.
/// </summary>
public static class ComparisonMatcher
{
    /// <summary>What the groups are matched on, as the report labels it.</summary>
    public const string MatchedOn = "track, department, hire date";

    /// <summary>The department a person without one is counted under in the balance table.</summary>
    public const string NoDepartment = "(none)";

    /// <summary>
    /// Matches <paramref name="pool"/> to <paramref name="trained"/> (active trained participants); tenure in the
    /// balance table is measured to <paramref name="asOf"/>.
    /// </summary>
    public static ComparisonMatch Match(IReadOnlyList<MatchPerson> trained, IReadOnlyList<MatchPerson> pool, int alreadyTrained, DateOnly asOf)
    {
        ArgumentNullException.ThrowIfNull(trained);
        ArgumentNullException.ThrowIfNull(pool);
        var free = pool.Where(c => c.Track is not null)
            .GroupBy(c => c.Track!.Value)
            .ToDictionary(g => g.Key, g => g.OrderBy(c => c.EmployeeId, StringComparer.Ordinal).ToList());
        var pairs = new List<MatchedPair>();
        var unmatched = new List<string>();
        var chosen = new List<MatchPerson>();
        foreach (MatchPerson person in trained.OrderBy(t => t.EmployeeId, StringComparer.Ordinal))
        {
            if (person.Track is not { } track || !free.TryGetValue(track, out List<MatchPerson>? onTrack) || onTrack.Count == 0)
            {
                unmatched.Add(person.EmployeeId);
                continue;
            }

            int best = 0;
            for (int i = 1; i < onTrack.Count; i++)
            {
                if (Closer(person, onTrack[i], onTrack[best]))
                {
                    best = i;
                }
            }

            MatchPerson pick = onTrack[best];
            onTrack.RemoveAt(best);
            chosen.Add(pick);
            pairs.Add(new MatchedPair(person.EmployeeId, pick.EmployeeId, track, SameDepartment(person, pick), DaysApart(person, pick)));
        }

        return new ComparisonMatch(
            pool.Count,
            alreadyTrained,
            pairs,
            unmatched,
            [Balance(ParticipantGroup.Trained, trained, asOf), Balance(ParticipantGroup.Comparison, chosen, asOf)]);
    }

    /// <summary>The make-up of one group, for the balance table.</summary>
    public static GroupBalance Balance(ParticipantGroup group, IReadOnlyCollection<MatchPerson> people, DateOnly asOf)
    {
        ArgumentNullException.ThrowIfNull(people);
        double? median = Outcomes.Evidence.Median(people.Where(p => p.HireDate is not null).Select(p => (asOf.DayNumber - p.HireDate!.Value.DayNumber) / 365.25)) is { } m
            ? Math.Round(m, 1)
            : null;
        return new GroupBalance(
            group,
            people.Count,
            Counts(people.Select(p => p.Track is { } t ? TrackNames.Name(t) : "triage")),
            Counts(people.Select(p => string.IsNullOrWhiteSpace(p.Department) ? NoDepartment : p.Department.Trim())),
            median);
    }

    // a candidate is closer when it shares the department and the other does not; then when its hire date is nearer
    // (an unknown date is farthest); then by employee id
    private static bool Closer(MatchPerson trained, MatchPerson candidate, MatchPerson than)
    {
        bool same = SameDepartment(trained, candidate), otherSame = SameDepartment(trained, than);
        if (same != otherSame)
        {
            return same;
        }

        int apart = DaysApart(trained, candidate) ?? int.MaxValue, otherApart = DaysApart(trained, than) ?? int.MaxValue;
        return apart != otherApart ? apart < otherApart : string.CompareOrdinal(candidate.EmployeeId, than.EmployeeId) < 0;
    }

    private static bool SameDepartment(MatchPerson a, MatchPerson b) =>
        !string.IsNullOrWhiteSpace(a.Department) && string.Equals(a.Department.Trim(), b.Department?.Trim(), StringComparison.OrdinalIgnoreCase);

    private static int? DaysApart(MatchPerson a, MatchPerson b) =>
        a.HireDate is { } x && b.HireDate is { } y ? Math.Abs(x.DayNumber - y.DayNumber) : null;

    // keys are compared without case (the first spelling seen is kept) and listed in order
    private static SortedDictionary<string, int> Counts(IEnumerable<string> keys)
    {
        var counts = new SortedDictionary<string, int>(StringComparer.OrdinalIgnoreCase);
        foreach (string key in keys)
        {
            counts[key] = counts.GetValueOrDefault(key) + 1;
        }

        return counts;
    }
}
