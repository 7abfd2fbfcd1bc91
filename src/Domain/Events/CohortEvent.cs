using System.Security.Cryptography;
using System.Text;
using System.Text.Json.Nodes;

namespace Cohorts.Domain.Events;

/// <summary>
/// Something that happened to a cohort, for integrators: a type of <see cref="EventTypes"/>, the cohort, what it is
/// about (<see cref="Subject"/>: a submission, a checkpoint, an import) and its figures. <see cref="Data"/> holds ids
/// and figures only, never names or emails. The id is derived from what happened, so raising the same event again
/// (a retried activity, a replayed orchestration, a repeated request) is the same event.
/// </summary>
public sealed record CohortEvent(string Id, string Type, string CohortId, string Subject, DateTimeOffset Time, JsonObject Data)
{
    /// <summary>The event of <paramref name="type"/> about <paramref name="subject"/>; <paramref name="occurrence"/> tells apart events of the same type and subject (a revision, an attempt).</summary>
    public static CohortEvent Create(string type, string cohortId, string subject, DateTimeOffset time, JsonObject data, string occurrence = "")
    {
        if (!EventTypes.All.Contains(type))
        {
            throw new ArgumentOutOfRangeException(nameof(type), type, "Not an event type.");
        }

        byte[] hash = SHA256.HashData(Encoding.UTF8.GetBytes($"{type}\n{cohortId}\n{subject}\n{occurrence}"));
        return new CohortEvent("evt_" + Convert.ToHexStringLower(hash, 0, 16), type, cohortId, subject, time, data);
    }

    /// <summary>The CloudEvents type: <c>cohorts.</c> and the event type.</summary>
    public string CloudEventType => "cohorts." + Type;

    /// <summary>The CloudEvents source: <c>/cohorts/{cohortId}</c>.</summary>
    public string Source => "/cohorts/" + Uri.EscapeDataString(CohortId);
}

/// <summary>The event types of DESIGN.md ("Events out").</summary>
public static class EventTypes
{
    public const string CohortCreated = "cohort.created";
    public const string CohortUpdated = "cohort.updated";
    public const string CohortCompleted = "cohort.completed";
    public const string CohortCancelled = "cohort.cancelled";
    public const string ImportAwaitingApply = "import.awaitingApply";
    public const string ImportApplied = "import.applied";
    public const string ImportFailed = "import.failed";
    public const string ParticipantJoined = "participant.joined";
    public const string ParticipantMoved = "participant.moved";
    public const string ParticipantLeft = "participant.left";
    public const string SubmissionCreated = "submission.created";
    public const string ReviewRequested = "review.requested";
    public const string ReviewReminded = "review.reminded";
    public const string ReviewEscalated = "review.escalated";
    public const string ReviewDecided = "review.decided";
    public const string CheckpointRecorded = "checkpoint.recorded";
    public const string ReportSent = "report.sent";
    public const string ErasureCompleted = "erasure.completed";

    /// <summary>Every type, in the order DESIGN.md lists them.</summary>
    public static IReadOnlyList<string> All { get; } =
    [
        CohortCreated, CohortUpdated, CohortCompleted, CohortCancelled, ImportAwaitingApply, ImportApplied, ImportFailed, ParticipantJoined,
        ParticipantMoved, ParticipantLeft, SubmissionCreated, ReviewRequested, ReviewReminded, ReviewEscalated, ReviewDecided, CheckpointRecorded,
        ReportSent, ErasureCompleted,
    ];
}

/// <summary>
/// An event waiting to be handed on, and its receipt: where the outbox keeps it, when that is not found from the id
/// alone (an event raised among many); null otherwise. The receipt finds the event again (<see
/// cref="IEventOutbox.GetAsync"/>) and marks it handed on.
/// </summary>
public sealed record PendingEvent(CohortEvent Event, string? Receipt);

/// <summary>Where events wait to be handed to the subscriptions that want them.</summary>
public interface IEventOutbox
{
    /// <summary>Stores <paramref name="cohortEvent"/> as pending unless an event with its id was raised before (then nothing changes).</summary>
    Task RaiseAsync(CohortEvent cohortEvent, CancellationToken cancellationToken);

    /// <summary>
    /// Raises <paramref name="cohortEvents"/> together, in as few writes as the store allows; raising the same list
    /// again (a retried activity) changes nothing.
    /// </summary>
    Task RaiseAllAsync(IReadOnlyList<CohortEvent> cohortEvents, CancellationToken cancellationToken);

    /// <summary>The event, found by its id and the receipt <see cref="PendingAsync"/> gave with it; or null.</summary>
    Task<CohortEvent?> GetAsync(string eventId, string? receipt, CancellationToken cancellationToken);

    /// <summary>Whether any event waits to be handed on: one row's key read at most, for a dispatcher with nothing to do.</summary>
    Task<bool> AnyPendingAsync(CancellationToken cancellationToken);

    /// <summary>
    /// Events not yet handed on, oldest first, with their receipts: up to <paramref name="max"/>, and whole what was
    /// raised together, so the last group may take the count past it.
    /// </summary>
    Task<IReadOnlyList<PendingEvent>> PendingAsync(int max, CancellationToken cancellationToken);

    /// <summary>
    /// Marks the events handed on (their deliveries started), in as few writes as the store allows; events raised
    /// together are marked together, so hand on all that <see cref="PendingAsync"/> gave before marking them.
    /// </summary>
    Task MarkDispatchedAsync(IReadOnlyList<PendingEvent> pending, CancellationToken cancellationToken);

    /// <summary>
    /// Marks up to about <paramref name="max"/> of the oldest pending events handed on without reading them, for a
    /// dispatch with no subscription to hand them to; returns how many rows of pending events it marked.
    /// </summary>
    Task<int> SkipPendingAsync(int max, CancellationToken cancellationToken);
}
