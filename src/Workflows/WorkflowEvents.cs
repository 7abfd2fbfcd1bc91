using System.Text.Json;
using System.Text.Json.Nodes;
using Cohorts.Domain.Access;
using Cohorts.Domain.Events;
using Microsoft.Extensions.Logging;

namespace Cohorts.Workflows;

/// <summary>
/// What an activity that changes state tells the world: each event into the outbox for integrators, and the same
/// change into the audit log, made by the system. Both are keyed by the event's id, so a retried activity records each
/// once. Each is also a line in the log (ids only) and a count on the product's meters (<see cref="CohortsTelemetry"/>):
/// an activity that runs again logs and counts again, so the figures are at least the events, the outbox exactly.
/// </summary>
public sealed partial class WorkflowEvents(IEventOutbox outbox, IAuditLog audit, ILogger<WorkflowEvents>? log = null)
{
    /// <summary>The actor a workflow's audit entries name.</summary>
    public const string Actor = "workflow";

    /// <summary>Records and raises <paramref name="cohortEvent"/>.</summary>
    public Task RaiseAsync(CohortEvent cohortEvent, CancellationToken cancellationToken) => RaiseAllAsync([cohortEvent], cancellationToken);

    /// <summary>Records and raises <paramref name="cohortEvents"/>.</summary>
    public async Task RaiseAllAsync(IReadOnlyList<CohortEvent> cohortEvents, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(cohortEvents);
        if (cohortEvents.Count == 0)
        {
            return;
        }

        // each keyed by the events' ids and written once however often it runs: the one need not wait for the other
        await Task.WhenAll(audit.AppendAsync(cohortEvents.Select(Entry).ToList(), cancellationToken), outbox.RaiseAllAsync(cohortEvents, cancellationToken));
        foreach (CohortEvent happened in cohortEvents)
        {
            Record(happened);
        }
    }

    private void Record(CohortEvent happened)
    {
        var cohort = new KeyValuePair<string, object?>("cohort.id", happened.CohortId);
        switch (happened.Type)
        {
            case EventTypes.ImportApplied:
                CohortsTelemetry.ImportsApplied.Add(1, cohort);
                break;
            case EventTypes.ReviewRequested:
                CohortsTelemetry.ReviewsOpen.Add(1, cohort);
                break;
            case EventTypes.ReviewEscalated:
                CohortsTelemetry.Escalations.Add(1, cohort);
                break;
            case EventTypes.ReviewDecided:
                bool breached = happened.Data["slaBreached"]?.GetValue<bool>() == true;
                CohortsTelemetry.ReviewsOpen.Add(-1, cohort);
                CohortsTelemetry.ReviewsDecided.Add(1, cohort, new KeyValuePair<string, object?>("within_window", !breached));
                break;
            case EventTypes.ReportSent:
                CohortsTelemetry.ReportsSent.Add(1, cohort);
                break;
        }

        if (log is not null)
        {
            LogEvent(log, happened.Type, happened.CohortId, happened.Subject, happened.Id);
        }
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "{Type} in cohort {CohortId}: {Subject} (event {EventId})")]
    private static partial void LogEvent(ILogger log, string type, string cohortId, string subject, string eventId);

    /// <summary>The audit entry of an event raised by a workflow: the ids it names, no figures.</summary>
    public static AuditEntry Entry(CohortEvent cohortEvent)
    {
        ArgumentNullException.ThrowIfNull(cohortEvent);
        var targets = new Dictionary<string, string>(StringComparer.Ordinal) { ["eventId"] = cohortEvent.Id, ["subject"] = cohortEvent.Subject };
        foreach ((string name, JsonNode? value) in cohortEvent.Data)
        {
            if (name.EndsWith("Id", StringComparison.Ordinal) && value is JsonValue v && v.GetValueKind() == JsonValueKind.String)
            {
                targets[name] = v.GetValue<string>();
            }
        }

        return new AuditEntry(AuditEntry.IdOf("event", cohortEvent.Id), cohortEvent.Time, cohortEvent.CohortId, Actor, Roles.System, cohortEvent.Type, targets, "succeeded");
    }
}
