using System.Text.Json.Nodes;
using Cohorts.Api;
using Cohorts.Server.Endpoints;
using Cohorts.TestSupport;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Routing;
using Microsoft.DurableTask.Client;
using Microsoft.Extensions.DependencyInjection;
using NSubstitute;

namespace Cohorts.Functions.Tests;

/// <summary>
/// The two route tables agree: the routes and methods the Functions SDK wrote into the built functions.metadata
/// (from the function attributes) are the ones the server's endpoint data source serves (from its Map calls).
/// </summary>
public class RouteTableTests
{
    private static string MetadataPath
    {
        get
        {
            string configuration = new DirectoryInfo(AppContext.BaseDirectory).Parent!.Name;
            return Path.Combine(RepoPaths.Root, "src", "Hosts", "Functions", "bin", configuration, "net10.0", "functions.metadata");
        }
    }

    private static JsonArray Metadata() => JsonNode.Parse(File.ReadAllText(MetadataPath))!.AsArray();

    private static SortedSet<string> FunctionsRoutes() => new(
        Metadata()
            .SelectMany(f => f!["bindings"]!.AsArray())
            .Where(b => b!["type"]!.GetValue<string>() == "httpTrigger")
            .SelectMany(b => b!["methods"]!.AsArray().Select(m => $"{m!.GetValue<string>().ToUpperInvariant()} /api/{b["route"]!.GetValue<string>()}")),
        StringComparer.Ordinal);

    private static SortedSet<string> ServerRoutes()
    {
        WebApplicationBuilder builder = WebApplication.CreateBuilder();
        builder.Services.AddRouting().AddAuthorization();
        builder.Services.AddSingleton(Substitute.For<DurableTaskClient>("test"));
        // the hosts' own registration; storage is never reached because no endpoint runs
        builder.Services.AddCohortsApi(builder.Configuration, _ => new Cohorts.Connectors.Storage.StorageOptions { ConnectionString = "UseDevelopmentStorage=true" });
        WebApplication app = builder.Build();
        app.MapCohortsApi();
        IEnumerable<RouteEndpoint> endpoints = ((IEndpointRouteBuilder)app).DataSources.SelectMany(d => d.Endpoints).OfType<RouteEndpoint>();
        return new SortedSet<string>(
            endpoints.SelectMany(e => e.Metadata.GetMetadata<HttpMethodMetadata>()!.HttpMethods.Select(m => $"{m} /{e.RoutePattern.RawText!.TrimStart('/')}")),
            StringComparer.Ordinal);
    }

    [Fact]
    public void BuiltFunctionsMetadata_ListsTheSameRoutesAndMethodsAsTheServer()
    {
        SortedSet<string> functions = FunctionsRoutes();
        SortedSet<string> server = ServerRoutes();

        Assert.NotEmpty(server);
        Assert.Equal(server, functions);
    }

    [Fact]
    public void EveryApiRoute_HasAFunctionOfItsName_WithItsRouteAndMethod()
    {
        foreach (ApiRoute route in ApiRoutes.All)
        {
            JsonNode? function = Metadata().SingleOrDefault(f => f!["name"]!.GetValue<string>() == route.Name);
            Assert.True(function is not null, $"no function named {route.Name}");
            JsonNode trigger = function!["bindings"]!.AsArray().Single(b => b!["type"]!.GetValue<string>() == "httpTrigger")!;
            Assert.Equal(route.Template, trigger["route"]!.GetValue<string>());
            Assert.Equal([route.Method.ToLowerInvariant()], trigger["methods"]!.AsArray().Select(m => m!.GetValue<string>().ToLowerInvariant()));
            // anonymous routes are open; every other one needs a function key as well as the caller's role
            Assert.Equal(route.IsAnonymous ? "Anonymous" : "Function", trigger["authLevel"]!.GetValue<string>());
        }
    }
}
