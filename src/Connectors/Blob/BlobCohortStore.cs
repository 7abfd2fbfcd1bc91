using System.Text.Json;
using Azure;
using Azure.Storage.Blobs;
using Azure.Storage.Blobs.Models;
using Cohorts.Connectors.Json;
using Cohorts.Domain;

namespace Cohorts.Connectors.Blob;

/// <summary>
/// Cohort records as JSON blobs (<c>{cohortId}/cohort.json</c>) with ETag concurrency: creation is conditional on
/// the blob not existing, and every update is conditional on the ETag it read, retried when another writer won.
/// </summary>
public sealed class BlobCohortStore(BlobContainerClient container) : ICohortStore
{
    /// <summary>The container name used by default.</summary>
    public const string DefaultContainer = "cohorts";

    private const int MaxAttempts = 20;

    /// <inheritdoc/>
    public async Task<CohortRecord?> GetAsync(string cohortId, CancellationToken cancellationToken) =>
        (await ReadAsync(cohortId, cancellationToken))?.Record;

    /// <inheritdoc/>
    public async Task<(CohortRecord Stored, bool Created)> CreateAsync(CohortRecord record, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(record);
        try
        {
            return await CreateOnceAsync(record, cancellationToken);
        }
        catch (RequestFailedException e) when (e.ErrorCode == BlobErrorCode.ContainerNotFound)
        {
            // the first cohort of a new storage account: make the container and try again
            await container.CreateIfNotExistsAsync(cancellationToken: cancellationToken);
            return await CreateOnceAsync(record, cancellationToken);
        }
    }

    private async Task<(CohortRecord Stored, bool Created)> CreateOnceAsync(CohortRecord record, CancellationToken cancellationToken)
    {
        try
        {
            await Blob(record.Id).UploadAsync(
                BinaryData.FromObjectAsJson(record, CohortsJson.Options),
                new BlobUploadOptions
                {
                    Conditions = new BlobRequestConditions { IfNoneMatch = ETag.All },
                    HttpHeaders = new BlobHttpHeaders { ContentType = "application/json" },
                },
                cancellationToken);
            return (record, true);
        }
        catch (RequestFailedException e) when (e.Status is 409 or 412)
        {
            Stored existing = await ReadAsync(record.Id, cancellationToken)
                ?? throw new InvalidOperationException($"Cohort '{record.Id}' was reported to exist but cannot be read.", e);
            return (existing.Record, false);
        }
    }

    /// <inheritdoc/>
    public async Task<CohortRecord> UpdateAsync(string cohortId, Func<CohortRecord, CohortRecord> change, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(change);
        for (int attempt = 1; ; attempt++)
        {
            Stored current = await ReadAsync(cohortId, cancellationToken)
                ?? throw new KeyNotFoundException($"There is no cohort '{cohortId}'.");
            CohortRecord changed = change(current.Record);
            if (ReferenceEquals(changed, current.Record))
            {
                return current.Record;
            }

            try
            {
                await Blob(cohortId).UploadAsync(
                    BinaryData.FromObjectAsJson(changed, CohortsJson.Options),
                    new BlobUploadOptions
                    {
                        Conditions = new BlobRequestConditions { IfMatch = current.ETag },
                        HttpHeaders = new BlobHttpHeaders { ContentType = "application/json" },
                    },
                    cancellationToken);
                return changed;
            }
            catch (RequestFailedException e) when (e.Status == 412 && attempt < MaxAttempts)
            {
                // another writer saved first: read its version and apply the change to that
                await Task.Delay(TimeSpan.FromMilliseconds(Random.Shared.Next(5, 20 * attempt)), cancellationToken);
            }
        }
    }

    private BlobClient Blob(string cohortId) => container.GetBlobClient($"{cohortId}/cohort.json");

    private async Task<Stored?> ReadAsync(string cohortId, CancellationToken cancellationToken)
    {
        try
        {
            Response<BlobDownloadResult> response = await Blob(cohortId).DownloadContentAsync(cancellationToken);
            CohortRecord record = response.Value.Content.ToObjectFromJson<CohortRecord>(CohortsJson.Options)
                ?? throw new JsonException($"Cohort '{cohortId}' is stored as null.");
            return new Stored(record, response.Value.Details.ETag);
        }
        catch (RequestFailedException e) when (e.Status == 404)
        {
            return null;
        }
    }

    private sealed record Stored(CohortRecord Record, ETag ETag);
}
