using Cohorts.Api;
using Cohorts.Server.Hosting;
using Microsoft.AspNetCore.Authorization;
using Microsoft.DurableTask.Client;

namespace Cohorts.Server.Endpoints;

/// <summary>
/// The server's route table: each route of <see cref="ApiRoutes"/> mapped to its shared handler with its roles. The
/// Functions host has the same table as function attributes; a test checks that the two agree.
/// </summary>
public static class CohortsApiRoutes
{
    /// <summary>Maps every route under <c>/api</c>.</summary>
    public static IEndpointRouteBuilder MapCohortsApi(this IEndpointRouteBuilder app)
    {
        RouteGroupBuilder api = app.MapGroup("/api");
        Secure(api.MapGet("/health", (SystemEndpoints h, DurableTaskClient c, CancellationToken ct) => h.HealthAsync(c, ct)), ApiRoutes.Health);
        Secure(api.MapGet("/openapi.json", SystemEndpoints.OpenApi), ApiRoutes.OpenApi);
        Secure(api.MapGet("/docs", SystemEndpoints.Docs), ApiRoutes.Docs);
        Secure(api.MapPost("/cohorts", (HttpRequest r, CohortEndpoints h, DurableTaskClient c, CancellationToken ct) => h.CreateCohortAsync(r, c, ct)), ApiRoutes.CreateCohort);
        Secure(api.MapGet("/cohorts", (HttpRequest r, CohortEndpoints h, CancellationToken ct) => h.ListCohortsAsync(r, ct)), ApiRoutes.ListCohorts);
        Secure(api.MapGet("/cohorts/{cohortId}", (string cohortId, CohortEndpoints h, DurableTaskClient c, CancellationToken ct) => h.GetCohortAsync(cohortId, c, ct)), ApiRoutes.GetCohort);
        Secure(api.MapPatch("/cohorts/{cohortId}", (HttpRequest r, string cohortId, CohortEndpoints h, DurableTaskClient c, CancellationToken ct) => h.PatchCohortAsync(r, cohortId, c, ct)), ApiRoutes.PatchCohort);
        Secure(api.MapPost("/cohorts/{cohortId}/cancel", (string cohortId, CohortEndpoints h, DurableTaskClient c, CancellationToken ct) => h.CancelCohortAsync(cohortId, c, ct)), ApiRoutes.CancelCohort);
        Secure(api.MapPost("/cohorts/{cohortId}/imports", (HttpRequest r, string cohortId, EnrolmentEndpoints h, DurableTaskClient c, CancellationToken ct) => h.StartImportAsync(r, cohortId, c, ct)), ApiRoutes.StartImport);
        Secure(api.MapGet("/cohorts/{cohortId}/imports", (HttpRequest r, string cohortId, EnrolmentEndpoints h, CancellationToken ct) => h.ListImportsAsync(r, cohortId, ct)), ApiRoutes.ListImports);
        Secure(api.MapGet("/cohorts/{cohortId}/imports/{importId}", (HttpRequest r, string cohortId, string importId, EnrolmentEndpoints h, CancellationToken ct) => h.GetImportAsync(r, cohortId, importId, ct)), ApiRoutes.GetImport);
        Secure(api.MapPost("/cohorts/{cohortId}/imports/{importId}/apply", (HttpRequest r, string cohortId, string importId, EnrolmentEndpoints h, DurableTaskClient c, CancellationToken ct) => h.ApplyImportAsync(r, cohortId, importId, c, ct)), ApiRoutes.ApplyImport);
        Secure(api.MapGet("/cohorts/{cohortId}/participants", (HttpRequest r, string cohortId, EnrolmentEndpoints h, CancellationToken ct) => h.ListParticipantsAsync(r, cohortId, ct)), ApiRoutes.ListParticipants);
        Secure(api.MapGet("/cohorts/{cohortId}/participants/{participantId}", (HttpRequest r, string cohortId, string participantId, EnrolmentEndpoints h, CancellationToken ct) => h.GetParticipantAsync(r, cohortId, participantId, ct)), ApiRoutes.GetParticipant);
        Secure(api.MapPut("/cohorts/{cohortId}/participants/{participantId}/track", (HttpRequest r, string cohortId, string participantId, EnrolmentEndpoints h, CancellationToken ct) => h.SetTrackAsync(r, cohortId, participantId, ct)), ApiRoutes.SetParticipantTrack);
        Secure(api.MapPut("/cohorts/{cohortId}/extract/{fileName}", (HttpRequest r, string cohortId, string fileName, PracticeEndpoints h, CancellationToken ct) => h.PutExtractAsync(r, cohortId, fileName, ct)), ApiRoutes.PutExtractFile);
        Secure(api.MapPost("/cohorts/{cohortId}/participants/{participantId}/sandbox-access", (string cohortId, string participantId, PracticeEndpoints h, CancellationToken ct) => h.IssueSandboxAccessAsync(cohortId, participantId, ct)), ApiRoutes.IssueSandboxAccess);
        Secure(api.MapPost("/cohorts/{cohortId}/submissions", (HttpRequest r, string cohortId, ReviewEndpoints h, DurableTaskClient c, CancellationToken ct) => h.SubmitAsync(r, cohortId, c, ct)), ApiRoutes.CreateSubmission);
        Secure(api.MapGet("/submissions", (HttpRequest r, ReviewEndpoints h, CancellationToken ct) => h.ListAsync(r, ct)), ApiRoutes.ListSubmissions);
        Secure(api.MapGet("/submissions/{submissionId}", (HttpRequest r, string submissionId, ReviewEndpoints h, CancellationToken ct) => h.GetAsync(r, submissionId, ct)), ApiRoutes.GetSubmission);
        Secure(api.MapPost("/submissions/{submissionId}/review", (HttpRequest r, string submissionId, ReviewEndpoints h, DurableTaskClient c, CancellationToken ct) => h.ReviewAsync(r, submissionId, c, ct)), ApiRoutes.ReviewSubmission);
        Secure(api.MapGet("/cohorts/{cohortId}/lms/{format}", (string cohortId, string format, LmsEndpoints h, CancellationToken ct) => h.ExportAsync(cohortId, format, ct)), ApiRoutes.ExportLms);
        Secure(api.MapPost("/cohorts/{cohortId}/completions", (HttpRequest r, string cohortId, LmsEndpoints h, CancellationToken ct) => h.ImportCompletionsAsync(r, cohortId, ct)), ApiRoutes.ImportCompletions);
        Secure(api.MapPost("/xapi/statements", (HttpRequest r, XapiEndpoints h, CancellationToken ct) => h.PostAsync(r, ct)), ApiRoutes.PostStatements);
        Secure(api.MapPut("/xapi/statements", (HttpRequest r, XapiEndpoints h, CancellationToken ct) => h.PutAsync(r, ct)), ApiRoutes.PutStatement);
        Secure(api.MapGet("/xapi/statements", (HttpRequest r, XapiEndpoints h, CancellationToken ct) => h.GetAsync(r, ct)), ApiRoutes.GetStatements);
        Secure(api.MapPost("/cohorts/{cohortId}/outcomes", (HttpRequest r, string cohortId, OutcomeEndpoints h, CancellationToken ct) => h.PostAsync(r, cohortId, ct)), ApiRoutes.PostOutcome);
        Secure(api.MapGet("/cohorts/{cohortId}/reports", (string cohortId, OutcomeEndpoints h, CancellationToken ct) => h.ListReportsAsync(cohortId, ct)), ApiRoutes.ListReports);
        Secure(api.MapGet("/cohorts/{cohortId}/reports/{checkpoint}", (string cohortId, string checkpoint, string? format, OutcomeEndpoints h, CancellationToken ct) => h.GetReportAsync(cohortId, checkpoint, format, ct)), ApiRoutes.GetReport);
        Secure(api.MapPost("/subscriptions", (HttpRequest r, WebhookEndpoints h, CancellationToken ct) => h.CreateAsync(r, ct)), ApiRoutes.CreateSubscription);
        Secure(api.MapGet("/subscriptions", (HttpRequest r, WebhookEndpoints h, CancellationToken ct) => h.ListAsync(r, ct)), ApiRoutes.ListSubscriptions);
        Secure(api.MapGet("/subscriptions/{subscriptionId}", (HttpRequest r, string subscriptionId, WebhookEndpoints h, CancellationToken ct) => h.GetAsync(r, subscriptionId, ct)), ApiRoutes.GetSubscription);
        Secure(api.MapDelete("/subscriptions/{subscriptionId}", (HttpRequest r, string subscriptionId, WebhookEndpoints h, CancellationToken ct) => h.DeleteAsync(r, subscriptionId, ct)), ApiRoutes.DeleteSubscription);
        Secure(api.MapGet("/subscriptions/{subscriptionId}/deliveries", (HttpRequest r, string subscriptionId, WebhookEndpoints h, CancellationToken ct) => h.DeliveriesAsync(r, subscriptionId, ct)), ApiRoutes.ListDeliveries);
        Secure(api.MapGet("/cohorts/{cohortId}/audit", (HttpRequest r, string cohortId, AuditEndpoints h, CancellationToken ct) => h.ListAsync(r, cohortId, ct)), ApiRoutes.ListAudit);
        Secure(api.MapPost("/erasures", (HttpRequest r, ErasureEndpoints h, DurableTaskClient c, CancellationToken ct) => h.StartAsync(r, c, ct)), ApiRoutes.StartErasure);
        Secure(api.MapGet("/erasures/{erasureId}", (HttpRequest r, string erasureId, ErasureEndpoints h, CancellationToken ct) => h.GetAsync(r, erasureId, ct)), ApiRoutes.GetErasure);
        return app;
    }

    private static void Secure(RouteHandlerBuilder endpoint, ApiRoute route)
    {
        endpoint.WithName(route.Name).WithMetadata(route);
        if (route.IsAnonymous)
        {
            endpoint.AllowAnonymous();
            return;
        }

        endpoint.RequireAuthorization(new AuthorizationPolicyBuilder(ServerSetup.CallerScheme)
            .RequireAuthenticatedUser()
            .RequireAssertion(context => ApiRoles.Allows(context.User, route.Roles))
            .Build());
        if (RequestAudit.Records(route))
        {
            // outermost: a change refused by the cohort gate is recorded too
            endpoint.AddEndpointFilter(async (context, next) =>
            {
                HttpContext http = context.HttpContext;
                RequestAudit audit = http.RequestServices.GetRequiredService<RequestAudit>();
                DateTimeOffset started = audit.Now;
                object? result = await next(context);
                if (result is IResult answered)
                {
                    await audit.RecordAsync(http.User, route, http.Request.Path, started, answered);
                }

                return result;
            });
        }

        // the query is checked against the document before the cohort gate and the handler read it
        endpoint.AddEndpointFilter(async (context, next) =>
            QueryParameters.Check(route, context.HttpContext.Request.Query) is { } badQuery ? ApiResult.Problem(badQuery) : await next(context));
        if (CohortAccess.Guards(route))
        {
            endpoint.AddEndpointFilter(async (context, next) =>
            {
                HttpContext http = context.HttpContext;
                IResult? denied = await http.RequestServices.GetRequiredService<CohortAccess>()
                    .DenyAsync(ApiRoles.CallerOf(http.User), route, http.Request.RouteValues[CohortAccess.Parameter] as string, http.RequestAborted);
                return denied ?? await next(context);
            });
        }
    }
}
