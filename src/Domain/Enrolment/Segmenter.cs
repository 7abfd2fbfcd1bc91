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

    /// <summary>The rules, in order.</summary>
    public IReadOnlyList<SegmentationRule> Rules { get; } = rules;

    /// <summary>The track for <paramref name="record"/>, with the rule that chose it.</summary>
    public TrackAssignment Assign(HrRecord record)
    {
        ArgumentNullException.ThrowIfNull(record);
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
