using System.Text.Json;
using System.Text.Json.Nodes;
using Cohorts.Domain;
using Cohorts.Domain.Enrolment;
using Cohorts.Domain.Events;
using Cohorts.Domain.Learning;
using Cohorts.Domain.Reviews;
using Cohorts.Workflows;
using Cohorts.Workflows.Contracts;
using Cohorts.Workflows.Orchestrators;
using Microsoft.DurableTask.Client;

namespace Cohorts.Application.Cohorts;

/// <summary>A cohort created, or found again for the identical request (<see cref="Created"/> false).</summary>
public sealed record CreatedCohort(CohortRecord Record, bool Created);

/// <summary>A cohort as its readers see it: the record, the status to show, its roster counts and its live review figures.</summary>
public sealed record CohortOverview(CohortRecord Record, CohortStatus Status, RosterCounts Roster, ReviewTally Reviews, (int Received, int Unmatched) LearningRecords = default, global::Cohorts.Domain.Practice.CommunityRecord? Community = null);

/// <summary>One cohort in a list: what a reader needs to pick it out.</summary>
public sealed record CohortSummary(string Id, string Name, CohortStatus Status, DateTimeOffset StartsAt, int Participants);

/// <summary>
/// A JSON merge patch of a cohort's plan, the revision the caller read (<c>If-Match</c>; null when it sent none) and
/// who sends it.
/// </summary>
public sealed record PatchCohort(string CohortId, JsonObject Patch, string? IfMatch, string By);

/// <summary>A changed cohort and the reviews that moved to another reviewer with the change.</summary>
public sealed record PatchedCohort(CohortRecord Record, IReadOnlyList<ReviewerMove> Moves);

/// <summary>Which cohorts to list, and where to continue.</summary>
public sealed record CohortListQuery(CohortStatus? Status, int PageSize, string? ContinuationToken)
{
    /// <summary>Which cohorts the caller may see (object-level access); the others are left out as if absent.</summary>
    public Func<CohortPlan, bool> Visible { get; init; } = _ => true;
}

/// <summary>A page of cohorts and the token for the next one (null at the end).</summary>
public sealed record CohortPage(IReadOnlyList<CohortSummary> Items, string? ContinuationToken);

/// <summary>
/// The cohort use cases: store a plan and start its lifecycle, read a cohort, cancel it. The durable client is passed
/// per call because the Functions host gets it from a binding, not from the container.
/// </summary>
public sealed class CohortService(
    ICohortStore store, IRosterStore roster, ISubmissionStore submissions, IEventOutbox events, TimeProvider time, IStatementStore statements,
    Practice.SandboxOptions sandbox, global::Cohorts.Workflows.Activities.CommunityOptions community, global::Cohorts.Domain.Practice.ICommunityStore communities)
{
    /// <summary>Validates and stores the plan, then makes sure its lifecycle runs (also for a repeated request whose first attempt stopped half-way).</summary>
    public async Task<Result<CreatedCohort>> CreateAsync(CohortPlanDraft draft, string fingerprint, DurableTaskClient client, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(client);
        PlanResult result = CohortPlanFactory.Create(draft, time.GetUtcNow());
        if (result.Plan is null)
        {
            IReadOnlyList<PlanError> errors = result.Errors;
            return new Failure(FailureKind.Invalid, ErrorCodes.InvalidPlan, "The cohort plan is invalid", string.Join(" ", errors.Select(e => e.Message)), errors[0].Field, errors);
        }

        (CohortRecord stored, bool created) = await store.CreateAsync(CohortRecord.New(result.Plan, fingerprint, time.GetUtcNow()), cancellationToken);
        if (!created && stored.Fingerprint != fingerprint)
        {
            return Failure.Conflict(ErrorCodes.CohortConflict, "A different cohort has this id", $"Cohort '{stored.Id}' exists with a different plan; choose another id.", "id");
        }

        await events.RaiseAsync(CohortEvents.Created(stored), cancellationToken); // also on the repeat: a crash may have come first
        if (!stored.Status.IsTerminal())
        {
            // an ended cohort's lifecycle may have been purged by retention: it is not started again
            await EnsureLifecycleAsync(stored, client, cancellationToken);
        }
        return new CreatedCohort(stored, created);
    }

    /// <summary>The cohort with its status as the caller should see it, its roster counts and its review figures.</summary>
    public async Task<Result<CohortOverview>> GetAsync(string cohortId, DurableTaskClient client, CancellationToken cancellationToken)
    {
        if (EntityIds.Validate(cohortId) is not null || await ReadAsync(cohortId, client, cancellationToken) is not { } found)
        {
            return Failure.CohortNotFound(cohortId);
        }

        // the review figures are kept as submissions change: a few rows, however many submissions there are
        return new CohortOverview(found.Record, found.Status, await roster.CountAsync(cohortId, cancellationToken), await submissions.TallyAsync(cohortId, cancellationToken),
            await statements.CountAsync(cohortId, cancellationToken),
            found.Record.Plan.Community is null ? null : await communities.GetAsync(cohortId, cancellationToken));
    }

    /// <summary>
    /// A page of cohorts in id order, optionally with one status (as recorded), each with its active head count. The
    /// token names the last id given (bound to this list by <see cref="PageTokens"/>). Each page reads every record
    /// (no store order is assumed): fine for the hundreds of cohorts an enterprise runs, not for millions.
    /// </summary>
    public async Task<Result<CohortPage>> ListAsync(CohortListQuery query, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(query);
        List<CohortRecord> matching = await store.ListAsync(cancellationToken).Where(r => (query.Status is not { } status || r.Status == status) && query.Visible(r.Plan)).ToListAsync(cancellationToken);
        var sliced = PageTokens.Slice(matching, r => r.Id, "cohorts", query.PageSize, query.ContinuationToken);
        if (!sliced.Succeeded)
        {
            return sliced.Failure!;
        }

        (List<CohortRecord> page, string? next) = sliced.Value;
        var items = new List<CohortSummary>(page.Count);
        foreach (CohortRecord record in page)
        {
            items.Add(new CohortSummary(record.Id, record.Plan.Name, record.Status, record.Plan.StartsAt, (await roster.CountAsync(record.Id, cancellationToken)).Active));
        }

        return new CohortPage(items, next);
    }

    /// <summary>The ETag of a cohort's current revision (a strong validator: the same revision, the same plan).</summary>
    public static string ETagOf(CohortRecord record)
    {
        ArgumentNullException.ThrowIfNull(record);
        return $"\"{record.Revision}\"";
    }

    /// <summary>
    /// Changes the plan by a JSON merge patch against the revision the caller read: 428 without one, 412 when another
    /// change came first. The schedule and the paths are fixed once created (409 immutableField naming the field), the
    /// baseline once a checkpoint is recorded. Open reviews whose reviewer the change removes move to another reviewer
    /// of the track (refused when nobody would review it), and each review orchestration is told by an event.
    /// </summary>
    public async Task<Result<PatchedCohort>> PatchAsync(PatchCohort request, DurableTaskClient client, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        ArgumentNullException.ThrowIfNull(client);
        if (await store.FindAsync(request.CohortId, cancellationToken) is not { } current)
        {
            return Failure.CohortNotFound(request.CohortId);
        }

        if (request.IfMatch is null)
        {
            return new Failure(FailureKind.PreconditionRequired, ErrorCodes.PreconditionRequired, "If-Match is required",
                $"Send the cohort's ETag (now {ETagOf(current)}) in If-Match, so that a change made since you read it is not overwritten.", "If-Match");
        }

        if (!Matches(request.IfMatch, current))
        {
            return Stale(current);
        }

        if (current.Status.IsTerminal())
        {
            return Failure.CohortClosed(current.Id, current.Status);
        }

        PlanPatchResult patched;
        try
        {
            patched = CohortPlanPatch.Apply(current.Plan, request.Patch, time.GetUtcNow());
        }
        catch (JsonException e)
        {
            string? field = JsonPaths.Field(e);
            return Failure.Invalid(ErrorCodes.InvalidJson, "The patch cannot be read",
                $"The patch has an unknown member or a value of the wrong type{(field is null ? string.Empty : $" at '{field}'")}.", field);
        }

        if (patched.Plan is not { } plan)
        {
            return new Failure(FailureKind.Invalid, ErrorCodes.InvalidPlan, "The patched plan is invalid", string.Join(" ", patched.Errors.Select(e => e.Message)), patched.Errors[0].Field, patched.Errors);
        }

        string? immutable = patched.ImmutableField
            ?? (patched.Changed.Contains("baseline") && current.Checkpoints.Count > 0 ? "baseline" : null);
        if (immutable is not null)
        {
            return Failure.Conflict(ErrorCodes.ImmutableField, "This field cannot change now",
                immutable == "baseline"
                    ? $"Cohort '{current.Id}' has recorded a checkpoint against its baseline; the baseline stays as it was."
                    : $"{immutable} is fixed once a cohort is created (its lifecycle runs on it); create a new cohort for another {immutable}.",
                immutable);
        }

        if (patched.Changed.Count == 0)
        {
            return new PatchedCohort(current, []);
        }

        IReadOnlyList<(Submission Submission, Reviewer? To)> moves = await ReviewerMoves.PlanAsync(submissions, plan, current.Id, cancellationToken);
        if (moves.Where(m => m.To is null).Select(m => m.Submission).FirstOrDefault() is { } orphan)
        {
            int count = moves.Count(m => m.To is null && m.Submission.Track == orphan.Track);
            return Failure.Conflict(ErrorCodes.NoReviewer, "Nobody would review a track",
                $"After this change nobody reviews the {TrackNames.Name(orphan.Track)} track, which has {count} open review(s); keep a reviewer (or a backup) for it.", "reviewers");
        }

        DateTimeOffset now = time.GetUtcNow();
        bool stale = false;
        CohortRecord stored = await store.UpdateAsync(current.Id, r =>
        {
            stale = r.Revision != current.Revision || r.Status.IsTerminal();
            return stale ? r : r.WithPlan(plan, request.By, patched.Changed, now);
        }, cancellationToken);
        if (stale)
        {
            return stored.Status.IsTerminal() ? Failure.CohortClosed(stored.Id, stored.Status) : Stale(stored);
        }

        await events.RaiseAsync(CohortEvents.Updated(stored), cancellationToken);
        var moved = new List<ReviewerMove>();
        foreach ((Submission open, Reviewer? to) in moves)
        {
            Submission after = await ReviewerMoves.MoveAsync(submissions, plan, open.SubmissionId, to!, now, cancellationToken);
            if (after.Moves is { Count: > 0 } done && !ReferenceEquals(after, open) && after.IsOpen)
            {
                moved.Add(done[^1]);
                await DurableStarts.RaiseIfRunningAsync(client, InstanceIds.Review(after.SubmissionId), ReviewOrchestrator.ReviewerChangedEvent, after.ReviewerId, cancellationToken);
            }
        }

        return new PatchedCohort(stored, moved);
    }

    private static bool Matches(string ifMatch, CohortRecord record) =>
        ifMatch.Split(',').Select(t => t.Trim()).Any(tag => tag == "*" || tag == ETagOf(record));

    private static Failure Stale(CohortRecord record) =>
        new(FailureKind.PreconditionFailed, ErrorCodes.PreconditionFailed, "The cohort changed since you read it",
            $"Cohort '{record.Id}' is at revision {ETagOf(record)}; read it again and reapply your change.", "If-Match");

    /// <summary>Asks the lifecycle to stop; refused for an unknown cohort and for one already closed.</summary>
    public async Task<Result<CohortRecord>> CancelAsync(string cohortId, DurableTaskClient client, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(client);
        if (EntityIds.Validate(cohortId) is not null || await ReadAsync(cohortId, client, cancellationToken) is not { } current)
        {
            return Failure.CohortNotFound(cohortId);
        }

        if (current.Status.IsTerminal())
        {
            return Failure.CohortClosed(cohortId, current.Status);
        }

        if (current.Instance is { IsRunning: true } || current.Instance?.RuntimeStatus == OrchestrationRuntimeStatus.Pending)
        {
            await client.RaiseEventAsync(InstanceIds.Lifecycle(cohortId), CohortLifecycleOrchestrator.CancelEvent, "cancelled", cancellationToken);
            return current.Record;
        }

        // No lifecycle is running to hear the event: record the cancellation directly.
        return await store.UpdateAsync(cohortId, r => r.WithStatus(CohortStatus.Cancelled, time.GetUtcNow()), cancellationToken);
    }

    /// <summary>The record, the status to show, and the lifecycle instance (not asked for once the record is closed).</summary>
    private async Task<(CohortRecord Record, CohortStatus Status, OrchestrationMetadata? Instance)?> ReadAsync(string cohortId, DurableTaskClient client, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(client);
        CohortRecord? record = await store.GetAsync(cohortId, cancellationToken);
        if (record is null)
        {
            return null;
        }

        if (record.Status.IsTerminal())
        {
            return (record, record.Status, null);
        }

        // The store knows what the lifecycle recorded; only the durable backend knows that it crashed or was terminated.
        OrchestrationMetadata? instance = await client.GetInstanceAsync(InstanceIds.Lifecycle(cohortId), getInputsAndOutputs: false, cancellationToken);
        CohortStatus status = instance?.RuntimeStatus is OrchestrationRuntimeStatus.Failed or OrchestrationRuntimeStatus.Terminated
            ? CohortStatus.Failed
            : record.Status;
        return (record, status, instance);
    }

    private async Task EnsureLifecycleAsync(CohortRecord record, DurableTaskClient client, CancellationToken cancellationToken)
    {
        // practice first: the lifecycle tells it when the cohort ends, and an event to an instance not yet there is lost
        await DurableStarts.EnsureStartedAsync(
            client,
            nameof(PracticeOrchestrator),
            new PracticeInput(record.Id, community.PollInterval, sandbox.RevokeAfter),
            InstanceIds.Practice(record.Id),
            cancellationToken);
        await DurableStarts.EnsureStartedAsync(
            client,
            nameof(CohortLifecycleOrchestrator),
            new CohortLifecycleInput(record.Id, record.Plan.StartsAt, record.Plan.Schedule()),
            InstanceIds.Lifecycle(record.Id),
            cancellationToken);
    }
}
