using Azure.Data.Tables;
using Azure.Storage.Blobs;
using Cohorts.Connectors.Blob;
using Cohorts.Connectors.Graph;
using Cohorts.Connectors.Storage;
using Cohorts.Connectors.Tables;
using Cohorts.Domain;
using Cohorts.Domain.Enrolment;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace Cohorts.Api;

/// <summary>The stores, application services and handlers both hosts need, registered once.</summary>
public static class ApiServices
{
    /// <summary>
    /// Registers them, reaching storage through <paramref name="storage"/> (resolved when first needed: the server
    /// may start Azurite before that).
    /// </summary>
    public static IServiceCollection AddCohortsApi(this IServiceCollection services, IConfiguration configuration, Func<IServiceProvider, StorageOptions> storage)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        services.AddSingleton(TimeProvider.System);
        services.Configure<ImportOptions>(configuration.GetSection(ImportOptions.Section));
        services.AddSingleton(sp => sp.GetRequiredService<IOptions<ImportOptions>>().Value);
        services.AddSingleton(sp => storage(sp).CreateBlobServiceClient());
        services.AddSingleton(sp => storage(sp).CreateTableServiceClient());
        services.AddSingleton<ICohortStore>(sp => new BlobCohortStore(sp.GetRequiredService<BlobServiceClient>().GetBlobContainerClient(BlobCohortStore.DefaultContainer)));
        services.AddSingleton<IImportStore>(sp => new BlobImportStore(sp.GetRequiredService<BlobServiceClient>().GetBlobContainerClient(BlobImportStore.DefaultContainer)));
        services.AddSingleton<IRosterStore>(sp => new TableRosterStore(sp.GetRequiredService<TableServiceClient>().GetTableClient(TableRosterStore.DefaultTable)));
        services.AddSingleton<IDirectoryLinkStore>(sp => new BlobDirectoryLinkStore(sp.GetRequiredService<BlobServiceClient>().GetBlobContainerClient(BlobDirectoryLinkStore.DefaultContainer)));
        services.Configure<DirectorySyncOptions>(configuration.GetSection(DirectorySyncOptions.Section));
        services.AddSingleton(sp => sp.GetRequiredService<IOptions<DirectorySyncOptions>>().Value);
        services.AddSingleton<DirectorySyncService>();
        services.AddSingleton<IHrDirectory>(_ =>
        {
            IConfigurationSection graph = configuration.GetSection("Graph");
            Uri? baseUrl = graph["BaseUrl"] is { Length: > 0 } url ? new Uri(url) : null;
            string? identity = graph["ManagedIdentityClientId"];
            if (baseUrl is null && string.IsNullOrEmpty(identity))
            {
                return new UnconfiguredDirectory();
            }

            // Graph:Anonymous is for a loopback stub in tests and demos only; Azure always uses the app's identity
            Azure.Core.TokenCredential? credential = graph.GetValue<bool>("Anonymous")
                ? null
                : new Azure.Identity.DefaultAzureCredential(new Azure.Identity.DefaultAzureCredentialOptions { ManagedIdentityClientId = identity });
            return new GraphDirectory(GraphDirectory.CreateClient(credential, baseUrl));
        });
        services.AddSingleton<CohortService>();
        services.AddSingleton<ImportService>();
        services.AddSingleton<CohortEndpoints>();
        services.AddSingleton<EnrolmentEndpoints>();
        services.AddSingleton<SystemEndpoints>();
        return services;
    }
}
