using System.Text.Json.Nodes;
using Cohorts.Domain;
using Cohorts.Domain.Enrolment;
using Cohorts.Domain.Learning;

namespace Cohorts.Application.Learning;

/// <summary>
/// The Statement resource of an xAPI 1.0.3 LRS, as far as Cohorts needs it: statements from learning platforms are
/// stored raw (one per id; a repeat with the same content changes nothing, with other content is refused), and those
/// naming a step's activity and a trained participant complete the step or record a score. A statement that matches no
/// cohort, participant or step is kept and counted as unmatched, never refused for it.
/// </summary>
public sealed class XapiService(ICohortStore cohorts, IRosterStore roster, ICompletionStore completions, IScoreStore scores, IStatementStore statements, TimeProvider time)
{
    /// <summary>The most statements one request may carry.</summary>
    public const int MaxBatch = 500;

    /// <summary>The longest statement kept (its JSON, in characters).</summary>
    public const int MaxStatementChars = 30_000;

    /// <summary>
    /// Stores <paramref name="batch"/> (all or nothing on a bad or conflicting statement) and returns the ids in order;
    /// <paramref name="statementId"/> is a PUT's id for its one statement.
    /// </summary>
    public async Task<Result<IReadOnlyList<string>>> ReceiveAsync(IReadOnlyList<JsonObject> batch, string? statementId, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(batch);
        if (batch.Count == 0 || batch.Count > MaxBatch)
        {
            return Failure.Invalid(ErrorCodes.InvalidStatement, "No statements, or too many", $"Send from 1 to {MaxBatch} statements in one request.", "statements");
        }

        DateTimeOffset now = time.GetUtcNow();
        var read = new List<XapiStatement>(batch.Count);
        for (int i = 0; i < batch.Count; i++)
        {
            string at = batch.Count == 1 ? string.Empty : $"[{i}].";
            (XapiStatement? statement, string? field, string? problem) = Xapi.Read(batch[i], statementId, now);
            if (statement is null)
            {
                return Failure.Invalid(ErrorCodes.InvalidStatement, "Not an xAPI statement", $"Statement {i + 1}: {problem}.", at + field);
            }

            if (statement.Json.Length > MaxStatementChars)
            {
                return Failure.Invalid(ErrorCodes.InvalidStatement, "The statement is too long", $"Statement {i + 1} has {statement.Json.Length} characters of JSON; at most {MaxStatementChars} are kept.", at.TrimEnd('.'));
            }

            if (read.Any(r => r.Id == statement.Id))
            {
                return Failure.Invalid(ErrorCodes.InvalidStatement, "An id twice in one request", $"Statement {i + 1} repeats the id {statement.Id}.", at + "id");
            }

            read.Add(statement);
        }

        // a conflict refuses the request before anything of it is stored
        var fresh = new List<XapiStatement>(read.Count);
        foreach (XapiStatement statement in read)
        {
            StoredStatement? before = await statements.GetAsync(statement.Id, cancellationToken);
            if (before is not null && before.Statement.Digest != statement.Digest)
            {
                return Conflict(statement.Id);
            }

            if (before is null)
            {
                fresh.Add(statement);
            }
        }

        // an mbox actor is looked up by email, one query of the store for each statement (never the whole roster)
        foreach (XapiStatement statement in fresh)
        {
            // completions and scores are idempotent: a statement applied and then not stored (a crash) applies once more
            XapiOutcome outcome = await ApplyAsync(statement, now, cancellationToken);
            if (await statements.AddAsync(new StoredStatement(statement, outcome, now), cancellationToken) == StatementWrite.Conflict)
            {
                return Conflict(statement.Id);
            }
        }

        return read.Select(s => s.Id).ToList();
    }

    /// <summary>One statement by id.</summary>
    public async Task<Result<StoredStatement>> GetAsync(string statementId, CancellationToken cancellationToken) =>
        Guid.TryParse(statementId, out _) && await statements.GetAsync(statementId, cancellationToken) is { } found
            ? found
            : Failure.NotFound(ErrorCodes.StatementNotFound, "No such statement", $"No statement has the id '{statementId}'.", "statementId");

    /// <summary>Statements stored in a time window, oldest first, a page at a time.</summary>
    public Task<(IReadOnlyList<StoredStatement> Items, string? More)> ListAsync(DateTimeOffset? since, DateTimeOffset? until, int limit, string? more, CancellationToken cancellationToken) =>
        statements.ListAsync(since, until, limit, more, cancellationToken);

    private static Failure Conflict(string id) => Failure.Conflict(ErrorCodes.StatementConflict, "The statement id is taken",
        $"A statement with the id {id} was stored before with other content; statements are never changed.", "id");

    private async Task<XapiOutcome> ApplyAsync(XapiStatement s, DateTimeOffset now, CancellationToken cancellationToken)
    {
        if (Xapi.StepOf(s.Activity) is not var (cohortId, stepId))
        {
            return new XapiOutcome(null, null, null, false, "the object is not a step's activity (urn:cohorts:{cohortId}:steps:{stepId})");
        }

        if (EntityIds.Validate(cohortId) is not null || await cohorts.FindAsync(cohortId, cancellationToken) is not { } cohort)
        {
            return new XapiOutcome(null, null, stepId, false, "no such cohort");
        }

        Participant? person = s.Account is { } account && EntityIds.Validate(account) is null ? await roster.GetAsync(cohortId, account, cancellationToken) : null;
        if (person is null && s.Email is { } email)
        {
            // looked up by the store, not by reading the roster: a statement costs the same in a cohort of 100,000
            person = (await roster.FindByEmailAsync(cohortId, email, cancellationToken)).FirstOrDefault(p => p.Trained);
        }

        if (person is not { Trained: true } || person.Status == ParticipantStatus.Erased)
        {
            return new XapiOutcome(cohortId, null, stepId, false, "the actor is nobody on the cohort's trained roster");
        }

        if (!LearningPaths.Steps(cohort.Plan).TryGetValue(stepId, out LearningStep? step))
        {
            return new XapiOutcome(cohortId, person.EmployeeId, null, false, $"'{stepId}' is not a step of this cohort's paths");
        }

        if (!Xapi.Reads(s.Verb))
        {
            return new XapiOutcome(cohortId, person.EmployeeId, stepId, true, "kept; the verb is not one Cohorts reads");
        }

        if (s.Timestamp > now + CompletionRules.AllowedSkew)
        {
            return new XapiOutcome(cohortId, person.EmployeeId, stepId, true, "kept; its timestamp is in the future, so it is not counted");
        }

        var effects = new List<string>();
        if (Xapi.Completes(s.Verb))
        {
            if (step.IsDemonstration)
            {
                effects.Add("not completed: a demonstration is done by an accepted review");
            }
            else
            {
                await completions.SaveAsync(cohortId, [new StepCompletion(cohortId, person.EmployeeId, stepId, s.Timestamp)], cancellationToken);
                effects.Add("completed");
            }
        }

        if (s.Score is { } score)
        {
            await scores.SaveAsync(cohortId, [new AssessmentScore(cohortId, person.EmployeeId, stepId, score.Raw, score.Min, score.Max, "xapi", s.Timestamp)], cancellationToken);
            effects.Add("scored");
        }

        return new XapiOutcome(cohortId, person.EmployeeId, stepId, true, effects.Count == 0 ? "kept; nothing to record" : string.Join(", ", effects));
    }
}
