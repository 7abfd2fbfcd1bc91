using System.Reflection;
using Cohorts.Connectors.Storage;
using DurableTask.AzureStorage;
using Microsoft.Extensions.Options;

namespace Cohorts.Server.Hosting;

/// <summary>
/// The storage account the server uses: the one configured under <c>Storage</c>, or, when none is, an Azurite it
/// starts (or finds left running) under the data folder. <see cref="StartAsync"/> runs before the host starts.
/// </summary>
public sealed class StorageConnection(IOptions<StorageOptions> options, IOptions<ServerOptions> server, ILogger<StorageConnection> log) : IAsyncDisposable
{
    private LocalAzurite? azurite;
    private StorageOptions? effective;

    /// <summary>The Azurite this server started or adopted, if any.</summary>
    public LocalAzurite? Azurite => azurite;

    /// <summary>The options in effect (with Azurite's connection string when it was started).</summary>
    public StorageOptions Options => effective ?? throw new InvalidOperationException("Storage is not started; call StartAsync before the host starts.");

    /// <summary>Starts or reuses Azurite when no storage is configured.</summary>
    public async Task StartAsync(CancellationToken cancellationToken)
    {
        if (effective is not null)
        {
            return;
        }

        if (options.Value.IsConfigured)
        {
            effective = options.Value;
            return;
        }

        string script = server.Value.AzuriteScript
            ?? typeof(LocalAzurite).Assembly.GetCustomAttributes<AssemblyMetadataAttribute>().FirstOrDefault(a => a.Key == "AzuriteScript")?.Value
            ?? throw new InvalidOperationException("Server:AzuriteScript is not set and the build did not record where Azurite is.");
        azurite = await LocalAzurite.StartOrReuseAsync(server.Value.DataFolder, script, log, cancellationToken);
        effective = new StorageOptions { ConnectionString = azurite.ConnectionString };
    }

    /// <summary>The Durable Task backend's view of the same account.</summary>
    public StorageAccountClientProvider CreateDurableProvider() =>
        !string.IsNullOrWhiteSpace(Options.ConnectionString)
            ? new StorageAccountClientProvider(Options.ConnectionString)
            : new StorageAccountClientProvider(Options.ResolveEndpoint("blob"), Options.ResolveEndpoint("queue"), Options.ResolveEndpoint("table"), Options.CreateCredential());

    /// <inheritdoc/>
    public async ValueTask DisposeAsync()
    {
        if (azurite is not null)
        {
            await azurite.DisposeAsync();
        }
    }
}
