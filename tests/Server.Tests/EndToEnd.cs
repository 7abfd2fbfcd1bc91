using Cohorts.TestSupport;

namespace Cohorts.Server.Tests;

/// <summary>The end-to-end tests share one Azurite and run one at a time (2 cores).</summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class EndToEnd : ICollectionFixture<ServerFixture>
{
    public const string Name = "end-to-end";
}

/// <summary>One Azurite and one server on it, for the tests that do not crash or restart a server.</summary>
public sealed class ServerFixture : IAsyncLifetime
{
    public AzuriteFixture Azurite { get; } = new();

    private ServerProcess? server;

    public ServerProcess Server => server ?? throw new InvalidOperationException("The shared server did not start.");

    public string TaskHub { get; } = "e2e" + Guid.NewGuid().ToString("N")[..8];

    public async Task InitializeAsync()
    {
        await Azurite.InitializeAsync();
        server = await ServerProcess.StartAsync(Path.Combine(Azurite.DataFolder, "server"), TaskHub, Azurite.ConnectionString);
    }

    public async Task DisposeAsync()
    {
        try
        {
            if (server is not null)
            {
                await server.DisposeAsync();
            }
        }
        finally
        {
            await Azurite.DisposeAsync();
        }
    }
}

/// <summary>Cohort plans as a client would send them.</summary>
internal static class Plans
{
    public static Dictionary<string, object?> Compressed(string id, params string[] checkpoints) => new()
    {
        ["id"] = id,
        ["name"] = "Claims triage cohort",
        ["useCase"] = new Dictionary<string, object?> { ["title"] = "Claims triage model", ["problem"] = "Route incoming claims to the right desk" },
        ["checkpoints"] = checkpoints,
        ["reviewPolicy"] = new Dictionary<string, object?> { ["window"] = "PT10S", ["reminder"] = "PT5S" },
        ["leaders"] = new[] { "cio@example.com" },
        ["programLead"] = "lead@example.com",
    };

    public static string UniqueId(string prefix) => $"{prefix}-{Guid.NewGuid().ToString("N")[..8]}";
}
