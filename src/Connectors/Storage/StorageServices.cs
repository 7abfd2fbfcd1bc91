using Azure.Data.Tables;
using Azure.Storage.Blobs;
using Cohorts.Connectors.Blob;
using Cohorts.Connectors.Tables;
using Cohorts.Domain;
using Cohorts.Domain.Access;
using Cohorts.Domain.Enrolment;
using Cohorts.Domain.Events;
using Cohorts.Domain.Learning;
using Cohorts.Domain.Outcomes;
using Cohorts.Domain.Reviews;
using Microsoft.Extensions.DependencyInjection;

namespace Cohorts.Connectors.Storage;

/// <summary>The storage adapters of the Domain ports, composed in one place.</summary>
public static class StorageServices
{
    /// <summary>
    /// Registers the blob and table clients and every store on them. <paramref name="storage"/> is asked when a client
    /// is first needed (the self-hosted server may start Azurite before that).
    /// </summary>
    public static IServiceCollection AddCohortsStorage(this IServiceCollection services, Func<IServiceProvider, StorageOptions> storage)
    {
        ArgumentNullException.ThrowIfNull(storage);
        services.AddSingleton(sp => storage(sp).CreateBlobServiceClient());
        services.AddSingleton(sp => storage(sp).CreateTableServiceClient());
        services.AddSingleton<ICohortStore>(sp => new BlobCohortStore(Container(sp, BlobCohortStore.DefaultContainer)));
        services.AddSingleton<IImportStore>(sp => new BlobImportStore(Container(sp, BlobImportStore.DefaultContainer)));
        services.AddSingleton<IReportArchive>(sp => new BlobReportArchive(Container(sp, BlobReportArchive.DefaultContainer)));
        services.AddSingleton<Cohorts.Domain.Practice.IExtractStore>(sp => new BlobExtractStore(
            sp.GetRequiredService<BlobServiceClient>(), Container(sp, BlobImportStore.DefaultContainer), sp.GetService<TimeProvider>() ?? TimeProvider.System));
        services.AddSingleton<Cohorts.Domain.Practice.ICommunityStore>(sp => new BlobCommunityStore(Container(sp, BlobCommunityStore.DefaultContainer)));
        services.AddSingleton<IDirectoryLinkStore>(sp => new BlobDirectoryLinkStore(Container(sp, BlobDirectoryLinkStore.DefaultContainer)));
        services.AddSingleton(sp => new BlobErasures(Container(sp, BlobErasures.DefaultContainer)));
        services.AddSingleton<IErasureStore>(sp => sp.GetRequiredService<BlobErasures>());
        services.AddSingleton<IErasureRegistry>(sp => sp.GetRequiredService<BlobErasures>());
        services.AddSingleton<IRosterStore>(sp => new TableRosterStore(Table(sp, TableRosterStore.DefaultTable)));
        services.AddSingleton<ISubmissionStore>(sp => new TableSubmissionStore(Table(sp, TableSubmissionStore.DefaultTable)));
        services.AddSingleton<ICompletionStore>(sp => new TableCompletionStore(Table(sp, TableCompletionStore.DefaultTable)));
        services.AddSingleton<IOutcomeStore>(sp => new TableOutcomeStore(Table(sp, TableOutcomeStore.DefaultTable)));
        services.AddSingleton<IScoreStore>(sp => new TableScoreStore(Table(sp, TableScoreStore.DefaultTable)));
        services.AddSingleton<IStatementStore>(sp => new TableStatementStore(Table(sp, TableStatementStore.DefaultTable)));
        services.AddSingleton<IEventOutbox>(sp => new TableEventOutbox(Table(sp, TableEventOutbox.DefaultTable)));
        services.AddSingleton<IAuditLog>(sp => new TableAuditLog(Table(sp, TableAuditLog.DefaultTable)));

        // every store that holds personal data, for erasure (the mail outbox joins them where it is one)
        services.AddSingleton<IPersonalDataHolder>(sp => (IPersonalDataHolder)sp.GetRequiredService<IRosterStore>());
        services.AddSingleton<IPersonalDataHolder>(sp => (IPersonalDataHolder)sp.GetRequiredService<ISubmissionStore>());
        services.AddSingleton<IPersonalDataHolder>(sp => (IPersonalDataHolder)sp.GetRequiredService<ICompletionStore>());
        services.AddSingleton<IPersonalDataHolder>(sp => (IPersonalDataHolder)sp.GetRequiredService<IOutcomeStore>());
        services.AddSingleton<IPersonalDataHolder>(sp => (IPersonalDataHolder)sp.GetRequiredService<IScoreStore>());
        services.AddSingleton<IPersonalDataHolder>(sp => (IPersonalDataHolder)sp.GetRequiredService<IStatementStore>());
        services.AddSingleton<IPersonalDataHolder>(sp => (IPersonalDataHolder)sp.GetRequiredService<IImportStore>());
        services.AddSingleton<IPersonalDataHolder>(sp => (IPersonalDataHolder)sp.GetRequiredService<IEventOutbox>());
        services.AddSingleton<IPersonalDataHolder>(sp => (IPersonalDataHolder)sp.GetRequiredService<IAuditLog>());
        services.AddSingleton<ISubscriptionStore>(sp => new TableSubscriptionStore(Table(sp, TableSubscriptionStore.DefaultTable)));
        services.AddSingleton<IDeliveryStore>(sp => new TableDeliveryStore(Table(sp, TableDeliveryStore.DefaultTable)));
        return services;
    }

    private static BlobContainerClient Container(IServiceProvider services, string name) =>
        services.GetRequiredService<BlobServiceClient>().GetBlobContainerClient(name);

    private static TableClient Table(IServiceProvider services, string name) =>
        services.GetRequiredService<TableServiceClient>().GetTableClient(name);
}
