using System.Globalization;
using Cohorts.Domain;

namespace Cohorts.Workflows;

/// <summary>
/// Deterministic orchestration instance ids, so that a repeated request finds the instance the first one started
/// instead of starting a twin. The Azure Storage backend forbids <c>/ \ # ?</c> in instance ids (they become table
/// keys); those, and <c>%</c> itself so that the escaping can be undone, are percent-encoded.
/// </summary>
public static class InstanceIds
{
    /// <summary>The instance id of a cohort's lifecycle orchestration.</summary>
    public static string Lifecycle(string cohortId) => "cohort:" + Escape(cohortId);

    /// <summary>The instance id of a cohort's checkpoint orchestration (<c>{cohortId}:checkpoint:{ordinal}</c>).</summary>
    public static string Checkpoint(string cohortId, int ordinal) =>
        Escape(cohortId) + ":checkpoint:" + ordinal.ToString(CultureInfo.InvariantCulture);

    /// <summary>Percent-encodes the characters the backend forbids (and control characters and <c>%</c>).</summary>
    public static string Escape(string id) => KeyEscape.Escape(id);

    /// <summary>Undoes <see cref="Escape"/>.</summary>
    public static string Unescape(string escaped) => KeyEscape.Unescape(escaped);

    /// <summary>The instance id of one import's roster sync (<c>{cohortId}:import:{importId}</c>).</summary>
    public static string Import(string cohortId, string importId) => Escape(cohortId) + ":import:" + Escape(importId);

    /// <summary>The instance id of one event's delivery to one subscription (<c>delivery:{eventId}:{subscriptionId}</c>).</summary>
    public static string Delivery(string eventId, string subscriptionId) => "delivery:" + Escape(eventId) + ":" + Escape(subscriptionId);

    /// <summary>The instance id of one submission's review (<c>review:{submissionId}</c>).</summary>
    public static string Review(string submissionId) => "review:" + Escape(submissionId);

    /// <summary>The practice orchestration of one cohort (<c>practice:{cohortId}</c>): its sandbox group and community.</summary>
    public static string Practice(string cohortId) => "practice:" + Escape(cohortId);

    /// <summary>The erasure orchestration of one request.</summary>
    public static string Erasure(string erasureId) => "erasure:" + Escape(erasureId);
}
