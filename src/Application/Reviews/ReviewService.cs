using Cohorts.Domain;
using Cohorts.Domain.Access;
using Cohorts.Domain.Enrolment;
using Cohorts.Domain.Events;
using Cohorts.Domain.Learning;
using Cohorts.Domain.Reviews;
using Cohorts.Workflows;
using Cohorts.Workflows.Contracts;
using Cohorts.Workflows.Orchestrators;
using Microsoft.DurableTask.Client;

namespace Cohorts.Application.Reviews;

/// <summary>A participant's work for a demonstration step, as the integrator sent it.</summary>
public sealed record SubmitWork(string CohortId, string? ParticipantId, string? StepId, string? ArtifactUrl, string? IdempotencyKey);

/// <summary>A verdict, and who gives it (<paramref name="By"/>; an admin may decide any review, recorded as an override).</summary>
public sealed record DecideReview(string SubmissionId, string? Verdict, string? Feedback, IReadOnlyDictionary<string, int>? Rubric, Caller By);

/// <summary>
/// Which submissions to list: filters (each optional), the caller, and whether the caller sees only their own queue (a
/// reviewer: assigned or escalated to them).
/// </summary>
public sealed record SubmissionListQuery(string? CohortId, string? Status, string? ReviewerId, string CallerId, bool OwnQueueOnly, int PageSize, string? ContinuationToken)
{
    /// <summary>Which submissions the caller may see (object-level access); the others are left out as if absent.</summary>
    public Func<Submission, bool> Visible { get; init; } = _ => true;
}

/// <summary>A page of submissions, oldest due first, and the token for the next one (null at the end).</summary>
public sealed record SubmissionPage(IReadOnlyList<Submission> Items, string? ContinuationToken);

/// <summary>
/// The review use cases: a submission starts its review orchestration (attempt n+1 after rework); a verdict is recorded
/// once, by whoever may decide, and then the orchestration is told. The Durable Task client comes with each call: the
/// Functions host binds one per invocation.
/// </summary>
public sealed class ReviewService(ICohortStore cohorts, IRosterStore roster, ISubmissionStore submissions, IEventOutbox events)
{
    /// <summary>The longest feedback accepted.</summary>
    public const int MaxFeedback = 8000;

    /// <summary>
    /// Stores the submission and makes sure its review runs. The same idempotency key again answers the submission it
    /// made first (and starts its review if a crash left it unstarted).
    /// </summary>
    public async Task<Result<Submission>> SubmitAsync(SubmitWork work, DateTimeOffset now, DurableTaskClient client, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(work);
        string cohortId = work.CohortId;
        CohortRecord? cohort = await cohorts.FindAsync(cohortId, cancellationToken);
        if (cohort is null)
        {
            return Failure.CohortNotFound(cohortId);
        }

        if (cohort.Status.IsTerminal())
        {
            return Failure.CohortClosed(cohortId, cohort.Status);
        }

        if (string.IsNullOrWhiteSpace(work.ParticipantId))
        {
            return Failure.MissingField("participantId");
        }

        if (string.IsNullOrWhiteSpace(work.StepId))
        {
            return Failure.MissingField("stepId");
        }

        if (!Uri.TryCreate(work.ArtifactUrl, UriKind.Absolute, out Uri? artifact) || artifact.Scheme is not ("https" or "http"))
        {
            return Failure.Invalid(ErrorCodes.InvalidArtifactUrl, "Not a link to the work", "artifactUrl is an absolute http(s) link to the submitted work.", "artifactUrl");
        }

        Participant? participant = await roster.GetAsync(cohortId, work.ParticipantId, cancellationToken);
        if (participant is null)
        {
            return Failure.ParticipantNotFound(cohortId, work.ParticipantId);
        }

        if (!participant.Trained)
        {
            return Failure.Conflict(ErrorCodes.ParticipantInComparisonGroup, "The person is in the comparison group",
                $"'{participant.EmployeeId}' is comparable staff enrolled to compare outcomes with; they take no steps and submit no work.", "participantId");
        }

        if (participant.Status != ParticipantStatus.Active || participant.Track is not { } track)
        {
            return Failure.Conflict(ErrorCodes.ParticipantNotActive, "The participant has no active track",
                participant.Status != ParticipantStatus.Active ? "The participant is suspended." : "The participant is in triage: place them on a track first.", "participantId");
        }

        IReadOnlyList<LearningStep> path = LearningPaths.For(cohort.Plan, track);
        if (path.FirstOrDefault(s => s.StepId == work.StepId) is not { IsDemonstration: true } step)
        {
            string demonstrations = string.Join(", ", path.Where(s => s.IsDemonstration).Select(s => s.StepId));
            return Failure.Invalid(ErrorCodes.NotADemonstration, "Not a demonstration step of this participant's path",
                $"'{work.StepId}' is not a capability demonstration on the {TrackNames.Name(track)} path; those are: {demonstrations}.", "stepId");
        }

        IReadOnlyList<Submission> attempts = (await submissions.ListForParticipantAsync(cohortId, participant.EmployeeId, cancellationToken))
            .Where(s => s.StepId == step.StepId).OrderBy(s => s.Attempt).ToList();
        if (work.IdempotencyKey is { } key)
        {
            if (IdempotencyKeyProblem(key) is { } badKey)
            {
                return badKey;
            }

            Submission? first = attempts.FirstOrDefault(s => s.IdempotencyKey == key)
                ?? await submissions.QueryAsync(new SubmissionQuery(cohortId, null, null) { IdempotencyKey = key }, cancellationToken).FirstOrDefaultAsync(cancellationToken);
            if (first is not null)
            {
                return SameWork(first, participant.EmployeeId, step.StepId, artifact)
                    ? await ResumedAsync(first, client, cancellationToken)
                    : new Failure(FailureKind.Unprocessable, ErrorCodes.IdempotencyKeyReused, "The Idempotency-Key was sent with another body",
                        $"Idempotency-Key '{key}' first came with submission {first.SubmissionId} for another participant, step or artifactUrl; use a new key for new work.", "Idempotency-Key");
            }
        }

        // the same work sent again while its attempt is open is a retry (a client that lost the answer, with or
        // without a key): the same submission, and its review started if a crash kept it from starting
        if (attempts.Count > 0 && attempts[^1] is { IsOpen: true } open && open.ArtifactUrl == artifact)
        {
            return await ResumedAsync(open, client, cancellationToken);
        }

        if (attempts.Count > 0 && NextAttemptRefused(attempts[^1]) is { } refused)
        {
            return refused;
        }

        Reviewer? reviewer = ReviewerPool.Choose(cohort.Plan, track, await submissions.OpenReviewsAsync(cohortId, cancellationToken));
        if (reviewer is null)
        {
            return Failure.Conflict(ErrorCodes.NoReviewer, "Nobody reviews this track",
                $"Cohort '{cohortId}' has no reviewer for the {TrackNames.Name(track)} track; add one to the plan's reviewers.", "stepId");
        }

        int attempt = attempts.Count == 0 ? 1 : attempts[^1].Attempt + 1;
        ReviewPolicy policy = cohort.Plan.ReviewPolicy;
        var submission = new Submission(
            Submission.IdFor(cohortId, participant.EmployeeId, step.StepId, attempt), cohortId, participant.EmployeeId, step.StepId, track, artifact,
            attempt, now, reviewer.Id, now + policy.Reminder, now + policy.Window, SubmissionStatus.AwaitingReview, work.IdempotencyKey);
        // the review starts unless it exists, so a crash between storing and starting is repaired by the retry
        (Submission stored, _) = await submissions.CreateAsync(submission, cancellationToken);
        await events.RaiseAsync(CohortEvents.Submitted(stored), cancellationToken);
        if (stored.IsOpen)
        {
            await EnsureReviewAsync(stored, client, cancellationToken);
        }
        return stored;
    }

    /// <summary>A submission by id; not found for an id that cannot be one.</summary>
    public Task<Result<Submission>> GetAsync(string submissionId, CancellationToken cancellationToken) =>
        GetAsync(submissionId, _ => true, cancellationToken);

    /// <summary>The submission when <paramref name="visible"/> to the caller; one they may not see is not found, exactly as one that does not exist.</summary>
    public async Task<Result<Submission>> GetAsync(string submissionId, Func<Submission, bool> visible, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(visible);
        return Submission.CohortOf(submissionId ?? string.Empty) is not null && await submissions.GetAsync(submissionId!, cancellationToken) is { } submission && visible(submission)
            ? submission
            : SubmissionNotFound(submissionId);
    }

    /// <summary>
    /// Submissions by cohort, status (a status or <c>open</c>) and reviewer, oldest due first (then by id), paged; a
    /// reviewer sees their own queue and is refused another reviewer's.
    /// </summary>
    public async Task<Result<SubmissionPage>> ListAsync(SubmissionListQuery query, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(query);
        const string Scope = "submissions";
        IReadOnlyList<SubmissionStatus>? statuses = null;
        if (query.Status is { } status)
        {
            statuses = status == "open" ? OpenStatuses
                : Naming.TryParse(status, out SubmissionStatus one) && Naming.Camel(one) == status ? [one]
                : null;
            if (statuses is null)
            {
                return Failure.Invalid(ErrorCodes.InvalidQuery, "A query parameter is invalid",
                    $"status '{status}' is not one of open, awaitingReview, reminded, escalated, accepted, reworkRequested.", "status");
            }
        }

        if (query.CohortId is { } cohortId && EntityIds.Validate(cohortId) is not null)
        {
            return Failure.Invalid(ErrorCodes.InvalidQuery, "A query parameter is invalid", $"cohortId '{cohortId}' is not a cohort id.", "cohortId");
        }

        string? reviewer = query.ReviewerId;
        if (query.OwnQueueOnly)
        {
            if (reviewer is not null && !string.Equals(reviewer, query.CallerId, StringComparison.OrdinalIgnoreCase))
            {
                return Failure.Forbidden(ErrorCodes.NotYourReview, "Not your queue", $"A reviewer lists their own queue; reviewerId is {query.CallerId} or absent.", "reviewerId");
            }

            reviewer = query.CallerId;
        }

        (DateTimeOffset DueAt, string Id)? after = null;
        if (query.ContinuationToken is { } token)
        {
            if (!PageTokens.TryUnwrap(Scope, token, out string? inner) || inner!.Split('|', 2) is not [var ticks, var lastId]
                || !long.TryParse(ticks, System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out long dueTicks)
                || dueTicks > DateTimeOffset.MaxValue.UtcTicks)
            {
                return Failure.ForeignContinuationToken();
            }

            after = (new DateTimeOffset(dueTicks, TimeSpan.Zero), lastId);
        }

        var matching = new List<Submission>();
        await foreach (Submission s in submissions.QueryAsync(new SubmissionQuery(query.CohortId, statuses, reviewer), cancellationToken))
        {
            if (query.Visible(s) && (after is not { } last || s.DueAt > last.DueAt || (s.DueAt == last.DueAt && string.CompareOrdinal(s.SubmissionId, last.Id) > 0)))
            {
                matching.Add(s);
            }
        }

        List<Submission> page = matching.OrderBy(s => s.DueAt).ThenBy(s => s.SubmissionId, StringComparer.Ordinal).Take(query.PageSize + 1).ToList();
        bool more = page.Count > query.PageSize;
        page = page.Take(query.PageSize).ToList();
        return new SubmissionPage(page, more ? PageTokens.Wrap(Scope, $"{page[^1].DueAt.UtcTicks.ToString(System.Globalization.CultureInfo.InvariantCulture)}|{page[^1].SubmissionId}") : null);
    }

    /// <summary>
    /// Records the verdict unless the submission is decided (exactly one decision is ever recorded), then tells its
    /// orchestration; refused to anyone but the assigned reviewer, or after escalation the escalation chain, or an admin.
    /// </summary>
    public async Task<Result<Submission>> DecideAsync(DecideReview review, DateTimeOffset now, DurableTaskClient client, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(review);
        // a key confined to other cohorts does not learn that the submission exists; a reviewer it is not assigned to
        // is told it is not theirs (DESIGN.md: 403), as before the access rules
        Result<Submission> found = await GetAsync(review.SubmissionId, s => review.By.InScope(s.CohortId), cancellationToken);
        if (found.Value is not { } submission)
        {
            return found;
        }

        if (ValidateVerdict(review) is { } invalid)
        {
            return invalid;
        }

        if (!review.By.IsAdmin && !review.By.Identities.Any(submission.MayBeDecidedBy))
        {
            return Failure.Forbidden(ErrorCodes.NotYourReview, "Not yours to decide",
                $"Submission '{submission.SubmissionId}' is assigned to {submission.ReviewerId}" + (submission.EscalatedTo is { Count: > 0 } chain ? $" (escalated to {string.Join(", ", chain)})" : string.Empty) + ".");
        }

        var decision = new ReviewDecision(
            string.Equals(review.Verdict, "accepted", StringComparison.Ordinal) ? Verdict.Accepted : Verdict.Rework,
            review.Feedback!.Trim(), review.Rubric, review.By.Id, now);
        Submission after = await submissions.UpdateAsync(submission.SubmissionId, s => s.IsOpen ? s.WithDecision(decision) : s, cancellationToken);
        // raised on every answer: a verdict recorded by a request that died before it told the orchestration is told now
        await TellReviewAsync(after, client, cancellationToken);
        return after.Decision == decision
            ? after
            : Failure.Conflict(ErrorCodes.AlreadyDecided, "Already decided",
                $"Submission '{after.SubmissionId}' was {Naming.Camel(after.Status)} by {after.Decision!.DecidedBy}; a resubmission is a new submission.");
    }

    private static readonly IReadOnlyList<SubmissionStatus> OpenStatuses = [SubmissionStatus.AwaitingReview, SubmissionStatus.Reminded, SubmissionStatus.Escalated];

    /// <summary>
    /// Starts the review of every open submission stored at least <paramref name="settle"/> ago whose orchestration
    /// does not exist: a crash between storing a submission and starting its review, with no client retrying, would
    /// otherwise leave it unreviewed, unreminded and never escalated. Submissions of an ended cohort are left alone.
    /// Returns how many it started.
    /// </summary>
    public async Task<int> SweepAsync(DurableTaskClient client, DateTimeOffset now, TimeSpan settle, CancellationToken cancellationToken)
    {
        int started = 0;
        var closed = new Dictionary<string, bool>(StringComparer.Ordinal);
        await foreach (Submission open in submissions.QueryAsync(new SubmissionQuery(null, OpenStatuses, null), cancellationToken))
        {
            if (open.SubmittedAt > now - settle)
            {
                continue;
            }

            // a cohort that ended takes no more reviews: its open submissions are not started again
            if (!closed.TryGetValue(open.CohortId, out bool ended))
            {
                ended = closed[open.CohortId] = (await cohorts.FindAsync(open.CohortId, cancellationToken))?.Status.IsTerminal() != false;
            }

            if (!ended && await EnsureReviewAsync(open, client, cancellationToken))
            {
                started++;
            }
        }

        return started;
    }

    /// <summary>A submission sent again: itself, with its review running if it is still open.</summary>
    private static async Task<Submission> ResumedAsync(Submission earlier, DurableTaskClient client, CancellationToken cancellationToken)
    {
        if (earlier.IsOpen)
        {
            // a decided review's orchestration may have been purged by retention: it is not started again
            await EnsureReviewAsync(earlier, client, cancellationToken);
        }

        return earlier;
    }

    private static bool SameWork(Submission earlier, string participantId, string stepId, Uri artifact) =>
        earlier.ParticipantId == participantId && earlier.StepId == stepId && earlier.ArtifactUrl == artifact;

    /// <summary>The longest Idempotency-Key accepted.</summary>
    public const int MaxIdempotencyKey = 200;

    private static Failure? IdempotencyKeyProblem(string key) =>
        key.Length is 0 or > MaxIdempotencyKey || key.Any(c => c is < '!' or > '~')
            ? Failure.Invalid(ErrorCodes.InvalidIdempotencyKey, "Not an idempotency key", $"Idempotency-Key is 1 to {MaxIdempotencyKey} visible ASCII characters.", "Idempotency-Key")
            : null;

    /// <summary>Why the step cannot take another attempt after <paramref name="last"/>, if it cannot.</summary>
    private static Failure? NextAttemptRefused(Submission last) =>
        last.IsOpen
            ? Failure.Conflict(ErrorCodes.ReviewInProgress, "An attempt is awaiting review",
                $"Attempt {last.Attempt} ({last.SubmissionId}) is awaiting its verdict; resubmit after a rework verdict.", "stepId")
            : last.Decision?.Verdict == Verdict.Accepted
                ? Failure.Conflict(ErrorCodes.AlreadyAccepted, "The demonstration is already accepted", $"Attempt {last.Attempt} ({last.SubmissionId}) was accepted.", "stepId")
                : null;

    private static Failure? ValidateVerdict(DecideReview review)
    {
        if (review.Verdict is not ("accepted" or "rework"))
        {
            return Failure.Invalid(ErrorCodes.InvalidVerdict, "Not a verdict", "verdict is \"accepted\" or \"rework\".", "verdict");
        }

        if (string.IsNullOrWhiteSpace(review.Feedback) || review.Feedback.Length > MaxFeedback)
        {
            return Failure.Invalid(ErrorCodes.InvalidFeedback, "Feedback is required", $"feedback is the reviewer's words to the participant, 1 to {MaxFeedback} characters.", "feedback");
        }

        if (review.Rubric?.FirstOrDefault(p => string.IsNullOrWhiteSpace(p.Key) || p.Key.Length > 64 || p.Value is < 0 or > 100) is { Key: not null } bad)
        {
            return Failure.Invalid(ErrorCodes.InvalidRubric, "Not a rubric score", $"rubric.{bad.Key}: a criterion (at most 64 characters) scores 0 to 100.", $"rubric.{bad.Key}");
        }

        return review.Rubric is { Count: > 50 }
            ? Failure.Invalid(ErrorCodes.InvalidRubric, "Too many rubric criteria", "rubric holds at most 50 criteria.", "rubric")
            : null;
    }

    private static Task<bool> EnsureReviewAsync(Submission submission, DurableTaskClient client, CancellationToken cancellationToken) =>
        DurableStarts.EnsureStartedAsync(
            client,
            nameof(ReviewOrchestrator),
            new ReviewInput(submission.SubmissionId, submission.RemindAt, submission.DueAt),
            InstanceIds.Review(submission.SubmissionId),
            cancellationToken);

    private static Task TellReviewAsync(Submission submission, DurableTaskClient client, CancellationToken cancellationToken) =>
        DurableStarts.RaiseIfRunningAsync(client, InstanceIds.Review(submission.SubmissionId), ReviewOrchestrator.ReviewCompletedEvent, Naming.Camel(submission.Decision!.Verdict), cancellationToken);

    private static Failure SubmissionNotFound(string? submissionId) =>
        Failure.NotFound(ErrorCodes.SubmissionNotFound, "No such submission", $"There is no submission '{submissionId}'.", "submissionId");
}
