using System.Diagnostics;
using Cohorts.Workflows;
using OpenTelemetry;
using OpenTelemetry.Metrics;
using OpenTelemetry.Resources;
using OpenTelemetry.Trace;

namespace Cohorts.Server.Hosting;

/// <summary>
/// OpenTelemetry for the server: traces of ASP.NET Core, HttpClient, the Durable Task SDK (orchestrations and
/// activities) and the product's own source; metrics of ASP.NET Core, HttpClient and the product's meters
/// (<see cref="CohortsTelemetry"/>); logs. Exported over OTLP when <c>OTEL_EXPORTER_OTLP_ENDPOINT</c> is set (the
/// exporter reads the standard OTEL_* variables), otherwise collected and dropped. The sidecar's own gRPC traffic
/// between the worker and the backend, in this process, is left out: it is plumbing, not a request.
/// </summary>
public static partial class Telemetry
{
    /// <summary>The service name the resource carries (OTEL_SERVICE_NAME overrides it).</summary>
    public const string ServiceName = "cohorts-server";

    /// <summary>The Durable Task SDK's activity source: orchestrations and activities, linked to the request that started them.</summary>
    public const string DurableTaskSource = "Microsoft.DurableTask";

    /// <summary>Adds the providers; exporting only when an OTLP endpoint is configured.</summary>
    public static void AddCohortsTelemetry(this WebApplicationBuilder builder, SidecarEndpoint sidecar)
    {
        ArgumentNullException.ThrowIfNull(builder);
        ArgumentNullException.ThrowIfNull(sidecar);
        OpenTelemetryBuilder otel = builder.Services.AddOpenTelemetry()
            .ConfigureResource(resource => resource.AddService(ServiceName))
            .WithTracing(tracing => tracing
                .AddAspNetCoreInstrumentation(o => o.Filter = context => context.Connection.LocalPort != sidecar.Port)
                .AddHttpClientInstrumentation(o => o.FilterHttpRequestMessage = request => request.RequestUri?.Port != sidecar.Port)
                .AddSource(DurableTaskSource, CohortsTelemetry.Name))
            .WithMetrics(metrics => metrics
                .AddAspNetCoreInstrumentation()
                .AddHttpClientInstrumentation()
                .AddMeter(CohortsTelemetry.Name))
            .WithLogging();
        if (!string.IsNullOrWhiteSpace(builder.Configuration["OTEL_EXPORTER_OTLP_ENDPOINT"]))
        {
            otel.UseOtlpExporter();
        }
    }

    /// <summary>
    /// One information line per API request: method, path (ids, never a query string or a body), status and time.
    /// The sidecar's port is not logged.
    /// </summary>
    public static void UseRequestLog(this WebApplication app, SidecarEndpoint sidecar)
    {
        ArgumentNullException.ThrowIfNull(app);
        ArgumentNullException.ThrowIfNull(sidecar);
        ILogger log = app.Services.GetRequiredService<ILoggerFactory>().CreateLogger("Cohorts.Requests");
        app.Use(async (context, next) =>
        {
            if (context.Connection.LocalPort == sidecar.Port)
            {
                await next(context);
                return;
            }

            long started = Stopwatch.GetTimestamp();
            try
            {
                await next(context);
            }
            finally
            {
                LogRequest(log, context.Request.Method, context.Request.Path.Value ?? string.Empty, context.Response.StatusCode, Stopwatch.GetElapsedTime(started).TotalMilliseconds);
            }
        });
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "HTTP {Method} {Path} answered {Status} in {Elapsed:F0} ms")]
    private static partial void LogRequest(ILogger log, string method, string path, int status, double elapsed);
}
