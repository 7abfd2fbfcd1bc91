using Cohorts.Domain;
using Cohorts.Domain.Enrolment;
using Cohorts.Domain.Outcomes;

namespace Cohorts.Application.Outcomes;

/// <summary>An outcome event stored, and whether this call stored it (false: the same event was reported before).</summary>
public sealed record RecordedOutcome(OutcomeEvent Event, bool Created);

/// <summary>
/// The outcome use cases: integrators report what trained people ship (every field checked by
/// <see cref="OutcomeEventFactory"/>; idempotent by event id), and leaders read a checkpoint's stored report.
/// </summary>
public sealed class OutcomeService(ICohortStore cohorts, IRosterStore roster, IOutcomeStore outcomes, IReportArchive reports)
{
    /// <summary>
    /// Each checkpoint of the cohort with its state and, once recorded, who was sent its report and when (reports are
    /// read by ordinal; the final one is also <c>final</c>).
    /// </summary>
    public async Task<Result<IReadOnlyList<CheckpointReport>>> ListReportsAsync(string cohortId, CancellationToken cancellationToken)
    {
        if (await cohorts.FindAsync(cohortId, cancellationToken) is not { } cohort)
        {
            return Failure.CohortNotFound(cohortId);
        }

        var list = new List<CheckpointReport>();
        foreach (CheckpointDue due in cohort.Plan.Schedule())
        {
            CheckpointSnapshot? snapshot = cohort.Checkpoints.FirstOrDefault(c => c.Ordinal == due.Ordinal);
            bool rendered = snapshot is not null && await reports.IsRenderedAsync(cohortId, due.Ordinal, cancellationToken);
            IReadOnlyList<ReportSent> sent = snapshot is null ? [] : await reports.SentAsync(cohortId, due.Ordinal, cancellationToken);
            list.Add(new CheckpointReport(due, due.Ordinal == cohort.Plan.Checkpoints.Count, snapshot, rendered, sent));
        }

        return list;
    }

    /// <summary>Stores the event <paramref name="draft"/> reports; the same event again is the same; another event under its id is refused.</summary>
    public async Task<Result<RecordedOutcome>> RecordAsync(string cohortId, OutcomeEventDraft draft, DateTimeOffset now, CancellationToken cancellationToken)
    {
        if (await cohorts.FindAsync(cohortId, cancellationToken) is not { } cohort)
        {
            return Failure.CohortNotFound(cohortId);
        }

        (OutcomeEvent? outcome, IReadOnlyList<PlanError> errors) = OutcomeEventFactory.Create(draft, cohort.Plan, now);
        if (outcome is null)
        {
            return new Failure(FailureKind.Invalid, errors[0].Code, "The outcome event is invalid", string.Join(" ", errors.Select(e => e.Message)), errors[0].Field, errors);
        }

        if (await roster.GetAsync(cohortId, outcome.ParticipantId, cancellationToken) is null)
        {
            return Failure.ParticipantNotFound(cohortId, outcome.ParticipantId);
        }

        (OutcomeEvent stored, bool created) = await outcomes.AddAsync(outcome, cancellationToken);
        return created || stored.SameAs(outcome)
            ? new RecordedOutcome(stored, created)
            : Failure.Conflict(ErrorCodes.EventIdTaken, "Another event has this id", $"Event '{outcome.EventId}' was reported before with different content; an event id names one event.", "eventId");
    }

    /// <summary>The stored report of <paramref name="checkpoint"/> (an ordinal, 1 to n, or <c>final</c>) in <paramref name="format"/>.</summary>
    public async Task<Result<ReportFile>> GetReportAsync(string cohortId, string checkpoint, ReportFormat format, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(checkpoint);
        if (await cohorts.FindAsync(cohortId, cancellationToken) is not { } cohort)
        {
            return Failure.CohortNotFound(cohortId);
        }

        int count = cohort.Plan.Checkpoints.Count;
        int ordinal = string.Equals(checkpoint, "final", StringComparison.OrdinalIgnoreCase) ? count
            : int.TryParse(checkpoint, System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out int n) ? n : 0;
        if (ordinal < 1 || ordinal > count)
        {
            return Failure.NotFound(ErrorCodes.UnknownCheckpoint, "No such checkpoint", $"'{checkpoint}' is not a checkpoint of cohort '{cohortId}': use 1 to {count} or final.", "checkpoint");
        }

        return await reports.GetAsync(cohortId, ordinal, format, cancellationToken) is { } file
            ? file
            : Failure.NotFound(ErrorCodes.ReportNotReady, "The report is not ready",
                $"Checkpoint {ordinal} of cohort '{cohortId}' is due at {cohort.Plan.Schedule()[ordinal - 1].DueAt:O}; its report is served once it is rendered.", "checkpoint");
    }
}

/// <summary>A checkpoint as its report list shows it: when it is due, whether it is recorded and rendered, and who was sent it.</summary>
public sealed record CheckpointReport(CheckpointDue Due, bool Final, CheckpointSnapshot? Snapshot, bool Rendered, IReadOnlyList<ReportSent> Sent);
