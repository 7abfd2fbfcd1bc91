using System.Text.RegularExpressions;

namespace Cohorts.Domain.Enrolment;

/// <summary>
/// One ordered rule: when <see cref="Attribute"/> matches <see cref="Pattern"/> (a case-insensitive regular
/// expression), the person goes to <see cref="Track"/>, or to triage when the rule names none (roles with no part in
/// an AI use case, or a title a person would hesitate over). The first matching rule wins and is recorded with the
/// words it matched. A <see cref="Folded"/> rule reads the value as <see cref="TitleFolding"/> folds it.
/// </summary>
public sealed record SegmentationRule(string Id, HrField Attribute, string Pattern, Track? Track, string Reason, bool Folded = false)
{
    private Regex? regex;

    /// <summary>Whether the rule matches <paramref name="record"/>.</summary>
    public bool Matches(HrRecord record)
    {
        ArgumentNullException.ThrowIfNull(record);
        string? value = record.Attribute(Attribute);
        return Find(Folded ? TitleFolding.Fold(value) : value) is not null;
    }

    /// <summary>The words of <paramref name="value"/> (already folded when the rule is) that the rule matched; null when it does not match.</summary>
    public string? Find(string? value)
    {
        if (string.IsNullOrWhiteSpace(value))
        {
            return null;
        }

        // the timeout guards a cohort's own rules against runaway backtracking; it is generous because a match on a busy
        // two-core machine was seen to pass 100 ms (the thread preempted, not the pattern slow)
        regex ??= new Regex(Pattern, RegexOptions.IgnoreCase | RegexOptions.CultureInvariant | RegexOptions.Compiled, TimeSpan.FromSeconds(2));
        Match match = regex.Match(value.Trim());
        return match.Success ? (match.Length > 0 ? match.Value.Trim() : value.Trim()) : null;
    }
}

/// <summary>The track a person was given and why: the rule that chose it, or triage (no track) when none matched.</summary>
public sealed record TrackAssignment(Track? Track, string Rule, string Reason)
{
    /// <summary>Whether nobody's rule matched: an admin places the person by hand.</summary>
    public bool IsTriage => Track is null;
}
