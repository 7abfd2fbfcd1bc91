using Cohorts.Domain.Reviews;

namespace Cohorts.Domain.Access;

/// <summary>The roles of DESIGN.md. <see cref="Admin"/> implies every other role.</summary>
public static class Roles
{
    /// <summary>HR and program admins: cohorts and enrolment.</summary>
    public const string Hr = "hr";

    /// <summary>Reviewers: verdicts on submissions assigned to them.</summary>
    public const string Reviewer = "reviewer";

    /// <summary>Integrators: LMS, model-risk tooling, CI/CD, HR systems.</summary>
    public const string Integrator = "integrator";

    /// <summary>Leaders: status and reports of the cohorts they lead.</summary>
    public const string Leader = "leader";

    /// <summary>Everything.</summary>
    public const string Admin = "admin";

    /// <summary>The work the system does on its own (schedules and workflows), as an audit entry names it.</summary>
    public const string System = "system";

    /// <summary>Every role a caller can hold.</summary>
    public static IReadOnlyList<string> All { get; } = [Hr, Reviewer, Integrator, Leader, Admin];
}

/// <summary>
/// Who is calling, as the access rules need it: an id (an API key's name or a token's object id), the roles held,
/// every name that identifies them (the key's name, a token's email, preferred_username and upn: a cohort lists its
/// leaders and program lead by email) and, when their key is confined, the cohort id patterns it is confined to.
/// </summary>
/// <param name="Id">The caller's id: a reviewer id, and what an audit entry records.</param>
/// <param name="Roles">The roles held.</param>
/// <param name="Identities">Every name the caller goes by, compared without case.</param>
/// <param name="CohortPatterns">Cohort id patterns (<c>claims-*</c>) the caller is confined to; null for every cohort.</param>
public sealed record Caller(string Id, IReadOnlyList<string> Roles, IReadOnlyList<string> Identities, IReadOnlyList<string>? CohortPatterns)
{
    /// <summary>The system itself (a schedule or a workflow), for audit entries.</summary>
    public static Caller System(string name) => new(name, [Access.Roles.System], [name], null);

    /// <summary>Whether the caller holds admin, which implies every role.</summary>
    public bool IsAdmin => Roles.Contains(Access.Roles.Admin);

    /// <summary>Whether the caller holds <paramref name="role"/> (or admin).</summary>
    public bool Holds(string role) => IsAdmin || Roles.Contains(role);

    /// <summary>Whether personal fields (names, emails, manager, job attributes) are shown to the caller: hr and admin only.</summary>
    public bool SeesPersonalData => Holds(Access.Roles.Hr);

    /// <summary>
    /// The role the caller acts in on a route open to <paramref name="routeRoles"/>: the first of them it holds, else
    /// admin (which implies them all). An audit entry records it.
    /// </summary>
    public string ActingRole(IReadOnlyList<string> routeRoles)
    {
        ArgumentNullException.ThrowIfNull(routeRoles);
        return routeRoles.FirstOrDefault(Roles.Contains) ?? (IsAdmin ? Access.Roles.Admin : Roles.Count > 0 ? Roles[0] : "none");
    }

    /// <summary>Whether the caller's key reaches <paramref name="cohortId"/> (always, when it is not confined).</summary>
    public bool InScope(string cohortId) =>
        CohortPatterns is null || CohortPatterns.Any(p => CohortPattern.Matches(p, cohortId));

    /// <summary>
    /// Whether, on a route open to <paramref name="routeRoles"/>, the caller sees every cohort without reading it:
    /// unconfined and acting as admin, hr or integrator.
    /// </summary>
    public bool SeesEveryCohort(IReadOnlyList<string> routeRoles)
    {
        ArgumentNullException.ThrowIfNull(routeRoles);
        return CohortPatterns is null && (IsAdmin || routeRoles.Any(r => r is Access.Roles.Hr or Access.Roles.Integrator && Roles.Contains(r)));
    }

    /// <summary>
    /// Whether, on a route open to <paramref name="routeRoles"/>, the caller may see the cohort planned by
    /// <paramref name="plan"/>: within the key's patterns, and then as admin, hr or integrator always; as a leader when
    /// the plan lists them among its leaders; as a reviewer when it lists them as a reviewer or its program lead.
    /// </summary>
    public bool MaySee(CohortPlan plan, IReadOnlyList<string> routeRoles)
    {
        ArgumentNullException.ThrowIfNull(plan);
        ArgumentNullException.ThrowIfNull(routeRoles);
        if (!InScope(plan.Id))
        {
            return false;
        }

        return SeesEveryCohort(routeRoles) || IsAdmin || routeRoles.Where(Roles.Contains).Any(role => role switch
        {
            Access.Roles.Hr or Access.Roles.Integrator => true,
            Access.Roles.Leader => plan.Leaders.Any(Is),
            Access.Roles.Reviewer => Is(plan.ProgramLead) || plan.Reviewers.Any(r => Is(r.Id)),
            _ => false,
        });
    }

    /// <summary>
    /// Whether, on a route open to <paramref name="routeRoles"/>, the caller may see <paramref name="submission"/>:
    /// within the key's patterns, and then as admin, hr or integrator always; as a reviewer when it is assigned to
    /// them or escalated to them.
    /// </summary>
    public bool MaySee(Submission submission, IReadOnlyList<string> routeRoles)
    {
        ArgumentNullException.ThrowIfNull(submission);
        ArgumentNullException.ThrowIfNull(routeRoles);
        return InScope(submission.CohortId)
            && (IsAdmin || routeRoles.Where(Roles.Contains).Any(role => role switch
            {
                Access.Roles.Hr or Access.Roles.Integrator => true,
                Access.Roles.Reviewer => Identities.Any(submission.MayBeDecidedBy),
                _ => false,
            }));
    }

    /// <summary>Whether <paramref name="name"/> is one of the caller's identities.</summary>
    public bool Is(string? name) => name is not null && Identities.Contains(name, StringComparer.OrdinalIgnoreCase);
}

/// <summary>Cohort id patterns on an API key: an id, or a prefix ending in <c>*</c> (<c>claims-*</c>), or <c>*</c>.</summary>
public static class CohortPattern
{
    /// <summary>Why <paramref name="pattern"/> is not a pattern, or null when it is.</summary>
    public static string? Validate(string? pattern)
    {
        if (string.IsNullOrWhiteSpace(pattern))
        {
            return "is empty";
        }

        string stem = pattern.EndsWith('*') ? pattern[..^1] : pattern;
        return stem.Contains('*', StringComparison.Ordinal) ? "may hold '*' only at its end"
            : stem.Length > 0 && !stem.All(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '_' or '.') ? "may hold only letters, digits, '-', '_', '.' and a final '*'"
            : null;
    }

    /// <summary>Whether <paramref name="cohortId"/> matches <paramref name="pattern"/>, exactly as written (case counts).</summary>
    public static bool Matches(string pattern, string cohortId)
    {
        ArgumentNullException.ThrowIfNull(pattern);
        ArgumentNullException.ThrowIfNull(cohortId);
        return pattern.EndsWith('*')
            ? cohortId.StartsWith(pattern[..^1], StringComparison.Ordinal)
            : string.Equals(pattern, cohortId, StringComparison.Ordinal);
    }
}
