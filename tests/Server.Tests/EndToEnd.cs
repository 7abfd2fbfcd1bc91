using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json.Nodes;
using Cohorts.TestSupport;

namespace Cohorts.Server.Tests;

/// <summary>
/// The end-to-end tests on the shared server: one Azurite and one server, one test at a time. They run beside the
/// <see cref="OwnServers"/> collection (two collections on two cores): most of an end-to-end test's time is waiting
/// for timers and polls, not work.
/// </summary>
[CollectionDefinition(Name)]
public sealed class EndToEnd : ICollectionFixture<ServerFixture>
{
    public const string Name = "end-to-end";
}

/// <summary>
/// The end-to-end tests that start (and kill, and restart) servers of their own, on an Azurite of this collection's
/// own, one test at a time, beside <see cref="EndToEnd"/>.
/// </summary>
[CollectionDefinition(Name)]
public sealed class OwnServers : ICollectionFixture<OwnServersFixture>
{
    public const string Name = "own-servers";
}

/// <summary>The Azurite the <see cref="OwnServers"/> tests put their servers on.</summary>
public sealed class OwnServersFixture : IAsyncLifetime
{
    public AzuriteFixture Azurite { get; } = new();

    public Task InitializeAsync() => Azurite.InitializeAsync();

    public Task DisposeAsync() => Azurite.DisposeAsync();
}

/// <summary>One Azurite and one server on it, for the tests that do not crash or restart a server.</summary>
public sealed class ServerFixture : IAsyncLifetime
{
    public AzuriteFixture Azurite { get; } = new();

    private ServerProcess? server;

    public ServerProcess Server => server ?? throw new InvalidOperationException("The shared server did not start.");

    public string TaskHub { get; } = "e2e" + Guid.NewGuid().ToString("N")[..8];

    /// <summary>The shared server's data folder (its .eml outbox is below it).</summary>
    public string DataFolder => Path.Combine(Azurite.DataFolder, "server");

    public async Task InitializeAsync()
    {
        await Azurite.InitializeAsync();
        server = await ServerProcess.StartAsync(DataFolder, TaskHub, Azurite.ConnectionString, Settings());
    }

    /// <summary>
    /// The shared server's settings: a 1 MiB import limit (so that the 413 path is exercised without uploading
    /// hundreds of megabytes), fast webhook retries, and the reviewer and confined keys the tests use.
    /// </summary>
    public static Dictionary<string, string> Settings()
    {
        var settings = new Dictionary<string, string>(WebhookEndToEndTests.Settings) { ["Imports__MaxBytes"] = "1048576", ["Sandbox__LinkLifetime"] = SandboxEndToEndTests.LinkLifetime };
        int i = ServerProcess.Keys.Count;
        foreach ((string name, string key) in ReviewEndToEndTests.ReviewerKeys)
        {
            settings[$"Auth__ApiKeys__{i}__Name"] = name;
            settings[$"Auth__ApiKeys__{i}__Key"] = key;
            settings[$"Auth__ApiKeys__{i}__Roles__0"] = "reviewer";
            i++;
        }

        foreach ((string name, string key, string role, string[] cohorts) in AccessEndToEndTests.Keys)
        {
            settings[$"Auth__ApiKeys__{i}__Name"] = name;
            settings[$"Auth__ApiKeys__{i}__Key"] = key;
            settings[$"Auth__ApiKeys__{i}__Roles__0"] = role;
            for (int j = 0; j < cohorts.Length; j++)
            {
                settings[$"Auth__ApiKeys__{i}__Cohorts__{j}"] = cohorts[j];
            }

            i++;
        }

        return settings;
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

    /// <summary>A plan with long checkpoints, a two-day review window, and one reviewer for the builders track.</summary>
    public static Dictionary<string, object?> WithBuildersReviewer(string id, string reviewerId)
    {
        Dictionary<string, object?> plan = Compressed(id, "P30D", "P60D", "P90D");
        plan["reviewPolicy"] = new Dictionary<string, object?> { ["window"] = "P2D", ["reminder"] = "P1D" };
        plan["reviewers"] = new object[] { new Dictionary<string, object?> { ["id"] = reviewerId, ["email"] = $"{reviewerId}@example.com", ["tracks"] = new[] { "builders" } } };
        return plan;
    }

    /// <summary>A cohort with the default (long) checkpoints, created as hr; returns its id.</summary>
    public static async Task<string> CreateAsync(TestSupport.ServerProcess server, string prefix)
    {
        string id = UniqueId(prefix);
        (System.Net.HttpStatusCode status, _) = await server.PostJsonAsync("hr", "/api/cohorts", Compressed(id, "P30D", "P60D", "P90D"));
        Assert.Equal(System.Net.HttpStatusCode.Created, status);
        return id;
    }

    /// <summary>A merge patch of the cohort's plan as hr, with <paramref name="ifMatch"/> when given: the status, the body and the new ETag.</summary>
    public static async Task<(HttpStatusCode Status, JsonNode Body, string? ETag)> PatchAsync(ServerProcess server, string cohortId, JsonObject patch, string? ifMatch)
    {
        using HttpClient client = server.As("hr");
        using var request = new HttpRequestMessage(HttpMethod.Patch, new Uri($"/api/cohorts/{cohortId}", UriKind.Relative))
        {
            Content = new StringContent(patch.ToJsonString(), Encoding.UTF8, new MediaTypeHeaderValue("application/merge-patch+json")),
        };
        if (ifMatch is not null)
        {
            request.Headers.TryAddWithoutValidation("If-Match", ifMatch);
        }

        using HttpResponseMessage response = await client.SendAsync(request);
        return (response.StatusCode, JsonNode.Parse(await response.Content.ReadAsStringAsync())!, response.Headers.ETag?.ToString());
    }

    /// <summary>The cohort as hr reads it, with its ETag.</summary>
    public static async Task<(string ETag, JsonNode Body)> GetWithETagAsync(ServerProcess server, string cohortId)
    {
        using HttpClient client = server.As("hr");
        using HttpResponseMessage response = await client.GetAsync(new Uri($"/api/cohorts/{cohortId}", UriKind.Relative));
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return (response.Headers.ETag?.ToString() ?? throw new InvalidOperationException("GET cohort sent no ETag."), JsonNode.Parse(await response.Content.ReadAsStringAsync())!);
    }
}
