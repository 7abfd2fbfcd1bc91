namespace Cohorts.Domain.Enrolment;

/// <summary>
/// Puts people on tracks, and says why. In order: an explicit track column in the source; the cohort's own rules
/// (what HR taught it for this cohort); an occupation code (ISCO-08, SOC 2018) the table of <see cref="OccupationCodes"/>
/// holds; the default rules over title, department and job family. The first that decides wins; nothing deciding
/// means triage, never a default track. An explicit override by an admin wins over all of it and is kept by the roster.
/// </summary>
public sealed class Segmenter(IReadOnlyList<SegmentationRule> rules, IReadOnlyCollection<Track>? tracksInUse = null, IReadOnlyList<SegmentationRule>? ownRules = null)
{
    /// <summary>The rule id recorded when the source named the track.</summary>
    public const string ExplicitRule = "explicit-track";

    /// <summary>The rule id recorded when no rule matched.</summary>
    public const string TriageRule = "triage";

    /// <summary>The most attribute combinations remembered; HR files repeat a few hundred titles across many rows.</summary>
    public const int MemoLimit = 10_000;

    private readonly Dictionary<(string?, string?, string?, string?, string?, string?), TrackAssignment> memo = [];

    /// <summary>The default rules, in order, after the cohort's own.</summary>
    public IReadOnlyList<SegmentationRule> Rules { get; } = rules;

    /// <summary>The cohort's own rules, in order: they come before occupation codes and the default rules.</summary>
    public IReadOnlyList<SegmentationRule> OwnRules { get; } = ownRules ?? [];

    /// <summary>The track for <paramref name="record"/>, with the rule, code or words that chose it.</summary>
    public TrackAssignment Assign(HrRecord record)
    {
        ArgumentNullException.ThrowIfNull(record);
        var key = (record.ExplicitTrack, record.JobTitle, record.Department, record.JobFamily, record.JobLevel, record.OccupationCode);
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

        var folded = new Dictionary<HrField, string>();
        return FirstMatch(OwnRules, record, folded)
            ?? ByCode(record)
            ?? FirstMatch(Rules, record, folded)
            ?? new TrackAssignment(null, TriageRule, "no rule matched; an admin places this person");
    }

    private TrackAssignment? FirstMatch(IReadOnlyList<SegmentationRule> list, HrRecord record, Dictionary<HrField, string> folded)
    {
        foreach (SegmentationRule rule in list)
        {
            if (rule.Track is { } track && !InUse(track))
            {
                continue;
            }

            string? value = record.Attribute(rule.Attribute);
            if (string.IsNullOrWhiteSpace(value))
            {
                continue;
            }

            if (rule.Folded)
            {
                if (!folded.TryGetValue(rule.Attribute, out string? text))
                {
                    folded[rule.Attribute] = text = TitleFolding.Fold(value);
                }

                value = text;
            }

            if (rule.Find(value) is { } words)
            {
                return new TrackAssignment(rule.Track, rule.Id, $"{rule.Reason} ('{words}' in the {AttributeName(rule.Attribute)})");
            }
        }

        return null;
    }

    private TrackAssignment? ByCode(HrRecord record)
    {
        if (OccupationCodes.Find(record.OccupationCode) is not { } group)
        {
            return null;
        }

        string rule = $"{OccupationCodes.RulePrefix}{group.Scheme}:{group.Prefix}";
        string code = record.OccupationCode!.Trim();
        return group.Track switch
        {
            null => new TrackAssignment(null, rule, $"occupation code {code}: {group.Reason}"),
            { } track when InUse(track) => new TrackAssignment(track, rule, $"occupation code {code}: {group.Reason}"),
            { } track => new TrackAssignment(null, rule, $"occupation code {code} means {TrackNames.Name(track)}, which is not a track of this cohort: {group.Reason}"),
        };
    }

    private static string AttributeName(HrField attribute) => attribute switch
    {
        HrField.JobTitle => "job title",
        HrField.Department => "department",
        HrField.JobFamily => "job family",
        HrField.JobLevel => "job level",
        HrField.OccupationCode => "occupation code",
        _ => "track column",
    };

    private bool InUse(Track track) => tracksInUse is null || tracksInUse.Contains(track);
}
