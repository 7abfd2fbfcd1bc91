using Cohorts.Api;
using Cohorts.Connectors.Storage;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;

namespace Cohorts.Functions;

/// <summary>The Functions host's wiring.</summary>
public static class FunctionsSetup
{
    /// <summary>
    /// Registers the store and the API handlers. Storage comes from the <c>Storage</c> section, or else from the
    /// <c>AzureWebJobsStorage</c> connection the Functions host itself uses (a connection string or
    /// <c>AzureWebJobsStorage__accountName</c> with a managed identity).
    /// </summary>
    public static IServiceCollection AddCohortsFunctions(this IServiceCollection services, IConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        StorageOptions storage = configuration.GetSection(StorageOptions.Section).Get<StorageOptions>() ?? new StorageOptions();
        if (!storage.IsConfigured)
        {
            storage.ConnectionString = configuration["AzureWebJobsStorage"];
            storage.AccountName = configuration["AzureWebJobsStorage:accountName"];
            storage.ManagedIdentityClientId = configuration["AzureWebJobsStorage:clientId"];
        }

        // the task hub host.json names; an erasure's activities purge review histories in it
        string taskHub = configuration["AzureFunctionsJobHost:extensions:durableTask:hubName"] ?? "cohortsfunctions";
        services.AddSingleton<Cohorts.Domain.Access.IHistoryPurger>(sp => new Workflows.HistoryPurger(storage, taskHub, sp.GetRequiredService<TimeProvider>()));
        return services.AddCohortsApi(configuration, _ => storage.IsConfigured
            ? storage
            : throw new InvalidOperationException("Storage:ConnectionString (or Storage:AccountName, or AzureWebJobsStorage) must be set."));
    }
}
