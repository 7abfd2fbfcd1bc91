using System.Text.Json;
using System.Text.Json.Nodes;
using Cohorts.Domain.Access;
using Cohorts.Domain.Events;

namespace Cohorts.Workflows;

/// <summary>
/// What an activity that changes state tells the world: each event into the outbox for integrators, and the same
/// change into the audit log, made by the system. Both are keyed by the event's id, so a retried activity records each
/// once.
/// </summary>
public sealed class WorkflowEvents(IEventOutbox outbox, IAuditLog audit)
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

        await audit.AppendAsync(cohortEvents.Select(Entry).ToList(), cancellationToken);
        await outbox.RaiseAllAsync(cohortEvents, cancellationToken);
    }

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
