using Cohorts.Domain.Practice;
using Microsoft.Graph;
using Microsoft.Graph.Models;
using Microsoft.Graph.Models.ODataErrors;
using Microsoft.Kiota.Http.HttpClientLibrary.Middleware.Options;

namespace Cohorts.Connectors.Graph;

/// <summary>
/// Practice through Microsoft Graph (app-only): the sandbox security group's members, and a Viva Engage community's
/// (through its Microsoft 365 group; the community is created with its owner bound, and its engagement operation
/// polled from <c>Operation-Location</c>) (<c>members@odata.bind</c>, 20 a
/// request; "already exist" and 404 on removal are done; a "does not exist" right after an account appears is
/// replication lag and is tried again), and a Teams team per cohort (<c>POST /teams</c> answers 202 with the
/// operation in <c>Location</c>; a 409 after an earlier create that worked finds the team by name), its standard
/// channels and members (<c>members/add</c>, 200 a request, a result per member). 429 is waited out by the client's
/// retry handler.
/// </summary>
public sealed class GraphPracticeDirectory(GraphServiceClient graph) : IPracticeDirectory
{
    /// <summary>Members per <c>members@odata.bind</c> request.</summary>
    public const int GroupBatch = 20;

    /// <summary>Members per <c>members/add</c> request.</summary>
    public const int TeamBatch = 200;

    private static readonly TimeSpan[] ReplicationWaits = [TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(3), TimeSpan.FromSeconds(9)];

    /// <summary>An address under the API's version root (<c>users('…')</c>), as bind annotations and operation locations name them.</summary>
    private string Url(string relative) =>
        relative.StartsWith("http", StringComparison.OrdinalIgnoreCase) ? relative : $"{graph.RequestAdapter.BaseUrl?.TrimEnd('/')}/{relative.TrimStart('/')}";

    private string ObjectUrl(string id) => Url($"directoryObjects/{id}");

    /// <inheritdoc/>
    public bool Enabled => true;

    /// <inheritdoc/>
    public Task<string?> FindUserAsync(string? upn, string? email, CancellationToken cancellationToken) =>
        GraphDirectory.FindUserIdAsync(graph, upn, email, cancellationToken);

    /// <inheritdoc/>
    public async Task<IReadOnlyList<DirectoryMember>> GroupMembersAsync(string groupId, CancellationToken cancellationToken)
    {
        var members = new List<DirectoryMember>();
        UserCollectionResponse? page = await graph.Groups[groupId].Members.GraphUser.GetAsync(
            r => r.QueryParameters.Select = ["id", "employeeId", "userPrincipalName", "mail"], cancellationToken);
        while (page is not null)
        {
            members.AddRange((page.Value ?? []).Where(u => u.Id is { Length: > 0 }).Select(u => new DirectoryMember(u.Id!, u.EmployeeId, u.UserPrincipalName, u.Mail)));
            page = page.OdataNextLink is { Length: > 0 } next
                ? await graph.Groups[groupId].Members.GraphUser.WithUrl(next).GetAsync(cancellationToken: cancellationToken)
                : null;
        }

        return members;
    }

    /// <inheritdoc/>
    public async Task AddGroupMembersAsync(string groupId, IReadOnlyList<string> userIds, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(userIds);
        foreach (string[] batch in userIds.Chunk(GroupBatch))
        {
            try
            {
                await WithReplicationRetryAsync(() => graph.Groups[groupId].PatchAsync(
                    new Group { AdditionalData = new Dictionary<string, object> { ["members@odata.bind"] = batch.Select(ObjectUrl).ToArray() } },
                    cancellationToken: cancellationToken), cancellationToken);
            }
            catch (ODataError already) when (AlreadyMember(already))
            {
                // one of them was in already, and the whole batch was refused: one at a time, each "already" done
                foreach (string id in batch)
                {
                    try
                    {
                        await WithReplicationRetryAsync(() => graph.Groups[groupId].Members.Ref.PostAsync(new ReferenceCreate { OdataId = ObjectUrl(id) }, cancellationToken: cancellationToken), cancellationToken);
                    }
                    catch (ODataError one) when (AlreadyMember(one))
                    {
                        // done
                    }
                }
            }
        }
    }

    /// <inheritdoc/>
    public async Task RemoveGroupMemberAsync(string groupId, string userId, CancellationToken cancellationToken)
    {
        try
        {
            await graph.Groups[groupId].Members[userId].Ref.DeleteAsync(cancellationToken: cancellationToken);
        }
        catch (ODataError gone) when (gone.ResponseStatusCode == 404)
        {
            // not a member (any more): done
        }
    }

    /// <inheritdoc/>
    public async Task<TeamRequest> CreateTeamAsync(string displayName, string description, string ownerId, CancellationToken cancellationToken)
    {
        var team = new Team
        {
            DisplayName = displayName,
            Description = description,
            Members =
            [
                new AadUserConversationMember
                {
                    Roles = ["owner"],
                    AdditionalData = new Dictionary<string, object> { ["user@odata.bind"] = Url($"users('{ownerId}')") },
                },
            ],
            AdditionalData = new Dictionary<string, object> { ["template@odata.bind"] = Url("teamsTemplates('standard')") },
        };
        var headers = new HeadersInspectionHandlerOption { InspectResponseHeaders = true };
        try
        {
            await graph.Teams.PostAsync(team, r => r.Options.Add(headers), cancellationToken);
        }
        catch (ODataError exists) when (exists.ResponseStatusCode == 409)
        {
            // an earlier create worked though its answer was lost: the team is there under its name
            return new TeamRequest(null, await FindTeamAsync(displayName, cancellationToken)
                ?? throw new InvalidOperationException($"Graph answered 409 for team '{displayName}' but no team has that name."));
        }

        string? location = headers.ResponseHeaders.TryGetValue("Location", out IEnumerable<string>? values) ? values.FirstOrDefault() : null;
        return location is { Length: > 0 }
            ? new TeamRequest(location, null)
            : throw new InvalidOperationException("POST /teams answered without a Location to follow.");
    }

    /// <inheritdoc/>
    public async Task<TeamOperation> GetTeamOperationAsync(string operation, CancellationToken cancellationToken)
    {
        // Location is "/teams('{teamId}')/operations('{operationId}')", relative to the API's version root
        TeamsAsyncOperation? state = await new Microsoft.Graph.Teams.Item.Operations.Item.TeamsAsyncOperationItemRequestBuilder(Url(operation), graph.RequestAdapter).GetAsync(cancellationToken: cancellationToken);
        string status = state?.Status switch
        {
            TeamsAsyncOperationStatus.Succeeded => "succeeded",
            TeamsAsyncOperationStatus.Failed => "failed",
            TeamsAsyncOperationStatus.InProgress => "inProgress",
            TeamsAsyncOperationStatus.NotStarted => "notStarted",
            _ => "invalid",
        };
        return new TeamOperation(status, state?.TargetResourceId, state?.Error?.Message);
    }

    /// <inheritdoc/>
    public async Task<TeamRequest> CreateCommunityAsync(string displayName, string description, string ownerId, CancellationToken cancellationToken)
    {
        var community = new Community
        {
            DisplayName = displayName.Length > 255 ? displayName[..255] : displayName,
            Description = description.Length > 1024 ? description[..1024] : description,
            Privacy = CommunityPrivacy.Private,
            AdditionalData = new Dictionary<string, object> { ["owners@odata.bind"] = new[] { Url($"users/{ownerId}") } },
        };
        var headers = new HeadersInspectionHandlerOption { InspectResponseHeaders = true };
        await graph.EmployeeExperience.Communities.PostAsync(community, r => r.Options.Add(headers), cancellationToken);
        string? location = headers.ResponseHeaders.TryGetValue("Operation-Location", out IEnumerable<string>? values) ? values.FirstOrDefault() : null;
        return location is { Length: > 0 }
            ? new TeamRequest(location, null)
            : throw new InvalidOperationException("POST /employeeExperience/communities answered without an Operation-Location to follow.");
    }

    /// <inheritdoc/>
    public async Task<string?> FindCommunityAsync(string displayName, CancellationToken cancellationToken)
    {
        CommunityCollectionResponse? found = await graph.EmployeeExperience.Communities.GetAsync(
            r => r.QueryParameters.Filter = $"displayName eq '{displayName.Replace("'", "''", StringComparison.Ordinal)}'", cancellationToken);
        return found?.Value?.FirstOrDefault(c => string.Equals(c.DisplayName, displayName, StringComparison.Ordinal))?.Id;
    }

    /// <inheritdoc/>
    public async Task<TeamOperation> GetCommunityOperationAsync(string operation, CancellationToken cancellationToken)
    {
        EngagementAsyncOperation? state = await new Microsoft.Graph.EmployeeExperience.EngagementAsyncOperations.Item.EngagementAsyncOperationItemRequestBuilder(Url(operation), graph.RequestAdapter)
            .GetAsync(cancellationToken: cancellationToken);
        string status = state?.Status switch
        {
            LongRunningOperationStatus.Succeeded => "succeeded",
            LongRunningOperationStatus.Failed => "failed",
            LongRunningOperationStatus.Running => "inProgress",
            LongRunningOperationStatus.NotStarted => "notStarted",
            _ => "invalid",
        };
        return new TeamOperation(status, state?.ResourceId, state?.StatusDetail);
    }

    /// <inheritdoc/>
    public async Task<string?> CommunityGroupAsync(string communityId, CancellationToken cancellationToken) =>
        (await graph.EmployeeExperience.Communities[communityId].GetAsync(r => r.QueryParameters.Select = ["id", "groupId"], cancellationToken))?.GroupId;

    /// <inheritdoc/>
    public async Task<Uri?> TeamUrlAsync(string teamId, CancellationToken cancellationToken)
    {
        Team? team = await graph.Teams[teamId].GetAsync(r => r.QueryParameters.Select = ["id", "webUrl"], cancellationToken);
        return Uri.TryCreate(team?.WebUrl, UriKind.Absolute, out Uri? url) ? url : null;
    }

    /// <inheritdoc/>
    public async Task<IReadOnlyList<string>> ChannelsAsync(string teamId, CancellationToken cancellationToken)
    {
        ChannelCollectionResponse? channels = await graph.Teams[teamId].Channels.GetAsync(r => r.QueryParameters.Select = ["id", "displayName"], cancellationToken);
        return [.. (channels?.Value ?? []).Select(c => c.DisplayName).OfType<string>()];
    }

    /// <inheritdoc/>
    public async Task CreateChannelAsync(string teamId, string displayName, string description, CancellationToken cancellationToken)
    {
        try
        {
            await graph.Teams[teamId].Channels.PostAsync(new Channel { DisplayName = displayName, Description = description, MembershipType = ChannelMembershipType.Standard }, cancellationToken: cancellationToken);
        }
        catch (ODataError exists) when (exists.ResponseStatusCode == 409 || (exists.ResponseStatusCode == 400 && (exists.Error?.Message ?? string.Empty).Contains("already exists", StringComparison.OrdinalIgnoreCase)))
        {
            // a channel of that name: done
        }
    }

    /// <inheritdoc/>
    public async Task<IReadOnlyList<TeamMember>> TeamMembersAsync(string teamId, CancellationToken cancellationToken)
    {
        var members = new List<TeamMember>();
        ConversationMemberCollectionResponse? page = await graph.Teams[teamId].Members.GetAsync(cancellationToken: cancellationToken);
        while (page is not null)
        {
            foreach (ConversationMember member in page.Value ?? [])
            {
                if (member.Id is { Length: > 0 } id)
                {
                    var user = member as AadUserConversationMember;
                    members.Add(new TeamMember(id, user?.UserId, user?.Email, member.Roles?.Contains("owner", StringComparer.OrdinalIgnoreCase) == true));
                }
            }

            page = page.OdataNextLink is { Length: > 0 } next
                ? await graph.Teams[teamId].Members.WithUrl(next).GetAsync(cancellationToken: cancellationToken)
                : null;
        }

        return members;
    }

    /// <inheritdoc/>
    public async Task<IReadOnlyList<string>> AddTeamMembersAsync(string teamId, IReadOnlyList<string> userIds, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(userIds);
        var failed = new List<string>();
        foreach (string[] batch in userIds.Chunk(TeamBatch))
        {
            Microsoft.Graph.Teams.Item.Members.Add.AddPostResponse? answer = await graph.Teams[teamId].Members.Add.PostAsAddPostResponseAsync(
                new Microsoft.Graph.Teams.Item.Members.Add.AddPostRequestBody
                {
                    Values = [.. batch.Select(id => new AadUserConversationMember
                    {
                        Roles = [],
                        AdditionalData = new Dictionary<string, object> { ["user@odata.bind"] = Url($"users('{id}')") },
                    })],
                },
                cancellationToken: cancellationToken);
            var succeeded = (answer?.Value ?? []).OfType<AadUserConversationMemberResult>().Where(r => r.Error is null && r.UserId is not null).Select(r => r.UserId!).ToHashSet(StringComparer.OrdinalIgnoreCase);
            failed.AddRange(batch.Where(id => !succeeded.Contains(id)));
        }

        return failed;
    }

    /// <inheritdoc/>
    public async Task RemoveTeamMemberAsync(string teamId, string membershipId, CancellationToken cancellationToken)
    {
        try
        {
            await graph.Teams[teamId].Members[membershipId].DeleteAsync(cancellationToken: cancellationToken);
        }
        catch (ODataError gone) when (gone.ResponseStatusCode == 404)
        {
            // gone already: done
        }
    }

    /// <inheritdoc/>
    public async Task<string?> FindTeamAsync(string displayName, CancellationToken cancellationToken)
    {
        TeamCollectionResponse? teams = await graph.Teams.GetAsync(r => r.QueryParameters.Filter = $"displayName eq '{displayName.Replace("'", "''", StringComparison.Ordinal)}'", cancellationToken);
        return teams?.Value?.FirstOrDefault(t => string.Equals(t.DisplayName, displayName, StringComparison.Ordinal))?.Id;
    }

    private static bool AlreadyMember(ODataError error) =>
        error.ResponseStatusCode == 400 && (error.Error?.Message ?? string.Empty).Contains("already exist", StringComparison.OrdinalIgnoreCase);

    private static bool ReplicationLag(ODataError error) =>
        error.ResponseStatusCode is 400 or 404 && (error.Error?.Message ?? string.Empty).Contains("does not exist", StringComparison.OrdinalIgnoreCase);

    /// <summary>A directory object just created may not have reached every replica: "does not exist" is tried again, after 1, 3 and 9 s.</summary>
    private static async Task WithReplicationRetryAsync(Func<Task> call, CancellationToken cancellationToken)
    {
        for (int attempt = 0; ; attempt++)
        {
            try
            {
                await call();
                return;
            }
            catch (ODataError lag) when (ReplicationLag(lag) && attempt < ReplicationWaits.Length)
            {
                await Task.Delay(ReplicationWaits[attempt], cancellationToken);
            }
        }
    }
}

/// <summary>Practice without a directory: nothing to keep.</summary>
public sealed class NoPracticeDirectory : IPracticeDirectory
{
    /// <inheritdoc/>
    public bool Enabled => false;

    private static InvalidOperationException NotConfigured() => new("Microsoft Graph is not configured: set Graph:ManagedIdentityClientId (or Graph:BaseUrl).");

    /// <inheritdoc/>
    public Task<string?> FindUserAsync(string? upn, string? email, CancellationToken cancellationToken) => throw NotConfigured();

    /// <inheritdoc/>
    public Task<IReadOnlyList<DirectoryMember>> GroupMembersAsync(string groupId, CancellationToken cancellationToken) => throw NotConfigured();

    /// <inheritdoc/>
    public Task AddGroupMembersAsync(string groupId, IReadOnlyList<string> userIds, CancellationToken cancellationToken) => throw NotConfigured();

    /// <inheritdoc/>
    public Task RemoveGroupMemberAsync(string groupId, string userId, CancellationToken cancellationToken) => throw NotConfigured();

    /// <inheritdoc/>
    public Task<TeamRequest> CreateTeamAsync(string displayName, string description, string ownerId, CancellationToken cancellationToken) => throw NotConfigured();

    /// <inheritdoc/>
    public Task<string?> FindTeamAsync(string displayName, CancellationToken cancellationToken) => throw NotConfigured();

    /// <inheritdoc/>
    public Task<TeamOperation> GetTeamOperationAsync(string operation, CancellationToken cancellationToken) => throw NotConfigured();

    /// <inheritdoc/>
    public Task<TeamRequest> CreateCommunityAsync(string displayName, string description, string ownerId, CancellationToken cancellationToken) => throw NotConfigured();

    /// <inheritdoc/>
    public Task<string?> FindCommunityAsync(string displayName, CancellationToken cancellationToken) => throw NotConfigured();

    /// <inheritdoc/>
    public Task<TeamOperation> GetCommunityOperationAsync(string operation, CancellationToken cancellationToken) => throw NotConfigured();

    /// <inheritdoc/>
    public Task<string?> CommunityGroupAsync(string communityId, CancellationToken cancellationToken) => throw NotConfigured();

    /// <inheritdoc/>
    public Task<Uri?> TeamUrlAsync(string teamId, CancellationToken cancellationToken) => throw NotConfigured();

    /// <inheritdoc/>
    public Task<IReadOnlyList<string>> ChannelsAsync(string teamId, CancellationToken cancellationToken) => throw NotConfigured();

    /// <inheritdoc/>
    public Task CreateChannelAsync(string teamId, string displayName, string description, CancellationToken cancellationToken) => throw NotConfigured();

    /// <inheritdoc/>
    public Task<IReadOnlyList<TeamMember>> TeamMembersAsync(string teamId, CancellationToken cancellationToken) => throw NotConfigured();

    /// <inheritdoc/>
    public Task<IReadOnlyList<string>> AddTeamMembersAsync(string teamId, IReadOnlyList<string> userIds, CancellationToken cancellationToken) => throw NotConfigured();

    /// <inheritdoc/>
    public Task RemoveTeamMemberAsync(string teamId, string membershipId, CancellationToken cancellationToken) => throw NotConfigured();
}
