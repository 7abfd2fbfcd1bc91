using System.Diagnostics;
using Cohorts.Domain;

namespace Cohorts.Connectors.Storage;

/// <summary>
/// The one way a store waits out an optimistic-concurrency conflict (an ETag that moved, a row added meanwhile):
/// read again after a random pause that grows with each attempt (full jitter, so that two hundred writers of one row
/// spread out instead of colliding again in step), for up to <see cref="Budget"/>; past it, a
/// <see cref="StoreBusyException"/>, which the API answers as 503 with Retry-After, never a 500.
/// </summary>
public sealed class Contention(string what)
{
    /// <summary>How long a change keeps retrying before it gives up.</summary>
    public static readonly TimeSpan Budget = TimeSpan.FromSeconds(20);

    private readonly long started = Stopwatch.GetTimestamp();
    private int attempts;

    /// <summary>Waits before the next attempt, or throws <see cref="StoreBusyException"/> when the budget is spent.</summary>
    public async Task BackOffAsync(Exception conflict, CancellationToken cancellationToken)
    {
        if (Stopwatch.GetElapsedTime(started) > Budget)
        {
            throw new StoreBusyException($"Concurrent changes to {what} kept this one from being stored after {attempts} attempts; nothing was changed; retry in a moment.", conflict);
        }

        attempts++;
        int ceiling = Math.Min(1000, 10 << Math.Min(attempts, 7));
        await Task.Delay(Random.Shared.Next(1, ceiling), cancellationToken);
    }
}
