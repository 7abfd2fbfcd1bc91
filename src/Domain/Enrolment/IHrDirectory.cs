namespace Cohorts.Domain.Enrolment;

/// <summary>People in a directory (Entra ID through Microsoft Graph).</summary>
public interface IHrDirectory
{
    /// <summary>Every user in the group, through nested groups.</summary>
    /// <exception cref="HrSourceException">The directory cannot be read (not configured, no such group, no permission).</exception>
    IAsyncEnumerable<HrRow> GroupMembersAsync(string groupId, CancellationToken cancellationToken);

    /// <summary>One round of the users delta from <paramref name="deltaLink"/> (null: from nothing; an expired link starts over).</summary>
    /// <exception cref="HrSourceException">The directory cannot be read.</exception>
    Task<DirectoryDelta> DeltaAsync(string? deltaLink, CancellationToken cancellationToken);
}

/// <summary>The directory of a host where Microsoft Graph is not configured: says so, naming the settings.</summary>
public sealed class UnconfiguredDirectory : IHrDirectory
{
    /// <inheritdoc/>
    public IAsyncEnumerable<HrRow> GroupMembersAsync(string groupId, CancellationToken cancellationToken) => throw NotConfigured();

    /// <inheritdoc/>
    public Task<DirectoryDelta> DeltaAsync(string? deltaLink, CancellationToken cancellationToken) => throw NotConfigured();

    private static HrSourceException NotConfigured() =>
        new("graphGroupId", "Microsoft Graph is not configured on this host: set Graph:ManagedIdentityClientId (in Azure) or Graph:BaseUrl.");
}
