using Cohorts.Domain.Enrolment;
using Cohorts.Domain.Learning;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Graph;

namespace Cohorts.Connectors.Graph;

/// <summary>
/// How to reach Microsoft Graph (section <c>Graph</c>): the app's managed identity in Azure, or a base URL (a loopback
/// stub in tests and demos, with <see cref="Anonymous"/>). Neither set: Graph is not configured.
/// </summary>
public sealed record GraphOptions(Uri? BaseUrl, string? ManagedIdentityClientId, bool Anonymous)
{
    /// <summary>The configuration section.</summary>
    public const string Section = "Graph";

    /// <summary>Whether Graph is configured at all.</summary>
    public bool IsConfigured => BaseUrl is not null || !string.IsNullOrEmpty(ManagedIdentityClientId);

    /// <summary>Reads and checks the section; a value that cannot be used fails naming its key.</summary>
    public static GraphOptions Read(IConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        IConfigurationSection section = configuration.GetSection(Section);
        Uri? baseUrl = ConnectorSettings.OptionalUrl(section, "BaseUrl");
        bool anonymous = ConnectorSettings.OptionalBool(section, "Anonymous");
        if (anonymous && baseUrl is null)
        {
            throw ConnectorSettings.Invalid(section, "Anonymous", "is for a loopback Graph stub: set Graph:BaseUrl to it (Azure always uses the app's identity)");
        }

        return new GraphOptions(baseUrl, section["ManagedIdentityClientId"] is { Length: > 0 } id ? id : null, anonymous);
    }
}

/// <summary>Viva Learning (section <c>VivaLearning</c>): the provider the app registered, and the page each step's content links to.</summary>
public sealed record VivaLearningOptions(string? ProviderId, Uri? ContentBaseUrl)
{
    /// <summary>The configuration section.</summary>
    public const string Section = "VivaLearning";

    /// <summary>Reads and checks the section: a provider needs its content page, and Graph.</summary>
    public static VivaLearningOptions Read(IConfiguration configuration, GraphOptions graph)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        ArgumentNullException.ThrowIfNull(graph);
        IConfigurationSection section = configuration.GetSection(Section);
        string? provider = section["ProviderId"] is { Length: > 0 } p ? p : null;
        Uri? content = ConnectorSettings.OptionalUrl(section, "ContentBaseUrl");
        if (provider is not null && content is null)
        {
            throw ConnectorSettings.Invalid(section, "ContentBaseUrl", "is required with VivaLearning:ProviderId: it is the page each step's learning content links to");
        }

        if (provider is not null && !graph.IsConfigured)
        {
            throw ConnectorSettings.Invalid(section, "ProviderId", "needs Microsoft Graph: set Graph:ManagedIdentityClientId (or Graph:BaseUrl)");
        }

        return new VivaLearningOptions(provider, content);
    }
}

/// <summary>The Microsoft Graph adapters (directory, Viva Learning), composed in one place.</summary>
public static class GraphServices
{
    /// <summary>
    /// Registers the app's one Graph client and the adapters on it, or their unconfigured stand-ins when Graph is not
    /// configured. Reads and checks the settings now, so a half-set section stops the host from starting.
    /// </summary>
    public static IServiceCollection AddCohortsGraph(this IServiceCollection services, IConfiguration configuration)
    {
        GraphOptions graph = GraphOptions.Read(configuration);
        VivaLearningOptions viva = VivaLearningOptions.Read(configuration, graph);
        services.AddSingleton(graph);
        services.AddSingleton(viva);
        services.AddSingleton(_ => new GraphClient(graph.IsConfigured ? CreateClient(graph) : null));
        services.AddSingleton<IHrDirectory>(sp => sp.GetRequiredService<GraphClient>().Client is { } client ? new GraphDirectory(client) : new UnconfiguredDirectory());
        services.AddSingleton<Cohorts.Domain.Practice.IPracticeDirectory>(sp =>
            sp.GetRequiredService<GraphClient>().Client is { } client ? new GraphPracticeDirectory(client) : new NoPracticeDirectory());
        services.AddSingleton<ILearningPlatform>(sp =>
            sp.GetRequiredService<GraphClient>().Client is { } client && viva is { ProviderId: { } provider, ContentBaseUrl: { } content }
                ? new VivaLearningPlatform(client, provider, new Uri(content.ToString().TrimEnd('/') + "/"))
                : new NoLearningPlatform());
        return services;
    }

    private static GraphServiceClient CreateClient(GraphOptions graph)
    {
        Azure.Core.TokenCredential? credential = graph.Anonymous
            ? null
            : new Azure.Identity.DefaultAzureCredential(new Azure.Identity.DefaultAzureCredentialOptions { ManagedIdentityClientId = graph.ManagedIdentityClientId });
        return GraphDirectory.CreateClient(credential, graph.BaseUrl);
    }
}

/// <summary>The app's one Graph client, when Graph is configured.</summary>
public sealed record GraphClient(GraphServiceClient? Client);

/// <summary>Reading connector settings so that a value that cannot be used fails the start naming its key.</summary>
public static class ConnectorSettings
{
    /// <summary>An absolute http(s) URL at <paramref name="key"/>, or null when it is not set.</summary>
    public static Uri? OptionalUrl(IConfigurationSection section, string key)
    {
        ArgumentNullException.ThrowIfNull(section);
        string? text = section[key];
        if (string.IsNullOrWhiteSpace(text))
        {
            return null;
        }

        return Uri.TryCreate(text, UriKind.Absolute, out Uri? url) && url.Scheme is "https" or "http"
            ? url
            : throw Invalid(section, key, $"'{text}' is not an absolute http(s) URL");
    }

    /// <summary>A true/false at <paramref name="key"/>, false when it is not set.</summary>
    public static bool OptionalBool(IConfigurationSection section, string key)
    {
        ArgumentNullException.ThrowIfNull(section);
        string? text = section[key];
        return string.IsNullOrWhiteSpace(text) ? false
            : bool.TryParse(text, out bool value) ? value
            : throw Invalid(section, key, $"'{text}' is not true or false");
    }

    /// <summary>The error that stops the start: the full key and why.</summary>
    public static InvalidOperationException Invalid(IConfigurationSection section, string key, string why)
    {
        ArgumentNullException.ThrowIfNull(section);
        return new InvalidOperationException($"{section.Path}:{key} {why}.");
    }
}
