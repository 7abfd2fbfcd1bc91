namespace Cohorts.Domain.Events;

/// <summary>How webhooks are delivered (the <c>Webhooks</c> settings).</summary>
public sealed class WebhookOptions
{
    /// <summary>The wait before the first retry, doubling after each (<c>Webhooks:FirstRetry</c>, default 30 s).</summary>
    public TimeSpan FirstRetry { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>How long a delivery is retried before it is given up (<c>Webhooks:RetryFor</c>, default a day).</summary>
    public TimeSpan RetryFor { get; set; } = TimeSpan.FromDays(1);

    /// <summary>Whether http URLs and private, loopback and link-local addresses may be reached (local runs and tests only).</summary>
    public bool AllowPrivateNetworks { get; set; }

    /// <summary>How often raised events are handed to their deliveries (<c>Webhooks:DispatchEvery</c>, default 1 s).</summary>
    public TimeSpan DispatchEvery { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>How long a receiver has to answer (<c>Webhooks:Timeout</c>, default 10 s).</summary>
    public TimeSpan Timeout { get; set; } = TimeSpan.FromSeconds(10);
}
