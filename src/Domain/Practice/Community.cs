namespace Cohorts.Domain.Practice;

/// <summary>Where a cohort's community of practice lives.</summary>
public enum CommunityKind
{
    /// <summary>A Microsoft Teams team per cohort, a standard channel per track in use.</summary>
    Teams,

    /// <summary>A Viva Engage community per cohort, its members kept through its Microsoft 365 group.</summary>
    VivaEngage,
}

/// <summary>The plan's community of practice: its kind and, optionally, the owner's directory object id (the program lead's account otherwise).</summary>
public sealed record CommunityPlan(CommunityKind Kind, string? OwnerId);

/// <summary>Where the creation of a cohort's team stands.</summary>
public enum CommunityState
{
    /// <summary>Asked for; the directory's operation is pending.</summary>
    Creating,

    /// <summary>Created; members are kept equal to the active roster.</summary>
    Created,

    /// <summary>The directory's operation failed (see the error).</summary>
    Failed,
}

/// <summary>
/// A cohort's community as kept between orchestration steps: the pending operation's address (so a replay polls it
/// instead of creating a twin), then the team's (or Viva Engage community's) id and link, a community's Microsoft 365
/// group (its members are kept there), the member count and the last problem met.
/// </summary>
public sealed record CommunityRecord(
    string CohortId,
    CommunityKind Kind,
    CommunityState State,
    string? Operation,
    string? TeamId,
    Uri? WebUrl,
    int Members,
    IReadOnlyList<string> Channels,
    string? Error,
    DateTimeOffset UpdatedAt,
    string? GroupId = null);

/// <summary>Kept communities, one per cohort.</summary>
public interface ICommunityStore
{
    /// <summary>The cohort's community, or null before one was asked for.</summary>
    Task<CommunityRecord?> GetAsync(string cohortId, CancellationToken cancellationToken);

    /// <summary>Stores it, replacing what was there.</summary>
    Task SaveAsync(CommunityRecord record, CancellationToken cancellationToken);
}

/// <summary>A member of a directory group as listed: enough to recognise a roster member without a lookup.</summary>
public sealed record DirectoryMember(string Id, string? EmployeeId, string? Upn, string? Mail);

/// <summary>A member of a team as listed: the membership id removal needs, and whether they own it.</summary>
public sealed record TeamMember(string MembershipId, string? UserId, string? Email, bool Owner);

/// <summary>What asking for a team gave: the operation to poll, or (a 409 after an earlier try worked) the team itself.</summary>
public sealed record TeamRequest(string? Operation, string? TeamId);

/// <summary>A team operation's state; the team id once it succeeded; why when it failed.</summary>
public sealed record TeamOperation(string Status, string? TeamId, string? Error)
{
    /// <summary>Still running.</summary>
    public bool Pending => Status is "notStarted" or "inProgress";
}

/// <summary>
/// The directory calls practice needs (Microsoft Graph): the sandbox group's members, and the cohort's team, its
/// channels and members. Each call is safe to repeat: an add of a member already there and a removal of one already
/// gone are done.
/// </summary>
public interface IPracticeDirectory
{
    /// <summary>Whether a directory is configured at all.</summary>
    bool Enabled { get; }

    /// <summary>The directory object id of the user with this sign-in name or email, or null.</summary>
    Task<string?> FindUserAsync(string? upn, string? email, CancellationToken cancellationToken);

    /// <summary>The group's user members.</summary>
    Task<IReadOnlyList<DirectoryMember>> GroupMembersAsync(string groupId, CancellationToken cancellationToken);

    /// <summary>Adds users to the group (up to 20 a request).</summary>
    Task AddGroupMembersAsync(string groupId, IReadOnlyList<string> userIds, CancellationToken cancellationToken);

    /// <summary>Removes a user from the group.</summary>
    Task RemoveGroupMemberAsync(string groupId, string userId, CancellationToken cancellationToken);

    /// <summary>Asks for a team named <paramref name="displayName"/> owned by <paramref name="ownerId"/>.</summary>
    Task<TeamRequest> CreateTeamAsync(string displayName, string description, string ownerId, CancellationToken cancellationToken);

    /// <summary>The id of the team named <paramref name="displayName"/>, or null.</summary>
    Task<string?> FindTeamAsync(string displayName, CancellationToken cancellationToken);

    /// <summary>Where the team operation at <paramref name="operation"/> stands.</summary>
    Task<TeamOperation> GetTeamOperationAsync(string operation, CancellationToken cancellationToken);

    /// <summary>Asks for a Viva Engage community owned by <paramref name="ownerId"/> (app-only creation needs an owner).</summary>
    Task<TeamRequest> CreateCommunityAsync(string displayName, string description, string ownerId, CancellationToken cancellationToken);

    /// <summary>The id of the Viva Engage community named <paramref name="displayName"/>, or null.</summary>
    Task<string?> FindCommunityAsync(string displayName, CancellationToken cancellationToken);

    /// <summary>Where the engagement operation at <paramref name="operation"/> stands; its resource id is the community's.</summary>
    Task<TeamOperation> GetCommunityOperationAsync(string operation, CancellationToken cancellationToken);

    /// <summary>The Microsoft 365 group that holds the community's members.</summary>
    Task<string?> CommunityGroupAsync(string communityId, CancellationToken cancellationToken);

    /// <summary>The team's link (its <c>webUrl</c>).</summary>
    Task<Uri?> TeamUrlAsync(string teamId, CancellationToken cancellationToken);

    /// <summary>The team's channel names.</summary>
    Task<IReadOnlyList<string>> ChannelsAsync(string teamId, CancellationToken cancellationToken);

    /// <summary>Creates a standard channel.</summary>
    Task CreateChannelAsync(string teamId, string displayName, string description, CancellationToken cancellationToken);

    /// <summary>The team's members.</summary>
    Task<IReadOnlyList<TeamMember>> TeamMembersAsync(string teamId, CancellationToken cancellationToken);

    /// <summary>Adds users as members (up to 200 a request); the ids whose addition failed.</summary>
    Task<IReadOnlyList<string>> AddTeamMembersAsync(string teamId, IReadOnlyList<string> userIds, CancellationToken cancellationToken);

    /// <summary>Removes a membership.</summary>
    Task RemoveTeamMemberAsync(string teamId, string membershipId, CancellationToken cancellationToken);
}
