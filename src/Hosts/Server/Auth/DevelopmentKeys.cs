namespace Cohorts.Server.Auth;

/// <summary>
/// The published keys of a local run (the README's tour uses them). They serve only a server in the Development
/// environment that has no keys configured: any configured key (or Entra ID) replaces them all, and a server in any
/// other environment refuses to start with one of them.
/// </summary>
public static class DevelopmentKeys
{
    /// <summary>One key per role; the leader's name is the email the tour's cohorts list among their leaders.</summary>
    public static IReadOnlyList<ApiKeyEntry> All { get; } =
    [
        new() { Name = "dev-admin", Key = "dev-admin-key-not-secret", Roles = ["admin"] },
        new() { Name = "dev-hr", Key = "dev-hr-key-not-secret", Roles = ["hr"] },
        new() { Name = "cio@example.com", Key = "dev-leader-key-not-secret", Roles = ["leader"] },
        new() { Name = "dev-integrator", Key = "dev-integrator-key-not-secret", Roles = ["integrator"] },
        new() { Name = "dev-reviewer", Key = "dev-reviewer-key-not-secret", Roles = ["reviewer"] },
    ];

    /// <summary>Whether <paramref name="key"/> is one of the published keys.</summary>
    public static bool IsPublished(string key) => All.Any(k => string.Equals(k.Key, key, StringComparison.Ordinal));
}
