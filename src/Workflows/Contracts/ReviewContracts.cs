using Cohorts.Domain.Reviews;

namespace Cohorts.Workflows.Contracts;

/// <summary>Input of a review: the submission's id and its SLA clock. Never names or emails.</summary>
public sealed record ReviewInput(string SubmissionId, DateTimeOffset RemindAt, DateTimeOffset DueAt);

/// <summary>A step of a review's course that an activity carries out.</summary>
public enum ReviewStep
{
    /// <summary>Ask the assigned reviewer for a verdict.</summary>
    Request,

    /// <summary>Record the reminder and remind the reviewer.</summary>
    Reminder,

    /// <summary>Record the SLA breach and call in the escalation chain.</summary>
    Escalation,

    /// <summary>Tell the participant the verdict.</summary>
    Decision,

    /// <summary>Ask the reviewer the review moved to (the SLA clock unchanged).</summary>
    Reassignment,
}

/// <summary>One step for one submission, at the orchestration's time.</summary>
public sealed record ReviewStepInput(string SubmissionId, ReviewStep Step, DateTimeOffset At);

/// <summary>Where the submission stands after a step: whether it is decided, and its status.</summary>
public sealed record ReviewStepResult(bool Decided, SubmissionStatus Status, bool SlaBreached);
