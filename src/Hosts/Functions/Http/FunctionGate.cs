using Cohorts.Api;
using Cohorts.Functions.Auth;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Extensions.DependencyInjection;

namespace Cohorts.Functions.Http;

/// <summary>
/// What the server's authentication and authorization middleware do, for a function: 401 without a principal, 403
/// without a role of the route, 404 for a cohort the caller may not see (<see cref="CohortAccess"/>), then the shared
/// handler; its <see cref="IResult"/> is executed as an action result.
/// </summary>
public static class FunctionGate
{
    /// <summary>Runs <paramref name="handler"/> when the caller may call <paramref name="route"/>.</summary>
    public static async Task<IActionResult> RunAsync(HttpRequest request, ApiRoute route, Func<Task<IResult>> handler)
    {
        ArgumentNullException.ThrowIfNull(route);
        ArgumentNullException.ThrowIfNull(handler);
        if (!route.IsAnonymous)
        {
            var user = AppServicePrincipal.Read(request);
            if (user?.Identity?.IsAuthenticated != true)
            {
                return new ResultAction(ApiResult.Problem(Problems.Unauthenticated("Sign in with Entra ID (App Service authentication).")));
            }

            if (!ApiRoles.Allows(user, route.Roles))
            {
                return new ResultAction(ApiResult.Problem(Problems.Forbidden(route.Roles)));
            }

            request.HttpContext.User = user;
            RequestAudit? audit = RequestAudit.Records(route) ? request.HttpContext.RequestServices.GetRequiredService<RequestAudit>() : null;
            DateTimeOffset started = audit?.Now ?? default;
            // the Functions host reads a function key from ?code=; every other parameter is checked against the document
            IResult? denied = QueryParameters.Check(route, request.Query, "code") is { } badQuery ? ApiResult.Problem(badQuery) : null;
            if (denied is null && CohortAccess.Guards(route))
            {
                CohortAccess access = request.HttpContext.RequestServices.GetRequiredService<CohortAccess>();
                denied = await access.DenyAsync(ApiRoles.CallerOf(user), route, route.ValueIn(request.Path, CohortAccess.Parameter), request.HttpContext.RequestAborted);
            }

            IResult result = denied ?? await handler();
            if (audit is not null)
            {
                await audit.RecordAsync(user, route, request.Path, started, result);
            }

            return new ResultAction(result);
        }

        return new ResultAction(await handler());
    }

    /// <summary>Runs an <see cref="IResult"/> where the Functions host expects an <see cref="IActionResult"/>.</summary>
    public sealed class ResultAction(IResult result) : IActionResult
    {
        /// <summary>The result to run.</summary>
        public IResult Result { get; } = result;

        /// <inheritdoc/>
        public Task ExecuteResultAsync(ActionContext context)
        {
            ArgumentNullException.ThrowIfNull(context);
            return Result.ExecuteAsync(context.HttpContext);
        }
    }
}
