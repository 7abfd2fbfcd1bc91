using Cohorts.Domain.Enrolment;
using Cohorts.Domain.Reviews;

namespace Cohorts.Domain.Learning;

/// <summary>Where an assigned step stands for a participant.</summary>
public enum AssignmentState
{
    /// <summary>Assigned; nothing submitted (or, for a step without review, not yet reported done by the LMS).</summary>
    Assigned,

    /// <summary>An attempt is with its reviewer.</summary>
    AwaitingReview,

    /// <summary>The last attempt was sent back for rework.</summary>
    ReworkRequested,

    /// <summary>Accepted: demonstrated.</summary>
    Accepted,

    /// <summary>A step without a review that the LMS reported done.</summary>
    Completed,
}

/// <summary>One step assigned to a participant: when it is due and where it stands.</summary>
public sealed record Assignment(string StepId, Track Track, int Order, StepKind Kind, string Title, DateTimeOffset DueAt, AssignmentState State, int Attempts, bool OnCurrentTrack);

/// <summary>
/// A participant's assignments: the steps of their current track's path (a joiner has them from enrolment), and the
/// demonstrations they submitted on an earlier track (a mover keeps what they did). Nobody in triage or suspended is
/// assigned new work; what they submitted stays.
/// </summary>
public static class Assignments
{
    /// <summary>
    /// The assignments of <paramref name="participant"/> in <paramref name="plan"/>, given their submissions and the steps
    /// the LMS reported completed (a demonstration is done only by an accepted review, never by a completion).
    /// </summary>
    public static IReadOnlyList<Assignment> For(CohortPlan plan, Participant participant, IReadOnlyList<Submission> submissions, IReadOnlyList<StepCompletion>? completions = null)
    {
        ArgumentNullException.ThrowIfNull(plan);
        ArgumentNullException.ThrowIfNull(participant);
        ArgumentNullException.ThrowIfNull(submissions);
        var completed = (completions ?? []).Select(c => c.StepId).ToHashSet(StringComparer.Ordinal);
        var bySteps = submissions.GroupBy(s => s.StepId).ToDictionary(g => g.Key, g => g.OrderBy(s => s.Attempt).ToList());
        IEnumerable<LearningStep> current = participant.Track is { } track && participant.Status == ParticipantStatus.Active
            ? LearningPaths.For(plan, track)
            : [];
        IEnumerable<LearningStep> kept = bySteps.Keys
            .Select(stepId => LearningPaths.Find(plan, stepId))
            .OfType<LearningStep>()
            .Where(step => step.Track != participant.Track || participant.Status != ParticipantStatus.Active);
        return current.Select(step => Of(plan, step, bySteps, completed, onCurrentTrack: true))
            .Concat(kept.OrderBy(s => s.Track).ThenBy(s => s.Order).Select(step => Of(plan, step, bySteps, completed, onCurrentTrack: false)))
            .ToList();
    }

    private static Assignment Of(CohortPlan plan, LearningStep step, Dictionary<string, List<Submission>> bySteps, HashSet<string> completed, bool onCurrentTrack)
    {
        List<Submission> attempts = bySteps.GetValueOrDefault(step.StepId) ?? [];
        AssignmentState state = !step.IsDemonstration && completed.Contains(step.StepId) ? AssignmentState.Completed
            : attempts.Count == 0 ? AssignmentState.Assigned : attempts[^1].Status switch
        {
            SubmissionStatus.Accepted => AssignmentState.Accepted,
            SubmissionStatus.ReworkRequested => AssignmentState.ReworkRequested,
            _ => AssignmentState.AwaitingReview,
        };
        return new Assignment(step.StepId, step.Track, step.Order, step.Kind, step.Title, LearningPaths.DueAt(plan, step), state, attempts.Count, onCurrentTrack);
    }
}
