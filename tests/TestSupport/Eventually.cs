using System.Diagnostics;

namespace Cohorts.TestSupport;

/// <summary>Waits on a condition with a deadline, never on a fixed sleep.</summary>
public static class Eventually
{
    /// <summary>Polls <paramref name="probe"/> until it returns a value that satisfies <paramref name="done"/>, or throws with the last value seen.</summary>
    public static async Task<T> WaitAsync<T>(Func<Task<T>> probe, Func<T, bool> done, TimeSpan within, string what, TimeSpan? every = null)
    {
        var clock = Stopwatch.StartNew();
        T last = await probe();
        while (!done(last))
        {
            if (clock.Elapsed > within)
            {
                throw new TimeoutException($"{what} did not happen within {within.TotalSeconds:0} s; last seen: {last}");
            }

            await Task.Delay(every ?? TimeSpan.FromMilliseconds(250));
            last = await probe();
        }

        return last;
    }
}
