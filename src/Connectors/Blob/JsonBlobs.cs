using System.Text.Json;
using Azure;
using Azure.Storage.Blobs;
using Azure.Storage.Blobs.Models;
using Cohorts.Connectors.Json;
using Cohorts.Connectors.Storage;

namespace Cohorts.Connectors.Blob;

/// <summary>
/// JSON documents in blobs with ETag concurrency: creation is conditional on the blob not existing (the container is
/// made on first use), and an update re-reads and re-applies its change when another writer got there first.
/// </summary>
public sealed class JsonBlobs<T>(BlobContainerClient container)
    where T : class
{

    /// <summary>The container.</summary>
    public BlobContainerClient Container => container;

    /// <summary>The document and its ETag, or null.</summary>
    public async Task<(T Value, ETag ETag)?> ReadAsync(string name, CancellationToken cancellationToken)
    {
        try
        {
            Response<BlobDownloadResult> response = await container.GetBlobClient(name).DownloadContentAsync(cancellationToken);
            T value = response.Value.Content.ToObjectFromJson<T>(CohortsJson.Options) ?? throw new JsonException($"{name} is stored as null.");
            return (value, response.Value.Details.ETag);
        }
        catch (RequestFailedException e) when (e.Status == 404)
        {
            return null;
        }
    }

    /// <summary>Stores <paramref name="value"/> unless the document exists; returns what is stored and whether this call created it.</summary>
    public async Task<(T Stored, bool Created)> CreateAsync(string name, T value, CancellationToken cancellationToken)
    {
        try
        {
            return await CreateOnceAsync(name, value, cancellationToken);
        }
        catch (RequestFailedException e) when (e.ErrorCode == BlobErrorCode.ContainerNotFound)
        {
            await container.CreateIfNotExistsAsync(cancellationToken: cancellationToken);
            return await CreateOnceAsync(name, value, cancellationToken);
        }
    }

    /// <summary>Applies <paramref name="change"/> and saves, retrying on ETag conflicts; a change that returns its input writes nothing.</summary>
    /// <exception cref="KeyNotFoundException">There is no such document (the message is <paramref name="missing"/>).</exception>
    public async Task<T> UpdateAsync(string name, Func<T, T> change, string missing, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(change);
        var contention = new Contention($"'{name}'");
        while (true)
        {
            (T current, ETag etag) = await ReadAsync(name, cancellationToken) ?? throw new KeyNotFoundException(missing);
            T changed = change(current);
            if (ReferenceEquals(changed, current))
            {
                return current;
            }

            try
            {
                await UploadAsync(name, changed, new BlobRequestConditions { IfMatch = etag }, cancellationToken);
                return changed;
            }
            catch (RequestFailedException e) when (e.Status == 412)
            {
                // another writer saved first: read its version and apply the change to that
                await contention.BackOffAsync(e, cancellationToken);
            }
        }
    }

    /// <summary>Every document whose blob name passes <paramref name="include"/> (none when the container does not exist yet).</summary>
    public async IAsyncEnumerable<T> ListAsync(Func<string, bool> include, [System.Runtime.CompilerServices.EnumeratorCancellation] CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(include);
        if (!await container.ExistsAsync(cancellationToken))
        {
            yield break;
        }

        await foreach (BlobItem blob in container.GetBlobsAsync(cancellationToken: cancellationToken))
        {
            if (include(blob.Name) && (await ReadAsync(blob.Name, cancellationToken))?.Value is { } value)
            {
                yield return value;
            }
        }
    }

    /// <summary>Stores <paramref name="value"/> whatever is there (the container is made on first use).</summary>
    public async Task SaveAsync(string name, T value, CancellationToken cancellationToken)
    {
        try
        {
            await UploadAsync(name, value, new BlobRequestConditions(), cancellationToken);
        }
        catch (RequestFailedException e) when (e.ErrorCode == BlobErrorCode.ContainerNotFound)
        {
            await container.CreateIfNotExistsAsync(cancellationToken: cancellationToken);
            await UploadAsync(name, value, new BlobRequestConditions(), cancellationToken);
        }
    }

    private async Task<(T Stored, bool Created)> CreateOnceAsync(string name, T value, CancellationToken cancellationToken)
    {
        try
        {
            await UploadAsync(name, value, new BlobRequestConditions { IfNoneMatch = ETag.All }, cancellationToken);
            return (value, true);
        }
        catch (RequestFailedException e) when (e.Status is 409 or 412)
        {
            (T existing, _) = await ReadAsync(name, cancellationToken)
                ?? throw new InvalidOperationException($"{name} was reported to exist but cannot be read.", e);
            return (existing, false);
        }
    }

    private Task UploadAsync(string name, T value, BlobRequestConditions conditions, CancellationToken cancellationToken) =>
        container.GetBlobClient(name).UploadAsync(
            BinaryData.FromObjectAsJson(value, CohortsJson.Options),
            new BlobUploadOptions { Conditions = conditions, HttpHeaders = new BlobHttpHeaders { ContentType = "application/json" } },
            cancellationToken);
}
