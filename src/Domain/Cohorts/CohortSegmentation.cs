using System.Text.RegularExpressions;
using Cohorts.Domain.Enrolment;

namespace Cohorts.Domain;

/// <summary>
/// A cohort's own segmentation rules, as HR writes them in the plan: what HR teaches the cohort after reading an import's
/// triage by title. Each rule matches one attribute (jobTitle, department, jobFamily, jobLevel, occupationCode) with a
/// case-insensitive regular expression over the value as the export writes it, and names a track or <c>triage</c>.
/// They run before occupation codes and the default rules, in order; the first match wins, and applies from the next
/// import. Patterns run on a linear-time engine, so no pattern can hold an import up by backtracking.
/// </summary>
public static class CohortSegmentation
{
    /// <summary>The most rules a plan may hold.</summary>
    public const int MaxRules = 50;

    /// <summary>The longest pattern.</summary>
    public const int MaxPatternLength = 500;

    /// <summary>The longest reason.</summary>
    public const int MaxReasonLength = 300;

    /// <summary>The name of the triage "track" in a rule.</summary>
    public const string Triage = "triage";

    private static readonly Regex IdShape = new("^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$", RegexOptions.CultureInvariant);

    private static readonly HashSet<string> ReservedIds = new(
        DefaultSegmentationRules.All.Select(r => r.Id).Concat([Segmenter.ExplicitRule, Segmenter.TriageRule, "override", "absent", "terminated", "attributes"]),
        StringComparer.OrdinalIgnoreCase);

    private static readonly Dictionary<string, HrField> Attributes = new(StringComparer.Ordinal)
    {
        ["jobTitle"] = HrField.JobTitle,
        ["department"] = HrField.Department,
        ["jobFamily"] = HrField.JobFamily,
        ["jobLevel"] = HrField.JobLevel,
        ["occupationCode"] = HrField.OccupationCode,
    };

    /// <summary>The rules of <paramref name="drafts"/>, or null when there are none; every problem is added to <paramref name="errors"/>, naming its field.</summary>
    public static IReadOnlyList<SegmentationRule>? Read(IReadOnlyList<SegmentationRuleDraft?>? drafts, IReadOnlyList<Track> tracks, List<PlanError> errors)
    {
        ArgumentNullException.ThrowIfNull(tracks);
        ArgumentNullException.ThrowIfNull(errors);
        if (drafts is null || drafts.Count == 0)
        {
            return null;
        }

        if (drafts.Count > MaxRules)
        {
            errors.Add(new PlanError("segmentation", "tooMany", $"segmentation holds at most {MaxRules} rules."));
            return null;
        }

        var rules = new List<SegmentationRule>();
        var ids = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
        for (int i = 0; i < drafts.Count; i++)
        {
            string at = $"segmentation[{i}]";
            if (drafts[i] is not { } draft)
            {
                errors.Add(new PlanError(at, "required", $"{at} is empty."));
                continue;
            }

            int before = errors.Count;
            string id = draft.Id?.Trim() ?? string.Empty;
            if (!IdShape.IsMatch(id))
            {
                errors.Add(new PlanError($"{at}.id", id.Length == 0 ? "required" : "invalidId", $"{at}.id is 1 to 64 letters, digits, '.', '_' or '-', starting with a letter or digit."));
            }
            else if (ReservedIds.Contains(id) || id.StartsWith(OccupationCodes.RulePrefix, StringComparison.OrdinalIgnoreCase))
            {
                errors.Add(new PlanError($"{at}.id", "reservedId", $"{at}.id '{id}' names a default rule or a placement of the product; choose another."));
            }
            else if (!ids.Add(id))
            {
                errors.Add(new PlanError($"{at}.id", "duplicateId", $"{at}.id '{id}' is used by an earlier rule."));
            }

            HrField attribute = default;
            if (draft.Attribute is null || !Attributes.TryGetValue(draft.Attribute, out attribute))
            {
                errors.Add(new PlanError($"{at}.attribute", "unknownAttribute", $"{at}.attribute is one of {string.Join(", ", Attributes.Keys)}."));
            }

            string pattern = draft.Pattern ?? string.Empty;
            if (string.IsNullOrWhiteSpace(pattern) || pattern.Length > MaxPatternLength)
            {
                errors.Add(new PlanError($"{at}.pattern", pattern.Length == 0 ? "required" : "tooLong", $"{at}.pattern is a regular expression of 1 to {MaxPatternLength} characters."));
            }
            else if (PatternProblem(pattern) is { } problem)
            {
                errors.Add(new PlanError($"{at}.pattern", "invalidPattern", $"{at}.pattern is not a regular expression this engine runs: {problem}"));
            }

            Track? track = null;
            if (draft.Track != Triage)
            {
                if (!TrackNames.TryParse(draft.Track, out Track named))
                {
                    errors.Add(new PlanError($"{at}.track", "unknownTrack", $"{at}.track is one of {string.Join(", ", TrackNames.All)} or {Triage}."));
                }
                else if (!tracks.Contains(named))
                {
                    errors.Add(new PlanError($"{at}.track", "trackNotInUse", $"{at}.track '{draft.Track}' is not a track of this cohort ({string.Join(", ", tracks.Select(TrackNames.Name))})."));
                }
                else
                {
                    track = named;
                }
            }

            string reason = draft.Reason?.Trim() is { Length: > 0 } given ? given : $"the cohort's rule {id}";
            if (reason.Length > MaxReasonLength)
            {
                errors.Add(new PlanError($"{at}.reason", "tooLong", $"{at}.reason must be at most {MaxReasonLength} characters."));
            }

            if (errors.Count == before)
            {
                rules.Add(new SegmentationRule(id, attribute, pattern, track, reason, Linear: true));
            }
        }

        return rules;
    }

    /// <summary>The draft of <paramref name="rule"/>, as a plan patch starts from.</summary>
    public static SegmentationRuleDraft Draft(SegmentationRule rule)
    {
        ArgumentNullException.ThrowIfNull(rule);
        return new SegmentationRuleDraft
        {
            Id = rule.Id,
            Attribute = Attributes.First(a => a.Value == rule.Attribute).Key,
            Pattern = rule.Pattern,
            Track = rule.Track is { } track ? TrackNames.Name(track) : Triage,
            Reason = rule.Reason,
        };
    }

    private static string? PatternProblem(string pattern)
    {
        try
        {
            _ = SegmentationRule.Compile(pattern, linear: true);
            return null;
        }
        catch (ArgumentException problem)
        {
            return problem.Message;
        }
        catch (NotSupportedException problem)
        {
            return problem.Message; // lookarounds and backreferences: the linear engine has none
        }
    }
}
