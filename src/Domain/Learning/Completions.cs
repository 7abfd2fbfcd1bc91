namespace Cohorts.Domain.Learning;

/// <summary>A step an LMS reports as done by a participant (steps without a review: framing, tasks, tools in context).</summary>
/// <param name="CohortId">The cohort.</param>
/// <param name="ParticipantId">Who completed it.</param>
/// <param name="StepId">The path step.</param>
/// <param name="CompletedAt">When the LMS says it was completed.</param>
public sealed record StepCompletion(string CohortId, string ParticipantId, string StepId, DateTimeOffset CompletedAt);

/// <summary>
/// One row of an LMS report as read: its row number in the file (the header is row 1); whether it completes the step
/// (a OneRoster result not fully graded only scores it); and its score on the scale <c>ScoreMin</c>–<c>ScoreMax</c>, when it has one.
/// </summary>
public sealed record CompletionRow(
    int Row, string ParticipantId, string StepId, DateTimeOffset CompletedAt, bool Completes = true, double? Score = null, double ScoreMin = 0, double ScoreMax = 100);

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
        (IReadOnlyList<StepCompletion> completions, _, IReadOnlyList<CompletionRowError> errors) = CheckWithScores(plan, rows, unreadable, roster, now, "lms");
        return (completions, errors);
    }

    /// <summary>
    /// As <see cref="Check"/>, and the scores the rows carry (from <paramref name="source"/>): a score may be on any step
    /// of the paths, and a row that only scores (not completed in the LMS) may name a demonstration.
    /// </summary>
    public static (IReadOnlyList<StepCompletion> Completions, IReadOnlyList<AssessmentScore> Scores, IReadOnlyList<CompletionRowError> Errors) CheckWithScores(
        CohortPlan plan, IReadOnlyList<CompletionRow> rows, IReadOnlyList<CompletionRowError> unreadable, IReadOnlySet<string> roster, DateTimeOffset now, string source)
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
                : step.IsDemonstration && row.Completes ? ("step", $"'{row.StepId}' is a capability demonstration; it is done by an accepted review, not by the LMS")
                : row.CompletedAt > now + AllowedSkew ? ("completedAt", $"{row.CompletedAt:O} is in the future")
                : row.Score is { } score && AssessmentScore.Problem(score, row.ScoreMin, row.ScoreMax) is { } outOfScale ? ("score", outOfScale)
                : null;
            if (problem is { } bad)
            {
                errors.Add(new CompletionRowError(row.Row, bad.Field, bad.Reason));
            }
        }

        if (errors.Count > 0)
        {
            return ([], [], errors.OrderBy(e => e.Row).ToList());
        }

        List<StepCompletion> completed = rows.Where(r => r.Completes).GroupBy(r => (r.ParticipantId, r.StepId))
            .Select(g => new StepCompletion(plan.Id, g.Key.ParticipantId, g.Key.StepId, g.Min(r => r.CompletedAt)))
            .ToList();
        // of several scores of one person on one assessment in a file, the latest stands
        List<AssessmentScore> scores = rows.Where(r => r.Score is not null).GroupBy(r => (r.ParticipantId, r.StepId))
            .Select(g => g.OrderBy(r => r.CompletedAt).ThenBy(r => r.Row).Last())
            .Select(r => new AssessmentScore(plan.Id, r.ParticipantId, r.StepId, r.Score!.Value, r.ScoreMin, r.ScoreMax, source, r.CompletedAt))
            .ToList();
        return (completed, scores, []);
    }
}
