namespace Cohorts.Workflows.Contracts;

/// <summary>
/// Input of one event's delivery to one subscription: ids and the retry schedule (read from settings when the delivery
/// started, so that replays see the same schedule), and the outbox's receipt for an event raised among many (null for
/// one raised alone, and in inputs written before receipts). Never the URL, the secret or the event's data.
/// </summary>
public sealed record EventDeliveryInput(string EventId, string SubscriptionId, TimeSpan FirstRetry, TimeSpan RetryFor, string? Receipt = null);

/// <summary>One attempt of a delivery (<paramref name="GiveUp"/>: record that it failed for good instead of posting).</summary>
public sealed record EventDeliveryStep(string EventId, string SubscriptionId, int Attempt, DateTimeOffset At, bool GiveUp = false, string? Receipt = null);

/// <summary>How an attempt ended.</summary>
public enum DeliveryStepResult
{
    /// <summary>A 2xx: done.</summary>
    Delivered,

    /// <summary>Anything else: try again later.</summary>
    Retry,

    /// <summary>The subscription is gone, disabled or answered 410: stop.</summary>
    Stopped,
}
