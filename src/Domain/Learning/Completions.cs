namespace Cohorts.Domain.Learning;

/// <summary>A step an LMS reports as done by a participant (steps without a review: framing, tasks, tools in context).</summary>
/// <param name="CohortId">The cohort.</param>
/// <param name="ParticipantId">Who completed it.</param>
/// <param name="StepId">The path step.</param>
/// <param name="CompletedAt">When the LMS says it was completed.</param>
public sealed record StepCompletion(string CohortId, string ParticipantId, string StepId, DateTimeOffset CompletedAt);

/// <summary>One completion row as read: its row number in the file (the header is row 1).</summary>
public sealed record CompletionRow(int Row, string ParticipantId, string StepId, DateTimeOffset CompletedAt);

/// <summary>A row that cannot be read, naming the row and field.</summary>
public sealed record CompletionRowError(int Row, string Field, string Reason);

/// <summary>
/// The rules of an LMS completion report: each row names someone on the roster and a step of the cohort's paths that is
/// done without a review, at a time not in the future; all or nothing. The earliest report of each step counts.
/// </summary>
public static class CompletionRules
{
    /// <summary>How far in the future a completion's time may be (clock skew between systems).</summary>
    public static readonly TimeSpan AllowedSkew = TimeSpan.FromMinutes(5);

    /// <summary>
    /// The completions <paramref name="rows"/> report, or every row at fault (with the rows that could not be read,
    /// <paramref name="unreadable"/>), in row order.
    /// </summary>
    public static (IReadOnlyList<StepCompletion> Completions, IReadOnlyList<CompletionRowError> Errors) Check(
        CohortPlan plan, IReadOnlyList<CompletionRow> rows, IReadOnlyList<CompletionRowError> unreadable, IReadOnlySet<string> roster, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(plan);
        ArgumentNullException.ThrowIfNull(rows);
        ArgumentNullException.ThrowIfNull(roster);
        var errors = new List<CompletionRowError>(unreadable ?? []);
        IReadOnlyDictionary<string, LearningStep> steps = LearningPaths.Steps(plan);
        foreach (CompletionRow row in rows)
        {
            LearningStep? step = steps.GetValueOrDefault(row.StepId);
            (string Field, string Reason)? problem = !roster.Contains(row.ParticipantId) ? ("participant", $"nobody with id '{row.ParticipantId}' is on the roster")
                : step is null ? ("step", $"'{row.StepId}' is not a step of any path of this cohort")
                : step.IsDemonstration ? ("step", $"'{row.StepId}' is a capability demonstration; it is done by an accepted review, not by the LMS")
                : row.CompletedAt > now + AllowedSkew ? ("completedAt", $"{row.CompletedAt:O} is in the future")
                : null;
            if (problem is { } bad)
            {
                errors.Add(new CompletionRowError(row.Row, bad.Field, bad.Reason));
            }
        }

        if (errors.Count > 0)
        {
            return ([], errors.OrderBy(e => e.Row).ToList());
        }

        List<StepCompletion> completed = rows.GroupBy(r => (r.ParticipantId, r.StepId))
            .Select(g => new StepCompletion(plan.Id, g.Key.ParticipantId, g.Key.StepId, g.Min(r => r.CompletedAt)))
            .ToList();
        return (completed, []);
    }
}
