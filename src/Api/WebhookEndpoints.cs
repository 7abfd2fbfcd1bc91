using Cohorts.Application.Webhooks;
using Cohorts.Domain.Events;
using Microsoft.AspNetCore.Http;

namespace Cohorts.Api;

/// <summary>A webhook subscription as sent (<c>POST /api/subscriptions</c>).</summary>
public sealed record SubscriptionRequest(string? Url, IReadOnlyList<string?>? Events, string? CohortId);

/// <summary>The webhook routes: each binds the request, calls <see cref="SubscriptionService"/> and maps its result.</summary>
public sealed class WebhookEndpoints(SubscriptionService subscriptions)
{
    /// <summary><c>POST /api/subscriptions</c>: 201 with the secret, shown this once.</summary>
    public async Task<IResult> CreateAsync(HttpRequest request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        (SubscriptionRequest? body, ApiProblem? problem) = await RequestBody.ReadJsonAsync<SubscriptionRequest>(request, cancellationToken);
        if (body is null)
        {
            return ApiResult.Problem(problem!);
        }

        Result<WebhookSubscription> created = await subscriptions.CreateAsync(
            new CreateSubscription(body.Url, body.Events, body.CohortId, ApiRoles.CallerOf(request.HttpContext.User)), cancellationToken);
        return created.Value is { } subscription
            ? ApiResult.Json(StatusCodes.Status201Created, SubscriptionView.From(subscription, withSecret: true)).WithHeader("Location", $"/api/subscriptions/{subscription.Id}")
            : ApiResult.Failure(created.Failure!);
    }

    /// <summary><c>GET /api/subscriptions</c>: in id order, paged; no secrets.</summary>
    public async Task<IResult> ListAsync(HttpRequest request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        (int pageSize, string? token, ApiProblem? badPage) = Paging.Read(request.Query, standard: 50, most: 100);
        if (badPage is not null)
        {
            return ApiResult.Problem(badPage);
        }

        Result<Page<WebhookSubscription>> page = await subscriptions.ListAsync(ApiRoles.CallerOf(request.HttpContext.User), pageSize, token, cancellationToken);
        return page.Value is { } found
            ? ApiResult.Json(StatusCodes.Status200OK, new SubscriptionPageView(found.Items.Select(s => SubscriptionView.From(s, withSecret: false)).ToList(), found.ContinuationToken))
            : ApiResult.Failure(page.Failure!);
    }

    /// <summary><c>GET /api/subscriptions/{subscriptionId}</c>.</summary>
    public async Task<IResult> GetAsync(HttpRequest request, string subscriptionId, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        Result<WebhookSubscription> found = await subscriptions.GetAsync(subscriptionId, ApiRoles.CallerOf(request.HttpContext.User), cancellationToken);
        return found.Value is { } subscription ? ApiResult.Json(StatusCodes.Status200OK, SubscriptionView.From(subscription, withSecret: false)) : ApiResult.Failure(found.Failure!);
    }

    /// <summary><c>DELETE /api/subscriptions/{subscriptionId}</c>: 204; nothing more is delivered to it.</summary>
    public async Task<IResult> DeleteAsync(HttpRequest request, string subscriptionId, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        Result<bool> deleted = await subscriptions.DeleteAsync(subscriptionId, ApiRoles.CallerOf(request.HttpContext.User), cancellationToken);
        return deleted.Succeeded ? ApiResult.NoContent() : ApiResult.Failure(deleted.Failure!);
    }

    /// <summary><c>GET /api/subscriptions/{subscriptionId}/deliveries</c>: newest event first, with each attempt.</summary>
    public async Task<IResult> DeliveriesAsync(HttpRequest request, string subscriptionId, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        (int pageSize, string? token, ApiProblem? badPage) = Paging.Read(request.Query, standard: 50, most: 200);
        if (badPage is not null)
        {
            return ApiResult.Problem(badPage);
        }

        Result<Page<WebhookDelivery>> page = await subscriptions.DeliveriesAsync(subscriptionId, ApiRoles.CallerOf(request.HttpContext.User), pageSize, token, cancellationToken);
        return page.Value is { } found
            ? ApiResult.Json(StatusCodes.Status200OK, new DeliveryPageView(found.Items, found.ContinuationToken))
            : ApiResult.Failure(page.Failure!);
    }
}

/// <summary>A subscription as the API shows it; <see cref="Secret"/> only in the answer that created it.</summary>
public sealed record SubscriptionView(
    string Id, Uri Url, IReadOnlyList<string> Events, string? CohortId, DateTimeOffset CreatedAt, string CreatedBy, string Status, DateTimeOffset? DisabledAt, string? DisabledReason,
    [property: System.Text.Json.Serialization.JsonIgnore(Condition = System.Text.Json.Serialization.JsonIgnoreCondition.WhenWritingNull)] string? Secret)
{
    /// <summary>The view of <paramref name="s"/>.</summary>
    public static SubscriptionView From(WebhookSubscription s, bool withSecret)
    {
        ArgumentNullException.ThrowIfNull(s);
        return new(s.Id, s.Url, s.Events, s.CohortId, s.CreatedAt, s.CreatedBy, s.IsActive ? "active" : "disabled", s.DisabledAt, s.DisabledReason, withSecret ? s.Secret : null);
    }
}

/// <summary>A page of subscriptions.</summary>
public sealed record SubscriptionPageView(IReadOnlyList<SubscriptionView> Items, string? ContinuationToken);

/// <summary>A page of deliveries.</summary>
public sealed record DeliveryPageView(IReadOnlyList<WebhookDelivery> Items, string? ContinuationToken);
