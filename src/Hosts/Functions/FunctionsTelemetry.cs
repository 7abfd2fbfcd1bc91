using Azure.Monitor.OpenTelemetry.Exporter;
using Cohorts.Workflows;
using Microsoft.Azure.Functions.Worker.OpenTelemetry;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using OpenTelemetry;
using OpenTelemetry.Metrics;
using OpenTelemetry.Trace;

namespace Cohorts.Functions;

/// <summary>
/// OpenTelemetry for the Functions worker: the worker's own instrumentation (each invocation a span, linked to the
/// host's), HttpClient, the Durable Task SDK's and the product's sources, and the product's meters. Exported to
/// Application Insights when <c>APPLICATIONINSIGHTS_CONNECTION_STRING</c> is set (the infra sets it, with the app's
/// identity, since key-based ingestion is off), and over OTLP when <c>OTEL_EXPORTER_OTLP_ENDPOINT</c> is.
/// </summary>
public static class FunctionsTelemetry
{
    /// <summary>Adds the providers and the exporters the configuration asks for.</summary>
    public static void AddCohortsTelemetry(this IServiceCollection services, IConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        IOpenTelemetryBuilder otel = services.AddOpenTelemetry()
            .UseFunctionsWorkerDefaults()
            .WithTracing(tracing => tracing.AddHttpClientInstrumentation().AddSource("Microsoft.DurableTask", CohortsTelemetry.Name))
            .WithMetrics(metrics => metrics.AddHttpClientInstrumentation().AddMeter(CohortsTelemetry.Name));
        if (!string.IsNullOrWhiteSpace(configuration["APPLICATIONINSIGHTS_CONNECTION_STRING"]))
        {
            string? clientId = configuration["Storage:ManagedIdentityClientId"];
            otel.UseAzureMonitorExporter(o => o.Credential = new Azure.Identity.DefaultAzureCredential(new Azure.Identity.DefaultAzureCredentialOptions { ManagedIdentityClientId = clientId }));
        }

        if (!string.IsNullOrWhiteSpace(configuration["OTEL_EXPORTER_OTLP_ENDPOINT"]))
        {
            otel.UseOtlpExporter();
        }
    }
}
