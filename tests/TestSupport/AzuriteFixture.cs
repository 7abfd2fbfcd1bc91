using Cohorts.Connectors.Storage;
using Microsoft.Extensions.Logging.Abstractions;
using Xunit;

namespace Cohorts.TestSupport;

/// <summary>
/// One Azurite per test assembly (2 cores), started with the product's own launcher on a temporary data folder and
/// stopped gracefully when the assembly's tests end.
/// </summary>
public sealed class AzuriteFixture : IAsyncLifetime
{
    private LocalAzurite? azurite;

    /// <summary>The data folder.</summary>
    public string DataFolder { get; } = Path.Combine(TestFolders.Root, Guid.NewGuid().ToString("N")[..12]);

    /// <summary>The connection string of the running Azurite.</summary>
    public string ConnectionString => azurite?.ConnectionString ?? throw new InvalidOperationException("Azurite is not started.");

    /// <summary>The Azurite script the build restored.</summary>
    public static string Script => Path.Combine(RepoPaths.Root, "node_modules", "azurite", "dist", "src", "azurite.js");

    /// <inheritdoc/>
    public async Task InitializeAsync() =>
        azurite = await LocalAzurite.StartOrReuseAsync(DataFolder, Script, NullLogger.Instance, CancellationToken.None);

    /// <inheritdoc/>
    public async Task DisposeAsync()
    {
        if (azurite is not null)
        {
            await azurite.DisposeAsync();
        }

        try
        {
            Directory.Delete(DataFolder, recursive: true);
        }
        catch (IOException)
        {
            // a temp folder left behind is harmless
        }
    }
}
