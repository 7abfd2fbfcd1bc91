namespace Cohorts.Domain.Enrolment;

/// <summary>
/// Puts people on tracks with ordered rules. An explicit track column in the source wins over the rules (an explicit
/// override by an admin wins over both, and is kept by the roster); no match means triage, never a default track.
/// </summary>
public sealed class Segmenter(IReadOnlyList<SegmentationRule> rules, IReadOnlyCollection<Track>? tracksInUse = null)
{
    /// <summary>The rule id recorded when the source named the track.</summary>
    public const string ExplicitRule = "explicit-track";

    /// <summary>The rule id recorded when no rule matched.</summary>
    public const string TriageRule = "triage";

    /// <summary>The most attribute combinations remembered; HR files repeat a few hundred titles across many rows.</summary>
    public const int MemoLimit = 10_000;

    private readonly Dictionary<(string?, string?, string?, string?, string?), TrackAssignment> memo = [];

    /// <summary>The rules, in order.</summary>
    public IReadOnlyList<SegmentationRule> Rules { get; } = rules;

    /// <summary>The track for <paramref name="record"/>, with the rule that chose it.</summary>
    public TrackAssignment Assign(HrRecord record)
    {
        ArgumentNullException.ThrowIfNull(record);
        var key = (record.ExplicitTrack, record.JobTitle, record.Department, record.JobFamily, record.JobLevel);
        if (memo.TryGetValue(key, out TrackAssignment? known))
        {
            return known;
        }

        TrackAssignment assignment = Evaluate(record);
        if (memo.Count < MemoLimit)
        {
            memo[key] = assignment;
        }

        return assignment;
    }

    private TrackAssignment Evaluate(HrRecord record)
    {
        if (!string.IsNullOrWhiteSpace(record.ExplicitTrack))
        {
            return TrackNames.TryParse(record.ExplicitTrack, out Track named) && InUse(named)
                ? new TrackAssignment(named, ExplicitRule, $"the source names the track '{record.ExplicitTrack.Trim()}'")
                : new TrackAssignment(null, TriageRule, $"the source names '{record.ExplicitTrack.Trim()}', which is not a track of this cohort");
        }

        foreach (SegmentationRule rule in Rules)
        {
            if (rule.Matches(record) && InUse(rule.Track))
            {
                return new TrackAssignment(rule.Track, rule.Id, rule.Reason);
            }
        }

        return new TrackAssignment(null, TriageRule, "no rule matched; an admin places this person");
    }

    private bool InUse(Track track) => tracksInUse is null || tracksInUse.Contains(track);
}
