using System.Globalization;
using System.Text.Json.Nodes;
using Cohorts.Domain.Enrolment;
using Cohorts.Domain.Reviews;

namespace Cohorts.Domain.Events;

/// <summary>
/// The events each part of the product raises, with their data: ids, states, times and figures, never a name, an
/// address, an artifact link or feedback. Subjects name the resource (<c>submissions/{id}</c>, <c>checkpoints/{n}</c>,
/// <c>imports/{id}</c>), so an integrator can read it through the API.
/// </summary>
public static class CohortEvents
{
    /// <summary><c>cohort.created</c>.</summary>
    public static CohortEvent Created(CohortRecord record)
    {
        ArgumentNullException.ThrowIfNull(record);
        return CohortEvent.Create(EventTypes.CohortCreated, record.Id, "cohort", record.CreatedAt, new JsonObject
        {
            ["cohortId"] = record.Id,
            ["startsAt"] = Time(record.Plan.StartsAt),
            ["checkpoints"] = record.Plan.Checkpoints.Count,
            ["tracks"] = new JsonArray([.. record.Plan.Tracks.Select(t => (JsonNode?)TrackNames.Name(t))]),
        });
    }

    /// <summary><c>cohort.updated</c>: the revision a change made and the fields it changed.</summary>
    public static CohortEvent Updated(CohortRecord record)
    {
        ArgumentNullException.ThrowIfNull(record);
        CohortChange change = record.Changes is { Count: > 0 } changes ? changes[^1] : throw new InvalidOperationException($"Cohort '{record.Id}' has no change.");
        return CohortEvent.Create(EventTypes.CohortUpdated, record.Id, "cohort", change.At, new JsonObject
        {
            ["cohortId"] = record.Id,
            ["revision"] = change.Revision,
            ["fields"] = new JsonArray([.. change.Fields.Select(f => (JsonNode?)f)]),
        }, Number(change.Revision));
    }

    /// <summary><c>cohort.completed</c> or <c>cohort.cancelled</c> (null for other statuses).</summary>
    public static CohortEvent? Closed(CohortRecord record)
    {
        ArgumentNullException.ThrowIfNull(record);
        string? type = record.Status switch
        {
            CohortStatus.Completed => EventTypes.CohortCompleted,
            CohortStatus.Cancelled => EventTypes.CohortCancelled,
            _ => null,
        };
        return type is null ? null : CohortEvent.Create(type, record.Id, "cohort", record.StatusChangedAt, new JsonObject
        {
            ["cohortId"] = record.Id,
            ["status"] = Camel(record.Status.ToString()),
            ["checkpointsRecorded"] = record.Checkpoints.Count,
        });
    }

    /// <summary><c>import.awaitingApply</c>, <c>import.applied</c> or <c>import.failed</c> (null for other states).</summary>
    public static CohortEvent? Import(ImportRecord import)
    {
        ArgumentNullException.ThrowIfNull(import);
        string? type = import.State switch
        {
            ImportState.AwaitingApply or ImportState.BlockedByLeavers => EventTypes.ImportAwaitingApply,
            ImportState.Applied => EventTypes.ImportApplied,
            ImportState.Failed => EventTypes.ImportFailed,
            _ => null,
        };
        if (type is null)
        {
            return null;
        }

        var data = new JsonObject
        {
            ["cohortId"] = import.CohortId,
            ["importId"] = import.ImportId,
            ["state"] = Camel(import.State.ToString()),
        };
        if (import.Summary is { } s)
        {
            data["joiners"] = s.Joiners + s.Rejoiners;
            data["movers"] = s.Movers;
            data["leavers"] = s.Leavers;
            data["triage"] = s.Triage;
        }

        return CohortEvent.Create(type, import.CohortId, "imports/" + import.ImportId, import.UpdatedAt, data, Camel(import.State.ToString()));
    }

    /// <summary>
    /// <c>participant.joined</c>, <c>.moved</c> or <c>.left</c> for a change an import applied (null for updates and
    /// unchanged people); one per person and import.
    /// </summary>
    public static CohortEvent? Participant(string cohortId, string importId, RosterChange change, DateTimeOffset at)
    {
        ArgumentNullException.ThrowIfNull(change);
        string? type = change.Kind switch
        {
            ChangeKind.Join or ChangeKind.Rejoin => EventTypes.ParticipantJoined,
            ChangeKind.Move => EventTypes.ParticipantMoved,
            ChangeKind.Leave => EventTypes.ParticipantLeft,
            _ => null,
        };
        return type is null ? null : CohortEvent.Create(type, cohortId, "participants/" + change.EmployeeId, at, new JsonObject
        {
            ["participantId"] = change.EmployeeId,
            ["importId"] = importId,
            ["from"] = change.From is { } from ? TrackNames.Name(from) : null,
            ["to"] = change.To is { } to ? TrackNames.Name(to) : null,
            ["rule"] = change.Rule,
            // so that a subscriber acting on joiners (a welcome, an LMS seat) can leave the comparison group alone
            ["group"] = change.Group == ParticipantGroup.Comparison ? "comparison" : "trained",
        }, importId);
    }

    /// <summary><c>submission.created</c>.</summary>
    public static CohortEvent Submitted(Submission submission) =>
        Review(EventTypes.SubmissionCreated, submission, submission.SubmittedAt);

    /// <summary>A review event (<c>review.requested</c>, <c>.reminded</c>, <c>.escalated</c>, <c>.decided</c>) at <paramref name="at"/>.</summary>
    public static CohortEvent Review(string type, Submission submission, DateTimeOffset at)
    {
        ArgumentNullException.ThrowIfNull(submission);
        var data = new JsonObject
        {
            ["submissionId"] = submission.SubmissionId,
            ["participantId"] = submission.ParticipantId,
            ["stepId"] = submission.StepId,
            ["track"] = TrackNames.Name(submission.Track),
            ["attempt"] = submission.Attempt,
            ["status"] = Camel(submission.Status.ToString()),
            ["reviewerId"] = submission.ReviewerId,
            ["submittedAt"] = Time(submission.SubmittedAt),
            ["dueAt"] = Time(submission.DueAt),
            ["slaBreached"] = submission.SlaBreached,
        };
        if (submission.Decision is { } decision)
        {
            data["verdict"] = Camel(decision.Verdict.ToString());
            data["decidedBy"] = decision.DecidedBy;
            data["decidedAt"] = Time(decision.DecidedAt);
            data["timeToFeedback"] = IsoDuration.Format(decision.DecidedAt - submission.SubmittedAt);
        }

        if (type == EventTypes.ReviewEscalated)
        {
            data["escalatedTo"] = new JsonArray([.. (submission.EscalatedTo ?? []).Select(id => (JsonNode?)id)]);
        }

        return CohortEvent.Create(type, submission.CohortId, "submissions/" + submission.SubmissionId, at, data);
    }

    /// <summary><c>checkpoint.recorded</c>.</summary>
    public static CohortEvent CheckpointRecorded(string cohortId, CheckpointSnapshot snapshot, bool final)
    {
        ArgumentNullException.ThrowIfNull(snapshot);
        return CohortEvent.Create(EventTypes.CheckpointRecorded, cohortId, "checkpoints/" + Number(snapshot.Ordinal), snapshot.RecordedAt, new JsonObject
        {
            ["cohortId"] = cohortId,
            ["ordinal"] = snapshot.Ordinal,
            ["final"] = final,
            ["dueAt"] = Time(snapshot.DueAt),
            ["recordedAt"] = Time(snapshot.RecordedAt),
            ["participants"] = snapshot.Participants,
        });
    }

    /// <summary><c>report.sent</c>: a checkpoint's report emailed to the leader at <paramref name="leaderIndex"/> in the plan (1-based in the data).</summary>
    public static CohortEvent ReportSent(string cohortId, int ordinal, int leaderIndex, DateTimeOffset at) =>
        CohortEvent.Create(EventTypes.ReportSent, cohortId, "reports/" + Number(ordinal), at, new JsonObject
        {
            ["cohortId"] = cohortId,
            ["ordinal"] = ordinal,
            ["leader"] = leaderIndex + 1,
        }, Number(leaderIndex));

    /// <summary>erasure.completed: a person's data was erased from the cohort (the erasure's id only; never whose).</summary>
    public static CohortEvent ErasureCompleted(string cohortId, string erasureId, DateTimeOffset at) =>
        CohortEvent.Create(EventTypes.ErasureCompleted, cohortId, "erasures/" + erasureId, at, new JsonObject
        {
            ["cohortId"] = cohortId,
            ["erasureId"] = erasureId,
        });

    private static string Time(DateTimeOffset at) => at.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.fffffff'Z'", CultureInfo.InvariantCulture);

    private static string Number(int n) => n.ToString(CultureInfo.InvariantCulture);

    private static string Camel(string name) => char.ToLowerInvariant(name[0]) + name[1..];
}
