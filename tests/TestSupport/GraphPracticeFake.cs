using System.Collections.Concurrent;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;

namespace Cohorts.TestSupport;

/// <summary>
/// A directory with state behind <see cref="GraphStub"/>: users, security groups and Teams, answering with Graph's
/// documented shapes and quirks. Groups: members listed in pages, added with <c>members@odata.bind</c> (at most 20;
/// one already there refuses the whole request with 400 "already exist"), or one <c>$ref</c> at a time; a removal of a
/// non-member is 404. Teams: <c>POST /teams</c> answers 202 with the operation in <c>Location</c>, which stays
/// <c>inProgress</c> for <see cref="PollsBeforeDone"/> polls; a second create of a name that exists answers 409
/// "already exists"; <c>members/add</c> takes at most 200 and answers an <c>actionResultPart</c> per member (an
/// unknown user fails, the others succeed). Everything is recorded by the stub.
/// </summary>
public sealed partial class GraphPracticeFake
{
    private readonly object gate = new();
    private readonly Dictionary<string, (string Id, string? EmployeeId, string Upn, string Mail, string? JobTitle)> users = new(StringComparer.OrdinalIgnoreCase);
    private readonly Dictionary<string, List<string>> groups = new(StringComparer.OrdinalIgnoreCase);
    private readonly Dictionary<string, FakeTeam> teams = new(StringComparer.OrdinalIgnoreCase);
    private readonly Dictionary<string, (string TeamId, int PollsLeft)> operations = new(StringComparer.OrdinalIgnoreCase);
    private readonly Dictionary<string, (string Name, string GroupId, string Owner)> communities = new(StringComparer.OrdinalIgnoreCase);

    /// <summary>The Viva Engage communities: id → name, the Microsoft 365 group holding its members, the owner bound at creation.</summary>
    public IReadOnlyDictionary<string, (string Name, string GroupId, string Owner)> Communities { get { lock (gate) { return new Dictionary<string, (string, string, string)>(communities); } } }

    /// <summary>Polls a team operation answers inProgress before it succeeds.</summary>
    public int PollsBeforeDone { get; set; } = 2;

    /// <summary>Members a group listing page holds (Graph's are larger; small ones make paging happen).</summary>
    public int PageSize { get; set; } = 3;

    private readonly HashSet<string> throttled = new(StringComparer.Ordinal);

    /// <summary>The next request whose path ends with <paramref name="pathEnd"/> answers 429 with <c>Retry-After: 1</c>.</summary>
    public void ThrottleOnce(string pathEnd)
    {
        lock (gate)
        {
            throttled.Add(pathEnd);
        }
    }

    /// <summary>The sizes of every members/add request, in order.</summary>
    public ConcurrentQueue<int> TeamAddBatches { get; } = new();

    /// <summary>The teams, by id.</summary>
    public IReadOnlyDictionary<string, FakeTeam> Teams { get { lock (gate) { return new Dictionary<string, FakeTeam>(teams); } } }

    /// <summary>A team as the fake keeps it.</summary>
    public sealed record FakeTeam(string Id, string DisplayName, List<string> Channels, Dictionary<string, (string UserId, bool Owner)> Members);

    /// <summary>Attaches the fake to <paramref name="stub"/>.</summary>
    public static GraphPracticeFake On(GraphStub stub)
    {
        ArgumentNullException.ThrowIfNull(stub);
        var fake = new GraphPracticeFake();
        stub.Fallback = fake.Answer;
        return fake;
    }

    /// <summary>Adds a user to the directory.</summary>
    public void User(string id, string upn, string? employeeId = null, string? jobTitle = null)
    {
        lock (gate)
        {
            users[id] = (id, employeeId, upn, upn, jobTitle);
            users[upn] = (id, employeeId, upn, upn, jobTitle);
        }
    }

    /// <summary>Lets every pending team operation succeed at its next poll.</summary>
    public void FinishOperations()
    {
        lock (gate)
        {
            foreach (string id in operations.Keys.ToList())
            {
                operations[id] = (operations[id].TeamId, 0);
            }
        }
    }

    /// <summary>A team made outside the product (or by a create whose answer was lost), so that a create of its name gets 409.</summary>
    public string ExistingTeam(string displayName, string ownerId)
    {
        lock (gate)
        {
            string teamId = Guid.NewGuid().ToString();
            teams[teamId] = new FakeTeam(teamId, displayName, ["General"], new Dictionary<string, (string, bool)> { [Guid.NewGuid().ToString()] = (ownerId, true) });
            return teamId;
        }
    }

    /// <summary>Creates a group with these members.</summary>
    public void Group(string groupId, params string[] members)
    {
        lock (gate)
        {
            groups[groupId] = [.. members];
        }
    }

    /// <summary>The group's members now.</summary>
    public IReadOnlyList<string> MembersOf(string groupId)
    {
        lock (gate)
        {
            return [.. groups[groupId].Order(StringComparer.Ordinal)];
        }
    }

    private GraphStub.Reply? Answer(string method, string path, string query, string body)
    {
        lock (gate)
        {
            if (throttled.FirstOrDefault(end => path.EndsWith(end, StringComparison.Ordinal)) is { } limit)
            {
                throttled.Remove(limit);
                return new GraphStub.Reply(429, new JsonObject { ["error"] = new JsonObject { ["code"] = "TooManyRequests", ["message"] = "Too many requests." } }.ToJsonString(),
                    new Dictionary<string, string> { ["Retry-After"] = "1" });
            }

            Match m;
            if (method == "GET" && (m = UserPath().Match(path)).Success)
            {
                return users.TryGetValue(Uri.UnescapeDataString(m.Groups[1].Value), out var user) ? Json(200, new { id = user.Id }) : NotFound("User");
            }

            if (method == "GET" && (m = TransitivePath().Match(path)).Success && groups.TryGetValue(m.Groups[1].Value, out List<string>? source))
            {
                // the enrolment source: the group's users with what HR needs of them
                return new GraphStub.Reply(200, new JsonObject
                {
                    ["value"] = new JsonArray([.. source.Order(StringComparer.Ordinal).Select(id => users[id]).Select(u => new JsonObject
                    {
                        ["id"] = u.Id, ["employeeId"] = u.EmployeeId, ["userPrincipalName"] = u.Upn, ["mail"] = u.Mail, ["displayName"] = u.Upn,
                        ["jobTitle"] = u.JobTitle, ["department"] = "Analytics", ["accountEnabled"] = true,
                    })]),
                }.ToJsonString());
            }

            if ((m = GroupMembersPath().Match(path)).Success)
            {
                return GroupMembers(method, m.Groups[1].Value, m.Groups[2].Value, query, body);
            }

            if (method == "PATCH" && (m = GroupPath().Match(path)).Success)
            {
                return AddToGroup(m.Groups[1].Value, JsonNode.Parse(body)!["members@odata.bind"]!.AsArray().Select(u => LastId(u!.GetValue<string>())).ToList(), batch: true);
            }

            if (path.EndsWith("/v1.0/employeeExperience/communities", StringComparison.Ordinal))
            {
                return method == "POST" ? CreateCommunity(JsonNode.Parse(body)!) : FindCommunities(query);
            }

            if (method == "GET" && (m = EngagementPath().Match(path)).Success)
            {
                return EngagementOperation(m.Groups[1].Value);
            }

            if (method == "GET" && (m = CommunityPath().Match(path)).Success)
            {
                return communities.TryGetValue(m.Groups[1].Value, out var community)
                    ? Json(200, new { id = m.Groups[1].Value, displayName = community.Name, groupId = community.GroupId, privacy = "private" })
                    : NotFound("Community");
            }

            if (path.EndsWith("/v1.0/teams", StringComparison.Ordinal))
            {
                return method == "POST" ? CreateTeam(JsonNode.Parse(body)!) : FindTeams(query);
            }

            if (method == "GET" && (m = OperationPath().Match(path)).Success)
            {
                return Operation(m.Groups[1].Value, m.Groups[2].Value);
            }

            if ((m = TeamPath().Match(path)).Success)
            {
                return Team(method, m.Groups[1].Value, m.Groups[2].Value, body);
            }

            return null;
        }
    }

    private GraphStub.Reply? GroupMembers(string method, string groupId, string rest, string query, string body)
    {
        if (!groups.TryGetValue(groupId, out List<string>? members))
        {
            return NotFound("Group");
        }

        if (method == "GET" && rest == "/graph.user")
        {
            int skip = SkipToken().Match(query) is { Success: true } token ? int.Parse(token.Groups[1].Value, System.Globalization.CultureInfo.InvariantCulture) : 0;
            var page = members.Order(StringComparer.Ordinal).Skip(skip).Take(PageSize).Select(id => users.TryGetValue(id, out var u)
                ? new JsonObject { ["id"] = id, ["employeeId"] = u.EmployeeId, ["userPrincipalName"] = u.Upn, ["mail"] = u.Mail }
                : new JsonObject { ["id"] = id }).ToArray();
            var answer = new JsonObject { ["value"] = new JsonArray(page) };
            if (skip + PageSize < members.Count)
            {
                answer["@odata.nextLink"] = $"{StubBase}/v1.0/groups/{groupId}/members/graph.user?$skiptoken={skip + PageSize}";
            }

            return new GraphStub.Reply(200, answer.ToJsonString());
        }

        if (method == "POST" && rest == "/$ref")
        {
            return AddToGroup(groupId, [LastId(JsonNode.Parse(body)!["@odata.id"]!.GetValue<string>())], batch: false);
        }

        if (method == "DELETE" && RemoveRef().Match(rest) is { Success: true } removed)
        {
            return members.Remove(removed.Groups[1].Value) ? new GraphStub.Reply(204, string.Empty) : NotFound("Member");
        }

        return null;
    }

    private GraphStub.Reply AddToGroup(string groupId, List<string> ids, bool batch)
    {
        if (!groups.TryGetValue(groupId, out List<string>? members))
        {
            return NotFound("Group");
        }

        if (batch && ids.Count > 20)
        {
            return Error(400, "Request_BadRequest", "The number of added references exceeds 20.");
        }

        if (ids.FirstOrDefault(id => !users.ContainsKey(id)) is { } unknown)
        {
            return Error(404, "Request_ResourceNotFound", $"Resource '{unknown}' does not exist or one of its queried reference-property objects are not present.");
        }

        if (ids.Any(members.Contains))
        {
            return Error(400, "Request_BadRequest", "One or more added object references already exist for the following modified properties: 'members'.");
        }

        members.AddRange(ids);
        return new GraphStub.Reply(204, string.Empty);
    }

    private GraphStub.Reply CreateTeam(JsonNode team)
    {
        string name = team["displayName"]!.GetValue<string>();
        if (teams.Values.Any(t => t.DisplayName == name))
        {
            return Error(409, "Conflict", "Team already exists");
        }

        string owner = LastId(team["members"]![0]!["user@odata.bind"]!.GetValue<string>());
        string teamId = Guid.NewGuid().ToString();
        string operation = Guid.NewGuid().ToString();
        teams[teamId] = new FakeTeam(teamId, name, ["General"], new Dictionary<string, (string, bool)> { [Guid.NewGuid().ToString()] = (owner, true) });
        operations[operation] = (teamId, PollsBeforeDone);
        return new GraphStub.Reply(202, string.Empty, new Dictionary<string, string>
        {
            ["Location"] = $"/teams('{teamId}')/operations('{operation}')",
            ["Content-Location"] = $"/teams('{teamId}')",
        });
    }

    private GraphStub.Reply CreateCommunity(JsonNode community)
    {
        // app-only: a community without an owner is refused
        if (community["owners@odata.bind"] is not JsonArray { Count: > 0 } owners)
        {
            return Error(400, "BadRequest", "Owners are required when creating a community with application permissions.");
        }

        string id = "c" + Guid.NewGuid().ToString("N")[..12];
        string groupId = Guid.NewGuid().ToString();
        string owner = LastId(owners[0]!.GetValue<string>());
        groups[groupId] = [];
        communities[id] = (community["displayName"]!.GetValue<string>(), groupId, owner);
        string operation = "op" + Guid.NewGuid().ToString("N")[..12];
        operations[operation] = (id, PollsBeforeDone);
        return new GraphStub.Reply(202, string.Empty, new Dictionary<string, string>
        {
            ["Operation-Location"] = $"{StubBase}/v1.0/employeeExperience/engagementAsyncOperations('{operation}')",
        });
    }

    private GraphStub.Reply FindCommunities(string query)
    {
        string? name = DisplayNameFilter().Match(query) is { Success: true } f ? f.Groups[1].Value.Replace("''", "'", StringComparison.Ordinal) : null;
        JsonObject[] found = [.. communities.Where(c => name is null || c.Value.Name == name).Select(c => new JsonObject { ["id"] = c.Key, ["displayName"] = c.Value.Name, ["groupId"] = c.Value.GroupId })];
        return new GraphStub.Reply(200, new JsonObject { ["value"] = new JsonArray(found) }.ToJsonString());
    }

    private GraphStub.Reply EngagementOperation(string operationId)
    {
        if (!operations.TryGetValue(operationId, out var operation))
        {
            return NotFound("Operation");
        }

        bool done = operation.PollsLeft <= 0;
        operations[operationId] = (operation.TeamId, operation.PollsLeft - 1);
        return Json(200, new
        {
            id = operationId,
            operationType = "createCommunity",
            createdDateTime = DateTimeOffset.UtcNow,
            lastActionDateTime = DateTimeOffset.UtcNow,
            status = done ? "succeeded" : "running",
            resourceId = done ? operation.TeamId : null,
            resourceLocation = done ? $"https://graph.microsoft.com/v1.0/employeeExperience/communities('{operation.TeamId}')" : null,
        });
    }

    private GraphStub.Reply FindTeams(string query)
    {
        string? name = DisplayNameFilter().Match(query) is { Success: true } f ? f.Groups[1].Value.Replace("''", "'", StringComparison.Ordinal) : null;
        JsonObject[] found = [.. teams.Values.Where(t => name is null || t.DisplayName == name).Select(t => new JsonObject { ["id"] = t.Id, ["displayName"] = t.DisplayName })];
        return new GraphStub.Reply(200, new JsonObject { ["value"] = new JsonArray(found) }.ToJsonString());
    }

    private GraphStub.Reply Operation(string teamId, string operationId)
    {
        if (!operations.TryGetValue(operationId, out var operation))
        {
            return NotFound("Operation");
        }

        bool done = operation.PollsLeft <= 0;
        operations[operationId] = (operation.TeamId, operation.PollsLeft - 1);
        return Json(200, new
        {
            id = operationId,
            operationType = "createTeam",
            createdDateTime = DateTimeOffset.UtcNow,
            status = done ? "succeeded" : "inProgress",
            lastActionDateTime = DateTimeOffset.UtcNow,
            attemptsCount = 1,
            targetResourceId = done ? teamId : null,
            targetResourceLocation = done ? $"https://graph.microsoft.com/v1.0/teams('{teamId}')" : null,
            error = (object?)null,
        });
    }

    private GraphStub.Reply? Team(string method, string teamId, string rest, string body)
    {
        if (!teams.TryGetValue(teamId, out FakeTeam? team))
        {
            return NotFound("Team");
        }

        switch (method, rest)
        {
            case ("GET", ""):
                return Json(200, new { id = team.Id, displayName = team.DisplayName, webUrl = $"https://teams.microsoft.com/l/team/{team.Id}" });
            case ("GET", "/channels"):
                return new GraphStub.Reply(200, new JsonObject { ["value"] = new JsonArray([.. team.Channels.Select(c => new JsonObject { ["id"] = c, ["displayName"] = c })]) }.ToJsonString());
            case ("POST", "/channels"):
                string channel = JsonNode.Parse(body)!["displayName"]!.GetValue<string>();
                if (team.Channels.Contains(channel, StringComparer.OrdinalIgnoreCase))
                {
                    return Error(400, "BadRequest", "Channel name already exists.");
                }

                team.Channels.Add(channel);
                return Json(201, new { id = channel, displayName = channel, membershipType = "standard" });
            case ("GET", "/members"):
                return new GraphStub.Reply(200, new JsonObject
                {
                    ["value"] = new JsonArray([.. team.Members.Select(m => new JsonObject
                    {
                        ["@odata.type"] = "#microsoft.graph.aadUserConversationMember",
                        ["id"] = m.Key,
                        ["roles"] = m.Value.Owner ? new JsonArray("owner") : new JsonArray(),
                        ["userId"] = m.Value.UserId,
                        ["email"] = users.TryGetValue(m.Value.UserId, out var u) ? u.Mail : null,
                    })]),
                }.ToJsonString());
            case ("POST", "/members/add"):
                JsonArray values = JsonNode.Parse(body)!["values"]!.AsArray();
                TeamAddBatches.Enqueue(values.Count);
                if (values.Count > 200)
                {
                    return Error(400, "BadRequest", "At most 200 members can be added at once.");
                }

                var results = new JsonArray();
                foreach (JsonNode? value in values)
                {
                    string userId = LastId(value!["user@odata.bind"]!.GetValue<string>());
                    bool known = users.ContainsKey(userId);
                    if (known && !team.Members.Values.Any(m => m.UserId == userId))
                    {
                        team.Members[Guid.NewGuid().ToString()] = (userId, false);
                    }

                    results.Add(new JsonObject
                    {
                        ["@odata.type"] = "#microsoft.graph.aadUserConversationMemberResult",
                        ["userId"] = userId,
                        ["error"] = known ? null : new JsonObject { ["code"] = "NotFound", ["message"] = "User not found" },
                    });
                }

                return new GraphStub.Reply(200, new JsonObject { ["value"] = results }.ToJsonString());
            default:
                if (method == "DELETE" && rest.StartsWith("/members/", StringComparison.Ordinal))
                {
                    return team.Members.Remove(rest["/members/".Length..]) ? new GraphStub.Reply(204, string.Empty) : NotFound("Member");
                }

                return null;
        }
    }

    /// <summary>The stub's own address, for links it hands out; set by the test once the stub runs.</summary>
    public string StubBase { get; set; } = string.Empty;

    private static string LastId(string url)
    {
        string last = url.TrimEnd('/').Split('/')[^1];
        int open = last.IndexOf("('", StringComparison.Ordinal);
        return open >= 0 ? last[(open + 2)..last.LastIndexOf("')", StringComparison.Ordinal)] : last;
    }

    private static GraphStub.Reply Json(int status, object value) => new(status, JsonSerializer.Serialize(value));

    private static GraphStub.Reply Error(int status, string code, string message) =>
        new(status, new JsonObject { ["error"] = new JsonObject { ["code"] = code, ["message"] = message } }.ToJsonString());

    private static GraphStub.Reply NotFound(string what) => Error(404, "Request_ResourceNotFound", $"{what} does not exist.");

    [GeneratedRegex(@"/v1\.0/users/([^/]+)$")]
    private static partial Regex UserPath();

    [GeneratedRegex(@"/v1\.0/groups/([^/]+)/members(.*)$")]
    private static partial Regex GroupMembersPath();

    [GeneratedRegex(@"/v1\.0/groups/([^/]+)/transitiveMembers/graph\.user$")]
    private static partial Regex TransitivePath();

    [GeneratedRegex(@"/v1\.0/groups/([^/]+)$")]
    private static partial Regex GroupPath();

    [GeneratedRegex(@"^/([^/]+)/\$ref$")]
    private static partial Regex RemoveRef();

    [GeneratedRegex(@"\$skiptoken=(\d+)")]
    private static partial Regex SkipToken();

    [GeneratedRegex(@"displayName eq '((?:[^']|'')*)'")]
    private static partial Regex DisplayNameFilter();

    [GeneratedRegex(@"/v1\.0/teams\('([^']+)'\)/operations\('([^']+)'\)$")]
    private static partial Regex OperationPath();

    [GeneratedRegex(@"/v1\.0/employeeExperience/engagementAsyncOperations\('([^']+)'\)$")]
    private static partial Regex EngagementPath();

    [GeneratedRegex(@"/v1\.0/employeeExperience/communities/([^/]+)$")]
    private static partial Regex CommunityPath();

    [GeneratedRegex(@"/v1\.0/teams/([^/]+)(.*)$")]
    private static partial Regex TeamPath();
}
