using System.Security.Claims;
using Cohorts.Domain.Access;

namespace Cohorts.Api;

/// <summary>The roles of DESIGN.md (<see cref="Roles"/>) as the hosts read them from a principal. Admin implies every other role.</summary>
public static class ApiRoles
{
    /// <summary>HR and program admins: cohorts and enrolment.</summary>
    public const string Hr = Roles.Hr;

    /// <summary>Reviewers: verdicts on submissions assigned to them.</summary>
    public const string Reviewer = Roles.Reviewer;

    /// <summary>Integrators: LMS, model-risk tooling, CI/CD, HR systems.</summary>
    public const string Integrator = Roles.Integrator;

    /// <summary>Leaders: status and reports.</summary>
    public const string Leader = Roles.Leader;

    /// <summary>Everything.</summary>
    public const string Admin = Roles.Admin;

    /// <summary>The claim an API key's cohort patterns travel in (one claim per pattern).</summary>
    public const string CohortsClaim = "cohorts";

    /// <summary>Every role name.</summary>
    public static IReadOnlyList<string> All => Roles.All;

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

    /// <summary>
    /// The caller as the access rules see them: their id, the roles they hold, every name they go by (the key's name,
    /// a token's email, preferred_username and upn) and the cohort patterns their key is confined to.
    /// </summary>
    public static Caller CallerOf(ClaimsPrincipal user)
    {
        ArgumentNullException.ThrowIfNull(user);
        string id = CallerId(user) ?? "unknown";
        List<string> roles = Roles.All.Where(user.IsInRole).ToList();
        List<string> identities = new[] { id, user.Identity?.Name }
            .Concat(user.FindAll(c => c.Type is "email" or "preferred_username" or "upn" or ClaimTypes.Email or ClaimTypes.Upn).Select(c => c.Value))
            .Where(n => !string.IsNullOrWhiteSpace(n)).Select(n => n!).Distinct(StringComparer.OrdinalIgnoreCase).ToList();
        List<string> patterns = user.FindAll(CohortsClaim).Select(c => c.Value).ToList();
        return new Caller(id, roles, identities, patterns.Count == 0 ? null : patterns);
    }
}
