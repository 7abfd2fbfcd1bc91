using Cohorts.Domain;
using Cohorts.Domain.Enrolment;
using Cohorts.Domain.Practice;
using Cohorts.Workflows.Contracts;
using Microsoft.DurableTask;
using Microsoft.Extensions.Logging;

namespace Cohorts.Workflows.Activities;

/// <summary>Communities of practice (section <c>Community</c>): off by default.</summary>
public sealed class CommunityOptions
{
    /// <summary>The configuration section.</summary>
    public const string Section = "Community";

    /// <summary>Whether plans' communities are created at all.</summary>
    public bool Enabled { get; set; }

    /// <summary>How often a pending team operation is polled: Graph asks for 30 s or more (shorter only for tests and demos).</summary>
    public TimeSpan PollInterval { get; set; } = TimeSpan.FromSeconds(30);
}

/// <summary>
/// Asks for the cohort's team once: a kept record means it was asked for already (its operation is polled, never asked
/// again); a record without an operation means an earlier try may have created it before its answer was lost, so the
/// team is looked for by its name before asking again. Null when the plan wants no community (or it is switched off).
/// </summary>
public sealed class EnsureCommunityActivity(ICohortStore cohorts, ICommunityStore communities, IPracticeDirectory directory, CommunityOptions options, TimeProvider time)
    : TaskActivity<string, CommunityState?>
{
    /// <inheritdoc/>
    public override async Task<CommunityState?> RunAsync(TaskActivityContext context, string input)
    {
        CohortRecord cohort = await cohorts.GetAsync(input, CancellationToken.None) ?? throw new KeyNotFoundException($"No cohort '{input}'.");
        if (cohort.Plan.Community is not { } plan || !options.Enabled || !directory.Enabled)
        {
            return null;
        }

        CommunityRecord? kept = await communities.GetAsync(input, CancellationToken.None);
        if (kept is { State: not CommunityState.Creating } || kept?.Operation is not null)
        {
            return kept!.State;
        }

        bool teams = plan.Kind == CommunityKind.Teams;
        string name = TeamName(cohort.Plan);
        if (kept is not null && await (teams ? directory.FindTeamAsync(name, CancellationToken.None) : directory.FindCommunityAsync(name, CancellationToken.None)) is { } found)
        {
            return (await SaveCreatedAsync(kept, found)).State;
        }

        CommunityRecord asking = kept ?? new CommunityRecord(input, plan.Kind, CommunityState.Creating, null, null, null, 0, [], null, time.GetUtcNow());
        string? owner = plan.OwnerId ?? await directory.FindUserAsync(cohort.Plan.ProgramLead, cohort.Plan.ProgramLead, CancellationToken.None);
        if (owner is null)
        {
            CommunityRecord failed = asking with { State = CommunityState.Failed, Error = "The program lead has no directory account to own the team; set community.ownerId.", UpdatedAt = time.GetUtcNow() };
            await communities.SaveAsync(failed, CancellationToken.None);
            return failed.State;
        }

        await communities.SaveAsync(asking, CancellationToken.None); // asked, answer pending: a rerun looks for the team first
        string description = $"Community of practice of cohort {cohort.Plan.Name}: {cohort.Plan.UseCase.Title}";
        TeamRequest request = teams
            ? await directory.CreateTeamAsync(name, description, owner, CancellationToken.None)
            : await directory.CreateCommunityAsync(name, description, owner, CancellationToken.None);
        if (request.TeamId is { } existing)
        {
            return (await SaveCreatedAsync(asking, existing)).State;
        }

        await communities.SaveAsync(asking with { Operation = request.Operation, UpdatedAt = time.GetUtcNow() }, CancellationToken.None);
        return CommunityState.Creating;
    }

    /// <summary>The team's name: the cohort's name with its id, so that it is found again by name.</summary>
    public static string TeamName(CohortPlan plan)
    {
        ArgumentNullException.ThrowIfNull(plan);
        string suffix = $" ({plan.Id})";
        return (plan.Name.Length + suffix.Length > 256 ? plan.Name[..(256 - suffix.Length)] : plan.Name) + suffix;
    }

    private async Task<CommunityRecord> SaveCreatedAsync(CommunityRecord record, string id)
    {
        CommunityRecord created = await Created(record, id, directory, time);
        await communities.SaveAsync(created, CancellationToken.None);
        return created;
    }

    /// <summary>The record of a created team (with its link) or community (with the group that holds its members).</summary>
    internal static async Task<CommunityRecord> Created(CommunityRecord record, string id, IPracticeDirectory directory, TimeProvider time) =>
        record.Kind == CommunityKind.Teams
            ? record with { State = CommunityState.Created, TeamId = id, WebUrl = await directory.TeamUrlAsync(id, CancellationToken.None), Error = null, UpdatedAt = time.GetUtcNow() }
            : record with { State = CommunityState.Created, TeamId = id, GroupId = await directory.CommunityGroupAsync(id, CancellationToken.None), Error = null, UpdatedAt = time.GetUtcNow() };
}

/// <summary>Polls the cohort's pending team operation once and keeps what it says.</summary>
public sealed class PollCommunityActivity(ICommunityStore communities, IPracticeDirectory directory, TimeProvider time) : TaskActivity<string, CommunityState?>
{
    /// <inheritdoc/>
    public override async Task<CommunityState?> RunAsync(TaskActivityContext context, string input)
    {
        CommunityRecord? kept = await communities.GetAsync(input, CancellationToken.None);
        if (kept is not { State: CommunityState.Creating, Operation: { } operation })
        {
            return kept?.State;
        }

        TeamOperation state = kept.Kind == CommunityKind.Teams
            ? await directory.GetTeamOperationAsync(operation, CancellationToken.None)
            : await directory.GetCommunityOperationAsync(operation, CancellationToken.None);
        if (state.Pending)
        {
            return CommunityState.Creating;
        }

        CommunityRecord next = state is { Status: "succeeded", TeamId: { } id }
            ? await EnsureCommunityActivity.Created(kept, id, directory, time)
            : kept with { State = CommunityState.Failed, Error = $"{kept.Kind} answered {state.Status}: {state.Error ?? "no reason given"}", UpdatedAt = time.GetUtcNow() };
        await communities.SaveAsync(next, CancellationToken.None);
        return next.State;
    }
}

/// <summary>
/// One round of keeping practice equal to the active roster: the sandbox group's members and the team's members
/// become the cohort's active trained participants who have a directory account (joiners added, leavers removed; the
/// team's owners stay), and the team has a standard channel per track in use. Safe to repeat: it compares what is
/// with what should be. A person whose account is not found is counted, not failed.
/// </summary>
public sealed partial class SyncPracticeActivity(
    ICohortStore cohorts, IRosterStore roster, IDirectoryLinkStore links, ICommunityStore communities, IPracticeDirectory directory, TimeProvider time, ILogger<SyncPracticeActivity> log)
    : TaskActivity<string, PracticeSyncResult>
{
    /// <inheritdoc/>
    public override async Task<PracticeSyncResult> RunAsync(TaskActivityContext context, string input)
    {
        CohortRecord cohort = await cohorts.GetAsync(input, CancellationToken.None) ?? throw new KeyNotFoundException($"No cohort '{input}'.");
        CommunityRecord? community = await communities.GetAsync(input, CancellationToken.None);
        string? groupId = cohort.Plan.UseCase.SandboxGroupId;
        bool team = community is { Kind: CommunityKind.Teams, State: CommunityState.Created, TeamId: not null };
        string? communityGroup = community is { Kind: CommunityKind.VivaEngage, State: CommunityState.Created, GroupId: { } g } ? g : null;
        if (!directory.Enabled || (groupId is null && !team && communityGroup is null))
        {
            return new PracticeSyncResult(0, 0, 0, 0, 0, 0, 0);
        }

        List<Participant> enrolled = await roster.ListAllAsync(input, ParticipantGroup.Trained, CancellationToken.None);
        if (enrolled.Count == 0)
        {
            // nobody imported yet: the group is left as it is until the first import says who belongs in it
            return new PracticeSyncResult(0, 0, 0, 0, 0, 0, 0);
        }

        List<Participant> active = [.. enrolled.Where(p => p.Status == ParticipantStatus.Active)];
        DirectoryLink? link = await links.GetAsync(input, CancellationToken.None);
        var known = (link?.Members ?? new Dictionary<string, string>()).GroupBy(m => m.Value, StringComparer.OrdinalIgnoreCase).ToDictionary(g => g.Key, g => g.First().Key, StringComparer.OrdinalIgnoreCase);
        var people = new People(active, known, directory);

        int groupAdded = 0, groupRemoved = 0;
        if (groupId is not null)
        {
            (groupAdded, groupRemoved, _) = await SyncGroupAsync(groupId, people);
        }

        int teamAdded = 0, teamRemoved = 0, channels = 0, failed = 0;
        if (communityGroup is not null)
        {
            // a Viva Engage community's members are its Microsoft 365 group's (20 a request, as the sandbox group)
            (teamAdded, teamRemoved, int members) = await SyncGroupAsync(communityGroup, people);
            await communities.SaveAsync(community! with { Members = members, UpdatedAt = time.GetUtcNow(), Error = null }, CancellationToken.None);
        }

        if (team)
        {
            (teamAdded, teamRemoved, channels, failed, int members, IReadOnlyList<string> names) = await SyncTeamAsync(community!.TeamId!, active, people);
            await communities.SaveAsync(community with { Members = members, Channels = names, UpdatedAt = time.GetUtcNow(), Error = failed > 0 ? $"{failed} members could not be added; tried again next round" : null }, CancellationToken.None);
        }

        var result = new PracticeSyncResult(groupAdded, groupRemoved, teamAdded, teamRemoved, channels, people.NotFound, failed);
        LogSynced(log, input, result.GroupAdded, result.GroupRemoved, result.TeamAdded, result.TeamRemoved, result.NotFound);
        if (failed > 0)
        {
            // a member Teams refused: the activity's retry (and the next round) tries them again
            throw new InvalidOperationException($"Teams refused {failed} of the members added to the team of cohort '{input}'.");
        }

        return result;
    }

    /// <summary>One group made equal to the active people: how many were added and removed, and its members now.</summary>
    private async Task<(int Added, int Removed, int Members)> SyncGroupAsync(string groupId, People people)
    {
        IReadOnlyList<DirectoryMember> members = await directory.GroupMembersAsync(groupId, CancellationToken.None);
        var keep = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
        var add = new List<string>();
        foreach (Participant person in people.Active)
        {
            DirectoryMember? there = members.FirstOrDefault(m => people.Is(person, m.Id, m.EmployeeId, m.Upn, m.Mail));
            if (there is not null)
            {
                keep.Add(there.Id);
            }
            else if (await people.IdOfAsync(person) is { } id && keep.Add(id))
            {
                add.Add(id);
            }
        }

        await directory.AddGroupMembersAsync(groupId, add, CancellationToken.None);
        List<DirectoryMember> leavers = [.. members.Where(m => !keep.Contains(m.Id))];
        foreach (DirectoryMember leaver in leavers)
        {
            await directory.RemoveGroupMemberAsync(groupId, leaver.Id, CancellationToken.None);
        }

        return (add.Count, leavers.Count, keep.Count); // the group now: those kept and those added
    }

    private async Task<(int Added, int Removed, int Channels, int Failed, int Members, IReadOnlyList<string> Names)> SyncTeamAsync(string teamId, List<Participant> active, People people)
    {
        // a standard channel per track in use
        IReadOnlyList<string> existing = await directory.ChannelsAsync(teamId, CancellationToken.None);
        var names = new List<string>(existing);
        int created = 0;
        foreach (Track track in active.Select(p => p.Track).OfType<Track>().Distinct().Order())
        {
            string name = track.ToString();
            if (!existing.Contains(name, StringComparer.OrdinalIgnoreCase))
            {
                await directory.CreateChannelAsync(teamId, name, $"The {TrackNames.Name(track)} track of the cohort", CancellationToken.None);
                names.Add(name);
                created++;
            }
        }

        IReadOnlyList<TeamMember> members = await directory.TeamMembersAsync(teamId, CancellationToken.None);
        var keep = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
        var add = new List<string>();
        foreach (Participant person in people.Active)
        {
            TeamMember? there = members.FirstOrDefault(m => people.Is(person, m.UserId, null, null, m.Email));
            if (there is null && await people.IdOfAsync(person) is { } id)
            {
                there = members.FirstOrDefault(m => string.Equals(m.UserId, id, StringComparison.OrdinalIgnoreCase));
                if (there is null && !add.Contains(id, StringComparer.OrdinalIgnoreCase))
                {
                    add.Add(id);
                }
            }

            if (there is not null)
            {
                keep.Add(there.MembershipId);
            }
        }

        IReadOnlyList<string> failed = await directory.AddTeamMembersAsync(teamId, add, CancellationToken.None);
        List<TeamMember> leavers = [.. members.Where(m => !m.Owner && !keep.Contains(m.MembershipId))];
        foreach (TeamMember leaver in leavers)
        {
            await directory.RemoveTeamMemberAsync(teamId, leaver.MembershipId, CancellationToken.None);
        }

        return (add.Count - failed.Count, leavers.Count, created, failed.Count, members.Count - leavers.Count + add.Count - failed.Count, names);
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Practice of cohort {CohortId} synced: sandbox group +{GroupAdded} -{GroupRemoved}, team +{TeamAdded} -{TeamRemoved}, {NotFound} without a directory account")]
    private static partial void LogSynced(ILogger log, string cohortId, int groupAdded, int groupRemoved, int teamAdded, int teamRemoved, int notFound);

    /// <summary>The active people and their directory accounts: known from a group import, recognised in a listing, or looked up once a round.</summary>
    private sealed class People(List<Participant> active, Dictionary<string, string> known, IPracticeDirectory directory)
    {
        private readonly Dictionary<string, string?> found = new(StringComparer.OrdinalIgnoreCase);

        public List<Participant> Active => active;

        public int NotFound => found.Count(f => f.Value is null);

        public string? Known(Participant person) => known.GetValueOrDefault(person.EmployeeId) ?? found.GetValueOrDefault(person.EmployeeId);

        public bool Is(Participant person, string? id, string? employeeId, string? upn, string? mail) =>
            (id is not null && string.Equals(Known(person), id, StringComparison.OrdinalIgnoreCase))
            || (employeeId is not null && string.Equals(person.EmployeeId, employeeId, StringComparison.OrdinalIgnoreCase))
            || (upn is not null && string.Equals(person.Hr.Upn, upn, StringComparison.OrdinalIgnoreCase))
            || (mail is not null && (string.Equals(person.Hr.Email, mail, StringComparison.OrdinalIgnoreCase) || string.Equals(person.Hr.Upn, mail, StringComparison.OrdinalIgnoreCase)));

        public async Task<string?> IdOfAsync(Participant person)
        {
            if (Known(person) is { } id)
            {
                return id;
            }

            if (found.ContainsKey(person.EmployeeId))
            {
                return null;
            }

            string? looked = await directory.FindUserAsync(person.Hr.Upn, person.Hr.Email, CancellationToken.None);
            found[person.EmployeeId] = looked;
            return looked;
        }
    }
}

/// <summary>Empties the cohort's sandbox group once the cohort has ended and <c>Sandbox:RevokeAfter</c> has passed; how many were removed.</summary>
public sealed class RevokeSandboxActivity(ICohortStore cohorts, IPracticeDirectory directory) : TaskActivity<string, int>
{
    /// <inheritdoc/>
    public override async Task<int> RunAsync(TaskActivityContext context, string input)
    {
        CohortRecord cohort = await cohorts.GetAsync(input, CancellationToken.None) ?? throw new KeyNotFoundException($"No cohort '{input}'.");
        if (cohort.Plan.UseCase.SandboxGroupId is not { } groupId || !directory.Enabled)
        {
            return 0;
        }

        IReadOnlyList<DirectoryMember> members = await directory.GroupMembersAsync(groupId, CancellationToken.None);
        foreach (DirectoryMember member in members)
        {
            await directory.RemoveGroupMemberAsync(groupId, member.Id, CancellationToken.None);
        }

        return members.Count;
    }
}
