using Cohorts.Domain;
using Cohorts.Domain.Enrolment;
using Cohorts.Domain.Learning;

namespace Cohorts.Application.Learning;

/// <summary>What a completion report did: rows read, steps newly completed, steps already completed before, scores stored.</summary>
public sealed record CompletionImport(int Rows, int Completed, int AlreadyCompleted, int Scored = 0);

/// <summary>A cohort's roster as an LMS export needs it: the plan (paths, dates) and everyone on it, suspended people included.</summary>
public sealed record LmsRoster(CohortPlan Plan, IReadOnlyList<Participant> People);

/// <summary>
/// The LMS use cases: the roster and assignments an LMS imports, and completion reports coming back, which mark steps
/// without a review done, all or nothing (<see cref="CompletionRules"/>).
/// </summary>
public sealed class LmsService(ICohortStore cohorts, IRosterStore roster, ICompletionStore completions, IScoreStore scores)
{
    /// <summary>The cohort's plan and roster, for an export.</summary>
    public async Task<Result<LmsRoster>> RosterAsync(string cohortId, CancellationToken cancellationToken)
    {
        CohortRecord? cohort = await cohorts.FindAsync(cohortId, cancellationToken);
        return cohort is null
            ? Failure.CohortNotFound(cohortId)
            // an erased person's pseudonymous row means nothing to an LMS: it is not exported
            : new LmsRoster(cohort.Plan, (await roster.ListAllAsync(cohortId, cancellationToken)).Where(p => p.Status != ParticipantStatus.Erased).ToList());
    }

    /// <summary>The most bad rows a refusal lists (the count is always complete).</summary>
    public const int MaxListed = 100;

    /// <summary>
    /// Stores the completions of <paramref name="rows"/> unless any row (or any of <paramref name="unreadable"/>) is at
    /// fault: then nothing is stored and each bad row is named. A step completed before keeps its first time.
    /// </summary>
    public async Task<Result<CompletionImport>> ImportAsync(string cohortId, IReadOnlyList<CompletionRow> rows, IReadOnlyList<CompletionRowError> unreadable, DateTimeOffset now, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(rows);
        CohortRecord? cohort = await cohorts.FindAsync(cohortId, cancellationToken);
        if (cohort is null)
        {
            return Failure.CohortNotFound(cohortId);
        }

        var people = (await roster.ListAllAsync(cohortId, cancellationToken)).Select(p => p.EmployeeId).ToHashSet(StringComparer.Ordinal);
        (IReadOnlyList<StepCompletion> completed, IReadOnlyList<AssessmentScore> scored, IReadOnlyList<CompletionRowError> errors) =
            CompletionRules.CheckWithScores(cohort.Plan, rows, unreadable, people, now, "lms");
        if (errors.Count > 0)
        {
            List<PlanError> listed = errors.Take(MaxListed).Select(e => new PlanError($"rows[{e.Row}].{e.Field}", "invalidRow", e.Reason)).ToList();
            return new Failure(FailureKind.Invalid, ErrorCodes.InvalidCompletions, "The completion report has bad rows",
                $"{errors.Count} row(s) cannot be used (first: row {listed[0].Field}: {listed[0].Message}); nothing was stored.", listed[0].Field, listed);
        }

        int added = await completions.SaveAsync(cohortId, completed, cancellationToken);
        await scores.SaveAsync(cohortId, scored, cancellationToken);
        return new CompletionImport(rows.Count, added, completed.Count - added, scored.Count);
    }
}
