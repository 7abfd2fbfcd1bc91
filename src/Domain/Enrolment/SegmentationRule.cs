using System.Text.RegularExpressions;

namespace Cohorts.Domain.Enrolment;

/// <summary>
/// One ordered rule: when <see cref="Attribute"/> matches <see cref="Pattern"/> (a case-insensitive regular
/// expression), the person goes to <see cref="Track"/>, or to triage when the rule names none (roles with no part in
/// an AI use case, or a title a person would hesitate over). The first matching rule wins and is recorded with the
/// words it matched. A <see cref="Folded"/> rule reads the value as <see cref="TitleFolding"/> folds it; a
/// <see cref="Linear"/> rule (a cohort's own) runs on the linear-time engine, which no pattern can make backtrack.
/// </summary>
public sealed record SegmentationRule(string Id, HrField Attribute, string Pattern, Track? Track, string Reason, bool Folded = false, bool Linear = false)
{
    private Regex? regex;

    /// <summary>The words of <paramref name="value"/> (already folded when the rule is) that the rule matched; null when it does not match.</summary>
    public string? Find(string? value)
    {
        if (string.IsNullOrWhiteSpace(value))
        {
            return null;
        }

        regex ??= Compile(Pattern, Linear);
        Match match = regex.Match(value.Trim());
        return match.Success ? (match.Length > 0 ? match.Value.Trim() : value.Trim()) : null;
    }

    /// <summary>
    /// The case-insensitive regular expression of <paramref name="pattern"/>; throws <see cref="ArgumentException"/> when it
    /// is not one, <see cref="NotSupportedException"/> when <paramref name="linear"/> and it needs backtracking.
    /// </summary>
    public static Regex Compile(string pattern, bool linear) =>
        // the timeout is generous because a match on a busy two-core machine was seen to pass 100 ms (the thread
        // preempted, not the pattern slow); the linear engine needs none, and refuses lookarounds and backreferences
        linear
            ? new Regex(pattern, RegexOptions.IgnoreCase | RegexOptions.CultureInvariant | RegexOptions.NonBacktracking, TimeSpan.FromSeconds(2))
            : new Regex(pattern, RegexOptions.IgnoreCase | RegexOptions.CultureInvariant | RegexOptions.Compiled, TimeSpan.FromSeconds(2));
}

/// <summary>The track a person was given and why: the rule that chose it, or triage (no track) when none matched.</summary>
public sealed record TrackAssignment(Track? Track, string Rule, string Reason)
{
    /// <summary>Whether nobody's rule matched: an admin places the person by hand.</summary>
    public bool IsTriage => Track is null;
}
