using System.Security.Cryptography;
using Azure;
using Azure.Storage.Blobs;
using Azure.Storage.Blobs.Models;
using Cohorts.Domain.Access;

namespace Cohorts.Connectors.Blob;

/// <summary>
/// Erasure requests (<c>requests/{id}.json</c>), the deployment's pseudonym key (<c>pseudonym-key.json</c>, made once)
/// and the tombstones (<c>tombstones/{cohortId or ~all}/{pseudonym}</c>, empty blobs) in one container.
/// </summary>
public sealed class BlobErasures(BlobContainerClient container) : IErasureStore, IErasureRegistry
{
    /// <summary>The container's default name.</summary>
    public const string DefaultContainer = "erasures";

    private const string AllCohorts = "~all";
    private readonly JsonBlobs<ErasureRecord> requests = new(container);
    private readonly JsonBlobs<PseudonymKey> keys = new(container);
    private Pseudonymizer? pseudonymizer;

    /// <inheritdoc/>
    public Task<(ErasureRecord Stored, bool Created)> CreateAsync(ErasureRecord record, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(record);
        return requests.CreateAsync(RequestName(record.ErasureId), record, cancellationToken);
    }

    /// <inheritdoc/>
    public async Task<ErasureRecord?> GetAsync(string erasureId, CancellationToken cancellationToken) =>
        (await requests.ReadAsync(RequestName(erasureId), cancellationToken))?.Value;

    /// <inheritdoc/>
    public Task<ErasureRecord> UpdateAsync(string erasureId, Func<ErasureRecord, ErasureRecord> change, CancellationToken cancellationToken) =>
        requests.UpdateAsync(RequestName(erasureId), change, $"There is no erasure '{erasureId}'.", cancellationToken);

    /// <inheritdoc/>
    public async Task<Pseudonymizer> PseudonymizerAsync(CancellationToken cancellationToken)
    {
        if (pseudonymizer is { } made)
        {
            return made;
        }

        // the first server to need a key makes it; every later one (and every restart) reads the same
        (PseudonymKey stored, _) = await keys.CreateAsync("pseudonym-key.json", new PseudonymKey(Convert.ToBase64String(RandomNumberGenerator.GetBytes(32))), cancellationToken);
        pseudonymizer = new Pseudonymizer(Convert.FromBase64String(stored.Key));
        return pseudonymizer;
    }

    /// <inheritdoc/>
    public async Task AddTombstoneAsync(string? cohortId, string pseudonym, CancellationToken cancellationToken)
    {
        BlobClient blob = container.GetBlobClient(TombstoneName(cohortId ?? AllCohorts, pseudonym));
        try
        {
            await blob.UploadAsync(BinaryData.Empty, overwrite: true, cancellationToken);
        }
        catch (RequestFailedException e) when (e.ErrorCode == BlobErrorCode.ContainerNotFound)
        {
            await container.CreateIfNotExistsAsync(cancellationToken: cancellationToken);
            await blob.UploadAsync(BinaryData.Empty, overwrite: true, cancellationToken);
        }
    }

    /// <inheritdoc/>
    public async Task<IReadOnlySet<string>> TombstonesAsync(string cohortId, CancellationToken cancellationToken)
    {
        var found = new HashSet<string>(StringComparer.Ordinal);
        try
        {
            foreach (string scope in new[] { cohortId, AllCohorts })
            {
                string prefix = TombstoneName(scope, string.Empty);
                await foreach (BlobItem blob in container.GetBlobsAsync(BlobTraits.None, BlobStates.None, prefix, cancellationToken))
                {
                    found.Add(blob.Name[prefix.Length..]);
                }
            }
        }
        catch (RequestFailedException e) when (e.ErrorCode == BlobErrorCode.ContainerNotFound)
        {
            // nobody was erased yet
        }

        return found;
    }

    private static string RequestName(string erasureId) => $"requests/{erasureId}.json";

    private static string TombstoneName(string scope, string pseudonym) => $"tombstones/{Uri.EscapeDataString(scope)}/{pseudonym}";

    /// <summary>The stored key.</summary>
    private sealed record PseudonymKey(string Key);
}
