namespace Cohorts.Application;

/// <summary>What every scheduled run has: whether the self-hosted server runs it, and how often (the Functions host uses its timer schedule instead).</summary>
public abstract class ScheduleOptions(TimeSpan interval)
{
    /// <summary>Whether the self-hosted server runs it.</summary>
    public bool Enabled { get; set; } = true;

    /// <summary>How often the self-hosted server runs it.</summary>
    public TimeSpan Interval { get; set; } = interval;
}
