using Cohorts.Api;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Azure.Functions.Worker;

namespace Cohorts.Functions.Http;

/// <summary>The webhook subscription, audit and erasure routes as HTTP triggers over the shared handlers.</summary>
public sealed class WebhookFunctions(WebhookEndpoints webhooks, AuditEndpoints audit, ErasureEndpoints erasures)
{
    /// <summary><c>POST /api/erasures</c>.</summary>
    [Function(nameof(ApiRoutes.StartErasure))]
    public Task<IActionResult> StartErasure(
        [HttpTrigger(AuthorizationLevel.Function, "post", Route = "erasures")] HttpRequest request,
        [DurableClient] Microsoft.DurableTask.Client.DurableTaskClient client,
        CancellationToken cancellationToken) =>
        FunctionGate.RunAsync(request, ApiRoutes.StartErasure, () => erasures.StartAsync(request, client, cancellationToken));

    /// <summary><c>GET /api/erasures/{erasureId}</c>.</summary>
    [Function(nameof(ApiRoutes.GetErasure))]
    public Task<IActionResult> GetErasure(
        [HttpTrigger(AuthorizationLevel.Function, "get", Route = "erasures/{erasureId}")] HttpRequest request, string erasureId, CancellationToken cancellationToken) =>
        FunctionGate.RunAsync(request, ApiRoutes.GetErasure, () => erasures.GetAsync(request, erasureId, cancellationToken));

    /// <summary><c>GET /api/cohorts/{cohortId}/audit</c>.</summary>
    [Function(nameof(ApiRoutes.ListAudit))]
    public Task<IActionResult> ListAudit(
        [HttpTrigger(AuthorizationLevel.Function, "get", Route = "cohorts/{cohortId}/audit")] HttpRequest request, string cohortId, CancellationToken cancellationToken) =>
        FunctionGate.RunAsync(request, ApiRoutes.ListAudit, () => audit.ListAsync(request, cohortId, cancellationToken));

    /// <summary><c>POST /api/subscriptions</c>.</summary>
    [Function(nameof(ApiRoutes.CreateSubscription))]
    public Task<IActionResult> CreateSubscription(
        [HttpTrigger(AuthorizationLevel.Function, "post", Route = "subscriptions")] HttpRequest request, CancellationToken cancellationToken) =>
        FunctionGate.RunAsync(request, ApiRoutes.CreateSubscription, () => webhooks.CreateAsync(request, cancellationToken));

    /// <summary><c>GET /api/subscriptions</c>.</summary>
    [Function(nameof(ApiRoutes.ListSubscriptions))]
    public Task<IActionResult> ListSubscriptions(
        [HttpTrigger(AuthorizationLevel.Function, "get", Route = "subscriptions")] HttpRequest request, CancellationToken cancellationToken) =>
        FunctionGate.RunAsync(request, ApiRoutes.ListSubscriptions, () => webhooks.ListAsync(request, cancellationToken));

    /// <summary><c>GET /api/subscriptions/{subscriptionId}</c>.</summary>
    [Function(nameof(ApiRoutes.GetSubscription))]
    public Task<IActionResult> GetSubscription(
        [HttpTrigger(AuthorizationLevel.Function, "get", Route = "subscriptions/{subscriptionId}")] HttpRequest request, string subscriptionId, CancellationToken cancellationToken) =>
        FunctionGate.RunAsync(request, ApiRoutes.GetSubscription, () => webhooks.GetAsync(request, subscriptionId, cancellationToken));

    /// <summary><c>DELETE /api/subscriptions/{subscriptionId}</c>.</summary>
    [Function(nameof(ApiRoutes.DeleteSubscription))]
    public Task<IActionResult> DeleteSubscription(
        [HttpTrigger(AuthorizationLevel.Function, "delete", Route = "subscriptions/{subscriptionId}")] HttpRequest request, string subscriptionId, CancellationToken cancellationToken) =>
        FunctionGate.RunAsync(request, ApiRoutes.DeleteSubscription, () => webhooks.DeleteAsync(request, subscriptionId, cancellationToken));

    /// <summary><c>GET /api/subscriptions/{subscriptionId}/deliveries</c>.</summary>
    [Function(nameof(ApiRoutes.ListDeliveries))]
    public Task<IActionResult> ListDeliveries(
        [HttpTrigger(AuthorizationLevel.Function, "get", Route = "subscriptions/{subscriptionId}/deliveries")] HttpRequest request, string subscriptionId, CancellationToken cancellationToken) =>
        FunctionGate.RunAsync(request, ApiRoutes.ListDeliveries, () => webhooks.DeliveriesAsync(request, subscriptionId, cancellationToken));
}
