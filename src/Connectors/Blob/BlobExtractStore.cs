using Azure.Storage.Blobs;
using Azure.Storage.Blobs.Models;
using Azure.Storage.Sas;
using Cohorts.Domain.Enrolment;
using Cohorts.Domain.Practice;

namespace Cohorts.Connectors.Blob;

/// <summary>
/// Data extracts in the product's storage account, one container per use case. A file streams into a staging blob in
/// the imports container and is copied over the file only when whole, so a refused or broken upload neither leaves a
/// part behind nor replaces a good file. Links are container SAS with read and list only: a service SAS where the
/// account is reached by a shared key (a connection string, Azurite), a user delegation SAS where it is reached by
/// identity (at most 7 days; carries the correlation id as <c>scid</c>; a service SAS has no such field).
/// </summary>
public sealed class BlobExtractStore(BlobServiceClient service, BlobContainerClient staging, TimeProvider time) : IExtractStore
{
    /// <inheritdoc/>
    public async Task<ExtractFile> SaveAsync(string container, string fileName, Stream content, long maxBytes, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(content);
        await staging.CreateIfNotExistsAsync(cancellationToken: cancellationToken);
        BlobClient part = staging.GetBlobClient($"extract-staging/{container}/{Guid.NewGuid():N}");
        long bytes = 0;
        try
        {
            string? refusal = null;
            await using (Stream target = await part.OpenWriteAsync(overwrite: true, cancellationToken: cancellationToken))
            {
                byte[] buffer = new byte[81920];
                int read;
                while ((read = await content.ReadAsync(buffer, cancellationToken)) > 0)
                {
                    bytes += read;
                    if (bytes > maxBytes)
                    {
                        refusal = $"the file is larger than {maxBytes} bytes";
                        break;
                    }

                    await target.WriteAsync(buffer.AsMemory(0, read), cancellationToken);
                }
            }

            if (refusal is not null)
            {
                throw new SourceTooLargeException(refusal);
            }

            BlobContainerClient extract = service.GetBlobContainerClient(container);
            await extract.CreateIfNotExistsAsync(cancellationToken: cancellationToken);
            await CopyAsync(part, extract.GetBlobClient(fileName), cancellationToken);
            return new ExtractFile(container, fileName, bytes);
        }
        finally
        {
            await part.DeleteIfExistsAsync(cancellationToken: CancellationToken.None);
        }
    }

    /// <summary>
    /// Copies the whole staged file over <paramref name="file"/>. Concurrent uploads of one file race: a copy started
    /// later aborts an earlier one, so a copy that did not finish as this one is started again (the last to finish is
    /// the file); one still contended after a few tries is a busy store (503, retry), never a half-written file.
    /// </summary>
    private static async Task CopyAsync(BlobClient staged, BlobClient file, CancellationToken cancellationToken)
    {
        for (int attempt = 1; ; attempt++)
        {
            try
            {
                CopyFromUriOperation copy = await file.StartCopyFromUriAsync(staged.Uri, cancellationToken: cancellationToken);
                await copy.WaitForCompletionAsync(cancellationToken);
                return;
            }
            catch (Exception contended) when (contended is InvalidOperationException or Azure.RequestFailedException { Status: 409 or 412 } && !cancellationToken.IsCancellationRequested)
            {
                BlobProperties now = (await file.GetPropertiesAsync(cancellationToken: cancellationToken)).Value;
                if (now.CopyStatus == CopyStatus.Success && now.CopySource == staged.Uri)
                {
                    return; // this copy finished after all
                }

                if (attempt == 5)
                {
                    throw new Cohorts.Domain.StoreBusyException($"Other uploads of '{file.Name}' were being stored at the same time; send it again.");
                }

                await Task.Delay(TimeSpan.FromMilliseconds(100 * attempt + Random.Shared.Next(100)), cancellationToken);
            }
        }
    }

    /// <inheritdoc/>
    public async Task<SandboxLink> IssueLinkAsync(string container, string correlationId, DateTimeOffset expiresAt, CancellationToken cancellationToken)
    {
        BlobContainerClient extract = service.GetBlobContainerClient(container);
        await extract.CreateIfNotExistsAsync(cancellationToken: cancellationToken);
        var sas = new BlobSasBuilder(BlobContainerSasPermissions.Read | BlobContainerSasPermissions.List, expiresAt)
        {
            BlobContainerName = container,
            Resource = "c",
            Protocol = extract.Uri.Scheme == Uri.UriSchemeHttps ? SasProtocol.Https : SasProtocol.HttpsAndHttp,
            CorrelationId = correlationId,
        };
        string query;
        if (extract.CanGenerateSasUri)
        {
            query = extract.GenerateSasUri(sas).Query.TrimStart('?');
        }
        else
        {
            // by identity: a user delegation key as long as the link (the service refuses more than 7 days)
            UserDelegationKey key = (await service.GetUserDelegationKeyAsync(time.GetUtcNow().AddMinutes(-1), expiresAt, cancellationToken)).Value;
            query = sas.ToSasQueryParameters(key, service.AccountName).ToString();
        }

        var files = new List<SandboxFile>();
        await foreach (BlobItem blob in extract.GetBlobsAsync(cancellationToken: cancellationToken))
        {
            files.Add(new SandboxFile(blob.Name, new UriBuilder(extract.GetBlobClient(blob.Name).Uri) { Query = query }.Uri));
        }

        return new SandboxLink(new UriBuilder(extract.Uri) { Query = query }.Uri, expiresAt, files);
    }
}
