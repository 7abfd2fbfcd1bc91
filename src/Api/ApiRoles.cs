using System.Security.Claims;

namespace Cohorts.Api;

/// <summary>The roles of DESIGN.md. <see cref="Admin"/> implies every other role.</summary>
public static class ApiRoles
{
    /// <summary>HR and program admins: cohorts and enrolment.</summary>
    public const string Hr = "hr";

    /// <summary>Reviewers: verdicts on submissions assigned to them.</summary>
    public const string Reviewer = "reviewer";

    /// <summary>Integrators: LMS, model-risk tooling, CI/CD, HR systems.</summary>
    public const string Integrator = "integrator";

    /// <summary>Leaders: status and reports.</summary>
    public const string Leader = "leader";

    /// <summary>Everything.</summary>
    public const string Admin = "admin";

    /// <summary>Every role name.</summary>
    public static IReadOnlyList<string> All { get; } = [Hr, Reviewer, Integrator, Leader, Admin];

    /// <summary>
    /// Whether <paramref name="user"/> holds one of <paramref name="allowed"/> (or admin). An empty list means the
    /// route needs no role at all.
    /// </summary>
    public static bool Allows(ClaimsPrincipal user, IReadOnlyList<string> allowed)
    {
        ArgumentNullException.ThrowIfNull(user);
        ArgumentNullException.ThrowIfNull(allowed);
        return allowed.Count == 0 || user.IsInRole(Admin) || allowed.Any(user.IsInRole);
    }

    /// <summary>
    /// The role <paramref name="user"/> acts in on a route open to <paramref name="allowed"/>: the first of those it
    /// holds, else admin (which implies them all). Recorded where a change names who made it.
    /// </summary>
    public static string ActingRole(ClaimsPrincipal user, IReadOnlyList<string> allowed)
    {
        ArgumentNullException.ThrowIfNull(user);
        ArgumentNullException.ThrowIfNull(allowed);
        return allowed.FirstOrDefault(user.IsInRole) ?? Admin;
    }

    /// <summary>
    /// Who the caller is, as a reviewer id: the Entra ID object id when the principal has one, else its name (an API
    /// key's name in the server).
    /// </summary>
    public static string? CallerId(ClaimsPrincipal user)
    {
        ArgumentNullException.ThrowIfNull(user);
        return user.FindFirst("http://schemas.microsoft.com/identity/claims/objectidentifier")?.Value
            ?? user.FindFirst("oid")?.Value
            ?? user.Identity?.Name;
    }
}
