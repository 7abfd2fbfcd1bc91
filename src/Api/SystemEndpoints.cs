using System.Reflection;
using Cohorts.Domain;
using Cohorts.Workflows;
using Microsoft.AspNetCore.Http;
using Microsoft.DurableTask.Client;

namespace Cohorts.Api;

/// <summary>Health and the OpenAPI document: open to anyone, no personal data.</summary>
public sealed class SystemEndpoints(ICohortStore store)
{
    private static readonly Lazy<string> Document = new(() =>
    {
        using Stream stream = Assembly.GetExecutingAssembly().GetManifestResourceStream("Cohorts.Api.openapi.json")
            ?? throw new InvalidOperationException("The OpenAPI document is not embedded in Cohorts.Api.");
        using var reader = new StreamReader(stream);
        return reader.ReadToEnd();
    });

    /// <summary>The OpenAPI document text.</summary>
    public static string OpenApiDocument => Document.Value;

    /// <summary><c>GET /api/health</c>: 200 when storage and the durable backend answer, 503 otherwise, naming which.</summary>
    public async Task<IResult> HealthAsync(DurableTaskClient client, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(client);
        string storage = await ProbeAsync(() => store.GetAsync("health-probe", cancellationToken));
        string durable = await ProbeAsync(() => client.GetInstanceAsync(InstanceIds.Lifecycle("health-probe"), getInputsAndOutputs: false, cancellationToken));
        bool healthy = storage == "reachable" && durable == "reachable";
        return ApiResult.Json(
            healthy ? StatusCodes.Status200OK : StatusCodes.Status503ServiceUnavailable,
            new HealthView(healthy ? "healthy" : "unhealthy", storage, durable));
    }

    /// <summary><c>GET /api/docs</c>: the browsable reference (<see cref="ApiReference"/>).</summary>
    public static IResult Docs() => ApiResult.Raw(StatusCodes.Status200OK, ApiReference.Html, "text/html; charset=utf-8");

    /// <summary><c>GET /api/openapi.json</c>.</summary>
    public static IResult OpenApi() => ApiResult.Raw(StatusCodes.Status200OK, OpenApiDocument, "application/json; charset=utf-8");

    private static async Task<string> ProbeAsync(Func<Task> probe)
    {
        try
        {
            using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(5));
            await probe().WaitAsync(timeout.Token);
            return "reachable";
        }
#pragma warning disable CA1031 // a health probe reports any failure as unreachable rather than failing itself
        catch (Exception e)
#pragma warning restore CA1031
        {
            return "unreachable: " + e.GetType().Name;
        }
    }
}

/// <summary>What <c>GET /api/health</c> answers.</summary>
public sealed record HealthView(string Status, string Storage, string DurableBackend);
