using System.Runtime.InteropServices;
using Cohorts.Domain.Enrolment;
using Cohorts.Domain.Learning;
using Cohorts.Domain.Reviews;

namespace Cohorts.Domain.Outcomes;

/// <summary>A count out of a total; its rate is unknown (null) when the total is zero, never 0 or NaN.</summary>
public sealed record Share(int Count, int Of)
{
    /// <summary>Count ÷ total, or null when there is nothing to divide by.</summary>
    public double? Rate => Of == 0 ? null : (double)Count / Of;
}

/// <summary>Production: contributions that reached production and how fast the first one came.</summary>
/// <param name="Contributions">Production contributions reported up to the checkpoint.</param>
/// <param name="Contributors">Participants with at least one.</param>
/// <param name="MedianTimeToProduction">Median time from the cohort start to a contributor's first contribution; null with no contributions.</param>
/// <param name="BaselineTimeToProduction">Time to production before training; null when the plan has none.</param>
public sealed record ProductionMetrics(int Contributions, int Contributors, TimeSpan? MedianTimeToProduction, TimeSpan? BaselineTimeToProduction);

/// <summary>Quality: how often work passes first time.</summary>
/// <param name="FirstPass">First submissions to model-risk review that passed, out of all first submissions.</param>
/// <param name="BaselineFirstPassRate">The first-pass rate before training; null when the plan has none.</param>
/// <param name="FirstAttemptAccepted">Capability demonstrations accepted at the first attempt, out of first attempts decided.</param>
public sealed record QualityMetrics(Share FirstPass, double? BaselineFirstPassRate, Share FirstAttemptAccepted);

/// <summary>External advisory support used, per program month, against the baseline.</summary>
/// <param name="Hours">Hours reported from the start to the checkpoint.</param>
/// <param name="HoursPerMonth">Hours per program month; null before any time has passed.</param>
/// <param name="BaselineHoursPerMonth">Hours per month before training; null when the plan has none, and for a track (the baseline is the cohort's).</param>
public sealed record AdvisoryMetrics(double Hours, double? HoursPerMonth, double? BaselineHoursPerMonth)
{
    /// <summary>Relative change against the baseline (−0.25 is a quarter less); null without a baseline, data, or with a zero baseline.</summary>
    public double? Change => HoursPerMonth is { } now && BaselineHoursPerMonth is { } before && before > 0 ? (now - before) / before : null;
}

/// <summary>The review promise as kept: share of verdicts within the window, time to feedback, escalations.</summary>
/// <param name="Submitted">Submissions made up to the checkpoint.</param>
/// <param name="Decided">Of those, decided by the checkpoint.</param>
/// <param name="WithinWindow">Decided within the window, out of those decided plus those still open past their due time.</param>
/// <param name="MedianTimeToFeedback">Median time from submission to verdict; null with no verdicts.</param>
/// <param name="Escalations">Reviews escalated by the checkpoint.</param>
public sealed record ReviewMetrics(int Submitted, int Decided, Share WithinWindow, TimeSpan? MedianTimeToFeedback, int Escalations);

/// <summary>One scope of the report: the whole cohort or one track.</summary>
/// <param name="Scope"><c>cohort</c> or a track's API name.</param>
/// <param name="Participants">Active participants (for a track: active on it).</param>
/// <param name="Production">Production contributions and velocity.</param>
/// <param name="Quality">First-pass quality.</param>
/// <param name="Advisory">Advisory support.</param>
/// <param name="Reviews">Review SLA.</param>
/// <param name="AcceptedDemonstrations">Capability demonstrations accepted by the checkpoint.</param>
/// <param name="Completion">Secondary: steps done out of steps due by the checkpoint.</param>
public sealed record ScopeMetrics(
    string Scope,
    int Participants,
    ProductionMetrics Production,
    QualityMetrics Quality,
    AdvisoryMetrics Advisory,
    ReviewMetrics Reviews,
    int AcceptedDemonstrations,
    Share Completion)
{
    /// <summary>Accepted demonstrations per participant; null with nobody in scope.</summary>
    public double? AcceptedPerParticipant => Participants == 0 ? null : (double)AcceptedDemonstrations / Participants;
}

/// <summary>A cohort's comparison group, and what its people were matched on (or that they were not).</summary>
public sealed record ComparisonGroup(IReadOnlyList<Participant> People, string MatchedOn)
{
    /// <summary>What a group enrolled without matching is labelled with.</summary>
    public const string NotMatched = "not matched: comparable staff placed on tracks by the same rules";
}

/// <summary>The outcome figures of one checkpoint: ids and numbers only, no names or emails.</summary>
/// <param name="CohortId">The cohort.</param>
/// <param name="CohortName">Its name.</param>
/// <param name="UseCase">The use case's title.</param>
/// <param name="Checkpoint">The checkpoint's ordinal.</param>
/// <param name="Checkpoints">How many checkpoints the cohort has (the last is the final report).</param>
/// <param name="StartsAt">The cohort start.</param>
/// <param name="AsOf">The checkpoint's due time: everything up to it counts, nothing after.</param>
/// <param name="ProgramMonth">The month advisory hours are counted per (30 days, scaled down with a compressed schedule).</param>
/// <param name="ReviewWindow">The review promise the SLA figures are measured against.</param>
/// <param name="Cohort">The whole cohort.</param>
/// <param name="Tracks">Each track of the plan, in the plan's order, including empty ones.</param>
/// <param name="Comparison">The trained group against comparable staff, when the cohort has a comparison group (observational).</param>
/// <param name="Scores">Per assessment with scores: outcomes by score quartile and the rank correlation of score and days to production.</param>
public sealed record OutcomeReport(
    string CohortId,
    string CohortName,
    string UseCase,
    int Checkpoint,
    int Checkpoints,
    DateTimeOffset StartsAt,
    DateTimeOffset AsOf,
    TimeSpan ProgramMonth,
    TimeSpan ReviewWindow,
    ScopeMetrics Cohort,
    IReadOnlyList<ScopeMetrics> Tracks,
    ComparisonBlock? Comparison = null,
    IReadOnlyList<ScoreBlock>? Scores = null)
{
    /// <summary>Whether this is the final report.</summary>
    public bool IsFinal => Checkpoint == Checkpoints;
}

/// <summary>
/// Computes a checkpoint's outcome figures from the roster, the submissions and the outcome events. Pure: everything
/// is counted as of the checkpoint's due time, so a repeated computation gives the same figures.
/// </summary>
public static class OutcomeMetrics
{
    /// <summary>The scope name of the whole cohort.</summary>
    public const string CohortScope = "cohort";

    private static readonly TimeSpan Month = TimeSpan.FromDays(30);

    /// <summary>
    /// The month advisory hours are counted per: 30 days, scaled like the learning paths when the schedule is shorter
    /// than the 90-day protocol (a 90-second cohort has 30-second months).
    /// </summary>
    public static TimeSpan ProgramMonth(CohortPlan plan)
    {
        ArgumentNullException.ThrowIfNull(plan);
        TimeSpan final = plan.Checkpoints.Count == 0 ? LearningPaths.DefaultLength : plan.Checkpoints[^1];
        return final >= LearningPaths.DefaultLength ? Month : Month * (final / LearningPaths.DefaultLength);
    }

    /// <summary>The figures of <paramref name="checkpoint"/>.</summary>
    public static OutcomeReport Compute(
        CohortPlan plan,
        CheckpointDue checkpoint,
        IReadOnlyList<Participant> participants,
        IReadOnlyList<Submission> submissions,
        IReadOnlyList<OutcomeEvent> events,
        IReadOnlyList<StepCompletion>? completions = null,
        ComparisonGroup? comparison = null,
        IReadOnlyList<AssessmentScore>? scores = null)
    {
        ArgumentNullException.ThrowIfNull(plan);
        ArgumentNullException.ThrowIfNull(checkpoint);
        ArgumentNullException.ThrowIfNull(participants);
        ArgumentNullException.ThrowIfNull(submissions);
        ArgumentNullException.ThrowIfNull(events);
        DateTimeOffset asOf = checkpoint.DueAt;
        TimeSpan month = ProgramMonth(plan);

        // every person's slot, found once per event or submission: their track, their first contribution, their work;
        // people of the comparison group are marked, so that their events are skipped by the same look-up. Slots are
        // structs in one array, found by index, and a person's submissions a chain through one array of next indexes:
        // no object per person or per list (a large cohort's report made a hundred thousand of them). The index's value
        // holds, beside the slot's number, what every event asks of its person (their track, whether they are comparable),
        // so that an event reads the slot only when it is a contribution: one memory access fewer per event
        var index = new Dictionary<string, int>(participants.Count, StringComparer.Ordinal);
        var slots = new PersonSlot[Math.Max(participants.Count, 16)];
        int slotCount = 0;
        ref int KeyOf(string id)
        {
            ref int key = ref CollectionsMarshal.GetValueRefOrAddDefault(index, id, out bool exists);
            if (!exists)
            {
                if (slotCount == slots.Length)
                {
                    Array.Resize(ref slots, slots.Length * 2);
                }

                key = PersonKey.ForSlot(slotCount++);
            }

            return ref key;
        }

        var active = new List<(Participant Person, int Slot)>(participants.Count);
        foreach (Participant p in participants)
        {
            if (p.JoinedAt > asOf)
            {
                continue;
            }

            ref int key = ref KeyOf(p.EmployeeId);
            key = PersonKey.WithTrack(key, p.Track); // an id listed twice: the last listing's track, as everywhere else
            int at = PersonKey.Slot(key);
            slots[at].Track = p.Track;
            if (p.Status == ParticipantStatus.Active)
            {
                active.Add((p, at));
            }
        }

        // the comparison group's events are theirs alone: they count in the comparison, never in the cohort's figures
        foreach (Participant other in comparison?.People ?? [])
        {
            ref int key = ref KeyOf(other.EmployeeId);
            key = PersonKey.Comparable(key);
        }

        IReadOnlyCollection<LearningStep> steps = LearningPaths.Steps(plan).Values.ToList();
        // by track number: the steps due by the checkpoint
        HashSet<string>[] dueSteps = [.. Enum.GetValues<Track>().Select(
            t => steps.Where(step => step.Track == t && LearningPaths.DueAt(plan, step) <= asOf).Select(step => step.StepId).ToHashSet(StringComparer.Ordinal))];
        var demonstrations = steps.Where(step => step.IsDemonstration).Select(step => step.StepId).ToHashSet(StringComparer.Ordinal);
        var completedBy = (completions ?? []).Where(c => c.CompletedAt <= asOf)
            .GroupBy(c => c.ParticipantId, StringComparer.Ordinal)
            .ToDictionary(g => g.Key, g => g.Select(c => c.StepId).ToHashSet(StringComparer.Ordinal), StringComparer.Ordinal);

        // one accumulating pass over the events and one over the submissions, each item counted in the cohort's tally
        // and its track's (an event by its person's track, a submission by its own); a scope's figures are read off its
        // tally at the end, in the order the items came, so sums and medians are those of the items one by one
        var cohortTally = new ScopeTally();
        ScopeTally[] trackTallies = [.. Enum.GetValues<Track>().Select(_ => new ScopeTally())];
        // the events counted are kept only for the score blocks, which need them person by person
        List<OutcomeEvent>? counted = scores is { Count: > 0 } ? new List<OutcomeEvent>(events.Count) : null;
        var contributors = new List<int>();
        foreach (OutcomeEvent e in events)
        {
            if (e.OccurredAt < plan.StartsAt || e.OccurredAt > asOf)
            {
                continue;
            }

            int key = index.TryGetValue(e.ParticipantId, out int found) ? found : PersonKey.None;
            if (PersonKey.IsComparable(key))
            {
                continue;
            }

            counted?.Add(e);
            cohortTally.Count(e);
            if (PersonKey.Track(key) is { } track)
            {
                trackTallies[(int)track].Count(e);
            }

            if (e.Type == OutcomeType.ProductionContribution)
            {
                // not on the roster: the cohort's figure still counts them
                int at = PersonKey.Slot(key == PersonKey.None ? KeyOf(e.ParticipantId) : key);
                ref PersonSlot slot = ref slots[at];
                if (slot.FirstContribution is not { } first || e.OccurredAt < first)
                {
                    if (slot.FirstContribution is null)
                    {
                        contributors.Add(at);
                    }

                    slot.FirstContribution = e.OccurredAt;
                }
            }
        }

        foreach (int contributor in contributors)
        {
            TimeSpan first = slots[contributor].FirstContribution!.Value - plan.StartsAt;
            cohortTally.FirstContributions.Add(first);
            if (slots[contributor].Track is { } track)
            {
                trackTallies[(int)track].FirstContributions.Add(first);
            }
        }

        // next[n]: the position + 1 of the same person's submission after submission n (0: none)
        int[] next = new int[submissions.Count];
        for (int n = 0; n < submissions.Count; n++)
        {
            Submission s = submissions[n];
            if (s.SubmittedAt > asOf)
            {
                continue;
            }

            ref PersonSlot slot = ref slots[PersonKey.Slot(KeyOf(s.ParticipantId))];
            if (slot.LastWork == 0)
            {
                slot.FirstWork = n + 1;
            }
            else
            {
                next[slot.LastWork - 1] = n + 1;
            }

            slot.LastWork = n + 1;
            cohortTally.Count(s, asOf);
            trackTallies[(int)s.Track].Count(s, asOf);
            if (s.Decision is { Verdict: Verdict.Accepted } decision && decision.DecidedAt <= asOf)
            {
                // accepted demonstrations are distinct per person and step (per scope: a track counts a step its own
                // submissions were accepted on): the person's earlier submissions, a few, say whether this one is new; a
                // step new to the person and due on their track counts towards their completion
                (bool stepSeen, bool trackSeen) = AcceptedBefore(submissions, next, slot.FirstWork, n, asOf);
                if (!stepSeen)
                {
                    cohortTally.AcceptedDemonstrations++;
                    if (slot.Track is { } own && dueSteps[(int)own].Contains(s.StepId))
                    {
                        slot.DueAccepted++;
                    }
                }

                if (!trackSeen)
                {
                    trackTallies[(int)s.Track].AcceptedDemonstrations++;
                }
            }
        }

        var work = new Work(submissions, next);
        var stepsDone = new List<string>(8); // one scratch list for every person's few steps
        foreach ((Participant person, int at) in active)
        {
            if (person.Track is { } track)
            {
                // the submissions' pass counted this person's accepted steps due on their track; a person the LMS reported
                // steps for, or listed twice on different tracks, is walked again with those
                (int done, int due) = track == slots[at].Track && !completedBy.ContainsKey(person.EmployeeId)
                    ? (slots[at].DueAccepted, dueSteps[(int)track].Count)
                    : CompletionOf(person, work, slots[at].FirstWork, dueSteps, completedBy, demonstrations, asOf, stepsDone);
                cohortTally.Add(done, due);
                ScopeTally onTrack = trackTallies[(int)track];
                onTrack.Add(done, due);
                onTrack.People++;
            }
        }

        List<Participant> activePeople = active.ConvertAll(a => a.Person);
        cohortTally.People = active.Count;
        double programMonths = (asOf - plan.StartsAt) / month;
        ScopeMetrics cohort = cohortTally.Metrics(CohortScope, plan.Baseline, plan.Baseline, programMonths);
        // the advisory baseline is the cohort's total, so a track is not compared with it
        List<ScopeMetrics> tracks = plan.Tracks.Select(t => trackTallies[(int)t].Metrics(TrackNames.Name(t), plan.Baseline, null, programMonths)).ToList();
        return new OutcomeReport(plan.Id, plan.Name, plan.UseCase.Title, checkpoint.Ordinal, plan.Checkpoints.Count, plan.StartsAt, asOf, month, plan.ReviewPolicy.Window, cohort, tracks,
            Versus(plan, activePeople, comparison, events, asOf, month), ByScore(plan, activePeople, scores, counted ?? [], asOf));
    }

    /// <summary>
    /// Per assessment (in id order), the active trained people's latest scores up to the checkpoint against what they
    /// went on to do; null when nobody has a score.
    /// </summary>
    private static List<ScoreBlock>? ByScore(CohortPlan plan, List<Participant> active, IReadOnlyList<AssessmentScore>? scores, List<OutcomeEvent> counted, DateTimeOffset asOf)
    {
        if (scores is null || scores.Count == 0)
        {
            return null; // most cohorts: no set of every trained person's id to build
        }

        var people = active.Where(p => p.Trained).Select(p => p.EmployeeId).ToHashSet(StringComparer.Ordinal);
        List<AssessmentScore> taken = scores.Where(s => s.ScoredAt <= asOf && people.Contains(s.ParticipantId)).ToList();
        if (taken.Count == 0)
        {
            return null;
        }

        Dictionary<string, PersonOutcome> outcomes = PersonOutcome.Of(people, counted, plan.StartsAt, asOf);
        return taken.GroupBy(s => s.Assessment, StringComparer.Ordinal)
            .OrderBy(g => g.Key, StringComparer.Ordinal)
            .Select(g => EvidenceBlocks.Scores(
                g.Key,
                [.. g.GroupBy(s => s.ParticipantId, StringComparer.Ordinal)
                    .OrderBy(p => p.Key, StringComparer.Ordinal)
                    .Select(p => (p.MaxBy(s => s.ScoredAt)!.Scaled, outcomes[p.Key]))]))
            .ToList();
    }

    /// <summary>The seed of every report's bootstrap: the same figures always give the same intervals.</summary>
    public const int EvidenceSeed = 90;

    /// <summary>
    /// The trained group (active people with a track) against the comparison group (likewise, enrolled by the checkpoint),
    /// person by person from the outcome events; null when the cohort has no comparison group.
    /// </summary>
    private static ComparisonBlock? Versus(CohortPlan plan, List<Participant> active, ComparisonGroup? comparison, IReadOnlyList<OutcomeEvent> events, DateTimeOffset asOf, TimeSpan month)
    {
        List<string> others = (comparison?.People ?? []).Where(p => p.JoinedAt <= asOf && p.Status == ParticipantStatus.Active && p.Track is not null).Select(p => p.EmployeeId).ToList();
        if (others.Count == 0)
        {
            return null;
        }

        List<string> trained = active.Where(p => p.Trained && p.Track is not null).Select(p => p.EmployeeId).ToList();
        Dictionary<string, PersonOutcome> outcomes = PersonOutcome.Of(trained.Concat(others), events, plan.StartsAt, asOf);
        double months = Math.Max((asOf - plan.StartsAt) / month, 1e-9);
        return EvidenceBlocks.Compare(
            [.. trained.Select(id => outcomes[id])], [.. others.Select(id => outcomes[id])], months, comparison!.MatchedOn, EvidenceSeed);
    }

    /// <summary>The median of <paramref name="spans"/> (the mean of the middle two when even); null when empty.</summary>
    /// <remarks>Found by selection, not by a sort: a large cohort's report takes medians of tens of thousands of times per scope.</remarks>
    public static TimeSpan? Median(IEnumerable<TimeSpan> spans)
    {
        ArgumentNullException.ThrowIfNull(spans);
        long[] ticks = spans.Select(s => s.Ticks).ToArray();
        if (ticks.Length == 0)
        {
            return null;
        }

        int middle = ticks.Length / 2;
        long upper = Select(ticks, middle);
        if (ticks.Length % 2 == 1)
        {
            return TimeSpan.FromTicks(upper);
        }

        // after the selection every value left of the middle is at most the middle one: the lower middle is their largest
        long lower = long.MinValue;
        for (int i = 0; i < middle; i++)
        {
            lower = Math.Max(lower, ticks[i]);
        }

        return TimeSpan.FromTicks(lower + ((upper - lower) / 2));
    }

    /// <summary>
    /// Steps done of steps due by <paramref name="asOf"/> on the participant's current path (what
    /// <see cref="Assignments.For"/> shows as accepted or completed, counted from the path's due steps, worked out once
    /// per track): demonstrations accepted by the checkpoint, other steps the LMS reported completed by then.
    /// </summary>
    private static (int Done, int Due) CompletionOf(
        Participant participant, Work work, int firstWork, HashSet<string>[] dueSteps,
        Dictionary<string, HashSet<string>> completedBy, HashSet<string> demonstrations, DateTimeOffset asOf, List<string> done)
    {
        HashSet<string> due = dueSteps[(int)participant.Track!.Value];
        if (due.Count == 0)
        {
            return (0, 0);
        }

        // a person has a few steps: the distinct ones done are counted in a short list, not a set per person
        done.Clear();
        for (int w = firstWork; w != 0; w = work.Next[w - 1])
        {
            Submission s = work.All[w - 1];
            if (due.Contains(s.StepId) && s.Decision is { Verdict: Verdict.Accepted } d && d.DecidedAt <= asOf && !done.Contains(s.StepId))
            {
                done.Add(s.StepId);
            }
        }

        foreach (string step in completedBy.GetValueOrDefault(participant.EmployeeId) ?? [])
        {
            if (due.Contains(step) && !demonstrations.Contains(step) && !done.Contains(step))
            {
                done.Add(step);
            }
        }

        return (done.Count, due.Count);
    }

    /// <summary>
    /// Whether a submission before <paramref name="n"/> in its person's chain (from <paramref name="first"/>) was accepted
    /// by <paramref name="asOf"/> on the same step, and whether one of those was on the same track.
    /// </summary>
    private static (bool Step, bool Track) AcceptedBefore(IReadOnlyList<Submission> submissions, int[] next, int first, int n, DateTimeOffset asOf)
    {
        Submission s = submissions[n];
        bool step = false;
        for (int w = first; w != n + 1; w = next[w - 1])
        {
            Submission earlier = submissions[w - 1];
            if (earlier.Decision is { Verdict: Verdict.Accepted } decision && decision.DecidedAt <= asOf && string.Equals(earlier.StepId, s.StepId, StringComparison.Ordinal))
            {
                step = true;
                if (earlier.Track == s.Track)
                {
                    return (true, true);
                }
            }
        }

        return (step, false);
    }

    /// <summary>Rearranges <paramref name="values"/> so that position <paramref name="k"/> holds the value a sort would put there, smaller or equal ones before it, and returns it.</summary>
    private static long Select(long[] values, int k)
    {
        int left = 0, right = values.Length - 1;
        while (left < right)
        {
            // median of three as the pivot: sorted or reversed input stays linear
            int mid = left + ((right - left) / 2);
            long pivot = Math.Max(Math.Min(values[left], values[mid]), Math.Min(Math.Max(values[left], values[mid]), values[right]));
            int i = left, j = right;
            while (i <= j)
            {
                while (values[i] < pivot)
                {
                    i++;
                }

                while (values[j] > pivot)
                {
                    j--;
                }

                if (i <= j)
                {
                    (values[i], values[j]) = (values[j], values[i]);
                    i++;
                    j--;
                }
            }

            if (k <= j)
            {
                right = j;
            }
            else if (k >= i)
            {
                left = i;
            }
            else
            {
                return values[k];
            }
        }

        return values[k];
    }

    /// <summary>
    /// A person's value in the report's index: their slot's number, shifted past four bits that hold whether they are in
    /// the comparison group and their track (its number + 1; 0 when they have none).
    /// </summary>
    private static class PersonKey
    {
        /// <summary>No person: an id not in the index.</summary>
        public const int None = -1;

        private const int TrackBits = 0b0111;
        private const int ComparableBit = 0b1000;
        private const int Shift = 4;

        public static int ForSlot(int slot) => slot << Shift;

        public static int Slot(int key) => key >> Shift;

        public static int WithTrack(int key, Track? track) => (key & ~TrackBits) | (track is { } t ? (int)t + 1 : 0);

        public static int Comparable(int key) => key | ComparableBit;

        public static bool IsComparable(int key) => key != None && (key & ComparableBit) != 0;

        public static Track? Track(int key) => key == None || (key & TrackBits) == 0 ? null : (Track)((key & TrackBits) - 1);
    }

    /// <summary>What the passes keep of one person: found once per event or submission by their id.</summary>
    private struct PersonSlot
    {
        /// <summary>Their track on the roster; null in triage, or when they are not on the roster.</summary>
        public Track? Track;

        /// <summary>Their first production contribution in the window, if any.</summary>
        public DateTimeOffset? FirstContribution;

        /// <summary>Distinct steps accepted by the checkpoint that are due by then on <see cref="Track"/>.</summary>
        public int DueAccepted;

        /// <summary>The position + 1 of their first and last submissions made by the checkpoint (0: none).</summary>
        public int FirstWork;

        /// <inheritdoc cref="FirstWork"/>
        public int LastWork;
    }

    /// <summary>The submissions, and each one's next by the same person (position + 1; 0: none).</summary>
    private readonly record struct Work(IReadOnlyList<Submission> All, int[] Next);

    /// <summary>One scope's running figures: what the events and submissions in it add up to, item by item.</summary>
    private sealed class ScopeTally
    {
        private readonly List<TimeSpan> feedback = [];
        private int contributions;
        private int firstSubmissions;
        private int firstPasses;
        private double hours;
        private int submitted;
        private int decided;
        private int withinWindow;
        private int overdue;
        private int escalations;
        private int firstAttempts;
        private int firstAttemptsAccepted;
        private int done;
        private int due;

        /// <summary>Active participants in the scope.</summary>
        public int People { get; set; }

        /// <summary>Distinct (person, step) demonstrations accepted by the checkpoint, counted person by person.</summary>
        public int AcceptedDemonstrations { get; set; }

        /// <summary>Each contributor's time from the start to their first contribution.</summary>
        public List<TimeSpan> FirstContributions { get; } = [];

        public void Count(OutcomeEvent e)
        {
            switch (e.Type)
            {
                case OutcomeType.ProductionContribution:
                    contributions++;
                    break;
                case OutcomeType.ModelRiskReview when e.FirstSubmission == true:
                    firstSubmissions++;
                    firstPasses += e.PassedReview ? 1 : 0;
                    break;
                case OutcomeType.AdvisorySupport:
                    hours += e.Hours ?? 0;
                    break;
            }
        }

        public void Count(Submission s, DateTimeOffset asOf)
        {
            submitted++;
            if (s.Decision is { } decision && decision.DecidedAt <= asOf)
            {
                decided++;
                feedback.Add(decision.DecidedAt - s.SubmittedAt);
                withinWindow += decision.DecidedAt <= s.DueAt ? 1 : 0;
                if (s.Attempt == 1)
                {
                    firstAttempts++;
                    firstAttemptsAccepted += decision.Verdict == Verdict.Accepted ? 1 : 0;
                }
            }
            else if (s.DueAt < asOf)
            {
                overdue++;
            }

            escalations += s.EscalatedAt <= asOf ? 1 : 0;
        }

        public void Add(int stepsDone, int stepsDue)
        {
            done += stepsDone;
            due += stepsDue;
        }

        public ScopeMetrics Metrics(string name, Baseline? baseline, Baseline? advisoryBaseline, double programMonths) =>
            new(
                name,
                People,
                new ProductionMetrics(contributions, FirstContributions.Count, Median(FirstContributions), baseline?.TimeToProduction),
                new QualityMetrics(new Share(firstPasses, firstSubmissions), baseline?.FirstPassRate, new Share(firstAttemptsAccepted, firstAttempts)),
                new AdvisoryMetrics(hours, programMonths > 0 ? hours / programMonths : null, advisoryBaseline?.AdvisoryHoursPerMonth),
                new ReviewMetrics(submitted, decided, new Share(withinWindow, decided + overdue), Median(feedback), escalations),
                AcceptedDemonstrations,
                new Share(done, due));
    }
}
