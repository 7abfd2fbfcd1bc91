using Azure.Data.Tables;
using Azure.Storage.Blobs;
using Cohorts.Connectors.Blob;
using Cohorts.Connectors.Graph;
using Cohorts.Connectors.Mail;
using Cohorts.Connectors.Storage;
using Cohorts.Connectors.Tables;
using Cohorts.Domain;
using Cohorts.Domain.Enrolment;
using Cohorts.Domain.Learning;
using Cohorts.Domain.Outcomes;
using Cohorts.Domain.Reviews;
using Cohorts.Workflows.Activities;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
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
        services.AddSingleton<ISubmissionStore>(sp => new TableSubmissionStore(sp.GetRequiredService<TableServiceClient>().GetTableClient(TableSubmissionStore.DefaultTable)));
        services.AddSingleton<Application.Reviews.ReviewService>();
        services.AddSingleton<ReviewEndpoints>();
        services.AddSingleton<ICompletionStore>(sp => new TableCompletionStore(sp.GetRequiredService<TableServiceClient>().GetTableClient(TableCompletionStore.DefaultTable)));
        services.AddSingleton<IOutcomeStore>(sp => new TableOutcomeStore(sp.GetRequiredService<TableServiceClient>().GetTableClient(TableOutcomeStore.DefaultTable)));
        services.AddSingleton<IReportArchive>(sp => new BlobReportArchive(sp.GetRequiredService<BlobServiceClient>().GetBlobContainerClient(BlobReportArchive.DefaultContainer)));
        services.AddSingleton(new ReportDelivery(configuration.GetValue<TimeSpan?>("Reports:HoldFor") ?? TimeSpan.Zero));
        services.AddSingleton<OutcomeEndpoints>();
        services.AddSingleton<LmsEndpoints>();
        services.AddSingleton<IDirectoryLinkStore>(sp => new BlobDirectoryLinkStore(sp.GetRequiredService<BlobServiceClient>().GetBlobContainerClient(BlobDirectoryLinkStore.DefaultContainer)));
        services.Configure<DirectorySyncOptions>(configuration.GetSection(DirectorySyncOptions.Section));
        services.AddSingleton(sp => sp.GetRequiredService<IOptions<DirectorySyncOptions>>().Value);
        services.AddSingleton<DirectorySyncService>();
        services.Configure<DigestOptions>(configuration.GetSection(DigestOptions.Section));
        services.AddSingleton(sp => sp.GetRequiredService<IOptions<DigestOptions>>().Value);
        services.AddSingleton<DigestService>();
        services.AddSingleton(_ => GraphClient(configuration.GetSection("Graph")));
        services.AddSingleton<IHrDirectory>(sp => sp.GetRequiredService<GraphClientHolder>().Client is { } graph ? new GraphDirectory(graph) : new UnconfiguredDirectory());
        services.AddSingleton<ILearningPlatform>(sp =>
            sp.GetRequiredService<GraphClientHolder>().Client is { } graph && configuration["VivaLearning:ProviderId"] is { Length: > 0 } provider
                ? new VivaLearningPlatform(graph, provider, new Uri(configuration["VivaLearning:ContentBaseUrl"] is { Length: > 0 } root ? root.TrimEnd('/') + "/"
                    : throw new InvalidOperationException("VivaLearning:ProviderId is set without VivaLearning:ContentBaseUrl, the page each step's learning content links to.")))
                : new NoLearningPlatform());
        // the self-hosted server replaces this with its .eml outbox
        services.TryAddSingleton<INotifier>(sp =>
            sp.GetRequiredService<GraphClientHolder>().Client is { } graph && configuration["Notifications:Sender"] is { Length: > 0 } sender
                ? new GraphMailNotifier(graph, sender)
                : new UnconfiguredNotifier());
        services.AddSingleton<CohortService>();
        services.AddSingleton<ImportService>();
        services.AddSingleton<CohortEndpoints>();
        services.AddSingleton<EnrolmentEndpoints>();
        services.AddSingleton<SystemEndpoints>();
        return services;
    }

    /// <summary>
    /// The Graph client of <c>Graph:BaseUrl</c> / <c>Graph:ManagedIdentityClientId</c>, or none when neither is set.
    /// <c>Graph:Anonymous</c> is for a loopback stub in tests and demos only; Azure always uses the app's identity.
    /// </summary>
    private static GraphClientHolder GraphClient(IConfigurationSection graph)
    {
        Uri? baseUrl = graph["BaseUrl"] is { Length: > 0 } url ? new Uri(url) : null;
        string? identity = graph["ManagedIdentityClientId"];
        if (baseUrl is null && string.IsNullOrEmpty(identity))
        {
            return new GraphClientHolder(null);
        }

        Azure.Core.TokenCredential? credential = graph.GetValue<bool>("Anonymous")
            ? null
            : new Azure.Identity.DefaultAzureCredential(new Azure.Identity.DefaultAzureCredentialOptions { ManagedIdentityClientId = identity });
        return new GraphClientHolder(GraphDirectory.CreateClient(credential, baseUrl));
    }

    /// <summary>The app's one Graph client, when Graph is configured.</summary>
    private sealed record GraphClientHolder(Microsoft.Graph.GraphServiceClient? Client);
}
