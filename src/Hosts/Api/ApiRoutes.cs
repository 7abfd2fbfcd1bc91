namespace Cohorts.Api;

/// <summary>One operation of the API: its name (the Functions function name too), method, route below <c>/api</c>, and the roles allowed.</summary>
public sealed record ApiRoute(string Name, string Method, string Template, IReadOnlyList<string> Roles)
{
    /// <summary>Whether the route is open to anyone, without a key.</summary>
    public bool IsAnonymous => Roles.Count == 0;
}

/// <summary>
/// The operations and who may call them. Each host keeps its own route table (endpoints in the server, function
/// attributes in Functions) that refers to these for names and roles; a test checks that the two tables agree.
/// </summary>
public static class ApiRoutes
{
    /// <summary>Liveness and backend reachability.</summary>
    public static readonly ApiRoute Health = new("Health", "GET", "health", []);

    /// <summary>The OpenAPI document.</summary>
    public static readonly ApiRoute OpenApi = new("OpenApi", "GET", "openapi.json", []);

    /// <summary>Create a cohort and start its lifecycle.</summary>
    public static readonly ApiRoute CreateCohort = new("CreateCohort", "POST", "cohorts", [ApiRoles.Hr]);

    /// <summary>A cohort's status, roster, reviews and checkpoints.</summary>
    public static readonly ApiRoute GetCohort = new("GetCohort", "GET", "cohorts/{cohortId}", [ApiRoles.Hr, ApiRoles.Leader]);

    /// <summary>Stop a cohort's lifecycle.</summary>
    public static readonly ApiRoute CancelCohort = new("CancelCohort", "POST", "cohorts/{cohortId}/cancel", [ApiRoles.Hr]);

    /// <summary>Every route.</summary>
    public static IReadOnlyList<ApiRoute> All { get; } = [Health, OpenApi, CreateCohort, GetCohort, CancelCohort];
}
