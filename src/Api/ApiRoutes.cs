namespace Cohorts.Api;

/// <summary>One operation of the API: its name (the Functions function name too), method, route below <c>/api</c>, and the roles allowed.</summary>
public sealed record ApiRoute(string Name, string Method, string Template, IReadOnlyList<string> Roles)
{
    /// <summary>Whether the route is open to anyone, without a key.</summary>
    public bool IsAnonymous => Roles.Count == 0;

    /// <summary>Every route parameter's value in <paramref name="path"/>, by name; empty when the path does not fit the template.</summary>
    public IReadOnlyDictionary<string, string> ValuesIn(string path)
    {
        ArgumentNullException.ThrowIfNull(path);
        return Template.Split('/').Where(p => p.StartsWith('{')).Select(p => p.Trim('{', '}'))
            .Select(name => (Name: name, Value: ValueIn(path, name)))
            .Where(p => p.Value is not null)
            .ToDictionary(p => p.Name, p => p.Value!, StringComparer.Ordinal);
    }

    /// <summary>
    /// The value of <c>{<paramref name="parameter"/>}</c> in <paramref name="path"/> (<c>/api/cohorts/x/imports</c>),
    /// read by laying the path over the template; null when the path does not fit it.
    /// </summary>
    public string? ValueIn(string path, string parameter)
    {
        ArgumentNullException.ThrowIfNull(path);
        string[] given = path.Trim('/').Split('/');
        string[] wanted = ("api/" + Template).Split('/');
        if (given.Length != wanted.Length)
        {
            return null;
        }

        for (int i = 0; i < wanted.Length; i++)
        {
            if (wanted[i] == "{" + parameter + "}")
            {
                return Uri.UnescapeDataString(given[i]);
            }

            if (!wanted[i].StartsWith('{') && !string.Equals(wanted[i], given[i], StringComparison.OrdinalIgnoreCase))
            {
                return null;
            }
        }

        return null;
    }
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

    /// <summary>The browsable API reference.</summary>
    public static readonly ApiRoute Docs = new("Docs", "GET", "docs", []);

    /// <summary>Create a cohort and start its lifecycle.</summary>
    public static readonly ApiRoute CreateCohort = new("CreateCohort", "POST", "cohorts", [ApiRoles.Hr]);

    /// <summary>The cohorts, by status, paged.</summary>
    public static readonly ApiRoute ListCohorts = new("ListCohorts", "GET", "cohorts", [ApiRoles.Hr, ApiRoles.Leader]);

    /// <summary>A cohort's status, roster, reviews and checkpoints.</summary>
    public static readonly ApiRoute GetCohort = new("GetCohort", "GET", "cohorts/{cohortId}", [ApiRoles.Hr, ApiRoles.Leader]);

    /// <summary>Change a cohort's plan (JSON merge patch, If-Match).</summary>
    public static readonly ApiRoute PatchCohort = new("PatchCohort", "PATCH", "cohorts/{cohortId}", [ApiRoles.Hr]);

    /// <summary>Stop a cohort's lifecycle.</summary>
    public static readonly ApiRoute CancelCohort = new("CancelCohort", "POST", "cohorts/{cohortId}/cancel", [ApiRoles.Hr]);

    /// <summary>Enrol from an HR export.</summary>
    public static readonly ApiRoute StartImport = new("StartImport", "POST", "cohorts/{cohortId}/imports", [ApiRoles.Hr]);

    /// <summary>A cohort's imports, newest first.</summary>
    public static readonly ApiRoute ListImports = new("ListImports", "GET", "cohorts/{cohortId}/imports", [ApiRoles.Hr]);

    /// <summary>An import's diff and state.</summary>
    public static readonly ApiRoute GetImport = new("GetImport", "GET", "cohorts/{cohortId}/imports/{importId}", [ApiRoles.Hr]);

    /// <summary>Apply a dry run.</summary>
    public static readonly ApiRoute ApplyImport = new("ApplyImport", "POST", "cohorts/{cohortId}/imports/{importId}/apply", [ApiRoles.Hr]);

    /// <summary>The roster, paged.</summary>
    public static readonly ApiRoute ListParticipants = new("ListParticipants", "GET", "cohorts/{cohortId}/participants", [ApiRoles.Hr]);

    /// <summary>One participant.</summary>
    public static readonly ApiRoute GetParticipant = new("GetParticipant", "GET", "cohorts/{cohortId}/participants/{participantId}", [ApiRoles.Hr, ApiRoles.Integrator]);

    /// <summary>Place or override a participant's track.</summary>
    public static readonly ApiRoute SetParticipantTrack = new("SetParticipantTrack", "PUT", "cohorts/{cohortId}/participants/{participantId}/track", [ApiRoles.Hr]);

    /// <summary>A participant's work for a demonstration step; starts its review.</summary>
    public static readonly ApiRoute CreateSubmission = new("CreateSubmission", "POST", "cohorts/{cohortId}/submissions", [ApiRoles.Integrator]);

    /// <summary>Submissions by cohort, status and reviewer, oldest due first; a reviewer's own queue.</summary>
    public static readonly ApiRoute ListSubmissions = new("ListSubmissions", "GET", "submissions", [ApiRoles.Reviewer, ApiRoles.Integrator, ApiRoles.Hr]);

    /// <summary>A submission's review state, SLA clock and verdict.</summary>
    public static readonly ApiRoute GetSubmission = new("GetSubmission", "GET", "submissions/{submissionId}", [ApiRoles.Integrator, ApiRoles.Reviewer]);

    /// <summary>A verdict on a submission.</summary>
    public static readonly ApiRoute ReviewSubmission = new("ReviewSubmission", "POST", "submissions/{submissionId}/review", [ApiRoles.Reviewer]);

    /// <summary>The roster and assignments as an LMS import (canvas, moodle, oneroster), zipped.</summary>
    public static readonly ApiRoute ExportLms = new("ExportLms", "GET", "cohorts/{cohortId}/lms/{format}", [ApiRoles.Hr, ApiRoles.Integrator]);

    /// <summary>An LMS completion report (CSV) marking steps without a review done.</summary>
    public static readonly ApiRoute ImportCompletions = new("ImportCompletions", "POST", "cohorts/{cohortId}/completions", [ApiRoles.Hr, ApiRoles.Integrator]);

    /// <summary>One file of the use case's data extract, stored into its container (local runs and demos).</summary>
    public static readonly ApiRoute PutExtractFile = new("PutExtractFile", "PUT", "cohorts/{cohortId}/extract/{fileName}", [ApiRoles.Hr]);

    /// <summary>A short-lived read-and-list link to the use case's data extract, for an active participant.</summary>
    public static readonly ApiRoute IssueSandboxAccess = new("IssueSandboxAccess", "POST", "cohorts/{cohortId}/participants/{participantId}/sandbox-access", [ApiRoles.Hr, ApiRoles.Integrator]);

    /// <summary>xAPI statements from learning platforms: one or an array.</summary>
    public static readonly ApiRoute PostStatements = new("PostStatements", "POST", "xapi/statements", [ApiRoles.Integrator]);

    /// <summary>One xAPI statement under its id.</summary>
    public static readonly ApiRoute PutStatement = new("PutStatement", "PUT", "xapi/statements", [ApiRoles.Integrator]);

    /// <summary>Stored xAPI statements: one by id, or by time.</summary>
    public static readonly ApiRoute GetStatements = new("GetStatements", "GET", "xapi/statements", [ApiRoles.Integrator]);

    /// <summary>An outcome event: production contribution, model-risk review result or advisory hours.</summary>
    public static readonly ApiRoute PostOutcome = new("PostOutcome", "POST", "cohorts/{cohortId}/outcomes", [ApiRoles.Integrator]);

    /// <summary>Each checkpoint's report: state, links, who was sent it.</summary>
    public static readonly ApiRoute ListReports = new("ListReports", "GET", "cohorts/{cohortId}/reports", [ApiRoles.Leader]);

    /// <summary>A checkpoint's report (an ordinal or final) as HTML, CSV or JSON.</summary>
    public static readonly ApiRoute GetReport = new("GetReport", "GET", "cohorts/{cohortId}/reports/{checkpoint}", [ApiRoles.Leader]);

    /// <summary>Subscribe a URL to events.</summary>
    public static readonly ApiRoute CreateSubscription = new("CreateSubscription", "POST", "subscriptions", [ApiRoles.Integrator]);

    /// <summary>The subscriptions.</summary>
    public static readonly ApiRoute ListSubscriptions = new("ListSubscriptions", "GET", "subscriptions", [ApiRoles.Integrator]);

    /// <summary>One subscription.</summary>
    public static readonly ApiRoute GetSubscription = new("GetSubscription", "GET", "subscriptions/{subscriptionId}", [ApiRoles.Integrator]);

    /// <summary>Delete a subscription.</summary>
    public static readonly ApiRoute DeleteSubscription = new("DeleteSubscription", "DELETE", "subscriptions/{subscriptionId}", [ApiRoles.Integrator]);

    /// <summary>A subscription's deliveries.</summary>
    public static readonly ApiRoute ListDeliveries = new("ListDeliveries", "GET", "subscriptions/{subscriptionId}/deliveries", [ApiRoles.Integrator]);

    /// <summary>A cohort's audit log, newest first.</summary>
    public static readonly ApiRoute ListAudit = new("ListAudit", "GET", "cohorts/{cohortId}/audit", [ApiRoles.Hr]);

    /// <summary>Erase one person's personal data (one cohort, or all).</summary>
    public static readonly ApiRoute StartErasure = new("StartErasure", "POST", "erasures", [ApiRoles.Hr]);

    /// <summary>An erasure's state and what it erased.</summary>
    public static readonly ApiRoute GetErasure = new("GetErasure", "GET", "erasures/{erasureId}", [ApiRoles.Hr]);

    /// <summary>Every route.</summary>
    public static IReadOnlyList<ApiRoute> All { get; } =
        [Health, OpenApi, Docs, CreateCohort, ListCohorts, GetCohort, PatchCohort, CancelCohort, StartImport, ListImports, GetImport, ApplyImport, ListParticipants, GetParticipant, SetParticipantTrack, PutExtractFile, IssueSandboxAccess,
         CreateSubmission, ListSubmissions, GetSubmission, ReviewSubmission, ExportLms, ImportCompletions, PostStatements, PutStatement, GetStatements, PostOutcome, ListReports, GetReport,
         CreateSubscription, ListSubscriptions, GetSubscription, DeleteSubscription, ListDeliveries, ListAudit, StartErasure, GetErasure];
}
