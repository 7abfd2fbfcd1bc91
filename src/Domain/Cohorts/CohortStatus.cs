namespace Cohorts.Domain;

/// <summary>Where a cohort's lifecycle stands. Completed, cancelled and failed are terminal.</summary>
public enum CohortStatus
{
    /// <summary>Created; its start date has not come yet.</summary>
    Scheduled,

    /// <summary>Started and walking its checkpoint schedule.</summary>
    Running,

    /// <summary>The final checkpoint was recorded.</summary>
    Completed,

    /// <summary>Stopped by an admin; what was recorded stays.</summary>
    Cancelled,

    /// <summary>The lifecycle stopped on an error.</summary>
    Failed,
}

/// <summary>Rules about status values.</summary>
public static class CohortStatusRules
{
    /// <summary>Whether no further transition is allowed from <paramref name="status"/>.</summary>
    public static bool IsTerminal(this CohortStatus status) =>
        status is CohortStatus.Completed or CohortStatus.Cancelled or CohortStatus.Failed;
}
