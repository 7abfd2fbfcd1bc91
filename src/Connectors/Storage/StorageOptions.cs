using Azure.Core;
using Azure.Identity;
using Azure.Data.Tables;
using Azure.Storage;
using Azure.Storage.Blobs;

namespace Cohorts.Connectors.Storage;

/// <summary>
/// How to reach the storage account: a connection string (Azurite, or an account with shared keys), or endpoints
/// with <see cref="DefaultAzureCredential"/> (shared keys are off in Azure). Bound from the <c>Storage</c> section.
/// </summary>
public sealed class StorageOptions
{
    /// <summary>The configuration section.</summary>
    public const string Section = "Storage";

    /// <summary>A storage connection string; wins over the endpoints when both are set.</summary>
    public string? ConnectionString { get; set; }

    /// <summary>The account name; short for the three public-cloud endpoints.</summary>
    public string? AccountName { get; set; }

    /// <summary>Blob endpoint, for credential-based access.</summary>
    public Uri? BlobEndpoint { get; set; }

    /// <summary>Queue endpoint, for credential-based access.</summary>
    public Uri? QueueEndpoint { get; set; }

    /// <summary>Table endpoint, for credential-based access.</summary>
    public Uri? TableEndpoint { get; set; }

    /// <summary>Client id of a user-assigned managed identity, when one should be used.</summary>
    public string? ManagedIdentityClientId { get; set; }

    /// <summary>Whether anything was configured at all (the self-hosted server starts Azurite when not).</summary>
    public bool IsConfigured => !string.IsNullOrWhiteSpace(ConnectionString) || !string.IsNullOrWhiteSpace(AccountName) || BlobEndpoint is not null;

    /// <summary>The blob endpoint in use when credentials are used.</summary>
    public Uri ResolveEndpoint(string service) => service switch
    {
        "blob" when BlobEndpoint is not null => BlobEndpoint,
        "queue" when QueueEndpoint is not null => QueueEndpoint,
        "table" when TableEndpoint is not null => TableEndpoint,
        _ when !string.IsNullOrWhiteSpace(AccountName) => new Uri($"https://{AccountName}.{service}.core.windows.net"),
        _ => throw new InvalidOperationException($"Storage:{char.ToUpperInvariant(service[0])}{service[1..]}Endpoint (or Storage:AccountName, or Storage:ConnectionString) must be set."),
    };

    /// <summary>The credential for endpoint-based access.</summary>
    public TokenCredential CreateCredential() =>
        new DefaultAzureCredential(new DefaultAzureCredentialOptions { ManagedIdentityClientId = ManagedIdentityClientId });

    /// <summary>A table service client for these options.</summary>
    public TableServiceClient CreateTableServiceClient() =>
        !string.IsNullOrWhiteSpace(ConnectionString)
            ? new TableServiceClient(ConnectionString)
            : new TableServiceClient(ResolveEndpoint("table"), CreateCredential());

    /// <summary>A blob service client for these options.</summary>
    public BlobServiceClient CreateBlobServiceClient() =>
        !string.IsNullOrWhiteSpace(ConnectionString)
            ? new BlobServiceClient(ConnectionString, BlobOptions())
            : new BlobServiceClient(ResolveEndpoint("blob"), CreateCredential(), BlobOptions());

    /// <summary>
    /// Every upload (an HR export's blocks, a change log, a report) carries its Content-MD5, which the service checks
    /// before it keeps the bytes: a body damaged on the way is refused, not stored. Without one, a staged block gets a
    /// CRC-64 computed by the service instead, which on Azurite is a JavaScript loop over every byte (a 100k-row
    /// export's upload spent ~0.14 s of the emulator's one thread in it); MD5 is computed natively on both sides.
    /// </summary>
    private static BlobClientOptions BlobOptions()
    {
        var options = new BlobClientOptions();
        options.TransferValidation.Upload.ChecksumAlgorithm = StorageChecksumAlgorithm.MD5;
        return options;
    }
}
