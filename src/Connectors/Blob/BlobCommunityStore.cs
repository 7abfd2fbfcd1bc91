using Azure.Storage.Blobs;
using Cohorts.Domain.Practice;

namespace Cohorts.Connectors.Blob;

/// <summary>Cohorts' communities of practice as JSON blobs, one per cohort (<c>{cohortId}.json</c>).</summary>
public sealed class BlobCommunityStore(BlobContainerClient container) : ICommunityStore
{
    /// <summary>The container name used by default.</summary>
    public const string DefaultContainer = "communities";

    private readonly JsonBlobs<CommunityRecord> documents = new(container);

    /// <inheritdoc/>
    public async Task<CommunityRecord?> GetAsync(string cohortId, CancellationToken cancellationToken) =>
        (await documents.ReadAsync(Name(cohortId), cancellationToken))?.Value;

    /// <inheritdoc/>
    public Task SaveAsync(CommunityRecord record, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(record);
        return documents.SaveAsync(Name(record.CohortId), record, cancellationToken);
    }

    private static string Name(string cohortId) => $"{Uri.EscapeDataString(cohortId)}.json";
}
