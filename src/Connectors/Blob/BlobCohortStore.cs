using Azure.Storage.Blobs;
using Cohorts.Domain;

namespace Cohorts.Connectors.Blob;

/// <summary>Cohort records as JSON blobs (<c>{cohortId}/cohort.json</c>) with ETag concurrency.</summary>
public sealed class BlobCohortStore(BlobContainerClient container) : ICohortStore
{
    /// <summary>The container name used by default.</summary>
    public const string DefaultContainer = "cohorts";

    private readonly JsonBlobs<CohortRecord> documents = new(container);

    /// <inheritdoc/>
    public async Task<CohortRecord?> GetAsync(string cohortId, CancellationToken cancellationToken) =>
        (await documents.ReadAsync(Name(cohortId), cancellationToken))?.Value;

    /// <inheritdoc/>
    public Task<(CohortRecord Stored, bool Created)> CreateAsync(CohortRecord record, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(record);
        return documents.CreateAsync(Name(record.Id), record, cancellationToken);
    }

    /// <inheritdoc/>
    public Task<CohortRecord> UpdateAsync(string cohortId, Func<CohortRecord, CohortRecord> change, CancellationToken cancellationToken) =>
        documents.UpdateAsync(Name(cohortId), change, $"There is no cohort '{cohortId}'.", cancellationToken);

    /// <inheritdoc/>
    public IAsyncEnumerable<CohortRecord> ListAsync(CancellationToken cancellationToken) =>
        documents.ListAsync(name => name.EndsWith("/cohort.json", StringComparison.Ordinal), cancellationToken);

    private static string Name(string cohortId) => $"{cohortId}/cohort.json";
}
