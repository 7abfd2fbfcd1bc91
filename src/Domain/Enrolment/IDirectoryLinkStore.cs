namespace Cohorts.Domain.Enrolment;

/// <summary>Cohorts enrolled from a group, for the scheduled delta sync.</summary>
public interface IDirectoryLinkStore
{
    /// <summary>The cohort's link, or null.</summary>
    Task<DirectoryLink?> GetAsync(string cohortId, CancellationToken cancellationToken);

    /// <summary>Every link.</summary>
    IAsyncEnumerable<DirectoryLink> ListAsync(CancellationToken cancellationToken);

    /// <summary>Stores the link (replacing the cohort's earlier one).</summary>
    Task SaveAsync(DirectoryLink link, CancellationToken cancellationToken);
}
