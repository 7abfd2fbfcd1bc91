using System.Text.RegularExpressions;

namespace Cohorts.Domain.Enrolment;

/// <summary>
/// One ordered rule: when <see cref="Attribute"/> matches <see cref="Pattern"/> (a case-insensitive regular
/// expression), the person goes to <see cref="Track"/>. The first matching rule wins and is recorded.
/// </summary>
public sealed record SegmentationRule(string Id, HrField Attribute, string Pattern, Track Track, string Reason)
{
    private Regex? regex;

    /// <summary>Whether the rule matches <paramref name="record"/>.</summary>
    public bool Matches(HrRecord record)
    {
        ArgumentNullException.ThrowIfNull(record);
        string? value = record.Attribute(Attribute);
        if (string.IsNullOrWhiteSpace(value))
        {
            return false;
        }

        // the timeout guards a cohort's own rules against runaway backtracking; it is generous because a match on a busy
        // two-core machine was seen to pass 100 ms (the thread preempted, not the pattern slow)
        regex ??= new Regex(Pattern, RegexOptions.IgnoreCase | RegexOptions.CultureInvariant | RegexOptions.Compiled, TimeSpan.FromSeconds(2));
        return regex.IsMatch(value.Trim());
    }
}

/// <summary>The track a person was given and why: the rule that chose it, or triage (no track) when none matched.</summary>
public sealed record TrackAssignment(Track? Track, string Rule, string Reason)
{
    /// <summary>Whether nobody's rule matched: an admin places the person by hand.</summary>
    public bool IsTriage => Track is null;
}
