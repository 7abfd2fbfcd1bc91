using System.Net;
using System.Net.Sockets;
using Cohorts.Domain;
using Cohorts.Domain.Access;
using Cohorts.Domain.Events;

namespace Cohorts.Application.Webhooks;

/// <summary>A subscription as an integrator asks for it.</summary>
public sealed record CreateSubscription(string? Url, IReadOnlyList<string?>? Events, string? CohortId, Caller By);

/// <summary>A page of subscriptions (or deliveries) and the token for the next one.</summary>
public sealed record Page<T>(IReadOnlyList<T> Items, string? ContinuationToken);

/// <summary>
/// Webhook subscriptions: created with a secret shown once, listed, read, deleted, and their deliveries listed. A URL
/// must be https on a public address (checked for each address its name resolves to) unless private networks are
/// allowed; the sender checks again at each connection.
/// </summary>
public sealed class SubscriptionService(ISubscriptionStore store, IDeliveryStore deliveries, WebhookOptions options, TimeProvider time)
{
    /// <summary>The most event types a subscription names.</summary>
    public const int MaxEvents = 50;

    /// <summary>The longest URL accepted.</summary>
    public const int MaxUrl = 2048;

    /// <summary>Validates and stores the subscription; the answer holds its secret (shown this once).</summary>
    public async Task<Result<WebhookSubscription>> CreateAsync(CreateSubscription request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        if (string.IsNullOrWhiteSpace(request.Url))
        {
            return Failure.MissingField("url");
        }

        if (request.Url.Length > MaxUrl || !Uri.TryCreate(request.Url, UriKind.Absolute, out Uri? url) || url.Scheme is not ("https" or "http")
            || !string.IsNullOrEmpty(url.UserInfo) || !string.IsNullOrEmpty(url.Fragment))
        {
            return Invalid($"url is an absolute https URL of at most {MaxUrl} characters, without user information or fragment.", "url");
        }

        if (url.Scheme == "http" && !options.AllowPrivateNetworks)
        {
            return Invalid("url must be https: deliveries carry signed data (http is allowed only with Webhooks:AllowPrivateNetworks, for local runs).", "url");
        }

        if (await RefusedAddressAsync(url, cancellationToken) is { } refused)
        {
            return Invalid(refused, "url");
        }

        if (request.Events is not { Count: > 0 and <= MaxEvents } events)
        {
            return Invalid($"events lists 1 to {MaxEvents} event types, or [\"*\"] for all.", "events");
        }

        for (int i = 0; i < events.Count; i++)
        {
            if (events[i] is not { } type || (type != "*" && !EventTypes.All.Contains(type)))
            {
                return Invalid($"events[{i}] '{events[i]}' is not an event type; use * or one of {string.Join(", ", EventTypes.All)}.", $"events[{i}]");
            }
        }

        if (request.CohortId is { } cohortId && EntityIds.Validate(cohortId) is { } badId)
        {
            return Invalid($"cohortId: {badId}", "cohortId");
        }

        if (request.By.CohortPatterns is { } patterns && (request.CohortId is not { } named || !request.By.InScope(named)))
        {
            // a confined key hears only its own cohorts' events
            return Invalid($"cohortId: this key reaches only cohorts matching {string.Join(", ", patterns)}; name one of them.", "cohortId");
        }

        var subscription = new WebhookSubscription(
            WebhookSubscription.NewId(), url, events.Distinct(StringComparer.Ordinal).Select(e => e!).ToList(), request.CohortId, WebhookSubscription.NewSecret(), time.GetUtcNow(), request.By.Id);
        await store.CreateAsync(subscription, cancellationToken);
        return subscription;
    }

    /// <summary>
    /// Whether <paramref name="caller"/> may see and delete <paramref name="subscription"/>: an admin any, an integrator
    /// those they created (within their key's cohorts).
    /// </summary>
    public static bool Owns(Caller caller, WebhookSubscription subscription)
    {
        ArgumentNullException.ThrowIfNull(caller);
        ArgumentNullException.ThrowIfNull(subscription);
        return caller.IsAdmin || (string.Equals(subscription.CreatedBy, caller.Id, StringComparison.Ordinal) && (caller.CohortPatterns is null || (subscription.CohortId is { } c && caller.InScope(c))));
    }

    /// <summary>The subscription, when the caller owns it (its secret is for the caller to hide); another's is not found.</summary>
    public async Task<Result<WebhookSubscription>> GetAsync(string subscriptionId, Caller caller, CancellationToken cancellationToken) =>
        IsId(subscriptionId) && await store.GetAsync(subscriptionId, cancellationToken) is { } found && Owns(caller, found) ? found : NotFound(subscriptionId);

    /// <summary>The caller's subscriptions in id order, paged.</summary>
    public async Task<Result<Page<WebhookSubscription>>> ListAsync(Caller caller, int pageSize, string? continuationToken, CancellationToken cancellationToken)
    {
        List<WebhookSubscription> all = await store.ListAsync(cancellationToken).Where(s => Owns(caller, s)).ToListAsync(cancellationToken);
        var sliced = PageTokens.Slice(all, s => s.Id, "subscriptions", pageSize, continuationToken);
        return sliced.Succeeded ? new Page<WebhookSubscription>(sliced.Value.Items, sliced.Value.ContinuationToken) : sliced.Failure!;
    }

    /// <summary>Deletes it: nothing more is delivered to it, including retries under way.</summary>
    public async Task<Result<bool>> DeleteAsync(string subscriptionId, Caller caller, CancellationToken cancellationToken) =>
        (await GetAsync(subscriptionId, caller, cancellationToken)).Succeeded && await store.DeleteAsync(subscriptionId, cancellationToken) ? true : NotFound(subscriptionId);

    /// <summary>A subscription's deliveries, newest event first, paged.</summary>
    public async Task<Result<Page<WebhookDelivery>>> DeliveriesAsync(string subscriptionId, Caller caller, int pageSize, string? continuationToken, CancellationToken cancellationToken)
    {
        if (!(await GetAsync(subscriptionId, caller, cancellationToken)).Succeeded)
        {
            return NotFound(subscriptionId);
        }

        string scope = "deliveries:" + subscriptionId;
        string? after = null;
        if (continuationToken is not null && !PageTokens.TryUnwrap(scope, continuationToken, out after))
        {
            return Failure.ForeignContinuationToken();
        }

        var page = new List<WebhookDelivery>();
        bool passed = after is null;
        bool more = false;
        await foreach (WebhookDelivery delivery in deliveries.ListAsync(subscriptionId, cancellationToken))
        {
            if (!passed)
            {
                passed = delivery.EventId == after;
                continue;
            }

            if (page.Count == pageSize)
            {
                more = true;
                break;
            }

            page.Add(delivery);
        }

        return new Page<WebhookDelivery>(page, more ? PageTokens.Wrap(scope, page[^1].EventId) : null);
    }

    private async Task<string?> RefusedAddressAsync(Uri url, CancellationToken cancellationToken)
    {
        if (options.AllowPrivateNetworks)
        {
            return null;
        }

        IPAddress[] addresses;
        try
        {
            addresses = await NetworkAddresses.ResolveAsync(url.DnsSafeHost, cancellationToken);
        }
        catch (SocketException)
        {
            return $"url: the host {url.Host} cannot be resolved.";
        }

        return addresses.Length == 0 ? $"url: the host {url.Host} has no address."
            : addresses.FirstOrDefault(a => !NetworkAddresses.IsPublic(a)) is { } inner
                ? $"url: {url.Host} is {inner}, a private, loopback or link-local address; webhooks go to public addresses only."
                : null;
    }

    private static bool IsId(string? id) => id is { Length: > 4 and <= 64 } && id.StartsWith("sub_", StringComparison.Ordinal) && id[4..].All(char.IsAsciiHexDigitLower);

    private static Failure Invalid(string detail, string field) => Failure.Invalid(ErrorCodes.InvalidSubscription, "The subscription is invalid", detail, field);

    private static Failure NotFound(string? subscriptionId) =>
        Failure.NotFound(ErrorCodes.SubscriptionNotFound, "No such subscription", $"There is no subscription '{subscriptionId}'.", "subscriptionId");
}
