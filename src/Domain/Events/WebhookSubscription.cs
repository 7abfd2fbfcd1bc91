using System.Net;
using System.Net.Sockets;
using System.Security.Cryptography;

namespace Cohorts.Domain.Events;

/// <summary>
/// An integrator's webhook: where to post, which event types (or <c>*</c>), optionally one cohort only, and the secret
/// deliveries are signed with. A 410 from the receiver disables it; a deleted one gets nothing more.
/// </summary>
public sealed record WebhookSubscription(
    string Id,
    Uri Url,
    IReadOnlyList<string> Events,
    string? CohortId,
    string Secret,
    DateTimeOffset CreatedAt,
    string CreatedBy,
    DateTimeOffset? DisabledAt = null,
    string? DisabledReason = null)
{
    /// <summary>Whether deliveries go out.</summary>
    public bool IsActive => DisabledAt is null;

    /// <summary>Whether <paramref name="cohortEvent"/> is one this subscription wants.</summary>
    public bool Wants(CohortEvent cohortEvent)
    {
        ArgumentNullException.ThrowIfNull(cohortEvent);
        return IsActive
            && (CohortId is null || string.Equals(CohortId, cohortEvent.CohortId, StringComparison.Ordinal))
            && (Events.Contains("*") || Events.Contains(cohortEvent.Type));
    }

    /// <summary>A new secret: <c>whsec_</c> and 32 random bytes in base64 (the Standard Webhooks form).</summary>
    public static string NewSecret() => "whsec_" + Convert.ToBase64String(RandomNumberGenerator.GetBytes(32));

    /// <summary>A new subscription id.</summary>
    public static string NewId() => "sub_" + Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(12));
}

/// <summary>Where a delivery of one event to one subscription stands.</summary>
public enum DeliveryStatus
{
    /// <summary>Not yet answered with a 2xx; more attempts will come.</summary>
    Pending,

    /// <summary>Answered with a 2xx.</summary>
    Delivered,

    /// <summary>No 2xx within the retry time: given up.</summary>
    Failed,

    /// <summary>The subscription was deleted or disabled (a 410) before it was delivered.</summary>
    Cancelled,
}

/// <summary>One attempt: when, the receiver's status code (null when there was no answer) and what went wrong.</summary>
public sealed record DeliveryAttempt(int Attempt, DateTimeOffset At, int? StatusCode, string? Error);

/// <summary>The delivery of one event to one subscription and its attempts.</summary>
public sealed record WebhookDelivery(string SubscriptionId, string EventId, string Type, string CohortId, DateTimeOffset EventTime, DeliveryStatus Status, IReadOnlyList<DeliveryAttempt> Attempts)
{
    /// <summary>With <paramref name="attempt"/> recorded (once per attempt number) and the new status.</summary>
    public WebhookDelivery With(DeliveryAttempt? attempt, DeliveryStatus status)
    {
        IReadOnlyList<DeliveryAttempt> attempts = attempt is null || Attempts.Any(a => a.Attempt == attempt.Attempt) ? Attempts : [.. Attempts, attempt];
        DeliveryStatus next = Status is DeliveryStatus.Delivered ? Status : status;
        return next == Status && ReferenceEquals(attempts, Attempts) ? this : this with { Status = next, Attempts = attempts };
    }
}

/// <summary>Webhook subscriptions.</summary>
public interface ISubscriptionStore
{
    /// <summary>Stores a new subscription.</summary>
    Task CreateAsync(WebhookSubscription subscription, CancellationToken cancellationToken);

    /// <summary>The subscription, or null (also once deleted).</summary>
    Task<WebhookSubscription?> GetAsync(string subscriptionId, CancellationToken cancellationToken);

    /// <summary>Every subscription.</summary>
    IAsyncEnumerable<WebhookSubscription> ListAsync(CancellationToken cancellationToken);

    /// <summary>Disables it (idempotent: the first reason stays).</summary>
    Task DisableAsync(string subscriptionId, DateTimeOffset at, string reason, CancellationToken cancellationToken);

    /// <summary>Deletes it; false when there was none.</summary>
    Task<bool> DeleteAsync(string subscriptionId, CancellationToken cancellationToken);
}

/// <summary>The deliveries of each subscription.</summary>
public interface IDeliveryStore
{
    /// <summary>Applies <paramref name="change"/> to the delivery (created as <paramref name="initial"/> when there is none).</summary>
    Task<WebhookDelivery> UpdateAsync(WebhookDelivery initial, Func<WebhookDelivery, WebhookDelivery> change, CancellationToken cancellationToken);

    /// <summary>A subscription's deliveries, newest event first.</summary>
    IAsyncEnumerable<WebhookDelivery> ListAsync(string subscriptionId, CancellationToken cancellationToken);
}

/// <summary>What a receiver answered: its status code, or why there was no answer.</summary>
public sealed record WebhookResponse(int? StatusCode, string? Error)
{
    /// <summary>A 2xx.</summary>
    public bool Delivered => StatusCode is >= 200 and < 300;

    /// <summary>410 Gone: the receiver asks not to be sent anything more.</summary>
    public bool Gone => StatusCode == 410;
}

/// <summary>Posts a signed event to a subscription's URL.</summary>
public interface IWebhookSender
{
    /// <summary>Posts <paramref name="cohortEvent"/> to <paramref name="subscription"/>; never throws for what the receiver does.</summary>
    Task<WebhookResponse> SendAsync(WebhookSubscription subscription, CohortEvent cohortEvent, CancellationToken cancellationToken);
}

/// <summary>Which addresses a webhook may reach: public ones only, unless private networks are allowed (local runs and tests).</summary>
public static class NetworkAddresses
{
    /// <summary>The addresses <paramref name="host"/> stands for: itself when it is an IP literal, else its DNS answers.</summary>
    public static async Task<IPAddress[]> ResolveAsync(string host, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(host);
        return IPAddress.TryParse(host, out IPAddress? literal) ? [literal] : await Dns.GetHostAddressesAsync(host, cancellationToken);
    }

    /// <summary>
    /// Whether <paramref name="address"/> is on the public internet: not loopback, private (10/8, 172.16/12, 192.168/16,
    /// fc00::/7), link-local (169.254/16, fe80::/10, which holds cloud metadata services), shared (100.64/10),
    /// unspecified, multicast or reserved.
    /// </summary>
    public static bool IsPublic(IPAddress address)
    {
        ArgumentNullException.ThrowIfNull(address);
        if (address.IsIPv4MappedToIPv6)
        {
            address = address.MapToIPv4();
        }

        if (IPAddress.IsLoopback(address))
        {
            return false;
        }

        byte[] b = address.GetAddressBytes();
        if (address.AddressFamily == AddressFamily.InterNetwork)
        {
            return !(b[0] is 0 or 10 or 127 || b[0] >= 224
                || (b[0] == 172 && b[1] >= 16 && b[1] <= 31)
                || (b[0] == 192 && b[1] == 168)
                || (b[0] == 169 && b[1] == 254)
                || (b[0] == 100 && b[1] >= 64 && b[1] <= 127)
                || (b[0] == 192 && b[1] == 0 && b[2] == 0)
                || (b[0] == 198 && (b[1] == 18 || b[1] == 19)));
        }

        return !(address.Equals(IPAddress.IPv6None) || address.Equals(IPAddress.IPv6Any)
            || address.IsIPv6LinkLocal || address.IsIPv6SiteLocal || address.IsIPv6Multicast || address.IsIPv6UniqueLocal
            || (b[0] == 0x20 && b[1] == 0x01 && b[2] == 0x0d && b[3] == 0xb8)); // 2001:db8::/32, documentation
    }
}
