namespace Cohorts.Domain.Enrolment;

/// <summary>A user a directory delta reports as added or changed: their directory object id and what HR needs of them.</summary>
public sealed record DirectoryUser(string ObjectId, HrRecord Record);

/// <summary>One round of a directory delta query: who changed, who was removed, and the link the next round starts from.</summary>
/// <param name="Changed">Users added or changed since the last round (all users on a first or full round).</param>
/// <param name="Removed">Directory object ids of users deleted (or soft-deleted) since the last round.</param>
/// <param name="DeltaLink">The link the next round starts from.</param>
/// <param name="FullResync">True when the kept link had expired (410) and this round started over from nothing.</param>
public sealed record DirectoryDelta(IReadOnlyList<DirectoryUser> Changed, IReadOnlyList<string> Removed, string DeltaLink, bool FullResync);

/// <summary>
/// A cohort enrolled from an Entra ID group, as the scheduled delta sync keeps it: the group, the delta link the next
/// round starts from, and which directory object ids are roster members (a removal names only the object id).
/// </summary>
/// <param name="CohortId">The cohort.</param>
/// <param name="GroupId">The group its people come from.</param>
/// <param name="DeltaLink">Where the next delta round starts; null until the first round set a baseline.</param>
/// <param name="Members">Directory object id → roster key (employeeId), for roster members seen in a round.</param>
/// <param name="LastRoundAt">When a round last ended.</param>
/// <param name="LastFullImportAt">When the group's members were last read in full (an import from the group).</param>
public sealed record DirectoryLink(
    string CohortId,
    string GroupId,
    string? DeltaLink,
    IReadOnlyDictionary<string, string> Members,
    DateTimeOffset? LastRoundAt,
    DateTimeOffset LastFullImportAt)
{
    /// <summary>The link of a cohort just enrolled from <paramref name="groupId"/>; an earlier link to the same group keeps its delta state.</summary>
    public static DirectoryLink Linked(DirectoryLink? earlier, string cohortId, string groupId, DateTimeOffset at) =>
        earlier is not null && string.Equals(earlier.GroupId, groupId, StringComparison.OrdinalIgnoreCase)
            ? earlier with { LastFullImportAt = at }
            : new DirectoryLink(cohortId, groupId, null, new Dictionary<string, string>(StringComparer.Ordinal), null, at);
}

/// <summary>What a delta round means for one cohort.</summary>
public enum DirectorySyncAction
{
    /// <summary>The first round: its link becomes the baseline; the group import already read everyone.</summary>
    Baseline,

    /// <summary>Nothing that concerns the roster changed.</summary>
    NoChanges,

    /// <summary>Roster members changed or left: import just those rows (a partial source: absence is not leaving).</summary>
    ImportChanges,

    /// <summary>The link expired (410), or a full read is due: import the group's members in full.</summary>
    ImportGroup,
}

/// <summary>The decision of a round: what to do, the rows of a partial import, and the link to keep afterwards.</summary>
public sealed record DirectorySyncStep(DirectorySyncAction Action, IReadOnlyList<HrRecord> Rows, DirectoryLink Next);

/// <summary>
/// Turns a delta round into a roster action for one cohort. <c>users/delta</c> is tenant-wide and says nothing of group
/// membership, so a round only concerns people already on the roster: their changed attributes (a mover, an update, a
/// disabled account that leaves) and their removal from the directory. People new to the group arrive with the full
/// read of the group that runs every <c>reconcileEvery</c> and after a 410.
/// </summary>
public static class DirectorySyncPlanner
{
    /// <summary>The step for <paramref name="link"/> after <paramref name="delta"/>, given the ids on the roster now.</summary>
    public static DirectorySyncStep Plan(DirectoryLink link, DirectoryDelta delta, IReadOnlySet<string> rosterIds, DateTimeOffset now, TimeSpan reconcileEvery)
    {
        ArgumentNullException.ThrowIfNull(link);
        ArgumentNullException.ThrowIfNull(delta);
        ArgumentNullException.ThrowIfNull(rosterIds);
        var members = new Dictionary<string, string>(link.Members, StringComparer.Ordinal);
        var rows = new List<HrRecord>();
        foreach (DirectoryUser user in delta.Changed)
        {
            if (rosterIds.Contains(user.Record.EmployeeId))
            {
                members[user.ObjectId] = user.Record.EmployeeId;
                rows.Add(user.Record);
            }
        }

        foreach (string objectId in delta.Removed)
        {
            // a user without an employeeId is keyed by their object id, so no mapping is needed for them
            string? key = members.Remove(objectId, out string? mapped) ? mapped : rosterIds.Contains(objectId) ? objectId : null;
            if (key is not null && rosterIds.Contains(key))
            {
                rows.Add(new HrRecord(key, Terminated: true));
            }
        }

        DirectoryLink next = link with { DeltaLink = delta.DeltaLink, Members = members, LastRoundAt = now };
        if (link.DeltaLink is null && !delta.FullResync)
        {
            return new DirectorySyncStep(DirectorySyncAction.Baseline, [], next);
        }

        if (delta.FullResync || now - link.LastFullImportAt >= reconcileEvery)
        {
            return new DirectorySyncStep(DirectorySyncAction.ImportGroup, [], next with { LastFullImportAt = now });
        }

        return rows.Count == 0
            ? new DirectorySyncStep(DirectorySyncAction.NoChanges, [], next)
            : new DirectorySyncStep(DirectorySyncAction.ImportChanges, rows, next);
    }
}
