using Azure.Storage.Blobs;
using Cohorts.Domain.Enrolment;

namespace Cohorts.Connectors.Blob;

/// <summary>Directory links as JSON blobs, one per cohort (<c>{cohortId}.json</c>).</summary>
public sealed class BlobDirectoryLinkStore(BlobContainerClient container) : IDirectoryLinkStore
{
    /// <summary>The container name used by default.</summary>
    public const string DefaultContainer = "directory-links";

    private readonly JsonBlobs<DirectoryLink> documents = new(container);

    /// <inheritdoc/>
    public async Task<DirectoryLink?> GetAsync(string cohortId, CancellationToken cancellationToken) =>
        (await documents.ReadAsync(Name(cohortId), cancellationToken))?.Value;

    /// <inheritdoc/>
    public IAsyncEnumerable<DirectoryLink> ListAsync(CancellationToken cancellationToken) =>
        documents.ListAsync(name => name.EndsWith(".json", StringComparison.Ordinal), cancellationToken);

    /// <inheritdoc/>
    public Task SaveAsync(DirectoryLink link, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(link);
        return documents.SaveAsync(Name(link.CohortId), link, cancellationToken);
    }

    private static string Name(string cohortId) => $"{cohortId}.json";
}
