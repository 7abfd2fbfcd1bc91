using System.Runtime.CompilerServices;
using Cohorts.Domain;
using Cohorts.Domain.Enrolment;
using Microsoft.Graph;
using Microsoft.Graph.Models;
using Microsoft.Graph.Models.ODataErrors;
using Microsoft.Graph.Users.Delta;
using Microsoft.Kiota.Abstractions.Serialization;

namespace Cohorts.Connectors.Graph;

/// <summary>
/// People from Entra ID through Microsoft Graph: the transitive user members of a group, and <c>users/delta</c>
/// rounds with a kept delta link (a full resync when Graph answers 410). Pages are followed to the end. A user's HR
/// key is their <c>employeeId</c>; a user without one is keyed by their directory object id. Disabled accounts are
/// leavers. The manager is selected, never expanded, on delta (Graph does not support expand there) and expanded to
/// its id and employeeId on group members.
/// </summary>
public sealed class GraphDirectory(GraphServiceClient graph) : IHrDirectory
{
    private static readonly string[] UserFields = ["id", "userPrincipalName", "mail", "employeeId", "displayName", "department", "jobTitle", "accountEnabled"];

    /// <summary>
    /// A Graph client with <see cref="RetryAfterHandler"/> in place of Kiota's retry handler: as
    /// <paramref name="credential"/> (the app's identity), or without authentication when it is null (a loopback stub).
    /// </summary>
    public static GraphServiceClient CreateClient(Azure.Core.TokenCredential? credential, Uri? baseUrl = null)
    {
        IList<DelegatingHandler> handlers = GraphClientFactory.CreateDefaultHandlers();
        ReplaceRetryHandler(handlers);
        HttpClient http = GraphClientFactory.Create(handlers);
        string root = (baseUrl ?? new Uri("https://graph.microsoft.com/v1.0")).ToString().TrimEnd('/');
        return credential is null
            ? new GraphServiceClient(http, new Microsoft.Kiota.Abstractions.Authentication.AnonymousAuthenticationProvider(), root)
            : new GraphServiceClient(http, credential, ["https://graph.microsoft.com/.default"], root);
    }

    /// <summary>Swaps Kiota's retry handler for <see cref="RetryAfterHandler"/>, keeping the other default handlers.</summary>
    public static void ReplaceRetryHandler(IList<DelegatingHandler> handlers, RetryAfterHandler? retry = null)
    {
        ArgumentNullException.ThrowIfNull(handlers);
        int index = handlers.Select((h, i) => (h, i)).FirstOrDefault(x => x.h is Microsoft.Kiota.Http.HttpClientLibrary.Middleware.RetryHandler, (null!, -1)).Item2;
        if (index >= 0)
        {
            handlers.RemoveAt(index);
        }

        handlers.Insert(Math.Max(index, 0), retry ?? new RetryAfterHandler());
    }

    /// <summary>Every user in <paramref name="groupId"/>, through nested groups, page by page.</summary>
    public async IAsyncEnumerable<HrRow> GroupMembersAsync(string groupId, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        UserCollectionResponse? page = await ReadAsync(groupId, () => graph.Groups[groupId].TransitiveMembers.GraphUser.GetAsync(
            request =>
            {
                request.QueryParameters.Select = UserFields;
                request.QueryParameters.Expand = ["manager($select=id,employeeId)"];
                request.QueryParameters.Top = 999;
            },
            cancellationToken));
        int row = 0;
        while (page is not null)
        {
            foreach (User user in page.Value ?? [])
            {
                row++;
                yield return Identity(user) is null
                    ? new HrRow(row, null, new RejectedRow(row, "employeeId", $"member {row} ({user.DisplayName ?? user.UserPrincipalName ?? "unnamed"}) has neither an employeeId nor an id"))
                    : new HrRow(row, ToRecord(user, ManagerOf(user)), null);
            }

            if (page.OdataNextLink is not { Length: > 0 } next)
            {
                yield break;
            }

            page = await ReadAsync(groupId, () => graph.Groups[groupId].TransitiveMembers.GraphUser.WithUrl(next).GetAsync(cancellationToken: cancellationToken));
        }
    }

    /// <summary>One page; Graph's refusals (no such group, no permission) become a source problem naming the group.</summary>
    private static async Task<UserCollectionResponse?> ReadAsync(string groupId, Func<Task<UserCollectionResponse?>> page)
    {
        try
        {
            return await page();
        }
        catch (ODataError refused)
        {
            throw new HrSourceException("graphGroupId", $"Microsoft Graph answered {refused.ResponseStatusCode} for group '{groupId}': {refused.Error?.Message ?? refused.Message}");
        }
    }

    /// <summary>
    /// One delta round from <paramref name="deltaLink"/> (null: from nothing). When Graph answers 410 Gone (the
    /// link expired), the round starts over and says so: the caller diffs the full list, and leavers follow.
    /// </summary>
    public async Task<DirectoryDelta> DeltaAsync(string? deltaLink, CancellationToken cancellationToken = default)
    {
        try
        {
            return await RoundAsync(deltaLink, cancellationToken);
        }
        catch (ODataError gone) when (gone.ResponseStatusCode == 410 && deltaLink is not null)
        {
            DirectoryDelta full = await RoundAsync(null, cancellationToken);
            return full with { FullResync = true };
        }
    }

    private async Task<DirectoryDelta> RoundAsync(string? deltaLink, CancellationToken cancellationToken)
    {
        DeltaGetResponse? page = deltaLink is null
            ? await graph.Users.Delta.GetAsDeltaGetResponseAsync(request => request.QueryParameters.Select = [.. UserFields, "manager"], cancellationToken)
            : await graph.Users.Delta.WithUrl(deltaLink).GetAsDeltaGetResponseAsync(cancellationToken: cancellationToken);
        var changed = new List<DirectoryUser>();
        var removed = new List<string>();
        while (page is not null)
        {
            foreach (User user in page.Value ?? [])
            {
                if (user.AdditionalData.ContainsKey("@removed"))
                {
                    if (user.Id is { } id)
                    {
                        removed.Add(id);
                    }
                }
                else if (Identity(user) is { } key)
                {
                    changed.Add(new DirectoryUser(user.Id ?? key, ToRecord(user, DeltaManagerOf(user))));
                }
            }

            if (page.OdataDeltaLink is { Length: > 0 } next)
            {
                return new DirectoryDelta(changed, removed, next, FullResync: false);
            }

            if (page.OdataNextLink is not { Length: > 0 } more)
            {
                throw new InvalidOperationException("users/delta ended without a delta link.");
            }

            page = await graph.Users.Delta.WithUrl(more).GetAsDeltaGetResponseAsync(cancellationToken: cancellationToken);
        }

        throw new InvalidOperationException("users/delta answered with no page.");
    }

    /// <summary>
    /// The directory object id of the user signed in as <paramref name="upn"/> or, failing that, mailed at
    /// <paramref name="email"/>; null when neither names a user. Used wherever a person from an HR file (no object id)
    /// must be reached in the directory: a Viva Learning learner, a sandbox group or team member.
    /// </summary>
    public static async Task<string?> FindUserIdAsync(GraphServiceClient graph, string? upn, string? email, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(graph);
        foreach (string? name in new[] { upn, email }.Distinct(StringComparer.OrdinalIgnoreCase))
        {
            if (string.IsNullOrWhiteSpace(name))
            {
                continue;
            }

            try
            {
                User? user = await graph.Users[name].GetAsync(r => r.QueryParameters.Select = ["id"], cancellationToken);
                if (user?.Id is { Length: > 0 } id)
                {
                    return id;
                }
            }
            catch (ODataError missing) when (missing.ResponseStatusCode == 404)
            {
                // not this name: try the next
            }
        }

        return null;
    }

    private static string? Identity(User user) => string.IsNullOrWhiteSpace(user.EmployeeId) ? user.Id : user.EmployeeId.Trim();

    private static HrRecord ToRecord(User user, string? managerId) => new(
        Identity(user)!,
        Email: PlainMail(user.Mail),
        Upn: user.UserPrincipalName,
        DisplayName: user.DisplayName,
        ManagerId: managerId,
        JobTitle: user.JobTitle,
        Department: user.Department,
        Terminated: user.AccountEnabled == false);

    /// <summary>A mail value Graph holds that is not a plain address (a stray apostrophe happens) is dropped, not trusted.</summary>
    private static string? PlainMail(string? mail) => EmailAddresses.IsPlain(mail) ? mail : null;

    private static string? ManagerOf(User user) =>
        user.Manager switch
        {
            User manager when !string.IsNullOrWhiteSpace(manager.EmployeeId) => manager.EmployeeId,
            { Id: { } id } => id,
            _ => null,
        };

    /// <summary>On delta the manager comes as <c>manager@delta</c>: an array holding the manager's id (empty when removed).</summary>
    private static string? DeltaManagerOf(User user) =>
        user.AdditionalData.TryGetValue("manager@delta", out object? value) && value is UntypedArray array
            && array.GetValue().FirstOrDefault() is UntypedObject manager
            && manager.GetValue().TryGetValue("id", out UntypedNode? id) && id is UntypedString text
            ? text.GetValue()
            : ManagerOf(user);
}
